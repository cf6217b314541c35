"""Raw disk images (dd), whole or split into ``.001``, ``.002``... segments, read through TSK."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from sentinela.evidence.disk_image import ImageSession, raw_factory
from sentinela.evidence.entries import Entry, EntryFailure, SourceLimits
from sentinela.evidence.kinds import ExhibitKind, exhibit_segments
from sentinela.evidence.sources.base import EvidenceSource
from sentinela.evidence.tsk_walk import walk_image


class RawSource(EvidenceSource):
    """Walks every file system on a raw image; see :mod:`sentinela.evidence.tsk_walk`."""

    name: ClassVar[str] = "raw"
    kind: ClassVar[ExhibitKind] = ExhibitKind.RAW

    def walk(self, path: Path, limits: SourceLimits) -> Iterator[Entry | EntryFailure]:
        """Yield the image's files; a disk with no known file system gives ``no_filesystem``."""
        session = ImageSession(raw_factory(exhibit_segments(path, ExhibitKind.RAW)))
        try:
            yield from walk_image(session)
        finally:
            session.close()
