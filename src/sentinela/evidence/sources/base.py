"""The evidence source interface, and the entry types every source yields.

Why one source per exhibit kind: a folder, an archive, a raw disk image and an E01 are read
with different libraries, but ingest should not care. Each source turns its kind of exhibit
into the same stream of :class:`Entry` and :class:`EntryFailure` values; archives found inside
any of them are expanded afterwards by
:func:`~sentinela.evidence.archives.expand.expand_archives`, so no source handles nesting.

Why failures are yielded, not raised: see :mod:`sentinela.evidence.entries`. A source raises
nothing for bad evidence: even an exhibit that cannot be opened at all gives one
:class:`EntryFailure` with the empty path.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from sentinela.errors import CorruptEvidenceError, EvidenceError
from sentinela.evidence.entries import Entry, EntryFailure, FailureCode, SourceLimits
from sentinela.evidence.errors import TruncatedImageError
from sentinela.evidence.kinds import ExhibitKind

__all__ = ["Entry", "EntryFailure", "EvidenceSource", "FailureCode", "SourceLimits"]


class EvidenceSource(ABC):
    """Reads one kind of exhibit and yields the files inside it.

    Subclasses set ``name`` (stable, lower_snake, persisted in job rows: never change it),
    ``kind`` (the :class:`~sentinela.evidence.kinds.ExhibitKind` served) and implement
    :meth:`walk`. Paths are relative to the exhibit, ``/``-separated, without a leading slash.
    """

    name: ClassVar[str]
    kind: ClassVar[ExhibitKind]
    #: What a failure to open the whole exhibit as damaged is recorded as.
    corrupt_code: ClassVar[FailureCode] = FailureCode.UNREADABLE

    def iter_entries(self, path: Path, limits: SourceLimits) -> Iterator[Entry | EntryFailure]:
        """Yield every file of the exhibit at ``path`` and every failure, never raising.

        An :class:`~sentinela.errors.EvidenceError` or ``OSError`` that ends the walk early
        (the exhibit vanished, an image cannot be opened) is yielded as a failure with the
        empty path, after whatever entries came before it.
        """
        try:
            yield from self.walk(path, limits)
        except TruncatedImageError as exc:
            yield EntryFailure("", FailureCode.TRUNCATED_IMAGE, str(exc))
        except CorruptEvidenceError as exc:
            yield EntryFailure("", self.corrupt_code, str(exc))
        except EvidenceError as exc:
            yield EntryFailure("", FailureCode.UNREADABLE, str(exc))
        except OSError as exc:
            yield EntryFailure("", FailureCode.UNREADABLE, f"cannot read {path}: {exc}")

    @abstractmethod
    def walk(self, path: Path, limits: SourceLimits) -> Iterator[Entry | EntryFailure]:
        """Yield the exhibit's entries and failures; may raise ``EvidenceError`` to stop.

        Archives among the entries are yielded as plain entries: expansion is not the
        source's job.
        """
