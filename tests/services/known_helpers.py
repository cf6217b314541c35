"""Builders for the known-material tests: cases holding real, benign generated images.

Every image is drawn by code (shapes on a gradient) or is a scikit-image sample photo; a
"category" is only a label on benign data. Media rows are written the way ingest writes
them (digests, drafted PDQ with its method and quality, bytes sealed in the vault), so the
matcher decodes full-resolution PDQ from the vault exactly as in production.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from sentinela.db.audit import AuditEvent
from sentinela.db.cases import Case
from sentinela.db.exhibits import CustodyEvent, Exhibit
from sentinela.db.hashsets import HashSet, KnownHash, MediaMatch
from sentinela.db.media import EntryError, Media, Occurrence
from sentinela.hashing.images import pdq_fast, pdq_full
from sentinela.services import cases
from sentinela.services.context import ServiceContext
from sentinela.services.exposure import open_vault
from sentinela.vault import make_thumbnail

V2_MEDIA = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/{region}/$metadata#Media"


def drawing(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A benign generated picture with enough structure for a high PDQ quality."""
    rng = random.Random(seed)
    w, h = size
    x = np.linspace(0, 255, w, dtype=np.float32)
    y = np.linspace(0, 255, h, dtype=np.float32)
    base = np.stack(
        [np.add.outer(y * rng.random(), x * rng.random()) % 256 for _ in range(3)], axis=-1
    )
    img = Image.fromarray(base.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    for _ in range(10):
        x0, y0 = rng.randrange(w - 20), rng.randrange(h - 20)
        x1, y1 = x0 + rng.randrange(10, w // 2), y0 + rng.randrange(10, h // 2)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=colour)
    return img


def encode(img: Image.Image, fmt: str = "JPEG", quality: int = 90) -> bytes:
    """The image as file bytes."""
    out = io.BytesIO()
    if fmt == "JPEG":
        img.save(out, "JPEG", quality=quality)
    else:
        img.save(out, fmt)
    return out.getvalue()


def photo(size: int = 1200) -> bytes:
    """scikit-image's astronaut, scaled up so ingest decodes it in JPEG draft mode."""
    from skimage import data

    img = Image.fromarray(data.astronaut()).resize((size, size), Image.Resampling.BICUBIC)
    return encode(img, quality=92)


@dataclass
class HeldCase:
    """A case and the media it holds, by path."""

    number: str
    media: dict[str, int] = field(default_factory=dict)
    data: dict[str, bytes] = field(default_factory=dict)


def hold(
    ctx: ServiceContext,
    number: str,
    files: dict[str, bytes],
    *,
    label: str = "EXH-001",
    seized_at: datetime | None = None,
    store: bool = True,
) -> HeldCase:
    """Create case ``number`` (led by ``ctx``'s actor) with one exhibit holding ``files``."""
    cases.create_case(ctx, number, title=f"Case {number}", unit="Unit A")
    vault = open_vault(ctx.settings)
    held = HeldCase(number)
    with ctx.transaction() as session:
        case = session.execute(select(Case).where(Case.number == number)).scalar_one()
        actor = ctx.actor(session)
        now = ctx.clock()
        exhibit = Exhibit(
            case_id=case.id,
            label=label,
            kind="folder",
            source_path=f"/evidence/{number}/{label}",
            size_bytes=sum(len(b) for b in files.values()),
            sha256=hashlib.sha256(number.encode()).hexdigest(),
            md5=hashlib.md5(number.encode()).hexdigest(),  # noqa: S324 - an identifier
            seized_from="suspect's laptop",
            seized_at=seized_at,
            registered_at=now,
            registered_by=actor.id,
        )
        session.add(exhibit)
        session.flush()
        session.add(
            CustodyEvent(
                exhibit_id=exhibit.id,
                action="received",
                actor_id=actor.id,
                actor_name=actor.username,
                occurred_at=now,
                recorded_at=now,
                note="registered",
            )
        )
        for path, data in sorted(files.items()):
            sha = hashlib.sha256(data).hexdigest()
            media = session.execute(select(Media).where(Media.sha256 == sha)).scalar_one_or_none()
            if media is None:
                media = _media(data, now, exhibit.id, store)
                session.add(media)
                session.flush()
                if store:
                    vault.put(sha, data)
            session.add(
                Occurrence(
                    media_id=media.id,
                    exhibit_id=exhibit.id,
                    path=path,
                    path_key=hashlib.sha256(path.encode()).hexdigest(),
                    found_at=now,
                )
            )
            held.media[path] = media.id
            held.data[path] = data
    return held


def _media(data: bytes, now: datetime, exhibit_id: int, store: bool) -> Media:
    pdq: Any = None
    try:
        pdq = pdq_fast(data)
    except Exception:
        pdq = None
    return Media(
        sha256=hashlib.sha256(data).hexdigest(),
        sha1=hashlib.sha1(data).hexdigest(),  # noqa: S324 - a content identifier
        md5=hashlib.md5(data).hexdigest(),  # noqa: S324
        size=len(data),
        mime="image/jpeg" if pdq else "application/octet-stream",
        family="image" if pdq else "other",
        width=pdq.width if pdq else None,
        height=pdq.height if pdq else None,
        pdq=pdq.hash if pdq else None,
        pdq_quality=pdq.quality if pdq else None,
        pdq_method=pdq.method if pdq else None,
        vault_stored=store,
        has_thumbnail=False,
        first_seen_at=now,
        first_exhibit_id=exhibit_id,
    )


def add_thumbnails(ctx: ServiceContext, held: HeldCase) -> None:
    """Store a thumbnail for every image of ``held`` (as ingest does)."""
    vault = open_vault(ctx.settings)
    with ctx.transaction() as session:
        for path, media_id in held.media.items():
            media = session.get(Media, media_id)
            if media is not None and media.pdq:
                img = Image.open(io.BytesIO(held.data[path]))
                vault.put(media.sha256, make_thumbnail(img.convert("RGB")), kind="thumbnail")
                media.has_thumbnail = True


def add_error(ctx: ServiceContext, number: str, path: str, code: str, message: str) -> None:
    """Record an entry error in the first exhibit of a case."""
    with ctx.transaction() as session:
        exhibit = session.execute(
            select(Exhibit).join(Case).where(Case.number == number)
        ).scalar_one()
        session.add(
            EntryError(
                exhibit_id=exhibit.id,
                path=path,
                path_key=hashlib.sha256(path.encode()).hexdigest(),
                code=code,
                message=message,
                recorded_at=ctx.clock(),
            )
        )


def full_pdq(data: bytes) -> str:
    """The full-resolution PDQ of image bytes."""
    return pdq_full(data).hash


def flip(hex_hash: str, positions: list[int]) -> str:
    """``hex_hash`` with the given bit positions inverted."""
    value = int(hex_hash, 16)
    for p in positions:
        value ^= 1 << p
    return f"{value:064x}"


def differing_bits(a: str, b: str) -> list[int]:
    """Bit positions where two PDQ hashes differ."""
    x = int(a, 16) ^ int(b, 16)
    return [i for i in range(256) if x >> i & 1]


def write_vics(path: Path, records: list[dict[str, Any]], *, region: str = "US") -> Path:
    """A VICS 2.0 ``#Media`` hash set."""
    body = {"@odata.context": V2_MEDIA.format(region=region), "value": records}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def vics_record(md5: str, media_id: int = 1, **fields: Any) -> dict[str, Any]:
    """A VICS Media record for ``md5`` (upper case, as national sets write it)."""
    return {"MediaID": media_id, "Category": 1, "MD5": md5.upper(), **fields}


def count(ctx: ServiceContext, model: type, *where: Any) -> int:
    """Rows of ``model`` matching ``where``."""
    with ctx.transaction() as session:
        query = select(func.count()).select_from(model)
        for condition in where:
            query = query.where(condition)
        return int(session.execute(query).scalar_one())


def audit_actions(ctx: ServiceContext) -> list[str]:
    """Every audit action, in order."""
    with ctx.transaction() as session:
        return list(session.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def evidence(ctx: ServiceContext, media_id: int) -> list[tuple[str, str, int, str]]:
    """(set, hash type, distance, method) of every match of one item."""
    with ctx.transaction() as session:
        rows = session.execute(
            select(HashSet.name, MediaMatch.hash_type, MediaMatch.distance, MediaMatch.method)
            .join(KnownHash, KnownHash.id == MediaMatch.known_hash_id)
            .join(HashSet, HashSet.id == KnownHash.hash_set_id)
            .where(MediaMatch.media_id == media_id)
            .order_by(HashSet.name, MediaMatch.hash_type)
        )
        return [(a, b, int(c), d) for a, b, c, d in rows]


def triage_class(ctx: ServiceContext, media_id: int) -> str:
    """The stored triage class of one item."""
    with ctx.transaction() as session:
        media = session.get(Media, media_id)
        assert media is not None
        return media.triage_class
