from __future__ import annotations

import numpy as np
import pytest

from sentinela.errors import InvalidInputError
from sentinela.video import FrameHash, MatchRule, compare_videos, fingerprint_video
from tests.video.helpers import flip_bits, make_video, random_frames, transcode


def test_a_video_matches_itself_fully() -> None:
    frames = random_frames(np.random.default_rng(0), 10)
    match = compare_videos(frames, frames)
    assert match is not None
    assert (match.query_percent, match.index_percent) == (100.0, 100.0)


def test_a_clip_matches_the_longer_video_it_was_cut_from() -> None:
    video = random_frames(np.random.default_rng(1), 30)
    match = compare_videos(video[10:20], video)
    assert match is not None
    assert match.query_percent == 100.0
    assert match.index_percent == pytest.approx(100 / 3)


def test_a_long_query_does_not_match_a_short_indexed_clip_by_default() -> None:
    video = random_frames(np.random.default_rng(2), 30)
    assert compare_videos(video, video[:10]) is None
    loose = MatchRule(query_percent=30.0)
    assert compare_videos(video, video[:10], loose) is not None


def test_distance_31_matches_and_32_does_not() -> None:
    rng = np.random.default_rng(3)
    video = random_frames(rng, 5)
    for bits, expected in ((31, True), (32, False)):
        query = [
            FrameHash(f.frame_number, f.quality, flip_bits(f.pdq, bits, rng), f.timestamp)
            for f in video
        ]
        assert (compare_videos(query, video) is not None) is expected


def test_low_quality_frames_do_not_count() -> None:
    video = random_frames(np.random.default_rng(4), 5, quality=49)
    assert compare_videos(video, video) is None
    assert compare_videos(video, video, MatchRule(quality=0)) is not None


def test_repeated_frames_count_once() -> None:
    video = random_frames(np.random.default_rng(5), 4)
    still = [FrameHash(i, 90, video[0].pdq, float(i)) for i in range(20)]
    match = compare_videos(still + video[1:2], video)
    assert match is not None
    assert (match.query_frames, match.query_percent) == (2, 100.0)


def test_rule_values_are_checked() -> None:
    with pytest.raises(InvalidInputError):
        MatchRule(distance=300)
    with pytest.raises(InvalidInputError):
        MatchRule(query_percent=101)


def test_agrees_with_threatexchange_brute_matcher() -> None:
    brute = pytest.importorskip("threatexchange.extensions.vpdq.vpdq_brute_matcher")
    util = pytest.importorskip("threatexchange.extensions.vpdq.vpdq_util")

    def compact(frames: list[FrameHash]) -> list[object]:
        return [util.VpdqCompactFeature(f.pdq, f.quality, f.timestamp) for f in frames]

    rng = np.random.default_rng(6)
    for _ in range(20):
        target = random_frames(rng, int(rng.integers(1, 15)))
        query = [
            FrameHash(i, 90 if i == 0 else int(q), flip_bits(f.pdq, int(b), rng), float(i))
            for i, (f, q, b) in enumerate(
                zip(target, rng.integers(30, 100, 15), rng.integers(20, 40, 15), strict=False)
            )
        ]
        theirs = brute.match_VPDQ_hash_brute(compact(query), compact(target), 50, 31)
        ours = compare_videos(query, target, MatchRule(query_percent=0.0))
        shares = (ours.query_percent, ours.index_percent) if ours else (0.0, 0.0)
        assert shares == pytest.approx((theirs.query_match_percent, theirs.compared_match_percent))


@pytest.fixture(scope="module")
def original() -> bytes:
    return make_video(width=192, height=144, seconds=6)


@pytest.mark.parametrize(
    "copy",
    [
        {"width": 128, "height": 96},
        {"fmt": "webm", "codec": "libvpx-vp9"},
        {"skip_frames": 20, "keep_frames": 30},
    ],
    ids=["resized", "re-encoded", "trimmed"],
)
def test_copies_of_a_video_match_it(original: bytes, copy: dict[str, object]) -> None:
    source = fingerprint_video(original).frames
    copied = fingerprint_video(transcode(original, **copy)).frames  # type: ignore[arg-type]
    assert compare_videos(copied, source) is not None


def test_another_video_does_not_match(original: bytes) -> None:
    other = make_video(width=192, height=144, seconds=6, seed=3)
    assert (
        compare_videos(fingerprint_video(other).frames, fingerprint_video(original).frames) is None
    )
