"""Who may change the risk log. Views, templates and services ask these through django-rules."""

import rules

from core.models import Role, User
from core.rules import holds, is_admin
from risks.models import Risk


@rules.predicate
def owns_risk(user: User, risk: Risk) -> bool:
    return risk.owner_id == user.pk


# Leads and admins sit on the group that keeps the log, so they raise risks; each risk then has an owner.
rules.add_perm("risks.raise_risk", holds(Role.LEAD, Role.ADMIN))
# A risk's owner and the partnership's admins change it, rescore it, escalate it and close it.
rules.add_perm("risks.change_risk", is_admin | owns_risk)
rules.add_perm("risks.set_matrix", is_admin)
