from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Partnerships and people"

    def ready(self) -> None:
        # Registers the Celery tasks, so that services queue them by name (core.jobs) without importing them.
        from core import tasks  # noqa: F401


class OperatorAdminConfig(admin_apps.AdminConfig):
    """Django admin, served by core.admin_site.OperatorAdminSite (named in INSTALLED_APPS)."""

    default = False
    default_site = "core.admin_site.OperatorAdminSite"
