"""Every change to people, invitations, organisations and partnerships: permission checked here, audited,
and e-mailed by the worker through the outbox."""

import secrets
from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_record, audited_create, audited_update
from core.jobs import enqueue_on_commit
from core.models import AuditEvent, Membership, Organisation, Partnership, Role, User
from core.pages import listed
from core.permissions import require_perm
from people import selectors
from people.local_authorities import local_authorities
from people.models import INVITATION_LIFETIME, Invitation

INVITATION_FIELDS = ["email", "full_name", "organisation", "roles", "expires_at"]


def admin_check(actor: User, partnership: Partnership) -> None:
    require_perm(actor, "people.manage_people", partnership)


def operator_check(actor: User) -> None:
    if not actor.has_perm("core.operate_site"):
        raise PermissionDenied("Only site operators may do this.")


def roles_in_order(roles: Iterable[str]) -> list[str]:
    """The roles given, in the order the portal lists them; at least one, each a real role."""
    wanted = set(roles)
    if not wanted or not wanted <= set(Role.values):
        raise ValidationError({"roles": "Choose at least one role"})
    return [role for role in Role.values if role in wanted]


def organisation_checked(partnership: Partnership, organisation: Organisation) -> None:
    if organisation.partnership_id != partnership.pk or not organisation.is_active:
        raise ValidationError({"organisation": "Choose one of the partnership's organisations"})


def sessions_end(user: User) -> None:
    """Ends every session the person has open, at its next request (core.models.User._get_session_auth_hash)."""
    User.objects.filter(pk=user.pk).update(sign_in_generation=F("sign_in_generation") + 1)
    user.refresh_from_db(fields=["sign_in_generation"])


# Invitations


def invitation_open(
    *,
    actor: User,
    partnership: Partnership,
    email: str,
    full_name: str,
    organisation: Organisation,
    roles: list[str],
) -> Invitation:
    """Records an invitation and queues its e-mail; the caller has checked that the actor may invite."""
    email = email.strip().lower()
    if User.objects.filter(email=email, is_staff=True).exists():
        raise ValidationError({"email": "This address belongs to a site operator, who cannot hold a role"})
    # The refusals name the person or say they are invited (code, params), so that the page can link there.
    person = selectors.person_with_address(partnership, email)
    if person:
        raise ValidationError(
            {
                "email": ValidationError(
                    "This person already has a role in the partnership: change their roles on their page",
                    code="has_a_role",
                    params={"person": person},
                )
            }
        )
    if selectors.waiting_invitation(partnership, email):
        raise ValidationError(
            {
                "email": ValidationError(
                    "This person has already been invited: send their invitation again from the list",
                    code="invited",
                )
            }
        )
    now = timezone.now()
    invitation = Invitation.objects.create(
        partnership=partnership,
        organisation=organisation,
        email=email,
        full_name=full_name.strip(),
        roles=roles,
        invited_by=actor,
        sent_at=now,
        expires_at=now + INVITATION_LIFETIME,
        nonce=secrets.token_hex(16),
    )
    audited_create(actor=actor, instance=invitation, partnership=partnership, fields=INVITATION_FIELDS)
    invitation_email(invitation)
    return invitation


def invitation_email(invitation: Invitation) -> None:
    enqueue_on_commit("people.send_invitation", invitation_id=invitation.pk)


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    partnership: Partnership,
    email: str,
    full_name: str,
    organisation: Organisation,
    roles: list[str],
) -> Invitation:
    admin_check(actor, partnership)
    organisation_checked(partnership, organisation)
    return invitation_open(
        actor=actor,
        partnership=partnership,
        email=email,
        full_name=full_name,
        organisation=organisation,
        roles=roles_in_order(roles),
    )


def invitation_still_open(invitation: Invitation) -> Invitation:
    """The invitation as stored now, locked; refused if it was accepted or withdrawn meanwhile."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError("This invitation has already been accepted or withdrawn")
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation) -> Invitation:
    """A new e-mail with a new link and a new expiry; the link in any earlier e-mail stops working."""
    admin_check(actor, invitation.partnership)
    invitation = invitation_still_open(invitation)
    now = timezone.now()
    audited_update(
        actor=actor,
        instance=invitation,
        verb=AuditEvent.Verb.SENT_AGAIN,
        partnership=invitation.partnership,
        fields=["sent_at", "expires_at"],
        nonce=secrets.token_hex(16),
        sent_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    invitation_email(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    admin_check(actor, invitation.partnership)
    invitation = invitation_still_open(invitation)
    audited_update(
        actor=actor,
        instance=invitation,
        verb=AuditEvent.Verb.WITHDREW,
        partnership=invitation.partnership,
        fields=["revoked_at"],
        revoked_at=timezone.now(),
    )
    return invitation


INVITATION_REFUSALS = {
    Invitation.Status.EXPIRED: "This invitation has expired: ask your partnership admin to send it again",
    Invitation.Status.ACCEPTED: "This invitation has already been used: sign in instead",
    Invitation.Status.REVOKED: "This invitation was withdrawn: ask your partnership admin if you need access",
}


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> list[Membership]:
    """Gives the invited person the roles offered; only the invitation's own address may accept it."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(INVITATION_REFUSALS[invitation.status])
    if user.email != invitation.email or not user.is_active:
        raise PermissionDenied("This invitation was sent to another e-mail address.")
    if not invitation.organisation.is_active:
        raise ValidationError(
            f"{invitation.organisation} no longer takes part: ask your partnership admin to invite you again"
        )
    memberships = [
        Membership.objects.get_or_create(
            user=user,
            partnership=invitation.partnership,
            role=role,
            defaults={"organisation": invitation.organisation},
        )[0]
        for role in invitation.roles
    ]
    audited_update(
        actor=user,
        instance=invitation,
        verb=AuditEvent.Verb.ACCEPTED,
        partnership=invitation.partnership,
        fields=["accepted_at"],
        accepted_at=timezone.now(),
        accepted_by=user,
    )
    return memberships


@transaction.atomic
def invitation_accept_with_password(*, invitation: Invitation, full_name: str, password: str) -> User:
    """A new account for the invited address, with the password the person chose, holding the roles offered."""
    if User.objects.filter(email=invitation.email).exists():
        raise ValidationError("An account already uses this e-mail address: sign in to accept the invitation")
    user = User.objects.create_user(invitation.email, password, full_name=full_name.strip())
    audited_create(
        actor=user, instance=user, partnership=invitation.partnership, fields=["email", "full_name"]
    )
    invitation_accept(invitation=invitation, user=user)
    return user


# People


def memberships_locked(partnership: Partnership, person: User) -> list[Membership]:
    memberships = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(user=person, partnership=partnership)
        .select_related("organisation")
    )
    if not memberships:
        raise PermissionDenied("This person has no role in the partnership.")
    return memberships


def roles_picture(memberships: list[Membership]) -> dict[str, object]:
    return {
        "organisation": memberships[0].organisation.name if memberships else "",
        "roles": sorted(m.role for m in memberships),
    }


@transaction.atomic
def person_set_roles(
    *, actor: User, partnership: Partnership, person: User, organisation: Organisation, roles: list[str]
) -> None:
    """The person's roles here and the organisation they hold them for."""
    admin_check(actor, partnership)
    organisation_checked(partnership, organisation)
    roles = roles_in_order(roles)
    current = memberships_locked(partnership, person)
    if person.pk == actor.pk and Role.ADMIN not in roles:
        raise ValidationError(
            {"roles": "You cannot remove your own admin role: ask another admin of the partnership"}
        )
    removed = [m for m in current if m.role not in roles]
    led = sorted(number for m in removed for number in m.led_recommendations.values_list("number", flat=True))
    if led:
        raise ValidationError(
            {
                "roles": f"{person} leads recommendation{'s' if len(led) > 1 else ''} {listed([str(n) for n in led])}: "
                f"choose another lead for {'it' if len(led) == 1 else 'each'} on the action plan before removing the role"
            }
        )
    before = roles_picture(current)
    Membership.objects.filter(pk__in=[m.pk for m in removed]).delete()
    Membership.objects.filter(pk__in=[m.pk for m in current if m.role in roles]).update(
        organisation=organisation
    )
    held = {m.role for m in current}
    Membership.objects.bulk_create(
        Membership(user=person, partnership=partnership, organisation=organisation, role=role)
        for role in roles
        if role not in held
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CHANGED_ROLES,
        instance=person,
        partnership=partnership,
        before=before,
        after={"organisation": organisation.name, "roles": sorted(roles)},
    )


def person_checked(actor: User, partnership: Partnership, person: User, refusal_for_self: str) -> None:
    admin_check(actor, partnership)
    memberships_locked(partnership, person)
    if person.pk == actor.pk:
        raise ValidationError(refusal_for_self)


@transaction.atomic
def person_deactivate(*, actor: User, partnership: Partnership, person: User) -> None:
    """The person can no longer sign in, and every session they have open ends now."""
    person_checked(actor, partnership, person, "You cannot deactivate your own account")
    if Membership.objects.filter(user=person).exclude(partnership=partnership).exists():
        raise ValidationError(
            f"{person} also works in another partnership, so their account cannot be closed from here: "
            "ask the site operator"
        )
    if not person.is_active:
        raise ValidationError(f"{person} is already deactivated")
    audited_update(
        actor=actor,
        instance=person,
        verb=AuditEvent.Verb.DEACTIVATED,
        partnership=partnership,
        fields=["is_active"],
        is_active=False,
        sign_in_generation=person.sign_in_generation + 1,
    )


@transaction.atomic
def person_reactivate(*, actor: User, partnership: Partnership, person: User) -> None:
    person_checked(actor, partnership, person, "You cannot reactivate your own account")
    if person.is_active:
        raise ValidationError(f"{person} can already sign in")
    audited_update(
        actor=actor,
        instance=person,
        verb=AuditEvent.Verb.REACTIVATED,
        partnership=partnership,
        fields=["is_active"],
        is_active=True,
    )


@transaction.atomic
def person_reset_two_factor(*, actor: User, partnership: Partnership, person: User) -> None:
    """Removes the person's authenticator app and recovery codes and ends their sessions: at their next
    sign-in they must set up two-factor sign-in again."""
    person_checked(actor, partnership, person, "You cannot reset your own two-factor sign-in")
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    sessions_end(person)
    audit_record(
        actor=actor, verb=AuditEvent.Verb.RESET_TWO_FACTOR_SIGN_IN, instance=person, partnership=partnership
    )


@transaction.atomic
def person_unlock(*, actor: User, partnership: Partnership, person: User) -> int:
    """Clears the failed sign-ins that locked the person out (django-axes); returns how many were cleared."""
    admin_check(actor, partnership)
    memberships_locked(partnership, person)
    cleared: int = axes_reset(username=person.email)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UNLOCKED_SIGN_IN,
        instance=person,
        partnership=partnership,
        after={"cleared": cleared},
    )
    return cleared


# Organisations


def organisation_name_free(partnership: Partnership, name: str, but: Organisation | None = None) -> str:
    name = " ".join(name.split())
    taken = partnership.organisations.filter(name__iexact=name)
    if but is not None:
        taken = taken.exclude(pk=but.pk)
    if taken.exists():
        raise ValidationError({"name": "The partnership already has an organisation with this name"})
    return name


@transaction.atomic
def organisation_add(*, actor: User, partnership: Partnership, name: str, kind: str) -> Organisation:
    admin_check(actor, partnership)
    organisation = Organisation.objects.create(
        partnership=partnership, name=organisation_name_free(partnership, name), kind=kind
    )
    audited_create(actor=actor, instance=organisation, partnership=partnership, fields=["name", "kind"])
    return organisation


@transaction.atomic
def organisation_rename(*, actor: User, organisation: Organisation, name: str) -> None:
    admin_check(actor, organisation.partnership)
    audited_update(
        actor=actor,
        instance=organisation,
        verb=AuditEvent.Verb.RENAMED,
        partnership=organisation.partnership,
        fields=["name"],
        name=organisation_name_free(organisation.partnership, name, but=organisation),
    )


@transaction.atomic
def organisation_deactivation_refusal(organisation: Organisation) -> str:
    """Why the organisation cannot be deactivated yet, or "": asked before the confirmation page offers it."""
    people = selectors.people_with_a_role_for(organisation).count()
    if people:
        return (
            f"{people} {'person has' if people == 1 else 'people have'} a role for {organisation}: "
            "give them another organisation first"
        )
    if selectors.waiting_invitations_for(organisation).exists():
        return f"Someone is invited to join for {organisation}: withdraw the invitation first"
    return ""


def organisation_deactivate(*, actor: User, organisation: Organisation) -> None:
    """Kept for its history (indicators, actions), but no one can be given a role in it until it is reactivated."""
    admin_check(actor, organisation.partnership)
    refusal = organisation_deactivation_refusal(organisation)
    if refusal:
        raise ValidationError(refusal)
    organisation_set_active(actor, organisation, active=False)


def organisation_reactivate(*, actor: User, organisation: Organisation) -> None:
    admin_check(actor, organisation.partnership)
    organisation_set_active(actor, organisation, active=True)


def organisation_set_active(actor: User, organisation: Organisation, *, active: bool) -> None:
    audited_update(
        actor=actor,
        instance=organisation,
        verb=AuditEvent.Verb.REACTIVATED if active else AuditEvent.Verb.DEACTIVATED,
        partnership=organisation.partnership,
        fields=["is_active"],
        is_active=active,
    )


# Partnerships, for site operators


@transaction.atomic
def partnership_create(
    *,
    actor: User,
    ons_code: str,
    name: str,
    organisation_name: str,
    admin_email: str,
    admin_name: str,
) -> Partnership:
    """A new partnership for an English local authority, its first organisation, and an invitation for its first
    admin, who then invites everyone else."""
    operator_check(actor)
    authority = local_authorities().get(ons_code)
    if authority is None:
        raise ValidationError({"local_authority": "Choose a local authority from the list"})
    if Partnership.objects.filter(ons_code=ons_code).exists():
        raise ValidationError(
            {"local_authority": f"{authority.name} already has a partnership in the portal"}
        )
    name = " ".join(name.split())
    if Partnership.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "Another partnership already has this name"})
    partnership = Partnership.objects.create(
        name=name, short_name=authority.name, ons_code=authority.ons_code, region=authority.region
    )
    audited_create(actor=actor, instance=partnership, partnership=partnership)
    organisation = Organisation.objects.create(
        partnership=partnership, name=" ".join(organisation_name.split()), kind=Organisation.Kind.COUNCIL
    )
    audited_create(actor=actor, instance=organisation, partnership=partnership, fields=["name", "kind"])
    invitation_open(
        actor=actor,
        partnership=partnership,
        email=admin_email,
        full_name=admin_name,
        organisation=organisation,
        roles=[Role.ADMIN],
    )
    return partnership


# Password reset


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """E-mails a reset link if an active account with a password uses this address; says nothing either way."""
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    audit_record(actor=None, verb=AuditEvent.Verb.ASKED_FOR_A_PASSWORD_RESET, instance=user, partnership=None)
    enqueue_on_commit("people.send_password_reset", user_id=user.pk)
