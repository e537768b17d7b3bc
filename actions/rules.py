"""Who may change what in the action plan. Views, templates and services all ask these, through django-rules."""

from typing import Any

import rules

from actions.models import Action, Plan, ProgressUpdate, Recommendation
from core.models import Membership, Role, User
from core.rules import holds, memberships_in, officer_organisations, partnership_id_of


def plan_partnership_id(obj: Any) -> int | None:
    """The partnership an action-plan object belongs to (a partnership itself, or anything with its id)."""
    if isinstance(obj, ProgressUpdate):
        obj = obj.period  # one step, where the action's plan is three
    if isinstance(obj, Action):
        obj = obj.recommendation
    if isinstance(obj, Recommendation):
        obj = obj.plan
    if isinstance(obj, Plan):
        return obj.partnership_id
    return partnership_id_of(obj)


def memberships_for(user: User, obj: Any) -> list[Membership]:
    return memberships_in(user, plan_partnership_id(obj))


@rules.predicate
def admin_of_plan(user: User, obj: Any) -> bool:
    return any(m.role == Role.ADMIN for m in memberships_for(user, obj))


@rules.predicate
def can_update_action(user: User, action: Action) -> bool:
    """Officers update actions assigned to them or owned by their organisation; admins any action."""
    if admin_of_plan(user, action):
        return True
    organisations = officer_organisations(user, action.recommendation.plan)
    if not organisations:
        return False
    if action.lead_officer_id == user.pk:
        return True
    return any(o.pk in organisations for o in action.owner_organisations.all())


def leads_recommendation(user: User, recommendation: Recommendation) -> bool:
    return any(
        m.role == Role.LEAD and m.pk == recommendation.lead_id for m in memberships_for(user, recommendation)
    )


@rules.predicate
def can_review_update(user: User, update: ProgressUpdate) -> bool:
    """Leads review within their own recommendation; admins review anything."""
    return admin_of_plan(user, update) or leads_recommendation(user, update.action.recommendation)


@rules.predicate
def can_see_unsubmitted(user: User, action: Action) -> bool:
    """A draft, or an update returned for changes, belongs to the people who may write it and to the lead
    who reviews it: until it is submitted, no other organisation and no board member reads its words or files."""
    return can_update_action(user, action) or leads_recommendation(user, action.recommendation)


@rules.predicate
def can_see_update(user: User, update: ProgressUpdate) -> bool:
    return not update.is_editable or can_see_unsubmitted(user, update.action)


# Pages, asked of the partnership.
rules.add_perm("actions.update_actions", holds(Role.OFFICER, Role.ADMIN))
rules.add_perm("actions.review_updates", holds(Role.LEAD, Role.ADMIN))
# The plan's shape (owners, dates, milestones, leads, actions, the RAG scale) is the partnership admin's; an admin
# also sees every update waiting for review and may approve their own.
rules.add_perm("actions.change_plan", admin_of_plan)
rules.add_perm("actions.review_any_update", admin_of_plan)
# Objects.
rules.add_perm("actions.update_action", can_update_action)
rules.add_perm("actions.review_update", can_review_update)
rules.add_perm("actions.view_unsubmitted", can_see_unsubmitted)
rules.add_perm("actions.view_update", can_see_update)
