"""Contract every evidence source keeps, and proof that every source module is registered.

A source's own test module subclasses :class:`EvidenceSourceContract`, names the source and
builds a good exhibit (and the paths it must yield); the checks here then run against it.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

import sentinela.evidence.sources as sources_package
from sentinela.evidence.archives.expand import expand_archives
from sentinela.evidence.entries import Entry, EntryFailure, FailureCode, SourceLimits
from sentinela.evidence.sources import build_source_registry, source_for_kind
from sentinela.evidence.sources.base import EvidenceSource

LIMITS = SourceLimits()


def walk(source: EvidenceSource, path: Path, limits: SourceLimits = LIMITS) -> list[object]:
    """Everything the source yields for ``path``, archives expanded, as ingest sees it."""
    return list(expand_archives(source.iter_entries(path, limits), limits))


def entries(items: list[object]) -> dict[str, Entry]:
    """The entries among ``items``, by path."""
    return {item.path: item for item in items if isinstance(item, Entry)}


def failures(items: list[object]) -> list[EntryFailure]:
    """The failures among ``items``."""
    return [item for item in items if isinstance(item, EntryFailure)]


class EvidenceSourceContract:
    """Checks every source must pass. Subclasses set ``source_name`` and ``expected_paths``
    and provide the ``exhibit`` fixture (a good exhibit under ``tmp_path``)."""

    source_name: ClassVar[str]
    expected_paths: ClassVar[frozenset[str]]

    @pytest.fixture
    def exhibit(self, tmp_path: Path) -> Path:
        raise NotImplementedError

    @pytest.fixture
    def source(self) -> EvidenceSource:
        return build_source_registry().get(self.source_name)

    @pytest.fixture
    def items(self, source: EvidenceSource, exhibit: Path) -> list[object]:
        return walk(source, exhibit)

    def test_registered_under_its_kind(self, source: EvidenceSource) -> None:
        assert source.name == self.source_name
        assert source_for_kind(source.kind) is not None
        assert type(source_for_kind(source.kind)) is type(source)

    def test_yields_only_entries_and_failures(self, items: list[object]) -> None:
        assert items
        assert all(isinstance(item, Entry | EntryFailure) for item in items)
        for failure in failures(items):
            assert isinstance(failure.code, FailureCode)
            assert failure.message and "\n" not in failure.message

    def test_yields_the_expected_paths(self, items: list[object]) -> None:
        assert self.expected_paths <= set(entries(items))

    def test_paths_are_relative_and_slash_separated(self, items: list[object]) -> None:
        for path in entries(items):
            assert path and not path.startswith("/")
            assert "\\" not in path and "//" not in path

    def test_streams_are_read_only_and_give_size_bytes(self, items: list[object]) -> None:
        for entry in entries(items).values():
            with entry.open() as stream:
                assert stream.readable()
                assert not stream.writable()
                with pytest.raises((io.UnsupportedOperation, OSError)):
                    stream.write(b"x")
                assert len(stream.read()) == entry.size

    def test_entries_can_be_opened_after_the_walk(self, items: list[object]) -> None:
        for entry in entries(items).values():
            with entry.open() as first, entry.open() as second:
                assert first.read() == second.read()

    def test_times_are_aware_utc(self, items: list[object]) -> None:
        for entry in entries(items).values():
            for moment in (entry.mtime, entry.atime, entry.ctime, entry.crtime):
                assert moment is None or moment.utcoffset() is not None

    def test_missing_exhibit_is_a_failure_not_an_exception(
        self, source: EvidenceSource, tmp_path: Path
    ) -> None:
        items = walk(source, tmp_path / "does-not-exist")
        assert len(items) == 1
        assert isinstance(items[0], EntryFailure)
        assert items[0].path == ""

    def test_walk_can_stop_early(self, source: EvidenceSource, exhibit: Path) -> None:
        iterator: Iterator[object] = source.iter_entries(exhibit, LIMITS)
        next(iterator)
        iterator.close()  # type: ignore[attr-defined]


def _source_classes(module_name: str) -> list[type[EvidenceSource]]:
    module = importlib.import_module(module_name)
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, EvidenceSource)
        and cls is not EvidenceSource
        and cls.__module__ == module_name
        and not inspect.isabstract(cls)
    ]


def test_every_source_module_is_registered() -> None:
    registry = build_source_registry()
    registered = {type(source) for source in registry}
    modules = [
        info.name for info in pkgutil.iter_modules(sources_package.__path__) if info.name != "base"
    ]
    assert modules
    for name in modules:
        classes = _source_classes(f"{sources_package.__name__}.{name}")
        assert classes, f"sources/{name}.py defines no EvidenceSource"
        for cls in classes:
            assert cls in registered, f"{cls.__name__} ({name}.py) is not registered"


def test_each_kind_has_exactly_one_source() -> None:
    kinds = [source.kind for source in build_source_registry()]
    assert len(kinds) == len(set(kinds))


def test_unknown_kind_is_refused() -> None:
    from sentinela.errors import UnsupportedSourceError

    with pytest.raises(UnsupportedSourceError):
        source_for_kind("floppy")
