"""Saving indexes: data files beside a JSON manifest, never pickle.

A saved index is a directory holding ``manifest.json`` and data files: ``.npy`` arrays
(read back with ``allow_pickle=False``, optionally memory-mapped) and, for the brute-force
reference, a faiss index written with faiss's own writer. The manifest records the format
version, the hash type, the index name, the code count, the index parameters, and the
SHA-256 of every data file plus one checksum over them all. Loading refuses anything it
does not recognise, and any file whose digest differs, with a typed error: an index that
quietly lost codes would quietly lose matches.

The manifest is written last, through a temporary file and a rename, so a directory with a
readable manifest always holds a complete index.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sentinela.matching.errors import (
    IndexChecksumError,
    IndexFileError,
    UnsupportedIndexVersionError,
)

MANIFEST = "manifest.json"
FORMAT = "sentinela-pdq-index"
FORMAT_VERSION = 1
HASH_TYPE = "pdq"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, as lower-case hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def overall_checksum(files: dict[str, str]) -> str:
    """One SHA-256 over every data file's name and digest."""
    lines = "".join(f"{name} {digest}\n" for name, digest in sorted(files.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def save_array(directory: Path, name: str, array: NDArray[Any]) -> None:
    """Write ``array`` as ``directory/name`` in ``.npy`` format (no pickled objects)."""
    np.save(directory / name, np.ascontiguousarray(array), allow_pickle=False)


def write_manifest(
    directory: Path, *, index: str, count: int, parameters: dict[str, Any], files: list[str]
) -> None:
    """Digest ``files`` (names inside ``directory``) and write the manifest atomically."""
    digests = {name: file_sha256(directory / name) for name in files}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "hash_type": HASH_TYPE,
        "index": index,
        "count": count,
        "parameters": parameters,
        "files": digests,
        "checksum": overall_checksum(digests),
    }
    tmp = directory / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, directory / MANIFEST)


def read_versioned_json(path: Path, fmt: str, version: int, *, what: str) -> dict[str, Any]:
    """Read a JSON object stamped with ``format`` and ``format_version`` (every saved index's
    manifest or state file is one).

    Raises:
        IndexFileError: no file, unreadable or malformed JSON, or not a JSON object.
        UnsupportedIndexVersionError: another format, or another version of it.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexFileError(f"{path}: no {what}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexFileError(f"{path}: unreadable {what}: {exc}") from None
    if not isinstance(data, dict):
        raise IndexFileError(f"{path}: {what} is not a JSON object")
    if data.get("format") != fmt or data.get("format_version") != version:
        raise UnsupportedIndexVersionError(
            f"{path}: unsupported {what} format {data.get('format')!r} "
            f"version {data.get('format_version')!r} (expected {fmt} {version})"
        )
    return data


def read_manifest(directory: Path, index: str) -> dict[str, Any]:
    """Read and verify the manifest of a saved ``index``, and every file's digest.

    Raises:
        IndexFileError: no manifest, malformed JSON or fields, or a missing data file.
        UnsupportedIndexVersionError: another format, version, hash type or index name.
        IndexChecksumError: a data file's digest differs from the manifest.
    """
    path = directory / MANIFEST
    manifest = read_versioned_json(path, FORMAT, FORMAT_VERSION, what="index manifest")
    if manifest.get("hash_type") != HASH_TYPE or manifest.get("index") != index:
        raise UnsupportedIndexVersionError(
            f"{path}: holds a {manifest.get('index')!r} index of {manifest.get('hash_type')!r}"
            f" hashes, expected {index!r} of {HASH_TYPE!r}"
        )
    files = manifest.get("files")
    if (
        not isinstance(files, dict)
        or not isinstance(manifest.get("count"), int)
        or not isinstance(manifest.get("parameters"), dict)
    ):
        raise IndexFileError(f"{path}: manifest lacks files, count or parameters")
    if manifest.get("checksum") != overall_checksum(files):
        raise IndexChecksumError(f"{path}: manifest checksum does not match its file list")
    for name, digest in files.items():
        if "/" in name or "\\" in name or name.startswith("."):
            raise IndexFileError(f"{path}: bad data file name {name!r}")
        try:
            actual = file_sha256(directory / name)
        except OSError as exc:
            raise IndexFileError(f"{directory / name}: cannot read index file: {exc}") from None
        if actual != digest:
            raise IndexChecksumError(f"{directory / name}: SHA-256 {actual} != manifest {digest}")
    return manifest


def load_array(
    directory: Path,
    manifest: dict[str, Any],
    name: str,
    dtype: np.dtype[Any] | type[np.generic],
    shape: tuple[int | None, ...],
    *,
    mmap: bool,
) -> NDArray[Any]:
    """Load one verified ``.npy`` file and check its dtype and shape.

    ``None`` in ``shape`` accepts any length on that axis.

    Raises:
        IndexFileError: the file is not listed in the manifest, unreadable, or mis-shaped.
    """
    if name not in manifest["files"]:
        raise IndexFileError(f"{directory}: manifest does not list {name}")
    try:
        array = np.load(directory / name, mmap_mode="r" if mmap else None, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise IndexFileError(f"{directory / name}: unreadable array: {exc}") from None
    if not isinstance(array, np.ndarray) or array.dtype != np.dtype(dtype):
        raise IndexFileError(f"{directory / name}: expected dtype {np.dtype(dtype)}")
    if array.ndim != len(shape) or any(
        want is not None and got != want for got, want in zip(array.shape, shape, strict=True)
    ):
        raise IndexFileError(f"{directory / name}: shape {array.shape}, expected {shape}")
    return array
