"""The registry of evidence sources: one module, one class per exhibit kind.

Built-in sources are listed explicitly in :func:`build_source_registry`; importing this
package registers nothing. ``tests/contracts/test_evidence_sources.py`` fails if a module in
this folder is missing from the list.
"""

from __future__ import annotations

from sentinela.errors import UnsupportedSourceError
from sentinela.evidence.archives.expand import expand_archives
from sentinela.evidence.kinds import ExhibitKind
from sentinela.evidence.sources.archive import ArchiveSource
from sentinela.evidence.sources.base import EvidenceSource
from sentinela.evidence.sources.ewf import EwfSource
from sentinela.evidence.sources.folder import FolderSource
from sentinela.evidence.sources.raw import RawSource
from sentinela.registry import Registry

__all__ = [
    "EvidenceSource",
    "ExhibitKind",
    "build_source_registry",
    "expand_archives",
    "source_for_kind",
]


def build_source_registry() -> Registry[EvidenceSource]:
    """A registry holding one instance of each built-in source."""
    registry: Registry[EvidenceSource] = Registry("evidence source")
    for source in (FolderSource(), ArchiveSource(), RawSource(), EwfSource()):
        registry.register(source)
    return registry


def source_for_kind(kind: str, registry: Registry[EvidenceSource] | None = None) -> EvidenceSource:
    """The source that reads exhibits of ``kind`` (an :class:`ExhibitKind` value).

    Raises:
        UnsupportedSourceError: no registered source serves that kind.
    """
    for source in registry if registry is not None else build_source_registry():
        if source.kind == kind:
            return source
    raise UnsupportedSourceError(f"no evidence source reads exhibits of kind {kind!r}")
