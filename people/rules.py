"""Who may manage a partnership's people and organisations. Views, templates and services ask these through
django-rules; site operators' pages ask core.operate_site."""

import rules

from core.rules import is_admin

# Invitations, roles, unlocking and deactivating people, and the partnership's organisations.
rules.add_perm("people.manage_people", is_admin)
