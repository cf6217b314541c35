"""E01 images, decoded by libewf and walked through TSK like a raw image.

A truncated E01 is caught by the structural check of
:func:`~sentinela.evidence.ewf_image.check_ewf_structure` before anything is read and yields
one ``truncated_image`` failure (``corrupt_image`` for other damage): ingest records it and
goes on with the next exhibit. Registration
(:func:`~sentinela.evidence.container_hashes.hash_container`) raises instead, because there
the whole action must fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from sentinela.evidence.disk_image import ImageSession, ewf_factory
from sentinela.evidence.entries import Entry, EntryFailure, FailureCode, SourceLimits
from sentinela.evidence.ewf_image import check_ewf_structure
from sentinela.evidence.kinds import ExhibitKind, exhibit_segments
from sentinela.evidence.sources.base import EvidenceSource
from sentinela.evidence.tsk_walk import walk_image


class EwfSource(EvidenceSource):
    """Walks every file system in an E01's media; see :mod:`sentinela.evidence.tsk_walk`."""

    name: ClassVar[str] = "ewf"
    kind: ClassVar[ExhibitKind] = ExhibitKind.E01
    corrupt_code: ClassVar[FailureCode] = FailureCode.CORRUPT_IMAGE

    def walk(self, path: Path, limits: SourceLimits) -> Iterator[Entry | EntryFailure]:
        """Yield the image's files, or one failure if the image is truncated or damaged."""
        segments = exhibit_segments(path, ExhibitKind.E01)
        check_ewf_structure(segments)
        session = ImageSession(ewf_factory(segments))
        try:
            yield from walk_image(session)
        finally:
            session.close()
