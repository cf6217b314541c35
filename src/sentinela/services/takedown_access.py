"""Who may do what in the takedown workflow.

Police first: only police roles decide, and only they see reporters' contact details.
Hotline operators see the queue, the evidence summaries and the notices, and may ask for a
capture, but a host is never contacted on their word alone. Administrators manage partner
hotlines and their keys, and see nothing of the reports by virtue of that role.
"""

from __future__ import annotations

from sentinela.db.users import User
from sentinela.services.permissions import require_role

#: Roles that decide on reports (the police).
POLICE_ROLES: tuple[str, ...] = ("investigator", "examiner")
#: Roles that see the triage queue.
QUEUE_ROLES: tuple[str, ...] = (*POLICE_ROLES, "hotline_operator")
#: Roles that manage partner hotlines.
PARTNER_ADMIN_ROLES: tuple[str, ...] = ("admin",)


def require_police(user: User) -> None:
    """Raise AccessDenied unless ``user`` is police."""
    require_role(user, *POLICE_ROLES)


def require_queue(user: User) -> None:
    """Raise AccessDenied unless ``user`` may see the takedown queue."""
    require_role(user, *QUEUE_ROLES)


def is_police(user: User) -> bool:
    """Whether ``user`` holds a police role."""
    return bool(user.role_names & set(POLICE_ROLES))
