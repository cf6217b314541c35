"""Builders for the exchange tests: a case with exhibits, custody, benign media in the vault,
national classifications and victim-identification links, written as plain model rows.

Every picture is a small pattern drawn by code; a "category" is only a label.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.cases import Case
from sentinela.db.exhibits import CustodyEvent, Exhibit
from sentinela.db.media import Media, Occurrence
from sentinela.db.users import User
from sentinela.db.victim_id import Series, Victim, VictimIdentification, VictimIdLink
from sentinela.db.workspace import NationalClassification
from sentinela.services import cases
from sentinela.services.context import ServiceContext
from sentinela.services.exposure import open_vault
from sentinela.services.users import add_user

SEIZED = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)


@dataclass
class ExchangeCase:
    """What :func:`seed_exchange_case` made."""

    number: str
    media: list[int] = field(default_factory=list)
    sha256: dict[int, str] = field(default_factory=dict)


def add_specialist(ctx: ServiceContext, username: str = "vic") -> ServiceContext:
    """A victim-identification specialist (a feed operator); returns a context acting as them."""
    add_user(ctx.with_actor("admin"), username, roles=["victim_id_specialist"], unit="VID unit")
    return ctx.with_actor(username)


def png(seed: int) -> bytes:
    """A small benign generated PNG."""
    img = Image.new("RGB", (32, 24), (seed * 37 % 256, seed * 91 % 256, seed * 53 % 256))
    ImageDraw.Draw(img).rectangle((seed % 10, 3, seed % 10 + 8, 15), fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _user(session: Session, name: str) -> User:
    return session.execute(select(User).where(User.username == name)).scalar_one()


def seed_exchange_case(
    ctx: ServiceContext,
    number: str = "C-EX",
    *,
    items: int = 4,
    members: tuple[str, ...] = ("bob",),
) -> ExchangeCase:
    """A case led by ``ctx``'s actor: EXH-001 (e01) and EXH-002 (folder), ``items`` PNGs in
    the vault, each found once in EXH-001 and the first also in EXH-002."""
    cases.create_case(ctx, number, title=f"Exchange case {number}", unit="Unit A")
    for member in members:
        cases.add_member(ctx, number, member)
    vault = open_vault(ctx.settings)
    made = ExchangeCase(number)
    with ctx.transaction() as session:
        case = session.execute(select(Case).where(Case.number == number)).scalar_one()
        lead = ctx.actor(session)
        now = ctx.clock()
        exhibits = []
        for label, kind in (("EXH-001", "e01"), ("EXH-002", "folder")):
            exhibit = Exhibit(
                case_id=case.id,
                label=label,
                kind=kind,
                source_path=f"/evidence/{number}/{label}",
                size_bytes=131072,
                sha256=hashlib.sha256(f"{number}{label}".encode()).hexdigest(),
                md5=hashlib.md5(f"{number}{label}".encode()).hexdigest(),  # noqa: S324
                seized_from="suspect's desk (synthetic)",
                seized_at=SEIZED,
                registered_at=now,
                registered_by=lead.id,
            )
            session.add(exhibit)
            session.flush()
            for action, when in (("seized", SEIZED), ("received", now)):
                session.add(
                    CustodyEvent(
                        exhibit_id=exhibit.id,
                        action=action,
                        actor_id=lead.id,
                        actor_name=lead.username,
                        occurred_at=when,
                        recorded_at=now,
                        note=f"{action} (synthetic)",
                    )
                )
            exhibits.append(exhibit)
        for n in range(items):
            data = png(n + sum(map(ord, number)))
            sha = hashlib.sha256(data).hexdigest()
            media = Media(
                sha256=sha,
                sha1=hashlib.sha1(data).hexdigest(),  # noqa: S324
                md5=hashlib.md5(data).hexdigest(),  # noqa: S324
                size=len(data),
                mime="image/png",
                family="image",
                width=32,
                height=24,
                vault_stored=True,
                first_seen_at=now,
                first_exhibit_id=exhibits[0].id,
            )
            session.add(media)
            session.flush()
            vault.put(sha, data)
            places = [(exhibits[0], f"/DCIM/img_{n}.png")]
            if n == 0:
                places.append((exhibits[1], f"/Backup/copy_{n}.png"))
            for exhibit, path in places:
                session.add(
                    Occurrence(
                        media_id=media.id,
                        exhibit_id=exhibit.id,
                        path=path,
                        path_key=hashlib.sha256(path.encode()).hexdigest(),
                        mtime=datetime(2024, 12, 24, 10, n, tzinfo=UTC),
                        deleted=n == 1,
                        found_at=now,
                    )
                )
            made.media.append(media.id)
            made.sha256[media.id] = sha
    return made


def classify(ctx: ServiceContext, media_id: int, code: str, scheme: str = "project_vic_us") -> None:
    """Set (or change) the national classification of a media item."""
    with ctx.transaction() as session:
        row = session.execute(
            select(NationalClassification).where(NationalClassification.media_id == media_id)
        ).scalar_one_or_none()
        if row is None:
            row = NationalClassification(media_id=media_id, method="consensus", decided_by="[]")
            session.add(row)
        row.scheme, row.code, row.decided_at = scheme, code, ctx.clock()


def link_series(
    ctx: ServiceContext, case_number: str, media_id: int, name: str, *, identified: bool = False
) -> None:
    """Link a media item to a series and to a victim (identified or not)."""
    with ctx.transaction() as session:
        case = session.execute(select(Case).where(Case.number == case_number)).scalar_one()
        user = _user(session, "alice")
        now = ctx.clock()
        series = session.execute(select(Series).where(Series.name == name)).scalar_one_or_none()
        if series is None:
            series = Series(name=name, home_case_id=case.id, created_by=user.id, created_at=now)
            session.add(series)
        victim = Victim(
            pseudonym=f"V-{media_id}-{name[:8]}",
            home_case_id=case.id,
            created_by=user.id,
            created_at=now,
        )
        session.add(victim)
        session.flush()
        if identified:
            session.add(
                VictimIdentification(
                    victim_id=victim.id,
                    identified_on=date(2026, 3, 1),
                    unit="Unit A",
                    lead_source="hash_match",
                    case_id=case.id,
                    recorded_by=user.id,
                    recorded_at=now,
                )
            )
        for kind, subject in (("series", series.id), ("victim", victim.id)):
            session.add(
                VictimIdLink(
                    subject_kind=kind,
                    subject_id=subject,
                    target_kind="media",
                    target_id=media_id,
                    case_id=case.id,
                    linked_by=user.id,
                    linked_at=now,
                )
            )
