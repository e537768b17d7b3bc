"""Who may read and build the Board's reports. Views, templates and services ask these through django-rules."""

import rules

from core.models import Role
from core.rules import holds, is_admin

# Asked of the partnership, or of a meeting or governance body (each holds its partnership).
rules.add_perm("reports.view_reports", holds(Role.BOARD, Role.LEAD, Role.DEMOCRATIC, Role.ADMIN))
# Democratic services and admins build packs, and see every version; everyone else sees published versions only.
rules.add_perm("reports.build_packs", holds(Role.DEMOCRATIC, Role.ADMIN))
rules.add_perm("reports.keep_front_sheet", is_admin)  # the council's details on the front sheet
