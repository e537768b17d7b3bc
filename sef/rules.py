"""Who may change the self-evaluation. Views, templates and services ask these through django-rules."""

import rules

from core.models import Role
from core.rules import holds, is_admin

# Asked of the partnership, or of anything of the self-evaluation that holds its partnership.
# Recommendation leads and admins write the self-evaluation; democratic services and admins record the board's agreement.
rules.add_perm("sef.edit_evaluation", holds(Role.LEAD, Role.ADMIN))
rules.add_perm("sef.record_agreement", holds(Role.DEMOCRATIC, Role.ADMIN))
rules.add_perm("sef.change_judgement_scale", is_admin)
