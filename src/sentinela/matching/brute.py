"""The brute-force reference: faiss ``IndexBinaryFlat``, every code compared to every query.

It is slow by design and simple enough to trust: the multi-index is tested against it, pair
for pair. It is saved with faiss's own writer (``faiss.write_index_binary``) beside the ids
as a ``.npy`` array and the JSON manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Self

import faiss
import numpy as np

from sentinela.matching import persist
from sentinela.matching.base import IndexType, Matches, PdqIndexBase
from sentinela.matching.codes import (
    PDQ_BITS,
    Codes,
    Ids,
    check_codes,
    check_ids,
    check_radius,
)
from sentinela.matching.errors import IndexFileError
from sentinela.matching.flat import FlatCodes

FAISS_FILE = "codes.faissindex"
IDS_FILE = "ids.npy"


class BrutePdqIndex(PdqIndexBase):
    """Exhaustive radius search with faiss (registered as ``pdq_brute``)."""

    name: ClassVar[str] = "pdq_brute"

    def __init__(self, store: FlatCodes) -> None:
        self._store = store

    @classmethod
    def build(cls, codes: Codes, ids: Ids) -> Self:
        """Build the reference over ``codes`` labelled by ``ids``."""
        index = cls(FlatCodes())
        index.add(codes, ids)
        return index

    def __len__(self) -> int:
        return len(self._store)

    def nbytes(self) -> int:
        """Bytes held by codes and ids."""
        return self._store.nbytes()

    def add(self, codes: Codes, ids: Ids) -> None:
        """Append codes."""
        codes = check_codes(codes)
        self._store.add(codes, check_ids(ids, len(codes)))

    def remove(self, ids: Ids) -> int:
        """Drop every code stored under one of ``ids``."""
        return self._store.remove(check_ids(ids, len(ids)))

    def search(self, queries: Codes, radius: int) -> Matches:
        """Every code within ``radius`` (inclusive) of each query."""
        queries = check_codes(queries)
        return Matches.from_unsorted(*self._store.search(queries, check_radius(radius)))

    def save(self, directory: Path) -> None:
        """Write the faiss index, the ids and the manifest."""
        directory.mkdir(parents=True, exist_ok=True)
        faiss.write_index_binary(self._store.faiss_index, str(directory / FAISS_FILE))
        persist.save_array(directory, IDS_FILE, self._store.ids())
        persist.write_manifest(
            directory,
            index=self.name,
            count=len(self),
            parameters={"faiss": "IndexBinaryFlat", "bits": PDQ_BITS},
            files=[FAISS_FILE, IDS_FILE],
        )

    @classmethod
    def load(cls, directory: Path) -> Self:
        """Read a saved reference index, verifying manifest and checksums."""
        manifest = persist.read_manifest(directory, cls.name)
        count = manifest["count"]
        if FAISS_FILE not in manifest["files"]:
            raise IndexFileError(f"{directory}: manifest does not list {FAISS_FILE}")
        ids = persist.load_array(directory, manifest, IDS_FILE, np.int64, (count,), mmap=False)
        try:
            flat = faiss.read_index_binary(str(directory / FAISS_FILE))
        except RuntimeError as exc:
            raise IndexFileError(f"{directory / FAISS_FILE}: unreadable: {exc}") from None
        if not isinstance(flat, faiss.IndexBinaryFlat) or flat.d != PDQ_BITS:
            raise IndexFileError(f"{directory / FAISS_FILE}: not a 256-bit IndexBinaryFlat")
        if flat.ntotal != count:
            raise IndexFileError(f"{directory / FAISS_FILE}: holds {flat.ntotal}, not {count}")
        return cls(FlatCodes.from_faiss(flat, ids))


class PdqBruteIndexType(IndexType):
    """Registry entry of :class:`BrutePdqIndex`."""

    name: ClassVar[str] = BrutePdqIndex.name
    index_class: ClassVar[type[PdqIndexBase]] = BrutePdqIndex
