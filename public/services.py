"""Every write of the public pages: the admin's choices, families' feedback and its moderation, API tokens."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record, audited_update, snapshot
from core.jobs import enqueue_on_commit
from core.models import AuditEvent, Partnership, User
from core.permissions import require_perm
from public import selectors
from public.models import ApiToken, Feedback, PublicChoices

# At most this many messages from one network address in FEEDBACK_WINDOW.
FEEDBACK_LIMIT = 5
FEEDBACK_WINDOW = timedelta(hours=1)
CHOICE_FIELDS = [
    "show_plan",
    "show_summaries",
    "show_indicators",
    "show_packs",
    "show_easy_read",
    "take_feedback",
    "retention_days",
]


def choices_snapshot(choices: PublicChoices) -> dict[str, Any]:
    picture = snapshot(choices, CHOICE_FIELDS)
    picture["indicators"] = sorted(choices.indicators.values_list("pk", flat=True)) if choices.pk else []
    return picture


@transaction.atomic
def public_choices_save(*, actor: User, partnership: Partnership, data: dict[str, Any]) -> PublicChoices:
    """The admin's choice of what is public; indicators only from those a Board pack may show."""
    require_perm(actor, "public.choose_public_pages", partnership)
    choices = selectors.choices_of(partnership)
    allowed = set(selectors.publishable_indicators(partnership).values_list("pk", flat=True))
    chosen = [indicator for indicator in data.get("indicators", []) if indicator.pk in allowed]
    if len(chosen) != len(data.get("indicators", [])):
        raise ValidationError({"indicators": "Choose only indicators a Board pack may show"})
    before = choices_snapshot(choices)
    for field in CHOICE_FIELDS:
        setattr(choices, field, data[field])
    choices.updated_at = timezone.now()
    choices.updated_by = actor
    choices.save()
    choices.indicators.set(chosen)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CHOSE_WHAT_IS_PUBLIC,
        instance=choices,
        partnership=partnership,
        before=before,
        after=choices_snapshot(choices),
    )
    return choices


# Families' feedback


def sender_key(address: str) -> str:
    """A keyed hash of the sender's network address: enough to count their messages, not to say who they are."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def feedback_send(
    *,
    partnership: Partnership,
    kind: str,
    message: str,
    name: str,
    contact: str,
    address: str,
    now: datetime | None = None,
) -> Feedback:
    """Keeps what a person sent for moderation; refused past FEEDBACK_LIMIT messages an hour from one address."""
    now = now or timezone.now()
    choices = selectors.choices_of(partnership)
    if not choices.take_feedback:
        raise PermissionDenied("This partnership is not taking feedback here.")
    key = sender_key(address)
    if selectors.sent_from_since(key, now - FEEDBACK_WINDOW) >= FEEDBACK_LIMIT:
        raise ValidationError(
            f"You have sent {FEEDBACK_LIMIT} messages in the last hour. Wait an hour, then send this one again.",
            code="rate_limited",
        )
    feedback = Feedback.objects.create(
        partnership=partnership,
        kind=kind,
        message=message,
        name=name,
        contact=contact,
        sender_key=key,
        received_at=now,
    )
    # The audit trail records that something came in, never the sender's words or details.
    audit_record(
        actor=None,
        verb=AuditEvent.Verb.RECEIVED,
        instance=feedback,
        partnership=partnership,
        after={"kind": kind},
    )
    return feedback


# What a moderation's audit record holds before and after: never the sender's own words or details.
MODERATION_FIELDS = ["state", "reply", "you_said", "we_did"]


@transaction.atomic
def feedback_reply(*, actor: User, feedback: Feedback, reply: str) -> Feedback:
    """A reply to the sender, e-mailed by the worker when they gave an address."""
    require_perm(actor, "public.moderate_feedback", feedback)
    if not feedback.contact:
        raise ValidationError({"reply": "This person gave no e-mail address, so a reply cannot reach them"})
    audited_update(
        actor=actor,
        instance=feedback,
        verb=AuditEvent.Verb.REPLIED,
        partnership=feedback.partnership,
        fields=MODERATION_FIELDS,
        reply=reply,
        replied_at=timezone.now(),
        replied_by=actor,
        state=Feedback.State.REPLIED if feedback.state == Feedback.State.NEW else feedback.state,
    )
    enqueue_on_commit("public.send_feedback_reply", feedback_id=feedback.pk)
    return feedback


@transaction.atomic
def feedback_publish(*, actor: User, feedback: Feedback, you_said: str, we_did: str) -> Feedback:
    """Publishes a "You said, we did" entry: the moderator's summary and the partnership's response."""
    require_perm(actor, "public.moderate_feedback", feedback)
    audited_update(
        actor=actor,
        instance=feedback,
        verb=AuditEvent.Verb.PUBLISHED,
        partnership=feedback.partnership,
        fields=MODERATION_FIELDS,
        you_said=you_said,
        we_did=we_did,
        state=Feedback.State.PUBLISHED,
        published_at=timezone.now(),
        published_by=actor,
    )
    return feedback


@transaction.atomic
def feedback_archive(*, actor: User, feedback: Feedback) -> Feedback:
    """Takes the message out of the queue, and off the public page if it was published."""
    require_perm(actor, "public.moderate_feedback", feedback)
    audited_update(
        actor=actor,
        instance=feedback,
        verb=AuditEvent.Verb.ARCHIVED,
        partnership=feedback.partnership,
        fields=MODERATION_FIELDS,
        state=Feedback.State.ARCHIVED,
    )
    return feedback


def reply_email(feedback: Feedback) -> tuple[str, str]:
    partnership = feedback.partnership
    subject = f"Your {feedback.get_kind_display().lower()} to the {partnership.short_name} SEND partnership"
    greeting = f"Dear {feedback.name}," if feedback.name else "Hello,"
    page = settings.PORTAL_BASE_URL + reverse("public:home", args=[partnership.ons_code])
    body = (
        f"{greeting}\n\nThank you for writing to us on {feedback.received_at:%-d %B %Y}.\n\n{feedback.reply}\n\n"
        f"The {partnership.name}\n{page}\n"
    )
    return subject, body


def feedback_reply_email(feedback_id: int) -> int:
    """The worker's send; nothing when the contact details were erased before it ran."""
    feedback = Feedback.objects.select_related("partnership").get(pk=feedback_id)
    if not feedback.contact or not feedback.reply:
        return 0
    subject, body = reply_email(feedback)
    return send_mail(subject, body, None, [feedback.contact])


@transaction.atomic
def personal_data_erase(*, now: datetime | None = None) -> int:
    """Erases names, contact details, messages and address hashes kept past each partnership's retention period.

    A published entry keeps the moderator's summary and the response, which hold no personal data.
    """
    now = now or timezone.now()
    erased = 0
    for feedback in selectors.past_retention(now).select_related("partnership"):
        feedback.message = ""
        feedback.name = ""
        feedback.contact = ""
        feedback.sender_key = ""
        feedback.personal_data_erased_at = now
        feedback.save(update_fields=["message", "name", "contact", "sender_key", "personal_data_erased_at"])
        audit_record(
            actor=None,
            verb=AuditEvent.Verb.ERASED_PERSONAL_DATA,
            instance=feedback,
            partnership=feedback.partnership,
        )
        erased += 1
    return erased


# API tokens


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User, partnership: Partnership, name: str, scopes: list[str]
) -> tuple[ApiToken, str]:
    """A new personal token and its key, which is shown once and never kept."""
    require_perm(actor, "public.hold_tokens", partnership)
    if not scopes or not set(scopes) <= set(ApiToken.Scope.values):
        raise ValidationError({"scopes": "Choose what the token may read"})
    key = f"sp_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=actor,
        partnership=partnership,
        name=name,
        scopes=scopes,
        prefix=key[:8],
        key_hash=token_hash(key),
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        instance=token,
        partnership=partnership,
        after={"name": name, "scopes": ", ".join(scopes)},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if not actor.has_perm("public.revoke_token", token):
        raise PermissionDenied("Only the person who holds a token, or the partnership admin, may revoke it.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, verb=AuditEvent.Verb.REVOKED, instance=token, partnership=token.partnership)
    return token


def api_token_used(token: ApiToken, now: datetime) -> None:
    """Records the last use, at most once a minute, so that reading through the API is not a write each time."""
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
