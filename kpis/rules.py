"""Who may read, return, verify and define the KPIs. Views, templates and services ask these through django-rules."""

import rules

from core.models import Role, User
from core.rules import holds, is_admin, officer_organisations, roles_in
from kpis.models import Indicator


@rules.predicate
def returns_for_owner(user: User, indicator: Indicator) -> bool:
    """An indicator's figures are returned by an officer of the organisation that owns it."""
    return indicator.owner_organisation_id in officer_organisations(user, indicator)


@rules.predicate
def may_see_indicator(user: User, indicator: Indicator) -> bool:
    """A restricted indicator is for the roles it names, and admins."""
    return indicator.visible_to(roles_in(user, indicator))


# Pages, asked of the partnership.
rules.add_perm("kpis.submit_returns", holds(Role.OFFICER))
rules.add_perm("kpis.verify_returns", holds(Role.LEAD, Role.ADMIN))  # also of a return
rules.add_perm("kpis.manage_indicators", is_admin)  # definitions, comparators, periods, national statistics
rules.add_perm("kpis.view_every_indicator", is_admin)
# Objects.
rules.add_perm("kpis.submit_return", returns_for_owner)
rules.add_perm("kpis.view_indicator", may_see_indicator)
