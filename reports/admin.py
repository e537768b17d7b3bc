from django.contrib import admin

from core.admin import AuditedAdmin
from reports.models import GovernanceBody


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(AuditedAdmin):
    """Appendix 2 of every pack: the partnership's admins keep its boards and groups up to date here."""

    list_display = ["name", "partnership", "order", "meets"]
    list_filter = ["partnership"]
    ordering = ["partnership", "order"]
