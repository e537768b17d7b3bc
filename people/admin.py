from django.contrib import admin

from core.admin import AuditedAdmin
from people.models import IdentityProvider, Invitation


@admin.register(IdentityProvider)
class IdentityProviderAdmin(AuditedAdmin):
    """Site operators register each organisation's OpenID Connect sign-in here (README: single sign-on)."""

    list_display = ["name", "partnership", "email_domains", "is_active"]
    list_filter = ["partnership", "is_active"]
    search_fields = ["name", "email_domains"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    list_display = ["email", "partnership", "organisation", "sent_at", "accepted_at", "revoked_at"]
    list_filter = ["partnership"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["nonce"]
