"""De-confliction: "who else holds this?" for a media item, series, camera or identifier.

The answer names each holding case, its owning unit and a contact, and says whether the
asker is a member. It never carries content: no thumbnail, path, file name or metadata of a
case the asker is not a member of. The asker then goes to the holder, through
:mod:`sentinela.services.access_requests`, for need-to-know.

A holder that opted in (:class:`~sentinela.db.victim_id.HolderPreference`) is told when
someone from another unit checks something it holds. Every check is audited with what was
asked and which cases answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case, Membership
from sentinela.db.exhibits import Exhibit
from sentinela.db.media import Media, MediaMetadata, Occurrence
from sentinela.db.users import User
from sentinela.db.victim_id import (
    DECONFLICTION_KINDS,
    IDENTIFIER_KINDS,
    CaseIdentifier,
    HolderNotification,
    HolderPreference,
    Series,
)
from sentinela.errors import AlreadyExistsError, InvalidInputError
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member
from sentinela.services.victim_id_access import (
    DECONFLICTION_ROLES,
    member_cases,
    require_roles,
    subject_case_ids,
)

_HEX = re.compile(r"^[0-9a-f]+$")
_DIGEST_COLUMNS = {32: Media.md5, 40: Media.sha1, 64: Media.sha256}
MAX_VALUE = 300


@dataclass(frozen=True)
class Holder:
    """A case that holds the item: who to call, never what it holds."""

    case_number: str
    unit: str
    contact: str
    you_are_member: bool


@dataclass(frozen=True)
class Deconfliction:
    """The answer to "who else holds this?"."""

    kind: str
    value: str
    normalised: str
    holders: tuple[Holder, ...]
    notified: int


def identifier_kind(value: str) -> str:
    """Guess an identifier's kind: ``email`` (has @ inside), ``phone`` (digits), ``username``."""
    text = value.strip()
    if "@" in text.lstrip("@"):
        return "email"
    if re.fullmatch(r"\+?[\d\s().-]{6,}", text):
        return "phone"
    return "username"


def normalise_identifier(kind: str, value: str) -> str:
    """The comparable form: lower-case e-mail, digits of a phone, lower-case user name.

    Raises:
        InvalidInputError: unknown kind, or nothing left to compare.
    """
    if kind not in IDENTIFIER_KINDS:
        raise InvalidInputError(f"identifier kind must be one of {', '.join(IDENTIFIER_KINDS)}")
    text = value.strip()
    if kind == "phone":
        normalised = re.sub(r"\D", "", text)
    elif kind == "username":
        normalised = text.lstrip("@").lower()
    else:
        normalised = text.lower()
    if not normalised or len(normalised) > MAX_VALUE:
        raise InvalidInputError(f"{value!r} is not a usable {kind}")
    return normalised


def _media_cases(session: Session, value: str) -> tuple[str, set[int]]:
    digest = value.strip().lower()
    column = _DIGEST_COLUMNS.get(len(digest))
    if column is None or not _HEX.match(digest):
        raise InvalidInputError("give the item's MD5, SHA-1 or SHA-256 in hexadecimal")
    rows = session.execute(
        select(Exhibit.case_id)
        .join(Occurrence, Occurrence.exhibit_id == Exhibit.id)
        .join(Media, Media.id == Occurrence.media_id)
        .where(column == digest)
        .distinct()
    ).scalars()
    return digest, {int(c) for c in rows}


def camera_media(session: Session, serial: str, make: str = "", model: str = "") -> list[int]:
    """Ids of media whose EXIF body serial is ``serial`` (and make and model, when given)."""
    query = select(MediaMetadata.media_id).where(MediaMetadata.camera_serial == serial)
    if make:
        query = query.where(func.lower(MediaMetadata.camera_make) == make.strip().lower())
    if model:
        query = query.where(func.lower(MediaMetadata.camera_model) == model.strip().lower())
    return [int(m) for m in session.execute(query).scalars()]


def _holding_cases(session: Session, kind: str, value: str, id_kind: str) -> tuple[str, set[int]]:
    if kind == "media":
        return _media_cases(session, value)
    if kind == "series":
        name = " ".join(value.split())
        found = session.execute(
            select(Series.id).where(func.lower(Series.name) == name.lower())
        ).scalar()
        return name, subject_case_ids(session, "series", found) if found is not None else set()
    if kind == "camera":
        serial = value.strip()
        if not serial:
            raise InvalidInputError("give the camera's body serial number")
        media = camera_media(session, serial)
        rows = session.execute(
            select(Exhibit.case_id)
            .join(Occurrence, Occurrence.exhibit_id == Exhibit.id)
            .where(Occurrence.media_id.in_(media))
            .distinct()
        ).scalars()
        return serial, {int(c) for c in rows}
    normalised = normalise_identifier(id_kind or identifier_kind(value), value)
    rows = session.execute(
        select(CaseIdentifier.case_id).where(CaseIdentifier.normalised == normalised).distinct()
    ).scalars()
    return normalised, {int(c) for c in rows}


def contacts(session: Session, cases: list[Case]) -> dict[int, str]:
    """Each case's de-confliction contact: its preference, else its leads' names and e-mail."""
    prefs = {
        p.case_id: p.contact
        for p in session.execute(
            select(HolderPreference).where(HolderPreference.case_id.in_([c.id for c in cases]))
        ).scalars()
    }
    out: dict[int, str] = {}
    for case in cases:
        if prefs.get(case.id):
            out[case.id] = prefs[case.id]
            continue
        leads = [m.user for m in case.members if m.case_role == "lead"]
        out[case.id] = "; ".join(
            f"{u.display_name} <{u.email}>" if u.email else u.display_name for u in leads
        )
    return out


def _notify(
    session: Session, ctx: ServiceContext, actor: User, cases: list[Case], kind: str, ref: str
) -> int:
    mine = set(
        session.execute(select(Membership.case_id).where(Membership.user_id == actor.id)).scalars()
    )
    wanted = set(
        session.execute(
            select(HolderPreference.case_id).where(
                HolderPreference.case_id.in_([c.id for c in cases]),
                HolderPreference.notify_on_check,
            )
        ).scalars()
    )
    told = 0
    for case in cases:
        if case.id in wanted and case.id not in mine and case.unit != actor.unit:
            session.add(
                HolderNotification(
                    case_id=case.id,
                    checked_by=actor.id,
                    checker_unit=actor.unit,
                    subject_kind=kind,
                    subject_ref=ref[:MAX_VALUE],
                    checked_at=ctx.clock(),
                )
            )
            told += 1
    return told


def who_holds(ctx: ServiceContext, kind: str, value: str, *, id_kind: str = "") -> Deconfliction:
    """List the cases that hold a media item, series, camera or identifier (audited).

    Args:
        kind: ``media`` (value: MD5, SHA-1 or SHA-256), ``series`` (its name), ``camera``
            (the EXIF body serial) or ``identifier`` (an e-mail, phone or user name).
        value: what to look for.
        id_kind: the identifier's kind when it should not be guessed.

    Raises:
        InvalidInputError: unknown kind or malformed value.
        AccessDenied: the actor may not de-conflict.
    """
    if kind not in DECONFLICTION_KINDS:
        raise InvalidInputError(f"kind must be one of {', '.join(DECONFLICTION_KINDS)}")
    if len(value) > MAX_VALUE:
        raise InvalidInputError(f"the value takes at most {MAX_VALUE} characters")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_roles(actor, DECONFLICTION_ROLES)
        normalised, case_ids = _holding_cases(session, kind, value, id_kind)
        cases = list(
            session.execute(select(Case).where(Case.id.in_(case_ids)).order_by(Case.number))
            .scalars()
            .unique()
        )
        mine = member_cases(session, actor)
        reach = contacts(session, cases)
        holders = tuple(Holder(c.number, c.unit, reach[c.id], c.id in mine) for c in cases)
        told = _notify(session, ctx, actor, cases, kind, normalised)
        record(
            session,
            actor=actor.username,
            action="deconfliction.check",
            object_type=kind,
            object_id=normalised[:200],
            clock=ctx.clock,
            details={"holders": [h.case_number for h in holders], "notified": told},
        )
        return Deconfliction(kind, value, normalised, holders, told)


def add_identifier(ctx: ServiceContext, case_number: str, kind: str, value: str) -> int:
    """Record an e-mail, phone or user name in a case, for de-confliction (audited).

    Raises:
        InvalidInputError: unknown kind or unusable value.
        AccessDenied: not a member of the case, or not allowed to de-conflict.
        AlreadyExistsError: the case already holds it.
    """
    normalised = normalise_identifier(kind, value)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_roles(actor, DECONFLICTION_ROLES)
        case = require_member(session, case_number, actor)
        taken = session.execute(
            select(CaseIdentifier.id).where(
                CaseIdentifier.case_id == case.id,
                CaseIdentifier.kind == kind,
                CaseIdentifier.normalised == normalised,
            )
        ).first()
        if taken is not None:
            raise AlreadyExistsError(f"case {case_number!r} already records this {kind}")
        ident = CaseIdentifier(
            case_id=case.id,
            kind=kind,
            value=value.strip(),
            normalised=normalised,
            recorded_by=actor.id,
            recorded_at=ctx.clock(),
        )
        session.add(ident)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="identifier.add",
            object_type="case",
            object_id=case.number,
            case_number=case.number,
            clock=ctx.clock,
            details={"kind": kind, "identifier_id": ident.id},
        )
        return ident.id
