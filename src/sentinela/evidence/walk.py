"""Walk an exhibit as ingest does: its source's entries, with every archive expanded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sentinela.evidence.archives.expand import expand_archives
from sentinela.evidence.entries import Entry, EntryFailure, SourceLimits
from sentinela.evidence.sources import EvidenceSource, build_source_registry, source_for_kind
from sentinela.registry import Registry


def iter_exhibit(
    path: Path,
    kind: str,
    limits: SourceLimits | None = None,
    registry: Registry[EvidenceSource] | None = None,
) -> Iterator[Entry | EntryFailure]:
    """Yield every file of the exhibit at ``path`` and every recorded failure.

    Args:
        path: the exhibit (first segment for split raw and E01).
        kind: its kind, as recorded at registration.
        limits: safety limits; the defaults of :class:`SourceLimits` when None.
        registry: the source registry; the built-in one when None.

    Raises:
        UnsupportedSourceError: no source reads ``kind``. Nothing else: problems with the
            evidence are yielded as :class:`EntryFailure`.
    """
    chosen = limits or SourceLimits()
    source = source_for_kind(kind, registry or build_source_registry())
    return expand_archives(source.iter_entries(path, chosen), chosen)
