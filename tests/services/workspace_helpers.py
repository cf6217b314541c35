"""Builders for the workspace tests: a case holding generated benign media with thumbnails.

Every picture is drawn by code (coloured shapes on a gradient); a "category" is only a label.
PDQ values are synthetic: each group shares a random 256-bit base, and its members differ by a
few bits, so the near-duplicate grouping is exact and known in advance.
"""

from __future__ import annotations

import hashlib
import io
import random
import sys
import types
from dataclasses import dataclass, field
from datetime import datetime

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.clock import Clock
from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.hashsets import HashSet, KnownHash, MediaMatch
from sentinela.db.media import Media, Occurrence
from sentinela.db.users import User
from sentinela.services import cases
from sentinela.services.context import ServiceContext
from sentinela.services.exposure import open_vault
from sentinela.services.near_duplicates import distances, pdq_words
from sentinela.vault import Vault, make_thumbnail


@dataclass
class SeededCase:
    """What :func:`seed_case` made."""

    number: str
    exhibit: str
    groups: list[list[int]] = field(default_factory=list)
    known: list[int] = field(default_factory=list)

    @property
    def all_media(self) -> list[int]:
        return [m for g in self.groups for m in g]


def picture(seed: int, size: tuple[int, int] = (96, 72)) -> Image.Image:
    """A benign generated picture: a gradient with a few coloured shapes."""
    rng = random.Random(seed)
    img = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(img)
    for _ in range(4):
        x0, y0 = rng.randrange(size[0] // 2), rng.randrange(size[1] // 2)
        x1, y1 = x0 + rng.randrange(8, size[0] // 2), y0 + rng.randrange(8, size[1] // 2)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=colour)
    return img


def _jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _flip(value: int, bits: int, rng: random.Random) -> int:
    for b in rng.sample(range(256), bits):
        value ^= 1 << b
    return value


def add_user(ctx: ServiceContext, username: str, roles: list[str]) -> None:
    """Create a user as the administrator."""
    from sentinela.services.users import add_user as add

    add(ctx.with_actor("admin"), username, roles=roles)


def seed_case(
    ctx: ServiceContext,
    number: str = "C-1",
    *,
    group_sizes: tuple[int, ...] = (3, 1, 2),
    known: int = 0,
    members: tuple[str, ...] = ("bob",),
    seed: int = 7,
) -> SeededCase:
    """Create a case led by ``ctx``'s actor, with one exhibit holding near-duplicate groups.

    ``known`` extra items are held too, already triaged ``known_categorised``.
    """
    cases.create_case(ctx, number, title=f"Case {number}", unit="Unit A")
    for member in members:
        cases.add_member(ctx, number, member)
    vault = open_vault(ctx.settings)
    rng = random.Random(seed)
    seeded = SeededCase(number, "EXH-001")
    with ctx.transaction() as session:
        case = session.execute(select(Case).where(Case.number == number)).scalar_one()
        lead = ctx.actor(session)
        now = ctx.clock()
        exhibit = Exhibit(
            case_id=case.id,
            label="EXH-001",
            kind="folder",
            source_path=f"/evidence/{number}",
            size_bytes=0,
            sha256=hashlib.sha256(number.encode()).hexdigest(),
            md5="0" * 32,
            registered_at=now,
            registered_by=lead.id,
        )
        session.add(exhibit)
        session.flush()
        counter = seed * 1000
        for size in group_sizes:
            base = rng.getrandbits(256)
            group: list[int] = []
            for k in range(size):
                counter += 1
                pdq = f"{_flip(base, 3 * k, rng):064x}"
                m = _media(session, vault, exhibit, counter, pdq, now)
                group.append(m.id)
            seeded.groups.append(group)
        for _ in range(known):
            counter += 1
            m = _media(session, vault, exhibit, counter, f"{rng.getrandbits(256):064x}", now)
            m.triage_class = "known_categorised"
            seeded.known.append(m.id)
    return seeded


def _media(
    session: Session, vault: Vault, exhibit: Exhibit, n: int, pdq: str, now: datetime
) -> Media:
    img = picture(n)
    data = _jpeg(img)
    sha = hashlib.sha256(data).hexdigest()
    media = Media(
        sha256=sha,
        sha1=hashlib.sha1(data).hexdigest(),  # noqa: S324 - a content identifier, not security
        md5=hashlib.md5(data).hexdigest(),  # noqa: S324
        size=len(data),
        mime="image/jpeg",
        family="image",
        width=img.width,
        height=img.height,
        pdq=pdq,
        pdq_quality=100,
        has_thumbnail=True,
        vault_stored=False,
        first_seen_at=now,
        first_exhibit_id=exhibit.id,
    )
    session.add(media)
    session.flush()
    path = f"/photos/img_{n}.jpg"
    session.add(
        Occurrence(
            media_id=media.id,
            exhibit_id=exhibit.id,
            path=path,
            path_key=hashlib.sha256(path.encode()).hexdigest(),
            found_at=now,
        )
    )
    vault.put(sha, make_thumbnail(img), kind="thumbnail")
    return media


def hold_media(ctx: ServiceContext, number: str, media_ids: list[int]) -> None:
    """Make another case (led by ``ctx``'s actor) hold existing media too."""
    with ctx.transaction() as session:
        case = session.execute(select(Case).where(Case.number == number)).scalar_one()
        exhibit = (
            session.execute(select(Exhibit).where(Exhibit.case_id == case.id)).scalars().first()
        )
        assert exhibit is not None
        for mid in media_ids:
            path = f"/copy/{mid}.jpg"
            session.add(
                Occurrence(
                    media_id=mid,
                    exhibit_id=exhibit.id,
                    path=path,
                    path_key=hashlib.sha256(path.encode()).hexdigest(),
                    found_at=ctx.clock(),
                )
            )


def user_id(ctx: ServiceContext, username: str) -> int:
    with ctx.transaction() as session:
        return session.execute(select(User.id).where(User.username == username)).scalar_one()


# -- a stand-in for sentinela.services.triage until the lead's module lands ----------------


def _fallback_retriage(session: Session, media_ids: list[int] | None, *, clock: Clock) -> list[int]:
    """Exact SHA-256 and PDQ matching against live categorised entries (tests only)."""
    query = select(Media)
    if media_ids is not None:
        query = query.where(Media.id.in_(media_ids))
    entries = session.execute(
        select(KnownHash, HashSet)
        .join(HashSet, HashSet.id == KnownHash.hash_set_id)
        .where(KnownHash.removed_at.is_(None), HashSet.kind == "categorised")
    ).all()
    changed: list[int] = []
    for media in session.execute(query).scalars():
        for known, hs in entries:
            hit = known.hash_type == "sha256" and known.digest == media.sha256
            distance = 0
            if known.hash_type == "pdq" and media.pdq:
                distance = int(distances(pdq_words([known.digest]), pdq_words([media.pdq]))[0, 0])
                hit = distance <= hs.pdq_threshold
            if hit:
                exists = session.execute(
                    select(MediaMatch.id).where(
                        MediaMatch.media_id == media.id, MediaMatch.known_hash_id == known.id
                    )
                ).first()
                if exists is None:
                    session.add(
                        MediaMatch(
                            media_id=media.id,
                            known_hash_id=known.id,
                            hash_type=known.hash_type,
                            distance=distance,
                            method="exact" if known.hash_type == "sha256" else "pdq_fast",
                            matched_at=clock(),
                        )
                    )
                if media.triage_class != "known_categorised":
                    media.triage_class = "known_categorised"
                    changed.append(media.id)
    session.flush()
    return changed


def ensure_retriage() -> None:
    """Install the stand-in only when ``sentinela.services.triage`` does not exist yet."""
    try:
        import sentinela.services.triage  # noqa: F401
    except ModuleNotFoundError:
        module = types.ModuleType("sentinela.services.triage")
        setattr(module, "retriage_media", _fallback_retriage)  # noqa: B010
        sys.modules["sentinela.services.triage"] = module
