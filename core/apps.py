from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Partnerships and people"


class OperatorAdminConfig(admin_apps.AdminConfig):
    """Django admin, served by core.admin_site.OperatorAdminSite (named in INSTALLED_APPS)."""

    default = False
    default_site = "core.admin_site.OperatorAdminSite"
