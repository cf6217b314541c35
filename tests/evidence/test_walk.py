"""iter_exhibit: the walk ingest runs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sentinela.errors import UnsupportedSourceError
from sentinela.evidence.entries import Entry
from sentinela.evidence.walk import iter_exhibit
from tests.evidence.helpers import DD, E01, PNG_PATH, PNG_SHA256, simple_zip


@pytest.mark.parametrize(("path", "kind"), [(DD, "raw"), (E01, "e01")])
def test_fat12_fixture_yields_the_png(path: Path, kind: str) -> None:
    found = {i.path: i for i in iter_exhibit(path, kind) if isinstance(i, Entry)}
    with found[PNG_PATH].open() as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == PNG_SHA256


def test_archives_in_a_folder_are_expanded(tmp_path: Path) -> None:
    (tmp_path / "a.zip").write_bytes(simple_zip({"b.txt": b"b"}))
    assert [i.path for i in iter_exhibit(tmp_path, "folder")] == ["a.zip", "a.zip!/b.txt"]


def test_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedSourceError):
        iter_exhibit(tmp_path, "tape")
