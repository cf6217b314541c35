"""Contract every video index keeps, run for each registered one, with the naive reference
(:class:`~sentinela.video.BruteVideoIndex`) as the oracle, and proof all are registered."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import ClassVar

import numpy as np
import pytest

import sentinela.video as video_package
from sentinela.errors import DuplicateNameError, InvalidInputError
from sentinela.registry import Registry
from sentinela.video import (
    BruteVideoIndex,
    MatchRule,
    VideoIndexBase,
    VideoIndexType,
    build_video_index_registry,
)
from sentinela.video.brute_index import BruteVideoIndexType
from tests.video.helpers import corpus, random_frames


class VideoIndexContract:
    """Subclass with ``index_name`` set to a registered name."""

    index_name: ClassVar[str]

    def create(self, rule: MatchRule | None = None) -> VideoIndexBase:
        return build_video_index_registry().get(self.index_name).create(rule)

    def test_name_is_stable_lower_snake(self) -> None:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", self.create().name)
        assert self.create().name == self.index_name

    def test_empty_index_finds_nothing(self) -> None:
        index = self.create()
        assert len(index) == 0
        assert index.search(random_frames(np.random.default_rng(0), 3)) == []

    def test_a_video_finds_itself(self) -> None:
        index = self.create()
        frames = random_frames(np.random.default_rng(1), 8)
        assert index.add(42, frames) == 8
        [match] = index.search(frames)
        assert (match.video_id, match.query_percent, match.index_percent) == (42, 100.0, 100.0)

    def test_ids_are_unique_integers(self) -> None:
        index = self.create()
        frames = random_frames(np.random.default_rng(2), 2)
        index.add(1, frames)
        with pytest.raises(InvalidInputError):
            index.add(1, frames)
        with pytest.raises(InvalidInputError):
            index.add("2", frames)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError):
            index.add(2**63, frames)

    def test_removed_videos_are_not_found(self) -> None:
        index = self.create()
        rng = np.random.default_rng(3)
        first, second = random_frames(rng, 5), random_frames(rng, 5)
        index.add_all([(1, first), (2, second), (3, first)])
        assert index.remove([1, 99]) == 1
        assert len(index) == 2
        assert [m.video_id for m in index.search(first)] == [3]
        assert index.remove([3]) == 1
        assert index.search(first) == []

    def test_a_video_without_good_frames_never_matches(self) -> None:
        index = self.create()
        dark = random_frames(np.random.default_rng(4), 4, quality=10)
        assert index.add(7, dark) == 0
        assert index.search(dark) == []
        assert len(index) == 1

    @pytest.mark.parametrize("seed", [10, 11])
    @pytest.mark.parametrize(
        "rule",
        [
            MatchRule(),
            MatchRule(query_percent=0.0),
            MatchRule(query_percent=40.0, index_percent=20.0, distance=20),
        ],
        ids=["default", "any-share", "strict"],
    )
    def test_agrees_with_the_brute_force_reference(self, seed: int, rule: MatchRule) -> None:
        videos, queries = corpus(seed)
        index, reference = self.create(rule), BruteVideoIndex(rule)
        index.add_all(videos.items())
        reference.add_all(videos.items())
        gone = list(videos)[:3]
        index.remove(gone)
        reference.remove(gone)
        found = 0
        for query in queries:
            expected = reference.search(query)
            assert index.search(query) == expected
            found += len(expected)
        assert found > 0


class TestFaissVideoIndex(VideoIndexContract):
    index_name = "vpdq_faiss"


class TestBruteVideoIndex(VideoIndexContract):
    index_name = "vpdq_brute"


def test_every_registered_index_has_a_contract_test() -> None:
    covered = {cls.index_name for cls in VideoIndexContract.__subclasses__()}
    assert covered == set(build_video_index_registry().names())


def test_every_video_index_class_is_registered() -> None:
    registered = {entry.index_class for entry in build_video_index_registry()}
    for info in pkgutil.iter_modules(video_package.__path__):
        module = importlib.import_module(f"{video_package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, VideoIndexBase)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
            ):
                assert cls in registered, f"{cls.__name__} is not registered"


def test_registry_refuses_duplicates() -> None:
    registry: Registry[VideoIndexType] = build_video_index_registry()
    with pytest.raises(DuplicateNameError):
        registry.register(BruteVideoIndexType())
