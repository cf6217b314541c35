"""Links from a series, victim or offender to media, exhibits, cases and one another.

Every link is made *through a case* the user is a member of: media must be held by that case,
an exhibit must belong to it, and a linked series, victim or offender must itself be visible
to the user. The case is stored on the link, so whoever looks at the subject later sees the
link in full only if they are a member of that case too; other links are only counted, with
their owning units (see :mod:`sentinela.services.victim_id_access`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.media import Media
from sentinela.db.users import User
from sentinela.db.victim_id import TARGET_KINDS, Offender, Series, Victim, VictimIdLink
from sentinela.errors import AccessDenied, AlreadyExistsError, InvalidInputError
from sentinela.services.case_media import require_case_media
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member
from sentinela.services.victim_id_access import (
    HiddenHolders,
    case_units,
    member_cases,
    require_subject,
)


@dataclass(frozen=True)
class LinkLine:
    """One link as shown on a subject's page (only for cases the viewer is a member of).

    ``direction`` is ``out`` for a link this subject made, ``in`` for one made to it; the
    other end is ``kind``/``ref``/``label``.
    """

    link_id: int
    direction: str
    kind: str
    ref: int
    label: str
    case_number: str
    linked_by: str
    linked_at: datetime
    note: str
    has_thumbnail: bool = False


def _ref_id(target_ref: str) -> int:
    try:
        value = int(target_ref)
    except ValueError:
        raise InvalidInputError(f"{target_ref!r} is not a numeric id") from None
    if value < 1:
        raise InvalidInputError(f"{target_ref!r} is not a valid id")
    return value


def _resolve_target(
    session: Session, actor: User, case: Case, target_kind: str, target_ref: str
) -> int:
    """The id of the target, once the actor is proved to see it through ``case``."""
    if target_kind == "case":
        return case.id
    if target_kind == "exhibit":
        exhibit = session.execute(
            select(Exhibit).where(Exhibit.case_id == case.id, Exhibit.label == target_ref)
        ).scalar_one_or_none()
        if exhibit is None:
            raise AccessDenied(f"exhibit {target_ref!r} is not available in case {case.number!r}")
        return exhibit.id
    target_id = _ref_id(target_ref)
    if target_kind == "media":
        require_case_media(session, case, [target_id])
    else:
        require_subject(session, target_kind, target_id, actor)
    return target_id


def add_link(
    ctx: ServiceContext,
    subject_kind: str,
    subject_id: int,
    target_kind: str,
    target_ref: str,
    case_number: str,
    *,
    note: str = "",
) -> int:
    """Link a subject to a target seen through one of the actor's cases (audited).

    Args:
        subject_kind: ``series``, ``victim`` or ``offender``.
        subject_id: its id.
        target_kind: one of :data:`~sentinela.db.victim_id.TARGET_KINDS`.
        target_ref: a media, series, victim or offender id; an exhibit label of the case;
            ignored for ``case`` (the case itself is linked).
        case_number: the case the actor sees the target through.
        note: why they belong together.

    Returns:
        The new link's id.

    Raises:
        InvalidInputError: unknown kind, malformed id, or a subject linked to itself.
        AccessDenied: no role, not a member of the case, the case does not hold the media
            or exhibit, or the subject or target subject is not visible.
        AlreadyExistsError: the link exists.
    """
    if target_kind not in TARGET_KINDS:
        raise InvalidInputError(f"unknown target kind {target_kind!r}")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_subject(session, subject_kind, subject_id, actor)
        case = require_member(session, case_number, actor)
        target_id = _resolve_target(session, actor, case, target_kind, target_ref)
        if (subject_kind, subject_id) == (target_kind, target_id):
            raise InvalidInputError("a subject cannot be linked to itself")
        key = (subject_kind, subject_id, target_kind, target_id)
        reverse = (target_kind, target_id, subject_kind, subject_id)
        for s_kind, s_id, t_kind, t_id in (key, reverse):
            exists = session.execute(
                select(VictimIdLink.id).where(
                    VictimIdLink.subject_kind == s_kind,
                    VictimIdLink.subject_id == s_id,
                    VictimIdLink.target_kind == t_kind,
                    VictimIdLink.target_id == t_id,
                )
            ).first()
            if exists is not None:
                raise AlreadyExistsError(f"{subject_kind} {subject_id} is already linked")
        link = VictimIdLink(
            subject_kind=subject_kind,
            subject_id=subject_id,
            target_kind=target_kind,
            target_id=target_id,
            case_id=case.id,
            linked_by=actor.id,
            linked_at=ctx.clock(),
            note=note,
        )
        session.add(link)
        session.flush()
        record(
            session,
            actor=actor.username,
            action=f"{subject_kind}.link",
            object_type=subject_kind,
            object_id=subject_id,
            case_number=case.number,
            clock=ctx.clock,
            details={"target_kind": target_kind, "target_id": target_id, "link_id": link.id},
        )
        return link.id


_LABELS: dict[str, tuple[Any, Any]] = {
    "series": (Series.id, Series.name),
    "victim": (Victim.id, Victim.pseudonym),
    "offender": (Offender.id, Offender.pseudonym),
    "exhibit": (Exhibit.id, Exhibit.label),
    "case": (Case.id, Case.number),
    "media": (Media.id, Media.sha256),
}


def _labels(session: Session, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
    labels: dict[tuple[str, int], str] = {}
    for kind, (id_col, label_col) in _LABELS.items():
        ids = sorted(i for k, i in pairs if k == kind)
        if not ids:
            continue
        for i, label in session.execute(select(id_col, label_col).where(id_col.in_(ids))):
            text = f"#{i} {str(label)[:12]}" if kind == "media" else str(label)
            labels[(kind, int(i))] = text
    return labels


def subject_links(
    session: Session, kind: str, subject_id: int, visible: dict[int, str]
) -> tuple[tuple[LinkLine, ...], HiddenHolders]:
    """A subject's links in both directions: in full from visible cases, else counted."""
    rows = list(
        session.execute(
            select(VictimIdLink, User.username)
            .join(User, User.id == VictimIdLink.linked_by)
            .where(
                or_(
                    (VictimIdLink.subject_kind == kind) & (VictimIdLink.subject_id == subject_id),
                    (VictimIdLink.target_kind == kind) & (VictimIdLink.target_id == subject_id),
                )
            )
            .order_by(VictimIdLink.linked_at, VictimIdLink.id)
        ).all()
    )
    shown = [(link, user) for link, user in rows if link.case_id in visible]
    hidden = [link for link, _ in rows if link.case_id not in visible]
    ends = {
        (link.target_kind, link.target_id)
        if link.subject_kind == kind and link.subject_id == subject_id
        else (link.subject_kind, link.subject_id)
        for link, _ in shown
    }
    labels = _labels(session, ends)
    thumbs = set(
        session.execute(
            select(Media.id).where(
                Media.id.in_([i for k, i in ends if k == "media"]), Media.has_thumbnail
            )
        ).scalars()
    )
    lines = []
    for link, user in shown:
        out = link.subject_kind == kind and link.subject_id == subject_id
        end = (link.target_kind, link.target_id) if out else (link.subject_kind, link.subject_id)
        lines.append(
            LinkLine(
                link.id,
                "out" if out else "in",
                end[0],
                end[1],
                labels.get(end, str(end[1])),
                visible[link.case_id],
                user,
                link.linked_at,
                link.note,
                end[0] == "media" and end[1] in thumbs,
            )
        )
    units = case_units(session, {link.case_id for link in hidden})
    return tuple(lines), HiddenHolders(len(hidden), tuple(sorted(set(units.values()))))


@dataclass(frozen=True)
class SubjectView:
    """A series, victim or offender the actor may see, with its links."""

    subject: Series | Victim | Offender
    home_case: str | None
    home_unit: str
    links: tuple[LinkLine, ...]
    hidden: HiddenHolders


def view_subject(ctx: ServiceContext, session: Session, kind: str, subject_id: int) -> SubjectView:
    """Load a subject the actor may see, with its links, and audit the view (``<kind>.view``).

    Raises:
        AccessDenied: no role, or the subject is not visible (same answer if it does not exist).
    """
    actor = ctx.actor(session)
    subject = require_subject(session, kind, subject_id, actor)
    visible = member_cases(session, actor)
    home = session.get(Case, subject.home_case_id)
    links, hidden = subject_links(session, kind, subject.id, visible)
    record(
        session,
        actor=actor.username,
        action=f"{kind}.view",
        object_type=kind,
        object_id=subject.id,
        clock=ctx.clock,
    )
    return SubjectView(
        subject,
        visible.get(subject.home_case_id),
        home.unit if home is not None else "",
        links,
        hidden,
    )
