"""Archive exhibits: a zip, tar (plain, gzip, bzip2, xz), 7z or compressed file as seized.

The members are yielded with paths relative to the archive (``DCIM/b.jpg``) and depth 1;
archives among them are expanded by
:func:`~sentinela.evidence.archives.expand.expand_archives` like those of any other source.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar

from sentinela.evidence.archives.expand import archive_members
from sentinela.evidence.entries import Entry, EntryFailure, FailureCode, SourceLimits
from sentinela.evidence.errors import UnreadableEvidenceError
from sentinela.evidence.kinds import ExhibitKind
from sentinela.evidence.sources.base import EvidenceSource
from sentinela.evidence.streams import open_readonly


class ArchiveSource(EvidenceSource):
    """Lists the members of an archive exhibit, with every archive guard applied."""

    name: ClassVar[str] = "archive"
    kind: ClassVar[ExhibitKind] = ExhibitKind.ARCHIVE
    corrupt_code: ClassVar[FailureCode] = FailureCode.CORRUPT_ARCHIVE

    def walk(self, path: Path, limits: SourceLimits) -> Iterator[Entry | EntryFailure]:
        """Yield the archive's members (not expanding archives inside it)."""
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise UnreadableEvidenceError(f"cannot read {path}: {exc.strerror}") from exc

        def opener() -> BinaryIO:
            return open_readonly(path)

        root = Entry(path="", size=size, opener=opener)
        yield from archive_members(root, limits, name_hint=path.name)
