from django.contrib import admin

from core.admin import AuditedAdmin
from sef.models import EvaluationArea, FrameworkStrand, InspectionFramework, InspectionOutcome, JudgementLevel


class StrandInline(admin.TabularInline):
    model = FrameworkStrand
    extra = 0


class AreaInline(admin.TabularInline):
    model = EvaluationArea
    extra = 0


class OutcomeInline(admin.TabularInline):
    model = InspectionOutcome
    extra = 0


@admin.register(InspectionFramework)
class InspectionFrameworkAdmin(AuditedAdmin):
    list_display = ["name", "version"]
    inlines = [StrandInline, AreaInline, OutcomeInline]


@admin.register(JudgementLevel)
class JudgementLevelAdmin(AuditedAdmin):
    """Where a partnership sets its own self-assessment scale."""

    list_display = ["partnership", "order", "label"]
    list_filter = ["partnership"]
    ordering = ["partnership__name", "order"]  # the model's own order is by partnership id, for reads
