"""Archive signatures."""

from __future__ import annotations

import bz2
import gzip
import lzma

from sentinela.evidence.archives.sniff import ArchiveFormat, sniff_archive
from tests.evidence.helpers import simple_zip


def test_signatures() -> None:
    assert sniff_archive(simple_zip({"a": b"a"})) is ArchiveFormat.ZIP
    assert sniff_archive(simple_zip({})) is ArchiveFormat.ZIP
    assert sniff_archive(gzip.compress(b"x", mtime=0)) is ArchiveFormat.GZIP
    assert sniff_archive(bz2.compress(b"x")) is ArchiveFormat.BZIP2
    assert sniff_archive(bz2.compress(b"")) is ArchiveFormat.BZIP2
    assert sniff_archive(lzma.compress(b"x")) is ArchiveFormat.XZ
    assert sniff_archive(b"7z\xbc\xaf\x27\x1c" + bytes(26)) is ArchiveFormat.SEVEN_ZIP
    assert sniff_archive(bytes(257) + b"ustar\x0000") is ArchiveFormat.TAR


def test_text_that_merely_starts_like_bzip2_is_not_an_archive() -> None:
    assert sniff_archive(b"BZh9 is how this note starts") is None
    assert sniff_archive(b"") is None
    assert sniff_archive(b"\x89PNG\r\n\x1a\n") is None
