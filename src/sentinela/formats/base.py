"""Base classes of the exchange-formats registry.

Why a registry entry is an :class:`ExchangeFormat` and not an importer: a format is one stable
name ("vics", "nsrl_rdsv3", ...) that users type (``--format vics``) and that is persisted with
every imported hash set. Writers have a registry of their own, because one format needs several
writers (see :mod:`sentinela.formats.export_base`); each exporter names the importer here that
reads its output back. Code that needs a capability checks for it (see
:func:`sentinela.formats.importers`).

Why importers return an :class:`ImportStream` rather than a list: national hash sets hold
10^5-10^7 records and RDS releases far more, so every importer streams, and the memory it
needs must not grow with the file. The stream reads the file's header first, so the caller
knows the format version, category scheme and (for case exports) the case before the first
record, and can refuse the file before touching the database.

Why errors are :class:`~sentinela.errors.FormatError` with ``path`` and ``position``: an
examiner must be able to find the faulty record in a file of a million records, and the import
service rolls back the whole import when any record fails, so nothing is half-imported.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import ClassVar

from sentinela.errors import FormatError
from sentinela.formats.records import Deletion, HashRecord, ImportMeta

HEAD_SIZE = 64 * 1024
"""How many leading bytes :meth:`Importer.sniff` is given."""

Item = HashRecord | Deletion


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Choices the caller makes that the file cannot tell.

    Attributes:
        hash_type: the hash type of ambiguous digests. Plain lists need it for 64-hex lines
            without a file name ("sha256" or "pdq"); other formats ignore it.
    """

    hash_type: str | None = None


class ImportStream:
    """A single-use stream of records, with the file's header read before the first record.

    Use it as a context manager so the file is closed even when the caller stops early::

        with importer.open(path) as stream:
            print(stream.meta.scheme)
            for item in stream:
                ...
    """

    def __init__(
        self,
        meta: ImportMeta,
        items: Iterator[Item],
        close: Callable[[], None] | None = None,
    ) -> None:
        self.meta = meta
        self._items = items
        self._close = close
        self._started = False

    def __iter__(self) -> Iterator[Item]:
        if self._started:
            raise FormatError("an import stream can be read only once", path=self.meta.path)
        self._started = True
        return self._items

    def close(self) -> None:
        """Release the file (safe to call twice)."""
        closer = getattr(self._items, "close", None)
        if callable(closer):
            closer()
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> ImportStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class ExchangeFormat(ABC):
    """One registered exchange format.

    ``name`` is persisted (hash-set provenance, job rows, ``--format`` arguments): it must
    never change once released.
    """

    name: ClassVar[str]
    title: ClassVar[str]


class Importer(ExchangeFormat):
    """Reads one file format into :class:`HashRecord` and :class:`Deletion` items.

    Implementations are stateless; one instance serves every file. How to write one:

    1. add ``formats/<name>.py`` with a subclass setting ``name`` and ``title``;
    2. make :meth:`sniff` cheap and specific (it sees only the first :data:`HEAD_SIZE` bytes);
    3. make :meth:`open` read the header, then return an :class:`ImportStream` whose items
       are produced lazily, holding at most one record (or one small batch) in memory;
    4. raise :class:`~sentinela.errors.FormatError` naming the file and the record position for
       every malformed input, never let a parser's own exception escape;
    5. list the class in :func:`sentinela.formats.build_format_registry` and subclass the
       contract test in ``tests/contracts/test_formats.py``.
    """

    @abstractmethod
    def sniff(self, head: bytes, filename: str) -> bool:
        """Return whether ``head`` (the file's first bytes) looks like this format."""

    @abstractmethod
    def open(self, path: Path, options: ImportOptions | None = None) -> ImportStream:
        """Read the header of ``path`` and return the stream of its records.

        Raises:
            FormatError: the header is malformed or the file cannot be read; records that are
                malformed raise it later, while iterating.
        """

    def iter_records(self, path: Path, options: ImportOptions | None = None) -> Iterator[Item]:
        """Yield every item of ``path``, closing the file at the end (or on early exit)."""
        with self.open(path, options) as stream:
            yield from stream


def read_head(path: Path, size: int = HEAD_SIZE) -> bytes:
    """Return the first ``size`` bytes of ``path``.

    Raises:
        FormatError: the file cannot be read.
    """
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as error:
        raise FormatError(f"cannot read file: {error.strerror or error}", path=str(path)) from None
