from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from core.audit import audit_record, snapshot
from core.models import AuditEvent, Membership, Organisation, Partnership, User

# Secrets are no business of the audit trail: a password hash, an identity provider's client secret, a nonce.
NOT_AUDITED = {"password", "client_secret", "nonce"}


def audited_values(instance: models.Model) -> dict[str, Any]:
    return snapshot(instance, [f.name for f in instance._meta.concrete_fields if f.name not in NOT_AUDITED])


def stored_values(instance: models.Model) -> dict[str, Any]:
    """The values as stored, before the admin's form changed the instance in memory."""
    return audited_values(type(instance)._base_manager.get(pk=instance.pk))


def partnership_of(instance: models.Model) -> Partnership | None:
    if isinstance(instance, Partnership):
        return instance
    found = getattr(instance, "partnership", None)
    return found if isinstance(found, Partnership) else None


def admin_audit(
    request: HttpRequest,
    verb: AuditEvent.Verb,
    instance: models.Model,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        verb=verb,
        instance=instance,
        partnership=partnership_of(instance),
        before=before,
        after=after,
    )


class AuditedAdmin(admin.ModelAdmin):
    """Edits through Django's admin are audited as the portal's own are: who, when, and the values before and
    after, for the object itself and for the rows of its inline tables."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before = stored_values(obj) if change else {}
        super().save_model(request, obj, form, change)
        verb = AuditEvent.Verb.UPDATED if change else AuditEvent.Verb.CREATED
        admin_audit(request, verb, obj, before, audited_values(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        admin_audit(request, AuditEvent.Verb.REMOVED, obj, audited_values(obj), {})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # Django runs the admin's actions outside a transaction: the records, the new board version they give
        # (core.audit.board_changed) and the removal commit together, or none of them does.
        with transaction.atomic():
            for obj in queryset:
                admin_audit(request, AuditEvent.Verb.REMOVED, obj, audited_values(obj), {})
            super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool) -> None:
        stored = {f.instance.pk: stored_values(f.instance) for f in formset.forms if f.instance.pk}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:  # type: ignore[attr-defined]
            admin_audit(request, AuditEvent.Verb.CREATED, obj, {}, audited_values(obj))
        for obj, _ in formset.changed_objects:  # type: ignore[attr-defined]
            admin_audit(request, AuditEvent.Verb.UPDATED, obj, stored[obj.pk], audited_values(obj))
        for obj in formset.deleted_objects:  # type: ignore[attr-defined]
            admin_audit(request, AuditEvent.Verb.REMOVED, obj, stored.get(obj.pk, {}), {})


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "partnership"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "is_demo"]
    list_filter = ["is_active", "is_staff", "is_demo"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ["name", "ons_code", "region"]
    search_fields = ["name", "ons_code"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "partnership"]
    list_filter = ["kind", "partnership"]
    search_fields = ["name"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail cannot be edited through the app."""

    list_display = ["at", "actor", "verb", "object_type", "object_repr"]
    list_filter = ["verb", "object_type"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
