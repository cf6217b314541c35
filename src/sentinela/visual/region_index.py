"""The national region index: every ORB descriptor of every indexed image, in faiss.

Why an inverted file: a region query is a few hundred descriptors against tens of millions.
``faiss.IndexBinaryIVF`` clusters the descriptors into ``nlist`` lists (a visual vocabulary)
and compares each query descriptor only with the ``nprobe`` lists nearest to it, exactly by
Hamming distance. The cost of a query therefore grows with the size of a list, not with the
store. Below :data:`MIN_IVF_ROWS` descriptors an exhaustive ``IndexBinaryFlat`` is used: it
is exact and, at that size, as fast.

Each descriptor row carries its media id (``owners``) and keypoint position (``xy``), kept as
``.npy`` arrays beside the faiss file. The database stays the source of truth: the index is
rebuilt from the vault with ``sentinela victim-id index-regions``, and new media are added to
it without a rebuild. Saved indexes have a JSON manifest with the format version, counts,
parameters and the SHA-256 of every file (see :mod:`sentinela.matching.persist`); never pickle.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, Self

import faiss
import numpy as np
from numpy.typing import NDArray

from sentinela.matching.errors import IndexFileError
from sentinela.matching.persist import (
    file_sha256,
    overall_checksum,
    read_versioned_json,
    save_array,
)
from sentinela.visual.candidates import MatchParams, RegionHit, verify_matches
from sentinela.visual.features import DESCRIPTOR_BYTES, Features

BITS = DESCRIPTOR_BYTES * 8
FORMAT = "sentinela-region-index"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FAISS_FILE = "descriptors.faiss"
#: Fewest descriptors for which an inverted file is built instead of a flat index.
MIN_IVF_ROWS = 200_000
#: Training sample per list (faiss warns below 39).
TRAIN_PER_LIST = 40


def default_nlist(rows: int) -> int:
    """Lists for ``rows`` descriptors: about 4 x sqrt(rows), at most 4096 (training cost)."""
    return int(min(4096, max(64, 4 * np.sqrt(rows))))


class RegionIndex:
    """ORB descriptors of many images, searchable by region."""

    name: ClassVar[str] = "orb_ivf"

    def __init__(
        self,
        index: Any,
        owners: NDArray[np.int64],
        xy: NDArray[np.float32],
        *,
        nprobe: int = 16,
    ) -> None:
        self._index = index
        self._owners = owners
        self._xy = xy
        self.nprobe = nprobe

    @classmethod
    def build(
        cls,
        items: Iterable[tuple[int, Features]],
        *,
        nlist: int | None = None,
        nprobe: int = 16,
        min_ivf_rows: int = MIN_IVF_ROWS,
        seed: int = 0,
    ) -> Self:
        """Index the features of many images.

        Args:
            items: ``(media id, features)`` pairs.
            nlist: inverted lists (default :func:`default_nlist`).
            nprobe: lists probed per query descriptor.
            min_ivf_rows: below this many descriptors, build an exact flat index.
            seed: training sample seed.
        """
        owners, xy, desc = _stack(items)
        rows = len(desc)
        if rows < max(min_ivf_rows, 1):
            index: Any = faiss.IndexBinaryFlat(BITS)
        else:
            lists = nlist or default_nlist(rows)
            index = faiss.index_binary_factory(BITS, f"BIVF{lists}")
            sample = np.random.default_rng(seed).permutation(rows)[: lists * TRAIN_PER_LIST]
            index.train(desc[np.sort(sample)])
        if rows:
            index.add(desc)
        return cls(index, owners, xy, nprobe=nprobe)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def kind(self) -> str:
        """``ivf`` or ``flat``."""
        return "ivf" if isinstance(self._index, faiss.IndexBinaryIVF) else "flat"

    def media_ids(self) -> set[int]:
        """The media indexed."""
        return {int(m) for m in np.unique(self._owners)}

    def add(self, items: Iterable[tuple[int, Features]]) -> int:
        """Add more images (the inverted lists stay as trained). Returns descriptors added."""
        owners, xy, desc = _stack(items)
        if len(desc):
            self._index.add(desc)
            self._owners = np.concatenate((self._owners, owners))
            self._xy = np.concatenate((self._xy, xy))
        return len(desc)

    def raw_matches(
        self, query: Features, params: MatchParams
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """``(query keypoint, row, distance)`` of each query descriptor's nearest rows."""
        if not len(self) or not len(query):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        if self.kind == "ivf":
            self._index.nprobe = self.nprobe
        k = min(params.neighbours, len(self))
        distances, rows = self._index.search(query.descriptors, k)
        found = rows >= 0
        query_index = np.repeat(np.arange(len(query), dtype=np.int64), k).reshape(-1, k)
        return (
            query_index[found],
            rows[found].astype(np.int64),
            distances[found].astype(np.int64),
        )

    def search(self, query: Features, params: MatchParams | None = None) -> list[RegionHit]:
        """The indexed images that contain the query region, verified, best first."""
        params = params or MatchParams()
        q, rows, d = self.raw_matches(query, params)
        return verify_matches(query.xy, self._owners, self._xy, q, rows, d, params)

    def file_bytes(self, directory: Path) -> int:
        """Bytes the saved index takes on disk."""
        return sum((directory / n).stat().st_size for n in (FAISS_FILE, "owners.npy", "xy.npy"))

    def save(self, directory: Path) -> None:
        """Write the faiss file, the arrays and (last, atomically) the manifest."""
        directory.mkdir(parents=True, exist_ok=True)
        faiss.write_index_binary(self._index, str(directory / FAISS_FILE))
        save_array(directory, "owners.npy", self._owners)
        save_array(directory, "xy.npy", self._xy)
        files = {n: file_sha256(directory / n) for n in (FAISS_FILE, "owners.npy", "xy.npy")}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "index": self.name,
            "kind": self.kind,
            "count": len(self),
            "parameters": {"nprobe": self.nprobe, "bits": BITS},
            "files": files,
            "checksum": overall_checksum(files),
        }
        tmp = directory / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, directory / MANIFEST)

    @classmethod
    def load(cls, directory: Path) -> Self:
        """Read a saved index, verifying its manifest and every file's digest.

        Raises:
            IndexFileError: missing or unreadable files, or counts that disagree.
            UnsupportedIndexVersionError: another format or version.
        """
        manifest = read_manifest(directory)
        count = int(manifest["count"])
        try:
            index = faiss.read_index_binary(str(directory / FAISS_FILE))
            owners = np.load(directory / "owners.npy", allow_pickle=False)
            xy = np.load(directory / "xy.npy", allow_pickle=False)
        except (RuntimeError, OSError, ValueError) as exc:
            raise IndexFileError(f"{directory}: unreadable region index: {exc}") from None
        if index.ntotal != count or owners.shape != (count,) or xy.shape != (count, 2):
            raise IndexFileError(f"{directory}: files disagree with the manifest count {count}")
        nprobe = int(manifest["parameters"].get("nprobe", 16))
        return cls(index, owners.astype(np.int64), xy.astype(np.float32), nprobe=nprobe)


def read_manifest(directory: Path) -> dict[str, Any]:
    """The verified manifest of a saved region index (see :meth:`RegionIndex.load`)."""
    path = directory / MANIFEST
    manifest = read_versioned_json(path, FORMAT, FORMAT_VERSION, what="region index manifest")
    files = manifest.get("files")
    if not isinstance(files, dict) or manifest.get("checksum") != overall_checksum(files):
        raise IndexFileError(f"{path}: manifest file list is damaged")
    for name, digest in files.items():
        try:
            same = "/" not in name and not name.startswith(".")
            same = same and file_sha256(directory / name) == digest
        except OSError:
            same = False
        if not same:
            raise IndexFileError(f"{directory / name}: missing, renamed or changed")
    return manifest


def _stack(
    items: Iterable[tuple[int, Features]],
) -> tuple[NDArray[np.int64], NDArray[np.float32], NDArray[np.uint8]]:
    owners, xy, desc = [], [], []
    for media_id, features in items:
        owners.append(np.full(len(features), media_id, dtype=np.int64))
        xy.append(features.xy)
        desc.append(features.descriptors)
    if not owners:
        return (
            np.zeros(0, dtype=np.int64),
            np.zeros((0, 2), dtype=np.float32),
            np.zeros((0, DESCRIPTOR_BYTES), dtype=np.uint8),
        )
    return np.concatenate(owners), np.concatenate(xy), np.ascontiguousarray(np.concatenate(desc))
