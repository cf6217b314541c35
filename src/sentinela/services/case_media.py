"""Need-to-know for media: which media a case holds, who may see them, who supervises.

Why media are always reached through a case: the same content may be held by ten cases, and
a user may see it only as part of a case they are a member of. A media id that the case does
not hold is refused with the same message whether or not the id exists anywhere, so an
attempt reveals nothing about other cases.

Roles (see ``docs/workspace.md``):

* media viewers (queue, media page, thumbnails, reveal): examiners, victim-identification
  specialists and investigators who are members of the case;
* graders: examiners and victim-identification specialists who are members of the case;
* supervisors: the leads of a case (``case_role == "lead"``). They adjudicate disagreements
  from their cases and see their team's exposure. An administrator is not a supervisor by
  role alone: need-to-know applies to administrators too.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.cases import Case, Membership
from sentinela.db.exhibits import Exhibit
from sentinela.db.media import Media, Occurrence
from sentinela.db.users import User
from sentinela.errors import AccessDenied
from sentinela.services.permissions import require_role

MEDIA_VIEWERS: tuple[str, ...] = ("examiner", "victim_id_specialist", "investigator")
GRADERS: tuple[str, ...] = ("examiner", "victim_id_specialist")


class MediaNotInCase(AccessDenied):
    """The case holds no media with this id (whether or not it exists elsewhere)."""


def require_media_viewer(user: User) -> None:
    """Raise AccessDenied unless the user holds a role that may look at media."""
    require_role(user, *MEDIA_VIEWERS)


def require_grader(user: User) -> None:
    """Raise AccessDenied unless the user holds a role that may grade."""
    require_role(user, *GRADERS)


def require_case_media(session: Session, case: Case, media_ids: Iterable[int]) -> list[Media]:
    """Load media the case holds, in id order.

    Raises:
        MediaNotInCase: one of the ids is not held by the case; the message is the same
            whether or not it exists.
    """
    wanted = sorted(set(media_ids))
    held = set(
        session.execute(
            select(Occurrence.media_id)
            .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
            .where(Exhibit.case_id == case.id, Occurrence.media_id.in_(wanted))
        ).scalars()
    )
    missing = [m for m in wanted if m not in held]
    if missing or not wanted:
        shown = missing[0] if missing else "(none)"
        raise MediaNotInCase(f"media {shown} is not available in case {case.number!r}")
    rows = session.execute(select(Media).where(Media.id.in_(wanted)).order_by(Media.id))
    return list(rows.scalars())


def led_case_ids(session: Session, user: User) -> list[int]:
    """The ids of the cases the user leads."""
    return list(
        session.execute(
            select(Membership.case_id).where(
                Membership.user_id == user.id, Membership.case_role == "lead"
            )
        ).scalars()
    )


def is_supervisor(session: Session, user: User) -> bool:
    """Whether the user leads at least one case."""
    return bool(led_case_ids(session, user))


def require_supervisor(session: Session, user: User) -> list[int]:
    """The ids of the cases the user leads.

    Raises:
        AccessDenied: the user leads no case.
    """
    cases = led_case_ids(session, user)
    if not cases:
        raise AccessDenied(f"user {user.username!r} is not the lead of any case")
    return cases
