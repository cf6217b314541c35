"""Video triage: known videos (vPDQ) added to a set match ingested video fingerprints.

Fingerprints are made of random PDQ hashes (no media at all); a known video is built from an
item's frames with chosen bits flipped, so every share is known in advance.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from sentinela.db.hashsets import HashSet, KnownHash, MediaMatch
from sentinela.db.video import KnownVideo, VideoFingerprint
from sentinela.errors import AlreadyExistsError, FormatError
from sentinela.services.case_matching import match_case
from sentinela.services.context import ServiceContext
from sentinela.services.hashsets import ImportRequest, import_hash_set
from sentinela.services.known_videos import add_known_video
from sentinela.video import FrameHash, write_vpdq
from tests.services.known_helpers import (
    audit_actions,
    count,
    flip,
    hold,
    triage_class,
    vics_record,
    write_vics,
)


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


def _vics_video(md5: str, frames: list[FrameHash], media_id: int) -> dict[str, object]:
    alternative = {"HashName": "vPDQ", "HashValue": write_vpdq(frames)}
    return vics_record(md5, media_id, AlternativeHashes=[alternative])


def test_vics_import_stores_known_videos_and_retriages(ctx: ServiceContext, tmp_path: Path) -> None:
    held = hold(ctx, "C-1", {"/v/0.mp4": b"video 0", "/v/1.mp4": b"video 1"})
    first, second = held.media["/v/0.mp4"], held.media["/v/1.mp4"]
    clip = _frames(7, 10)
    _video(ctx, first, clip)
    _video(ctx, second, _frames(8, 10))
    path = write_vics(
        tmp_path / "videos.json",
        [_vics_video("a" * 32, _near(clip, 10), 1), vics_record("b" * 32, 2)],
    )
    request = ImportRequest(name="videos", source="partner (test)", legal_basis="Statute X s.1")
    result = import_hash_set(ctx, path, request)
    assert (result.records, result.added) == (2, 3)  # md5 + vpdq, md5
    text = write_vpdq(_near(clip, 10))
    with ctx.transaction() as session:
        known = session.execute(select(KnownHash).where(KnownHash.hash_type == "vpdq")).scalar_one()
        assert known.digest == hashlib.sha256(text.encode()).hexdigest()
        video = session.get(KnownVideo, known.id)
        assert video is not None and (video.vpdq, video.frame_count) == (text, 10)
    assert _matches(ctx, first) == [("videos", "vpdq", "vpdq", 100.0, 100.0)]
    assert triage_class(ctx, first) == "known_categorised"
    assert triage_class(ctx, second) == "new"
    # A second version listing the same video keeps its row (no duplicate KnownVideo).
    again = write_vics(tmp_path / "v2.json", [_vics_video("a" * 32, _near(clip, 10), 1)])
    assert import_hash_set(ctx, again, ImportRequest(name="videos")).deleted == 1
    assert count(ctx, KnownVideo) == 1


def test_vics_import_with_a_bad_record_stores_no_video(ctx: ServiceContext, tmp_path: Path) -> None:
    bad = vics_record("c" * 32, 3, AlternativeHashes=[{"HashName": "vPDQ", "HashValue": "x,y"}])
    path = write_vics(tmp_path / "bad.json", [_vics_video("a" * 32, _frames(9, 3), 1), bad])
    request = ImportRequest(name="videos", source="partner (test)", legal_basis="Statute X s.1")
    with pytest.raises(FormatError, match="record 2"):
        import_hash_set(ctx, path, request)
    assert count(ctx, KnownVideo) == 0 and count(ctx, KnownHash) == 0
