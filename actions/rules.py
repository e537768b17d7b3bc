"""Who may change what in the action plan. Views and services both ask these questions."""

from actions.models import Action, ProgressUpdate, Recommendation
from core.models import Membership, Role, User


def is_admin(memberships: list[Membership]) -> bool:
    return any(m.role == Role.ADMIN for m in memberships)


def can_update_action(user: User, memberships: list[Membership], action: Action) -> bool:
    """Officers update actions assigned to them or owned by their organisation; admins any action."""
    if is_admin(memberships):
        return True
    if not any(m.role == Role.OFFICER for m in memberships):
        return False
    if action.lead_officer_id == user.pk:
        return True
    officer_organisations = {m.organisation_id for m in memberships if m.role == Role.OFFICER}
    return any(o.pk in officer_organisations for o in action.owner_organisations.all())


def leads_recommendation(user: User, memberships: list[Membership], recommendation: Recommendation) -> bool:
    return any(m.role == Role.LEAD and m.pk == recommendation.lead_id for m in memberships)


def can_review_update(user: User, memberships: list[Membership], update: ProgressUpdate) -> bool:
    """Leads review within their own recommendation; admins review anything."""
    return is_admin(memberships) or leads_recommendation(user, memberships, update.action.recommendation)


def can_see_unsubmitted(user: User, memberships: list[Membership], action: Action) -> bool:
    """A draft, or an update returned for changes, belongs to the people who may write it and to the lead
    who reviews it: until it is submitted, no other organisation and no board member reads its words or files."""
    return can_update_action(user, memberships, action) or leads_recommendation(
        user, memberships, action.recommendation
    )


def can_see_update(user: User, memberships: list[Membership], update: ProgressUpdate) -> bool:
    return not update.is_editable or can_see_unsubmitted(user, memberships, update.action)
