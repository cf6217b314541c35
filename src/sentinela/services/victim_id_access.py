"""Need-to-know for victim identification: who may work on what, and what a result may show.

Why results are split rather than filtered: a victim-identification search runs over the
whole national store, and its most useful answer is often "someone else already holds this".
So a hit in a case the user is a member of is shown in full, and every other hit is only
counted, with the owning units named: "N matches in cases you are not a member of (owning
units: ...)". Nothing about the content, the case number or the item is given for those.

Series, victims and offenders are reached through cases too: a user may see one when they are
a member of its home case or of a case that one of its links came through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sentinela.db.cases import Case, Membership
from sentinela.db.exhibits import Exhibit
from sentinela.db.media import Occurrence
from sentinela.db.users import User
from sentinela.db.victim_id import Offender, Series, Victim, VictimIdLink
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.services.permissions import require_role

#: Who builds series and victims, and records identifications.
VICTIM_ID_ROLES: tuple[str, ...] = ("victim_id_specialist",)
#: Who records offenders (investigators often know them first).
OFFENDER_ROLES: tuple[str, ...] = ("victim_id_specialist", "investigator")
#: Who may ask "who else holds this?" and record case identifiers.
DECONFLICTION_ROLES: tuple[str, ...] = ("victim_id_specialist", "investigator", "examiner")
#: Who may search media visually and by camera across the country.
SEARCH_ROLES: tuple[str, ...] = ("victim_id_specialist", "examiner", "investigator")

SUBJECT_MODELS: dict[str, type[Series] | type[Victim] | type[Offender]] = {
    "series": Series,
    "victim": Victim,
    "offender": Offender,
}
SUBJECT_ROLES: dict[str, tuple[str, ...]] = {
    "series": VICTIM_ID_ROLES,
    "victim": VICTIM_ID_ROLES,
    "offender": OFFENDER_ROLES,
}


class SubjectNotVisible(AccessDenied):
    """The series, victim or offender does not exist or is not visible to the user."""


@dataclass(frozen=True)
class HiddenHolders:
    """Hits in cases the user is not a member of: only a count and the owning units."""

    count: int
    units: tuple[str, ...]

    @property
    def sentence(self) -> str:
        """The sentence shown to the user ("" when there are none)."""
        if not self.count:
            return ""
        return (
            f"{self.count} match(es) in cases you are not a member of "
            f"(owning units: {', '.join(self.units)})"
        )


def member_cases(session: Session, user: User) -> dict[int, str]:
    """The cases the user is a member of: id -> number."""
    rows = session.execute(
        select(Case.id, Case.number)
        .join(Membership, Membership.case_id == Case.id)
        .where(Membership.user_id == user.id)
    ).all()
    return {int(i): str(n) for i, n in rows}


def case_units(session: Session, case_ids: Iterable[int]) -> dict[int, str]:
    """The owning unit of each case: id -> unit."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return {}
    rows = session.execute(select(Case.id, Case.unit).where(Case.id.in_(wanted))).all()
    return {int(i): str(u) for i, u in rows}


def holding_cases(session: Session, media_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each media id, the ids of the cases whose exhibits hold it."""
    wanted = sorted(set(media_ids))
    held: dict[int, set[int]] = {m: set() for m in wanted}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(Occurrence.media_id, Exhibit.case_id)
            .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
            .where(Occurrence.media_id.in_(wanted[start : start + 500]))
            .distinct()
        ).all()
        for media_id, case_id in rows:
            held[int(media_id)].add(int(case_id))
    return held


def hidden_holders(
    session: Session, hits: Mapping[int, set[int]], visible: Mapping[int, str]
) -> HiddenHolders:
    """Count the hits held by no case in ``visible``, and name those hits' owning units."""
    hidden = [cases for cases in hits.values() if cases and not (cases & set(visible))]
    units = case_units(session, {c for cases in hidden for c in cases})
    return HiddenHolders(len(hidden), tuple(sorted(set(units.values()))))


def require_roles(user: User, roles: tuple[str, ...]) -> None:
    """Raise AccessDenied unless the user holds one of ``roles``."""
    require_role(user, *roles)


def check_subject_kind(kind: str) -> None:
    """Raise InvalidInputError for a kind that is not series, victim or offender."""
    if kind not in SUBJECT_MODELS:
        raise InvalidInputError(f"unknown kind {kind!r} (series, victim or offender)")


def subject_case_ids(session: Session, kind: str, subject_id: int) -> set[int]:
    """The home case of a subject and every case one of its links came through."""
    check_subject_kind(kind)
    model = SUBJECT_MODELS[kind]
    home = session.execute(select(model.home_case_id).where(model.id == subject_id)).scalar()
    if home is None:
        return set()
    linked = session.execute(
        select(VictimIdLink.case_id).where(
            or_(
                (VictimIdLink.subject_kind == kind) & (VictimIdLink.subject_id == subject_id),
                (VictimIdLink.target_kind == kind) & (VictimIdLink.target_id == subject_id),
            )
        )
    ).scalars()
    return {int(home), *(int(c) for c in linked)}


def visible_subject_ids(session: Session, kind: str, visible: Iterable[int]) -> list[int]:
    """Ids of the subjects of ``kind`` whose home case, or one of whose links, is visible."""
    check_subject_kind(kind)
    model = SUBJECT_MODELS[kind]
    cases = sorted(set(visible))
    ids = set(session.execute(select(model.id).where(model.home_case_id.in_(cases))).scalars())
    for s_kind, s_id, t_kind, t_id in session.execute(
        select(
            VictimIdLink.subject_kind,
            VictimIdLink.subject_id,
            VictimIdLink.target_kind,
            VictimIdLink.target_id,
        ).where(
            VictimIdLink.case_id.in_(cases),
            or_(VictimIdLink.subject_kind == kind, VictimIdLink.target_kind == kind),
        )
    ):
        ids |= {i for k, i in ((s_kind, s_id), (t_kind, t_id)) if k == kind}
    return sorted(int(i) for i in ids)


def require_subject(
    session: Session, kind: str, subject_id: int, user: User
) -> Series | Victim | Offender:
    """Load a subject the user may see (role and need-to-know).

    Raises:
        AccessDenied: the user lacks the role.
        SubjectNotVisible: it does not exist, or no case it belongs to has the user as a
            member; the message is the same either way.
    """
    check_subject_kind(kind)
    require_roles(user, SUBJECT_ROLES[kind])
    cases = subject_case_ids(session, kind, subject_id)
    if not cases or not cases & set(member_cases(session, user)):
        raise SubjectNotVisible(f"{kind} {subject_id} is not available to {user.username!r}")
    subject = session.get(SUBJECT_MODELS[kind], subject_id)
    if not isinstance(subject, Series | Victim | Offender):  # pragma: no cover - found above
        raise SubjectNotVisible(f"{kind} {subject_id} is not available to {user.username!r}")
    return subject


def split_media(
    session: Session, media_ids: Iterable[int], visible: Mapping[int, str]
) -> tuple[dict[int, str], HiddenHolders]:
    """Media the user may see (id -> the first visible case holding it), and the rest counted.

    Media held by no case at all (not yet ingested anywhere) are neither shown nor counted.
    """
    hits = holding_cases(session, media_ids)
    shown = {
        media_id: min(visible[c] for c in cases & set(visible))
        for media_id, cases in hits.items()
        if cases & set(visible)
    }
    return shown, hidden_holders(session, hits, visible)
