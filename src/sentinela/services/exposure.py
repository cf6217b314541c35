"""Showing media, and the exposure ledger that counts every time someone was shown one.

Why the server renders both modes: the default view is greyscale and strongly blurred, made
here from the decrypted thumbnail (see ``vault/thumbnails.py``), so the clear image never
reaches a browser that did not ask for it. Revealing is a separate, explicit call for one item,
and each rendering, blurred or revealed, is written to the ledger and the audit log in the
same transaction that authorised it.

The ledger is for welfare as much as for the record: each analyst sees their own exposure, and
a supervisor (a case lead) sees the totals of the people in the cases they lead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case, Membership
from sentinela.db.users import User
from sentinela.db.workspace import EXPOSURE_MODES, ExposureEvent
from sentinela.errors import InvalidInputError, NotFoundError
from sentinela.services.case_media import (
    require_case_media,
    require_media_viewer,
    require_supervisor,
)
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member
from sentinela.settings import Settings
from sentinela.vault import Vault, load_master_key, render_thumbnail
from sentinela.vault.errors import ObjectMissingError


def open_vault(settings: Settings) -> Vault:
    """The vault of this installation (the master key is read from its file)."""
    key = load_master_key(settings.key_file, strict=settings.mode != "development")
    return Vault(settings.data_dir / "vault", key)


def show_media(ctx: ServiceContext, case_number: str, media_id: int, mode: str) -> bytes:
    """Render an item's thumbnail, blurred or revealed, and record that it was shown.

    Returns:
        JPEG bytes (never stored anywhere).

    Raises:
        InvalidInputError: unknown mode.
        AccessDenied: not a member, not a media viewer, or the case does not hold the id.
        NotFoundError: the item has no thumbnail (not an image, or not yet stored).
    """
    if mode not in EXPOSURE_MODES:
        raise InvalidInputError(f"unknown display mode {mode!r}")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        require_media_viewer(actor)
        (media,) = require_case_media(session, case, [media_id])
        if not media.has_thumbnail:
            raise NotFoundError(f"media {media_id} has no thumbnail")
        try:
            stored = open_vault(ctx.settings).get(media.sha256, kind="thumbnail")
        except ObjectMissingError:
            raise NotFoundError(f"media {media_id} has no thumbnail") from None
        return render_shown(
            ctx,
            session,
            actor,
            case,
            media.id,
            stored,
            mode,
            action="media.reveal" if mode == "revealed" else "media.thumbnail",
            details={"mode": mode},
        )


def enter_in_ledger(
    ctx: ServiceContext, session: Session, actor: User, case: Case, media_id: int, mode: str
) -> None:
    """Count one display of ``media_id`` to ``actor`` in the exposure ledger."""
    session.add(
        ExposureEvent(
            user_id=actor.id, media_id=media_id, case_id=case.id, mode=mode, shown_at=ctx.clock()
        )
    )


def render_shown(
    ctx: ServiceContext,
    session: Session,
    actor: User,
    case: Case,
    media_id: int,
    stored: bytes,
    mode: str,
    *,
    action: str,
    details: dict[str, object],
) -> bytes:
    """Render an authorised display of ``stored`` (a JPEG) in ``mode``; ledger and audit it.

    The one place where a display becomes bytes for a browser, so that every kind of display
    (thumbnails, video keyframes) is counted and audited the same way.
    """
    rendered = render_thumbnail(stored, "revealed" if mode == "revealed" else "blurred")
    enter_in_ledger(ctx, session, actor, case, media_id, mode)
    record(
        session,
        actor=actor.username,
        action=action,
        object_type="media",
        object_id=media_id,
        case_number=case.number,
        clock=ctx.clock,
        details=details,
    )
    return rendered


@dataclass(frozen=True)
class DayCount:
    """Items shown on one day (UTC)."""

    day: date
    blurred: int
    revealed: int


@dataclass(frozen=True)
class ExposureLine:
    """One entry of the ledger."""

    media_id: int
    case_number: str | None
    mode: str
    shown_at: datetime


@dataclass(frozen=True)
class ExposureSummary:
    """One person's exposure over a period (``recent`` only on their own page)."""

    username: str
    display_name: str
    since: datetime
    blurred: int
    revealed: int
    revealed_last_7_days: int
    days: tuple[DayCount, ...]
    recent: tuple[ExposureLine, ...]


@dataclass(frozen=True)
class TeamExposure:
    """The exposure of everyone in the cases a supervisor leads."""

    supervisor: str
    since: datetime
    members: tuple[ExposureSummary, ...]


def _summary(
    session: Session, user: User, now: datetime, days: int, *, with_recent: bool
) -> ExposureSummary:
    since = now - timedelta(days=days)
    rows = session.execute(
        select(ExposureEvent.mode, ExposureEvent.shown_at).where(
            ExposureEvent.user_id == user.id, ExposureEvent.shown_at >= since
        )
    ).all()
    per_day: dict[date, Counter[str]] = {}
    for mode, shown_at in rows:
        per_day.setdefault(shown_at.date(), Counter())[mode] += 1
    week = now - timedelta(days=7)
    recent: list[ExposureLine] = []
    if with_recent:
        recent_rows = session.execute(
            select(ExposureEvent, Case.number)
            .outerjoin(Case, Case.id == ExposureEvent.case_id)
            .where(ExposureEvent.user_id == user.id)
            .order_by(ExposureEvent.shown_at.desc(), ExposureEvent.id.desc())
            .limit(50)
        ).all()
        recent = [ExposureLine(e.media_id, n, e.mode, e.shown_at) for e, n in recent_rows]
    return ExposureSummary(
        user.username,
        user.display_name,
        since,
        sum(1 for m, _ in rows if m == "blurred"),
        sum(1 for m, _ in rows if m == "revealed"),
        sum(1 for m, t in rows if m == "revealed" and t >= week),
        tuple(
            DayCount(d, c["blurred"], c["revealed"])
            for d, c in sorted(per_day.items(), reverse=True)
        ),
        tuple(recent),
    )


def my_exposure(ctx: ServiceContext, *, days: int = 30) -> ExposureSummary:
    """The actor's own exposure over the last ``days`` days (viewing it is audited)."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        summary = _summary(session, actor, ctx.clock(), max(1, days), with_recent=True)
        record(
            session,
            actor=actor.username,
            action="exposure.view_own",
            object_type="user",
            object_id=actor.username,
            clock=ctx.clock,
        )
        return summary


def team_exposure(ctx: ServiceContext, *, days: int = 30) -> TeamExposure:
    """Totals for everyone in the cases the actor leads (viewing it is audited).

    Raises:
        AccessDenied: the actor leads no case.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        led = require_supervisor(session, actor)
        team = session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.case_id.in_(led))
            .distinct()
            .order_by(User.username)
        ).scalars()
        now = ctx.clock()
        members = tuple(_summary(session, u, now, max(1, days), with_recent=False) for u in team)
        record(
            session,
            actor=actor.username,
            action="exposure.view_team",
            object_type="user",
            object_id=actor.username,
            clock=ctx.clock,
            details={"members": [m.username for m in members]},
        )
        return TeamExposure(actor.username, now - timedelta(days=max(1, days)), members)
