from __future__ import annotations

import numpy as np
import pytest

from sentinela.errors import UnknownNameError
from sentinela.video import BruteVideoIndex, MatchRule, VideoIndex, fingerprint_video
from tests.video.helpers import corpus, make_video, random_frames


def test_multi_index_frame_index_gives_the_same_matches() -> None:
    videos, queries = corpus(20)
    rule = MatchRule(query_percent=0.0)
    mih, reference = VideoIndex(rule, frame_index="pdq_mih"), BruteVideoIndex(rule)
    mih.add_all(videos.items())
    reference.add_all(videos.items())
    for query in queries:
        assert mih.search(query) == reference.search(query)


def test_unknown_frame_index_is_refused() -> None:
    with pytest.raises(UnknownNameError):
        VideoIndex(frame_index="nope")


def test_frame_count_counts_distinct_good_frames() -> None:
    index = VideoIndex()
    rng = np.random.default_rng(0)
    frames = random_frames(rng, 6)
    index.add(1, frames + frames[:2])
    index.add(2, random_frames(rng, 3, quality=20))
    assert (len(index), index.frame_count) == (2, 6)
    index.remove([1])
    assert index.frame_count == 0


def test_matches_are_ranked_best_first() -> None:
    rng = np.random.default_rng(1)
    video = random_frames(rng, 10)
    index = VideoIndex(MatchRule(query_percent=50.0))
    index.add(3, video[:6])
    index.add(1, video)
    index.add(2, video[:8])
    assert [m.video_id for m in index.search(video)] == [1, 2, 3]


def test_generated_videos_find_their_copy_among_others() -> None:
    index = VideoIndex()
    for seed in range(4):
        index.add(seed, fingerprint_video(make_video(seconds=4, seed=seed)).frames)
    query = fingerprint_video(make_video("webm", "libvpx-vp9", seconds=4, seed=2)).frames
    assert [m.video_id for m in index.search(query)] == [2]
