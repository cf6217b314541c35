"""Video triage: known videos (vPDQ) added to a set match ingested video fingerprints.

Fingerprints are made of random PDQ hashes (no media at all); a known video is built from an
item's frames with chosen bits flipped, so every share is known in advance.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from sentinela.db.hashsets import HashSet, KnownHash, MediaMatch
from sentinela.db.video import VideoFingerprint
from sentinela.errors import AlreadyExistsError, FormatError
from sentinela.services.case_matching import match_case
from sentinela.services.context import ServiceContext
from sentinela.services.known_videos import add_known_video
from sentinela.video import FrameHash, write_vpdq
from tests.services.known_helpers import audit_actions, flip, hold, triage_class


def _frames(seed: int, n: int, *, quality: int = 100) -> list[FrameHash]:
    rng = random.Random(seed)
    return [FrameHash(i * 30, quality, f"{rng.getrandbits(256):064x}", float(i)) for i in range(n)]


def _near(frames: list[FrameHash], bits: int) -> list[FrameHash]:
    return [
        FrameHash(f.frame_number, f.quality, flip(f.pdq, list(range(bits))), f.timestamp)
        for f in frames
    ]


def _video(ctx: ServiceContext, media_id: int, frames: list[FrameHash]) -> None:
    with ctx.transaction() as session:
        session.add(
            VideoFingerprint(
                media_id=media_id,
                vpdq=write_vpdq(frames) if frames else "",
                frame_count=len(frames),
                keyframe_count=0,
            )
        )


def _matches(ctx: ServiceContext, media_id: int) -> list[tuple[str, str, str, float, float]]:
    with ctx.transaction() as session:
        rows = session.execute(
            select(
                HashSet.name,
                MediaMatch.hash_type,
                MediaMatch.method,
                MediaMatch.query_percent,
                MediaMatch.index_percent,
            )
            .join(KnownHash, KnownHash.id == MediaMatch.known_hash_id)
            .join(HashSet, HashSet.id == KnownHash.hash_set_id)
            .where(MediaMatch.media_id == media_id)
        )
        return [(a, b, c, float(d), float(e)) for a, b, c, d, e in rows]


def test_a_known_video_categorises_matching_videos(ctx: ServiceContext) -> None:
    held = hold(ctx, "C-1", {f"/v/{n}.mp4": f"video {n}".encode() for n in range(4)})
    ids = [held.media[f"/v/{n}.mp4"] for n in range(4)]
    clip = _frames(1, 10)
    _video(ctx, ids[0], clip)  # the known video holds it: 100 % of it, 50 % of the known one
    _video(ctx, ids[1], _frames(2, 10))  # unrelated
    _video(ctx, ids[2], [])  # no usable fingerprint
    known = _near(clip, 20) + _frames(3, 10)
    added = add_known_video(ctx, "videos", write_vpdq(known), scheme="uk", code="A")
    assert (added.frames, added.retriaged, added.changed) == (20, 2, 1)
    assert _matches(ctx, ids[0]) == [("videos", "vpdq", "vpdq", 100.0, 50.0)]
    assert triage_class(ctx, ids[0]) == "known_categorised"
    assert [triage_class(ctx, i) for i in ids[1:]] == ["new", "new", "new"]
    assert "hashset.add_video" in audit_actions(ctx)
    with pytest.raises(AlreadyExistsError):
        add_known_video(ctx, "videos", write_vpdq(known), scheme="uk", code="A")
    assert match_case(ctx, "C-1").classes["known_categorised"] == 1


def test_vpdq_rule_distance_and_query_share(ctx: ServiceContext) -> None:
    held = hold(ctx, "C-1", {"/a.mp4": b"a", "/b.mp4": b"b"})
    a, b = held.media["/a.mp4"], held.media["/b.mp4"]
    frames_a, frames_b = _frames(4, 10), _frames(5, 10)
    _video(ctx, a, frames_a)
    _video(ctx, b, frames_b)
    # a: every frame 32 bits away (beyond 31): no match. b: 7 of 10 frames (< 80 %).
    add_known_video(ctx, "far", write_vpdq(_near(frames_a, 32)))
    add_known_video(ctx, "part", write_vpdq(_near(frames_b[:7], 31) + _frames(6, 3)))
    assert _matches(ctx, a) == [] and _matches(ctx, b) == []
    add_known_video(ctx, "near", write_vpdq(_near(frames_a[:8], 31)))
    assert _matches(ctx, a) == [("near", "vpdq", "vpdq", 80.0, 100.0)]


def test_bad_vpdq_text_is_refused(ctx: ServiceContext) -> None:
    with pytest.raises(FormatError):
        add_known_video(ctx, "videos", "not,a,vpdq\n")
