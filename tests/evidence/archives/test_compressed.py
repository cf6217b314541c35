"""Single compressed streams: member names and contents."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma

import pytest

from sentinela.evidence.archives.expand import archive_members
from sentinela.evidence.entries import Entry, SourceLimits


@pytest.mark.parametrize(
    ("name", "data", "member"),
    [
        ("log.txt.gz", gzip.compress(b"text", mtime=0), "log.txt.gz!/log.txt"),
        ("log.txt.bz2", bz2.compress(b"text"), "log.txt.bz2!/log.txt"),
        ("log.txt.xz", lzma.compress(b"text"), "log.txt.xz!/log.txt"),
        ("noext", gzip.compress(b"text", mtime=0), "noext!/noext.decompressed"),
    ],
)
def test_single_file(name: str, data: bytes, member: str) -> None:
    entry = Entry(path=name, size=len(data), opener=lambda: io.BytesIO(data))
    items = list(archive_members(entry, SourceLimits()))
    assert len(items) == 1 and isinstance(items[0], Entry)
    assert items[0].path == member
    assert items[0].size == 4
    with items[0].open() as stream:
        assert stream.read() == b"text"
