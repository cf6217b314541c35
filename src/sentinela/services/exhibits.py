"""Exhibits: registration with container hashes, verification and custody."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.exhibits import CUSTODY_ACTIONS, CustodyEvent, Exhibit
from sentinela.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from sentinela.evidence.containers import ContainerHashes, detect_kind, hash_container
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member

_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class CustodyView:
    """One custody record."""

    action: str
    actor: str
    occurred_at: datetime
    note: str


@dataclass(frozen=True)
class ExhibitView:
    """An exhibit as callers see it."""

    case_number: str
    label: str
    kind: str
    source_path: str
    size_bytes: int
    sha256: str
    md5: str
    acquisition_md5: str | None
    acquisition_sha1: str | None
    acquisition_verified: bool | None
    seized_from: str
    seized_at: datetime | None
    registered_at: datetime
    last_verification: str | None
    container_info: dict[str, Any] = field(default_factory=dict)
    custody: tuple[CustodyView, ...] = ()


@dataclass(frozen=True)
class VerificationView:
    """The outcome of re-hashing an exhibit."""

    label: str
    matches: bool
    differences: tuple[str, ...]


def _view(case: Case, exhibit: Exhibit) -> ExhibitView:
    return ExhibitView(
        case.number,
        exhibit.label,
        exhibit.kind,
        exhibit.source_path,
        exhibit.size_bytes,
        exhibit.sha256,
        exhibit.md5,
        exhibit.acquisition_md5,
        exhibit.acquisition_sha1,
        exhibit.acquisition_verified,
        exhibit.seized_from,
        exhibit.seized_at,
        exhibit.registered_at,
        exhibit.last_verification,
        json.loads(exhibit.container_info),
        tuple(CustodyView(c.action, c.actor_name, c.occurred_at, c.note) for c in exhibit.custody),
    )


def load_exhibit(session: Session, case: Case, label: str) -> Exhibit:
    """An exhibit of ``case`` by label.

    Raises:
        NotFoundError: no such exhibit in the case.
    """
    exhibit = session.execute(
        select(Exhibit).where(Exhibit.case_id == case.id, Exhibit.label == label)
    ).scalar_one_or_none()
    if exhibit is None:
        raise NotFoundError(f"case {case.number!r} has no exhibit {label!r}")
    return exhibit


def _check_member_and_label(ctx: ServiceContext, case_number: str, label: str) -> None:
    with ctx.transaction() as session:
        case = require_member(session, case_number, ctx.actor(session))
        if case.status != "open":
            raise InvalidInputError(f"case {case_number!r} is closed")
        exists = session.execute(
            select(Exhibit.id).where(Exhibit.case_id == case.id, Exhibit.label == label)
        ).first()
        if exists:
            raise AlreadyExistsError(f"label {label!r} is already used in case {case_number!r}")


def add_exhibit(
    ctx: ServiceContext,
    case_number: str,
    path: Path,
    *,
    label: str,
    seized_from: str = "",
    seized_at: datetime | None = None,
    note: str = "",
    progress: Callable[[int], None] | None = None,
) -> ExhibitView:
    """Register an exhibit: detect its kind, hash it, verify an E01's stored hash.

    Hashing happens before the transaction (it may take hours); the exhibit row, its custody
    events and the audit event are then written together. Any failure leaves nothing.

    Raises:
        InvalidInputError: malformed label.
        AlreadyExistsError: the label is taken in this case.
        EvidenceError: the path is missing, unreadable, corrupt or fails its stored hash.
        AccessDenied: the actor is not a member of the case.
    """
    if not _LABEL.match(label):
        raise InvalidInputError(f"exhibit label {label!r} has characters that are not allowed")
    source = path.expanduser().absolute()
    _check_member_and_label(ctx, case_number, label)
    kind = detect_kind(source)
    hashes = hash_container(source, kind, progress=progress)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        now = ctx.clock()
        exhibit = Exhibit(
            case_id=case.id,
            label=label,
            kind=kind,
            source_path=str(source),
            segments=json.dumps(list(hashes.segments)),
            size_bytes=hashes.size,
            sha256=hashes.sha256,
            md5=hashes.md5,
            acquisition_md5=hashes.acquisition_md5,
            acquisition_sha1=hashes.acquisition_sha1,
            media_md5=hashes.media_md5,
            media_sha1=hashes.media_sha1,
            acquisition_verified=hashes.verified,
            container_info=json.dumps(_container_info(hashes), sort_keys=True),
            seized_from=seized_from,
            seized_at=seized_at,
            registered_at=now,
            registered_by=actor.id,
        )
        session.add(exhibit)
        try:
            session.flush()
        except IntegrityError:
            raise AlreadyExistsError(
                f"label {label!r} is already used in case {case_number!r}"
            ) from None
        if seized_at is not None:
            _custody(
                session,
                exhibit,
                "seized",
                actor.username,
                actor.id,
                seized_at,
                now,
                f"seized from {seized_from}" if seized_from else "",
            )
        _custody(
            session,
            exhibit,
            "received",
            actor.username,
            actor.id,
            now,
            now,
            note or f"registered from {source}",
        )
        record(
            session,
            actor=actor.username,
            action="exhibit.add",
            object_type="exhibit",
            object_id=f"{case_number}/{label}",
            case_number=case_number,
            clock=ctx.clock,
            details={
                "kind": kind,
                "path": str(source),
                "sha256": hashes.sha256,
                "md5": hashes.md5,
                "size": hashes.size,
                "acquisition_md5": hashes.acquisition_md5,
                "acquisition_sha1": hashes.acquisition_sha1,
                "acquisition_verified": hashes.verified,
            },
        )
        session.flush()
        session.refresh(exhibit)
        return _view(case, exhibit)


def _container_info(hashes: ContainerHashes) -> dict[str, Any]:
    info: dict[str, Any] = {"segments": list(hashes.segments)}
    headers = getattr(hashes, "headers", None)
    if headers:
        info["headers"] = dict(headers)
    return info


def _custody(
    session: Session,
    exhibit: Exhibit,
    action: str,
    actor_name: str,
    actor_id: int,
    occurred_at: datetime,
    recorded_at: datetime,
    note: str,
) -> CustodyEvent:
    event = CustodyEvent(
        exhibit=exhibit,
        action=action,
        actor_id=actor_id,
        actor_name=actor_name,
        occurred_at=occurred_at,
        recorded_at=recorded_at,
        note=note,
    )
    session.add(event)
    return event


def verify_exhibit(ctx: ServiceContext, case_number: str, label: str) -> VerificationView:
    """Re-hash an exhibit and compare with what was recorded. The check is audited.

    A mismatch is a result, not an error: it is recorded and returned.
    """
    with ctx.transaction() as session:
        case = require_member(session, case_number, ctx.actor(session))
        exhibit = load_exhibit(session, case, label)
        path, kind = Path(exhibit.source_path), exhibit.kind
        recorded = {
            "sha256": exhibit.sha256,
            "md5": exhibit.md5,
            "size": exhibit.size_bytes,
            "media_md5": exhibit.media_md5,
            "media_sha1": exhibit.media_sha1,
        }
    now_hashes = hash_container(path, kind, strict=False)
    current = {
        "sha256": now_hashes.sha256,
        "md5": now_hashes.md5,
        "size": now_hashes.size,
        "media_md5": now_hashes.media_md5,
        "media_sha1": now_hashes.media_sha1,
    }
    diffs = tuple(
        f"{k}: recorded {recorded[k]}, now {current[k]}"
        for k in recorded
        if recorded[k] is not None and recorded[k] != current[k]
    )
    result = "match" if not diffs else "mismatch"
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        exhibit = load_exhibit(session, case, label)
        exhibit.last_verified_at = ctx.clock()
        exhibit.last_verification = result
        record(
            session,
            actor=actor.username,
            action="exhibit.verify",
            object_type="exhibit",
            object_id=f"{case_number}/{label}",
            case_number=case_number,
            clock=ctx.clock,
            details={"result": result, "differences": list(diffs)},
        )
    return VerificationView(label, not diffs, diffs)


def add_custody_event(
    ctx: ServiceContext,
    case_number: str,
    label: str,
    *,
    action: str,
    note: str = "",
    occurred_at: datetime | None = None,
) -> CustodyView:
    """Record a custody event (received, transferred, imaged, returned, destroyed...)."""
    if action not in CUSTODY_ACTIONS:
        raise InvalidInputError(
            f"custody action {action!r} is not one of {', '.join(CUSTODY_ACTIONS)}"
        )
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        exhibit = load_exhibit(session, case, label)
        now = ctx.clock()
        event = _custody(
            session, exhibit, action, actor.username, actor.id, occurred_at or now, now, note
        )
        record(
            session,
            actor=actor.username,
            action="custody.add",
            object_type="exhibit",
            object_id=f"{case_number}/{label}",
            case_number=case_number,
            clock=ctx.clock,
            details={
                "action": action,
                "note": note,
                "occurred_at": (occurred_at or now).isoformat(),
            },
        )
        return CustodyView(event.action, event.actor_name, event.occurred_at, event.note)


def show_exhibit(ctx: ServiceContext, case_number: str, label: str) -> ExhibitView:
    """One exhibit with its custody record."""
    with ctx.transaction() as session:
        case = require_member(session, case_number, ctx.actor(session))
        return _view(case, load_exhibit(session, case, label))


def list_exhibits(ctx: ServiceContext, case_number: str) -> list[ExhibitView]:
    """Every exhibit of a case."""
    with ctx.transaction() as session:
        case = require_member(session, case_number, ctx.actor(session))
        rows = session.execute(
            select(Exhibit).where(Exhibit.case_id == case.id).order_by(Exhibit.id)
        ).scalars()
        return [_view(case, e) for e in rows]
