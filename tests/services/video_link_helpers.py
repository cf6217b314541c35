"""Builders for the video-link tests: video items held by cases, with vPDQ fingerprints.

Fingerprints are either random PDQ hashes (no media at all), with copies made by keeping a
stretch of frames and flipping a few bits of each, or the fingerprints of tiny benign videos
rendered by code (:mod:`tests.video.helpers`). No real footage is involved.
"""

from __future__ import annotations

import hashlib
import random

from sqlalchemy import select

from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.media import Media, Occurrence
from sentinela.db.video import VideoFingerprint
from sentinela.services.context import ServiceContext
from sentinela.video import FrameHash, write_vpdq


def frames(seed: int, n: int, *, quality: int = 100) -> list[FrameHash]:
    """``n`` frames of random PDQ hashes, one a second."""
    rng = random.Random(seed)
    return [FrameHash(i * 30, quality, f"{rng.getrandbits(256):064x}", float(i)) for i in range(n)]


def copy_of(
    source: list[FrameHash], start: int, stop: int, bits: int, seed: int = 0
) -> list[FrameHash]:
    """Frames ``start:stop`` of ``source`` (renumbered from 0), each with ``bits`` bits flipped."""
    rng = random.Random(seed)
    out = []
    for k, f in enumerate(source[start:stop]):
        value = int(f.pdq, 16)
        for b in rng.sample(range(256), bits):
            value ^= 1 << b
        out.append(FrameHash(k * 30, f.quality, f"{value:064x}", float(k)))
    return out


def add_video(ctx: ServiceContext, number: str, name: str, hashes: list[FrameHash]) -> int:
    """A video item held by the first exhibit of case ``number``, fingerprinted as ``hashes``."""
    with ctx.transaction() as session:
        case = session.execute(select(Case).where(Case.number == number)).scalar_one()
        exhibit = (
            session.execute(select(Exhibit).where(Exhibit.case_id == case.id)).scalars().first()
        )
        assert exhibit is not None
        digest = hashlib.sha256(f"{number}/{name}".encode()).digest()
        now = ctx.clock()
        media = Media(
            sha256=digest.hex(),
            sha1=digest.hex()[:40],
            md5=digest.hex()[:32],
            size=1000,
            mime="video/mp4",
            family="video",
            first_seen_at=now,
            first_exhibit_id=exhibit.id,
        )
        session.add(media)
        session.flush()
        path = f"/videos/{name}.mp4"
        session.add(
            Occurrence(
                media_id=media.id,
                exhibit_id=exhibit.id,
                path=path,
                path_key=hashlib.sha256(path.encode()).hexdigest(),
                found_at=now,
            )
        )
        session.add(
            VideoFingerprint(
                media_id=media.id,
                vpdq=write_vpdq(hashes) if hashes else "",
                frame_count=len(hashes),
            )
        )
        return media.id
