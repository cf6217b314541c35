"""MD5, SHA-1, SHA-256 and size in one pass."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from sentinela.hashing.digests import EMPTY_DIGESTS, DigestAccumulator, compute_digests


def test_known_vectors() -> None:
    digests = compute_digests(b"abc")
    assert digests.md5 == "900150983cd24fb0d6963f7d28e17f72"
    assert digests.sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d"
    assert digests.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert digests.size == 3


def test_empty_matches_the_well_known_digests() -> None:
    assert compute_digests(b"") == EMPTY_DIGESTS
    assert compute_digests(io.BytesIO()) == EMPTY_DIGESTS


@pytest.mark.parametrize("chunk_size", [1, 7, 4096, 1 << 20])
def test_stream_equals_bytes_whatever_the_chunking(chunk_size: int) -> None:
    data = os.urandom(50_000)
    assert compute_digests(io.BytesIO(data), chunk_size=chunk_size) == compute_digests(data)
    assert compute_digests(data).sha256 == hashlib.sha256(data).hexdigest()


def test_accumulator_accepts_bytes_like_objects() -> None:
    acc = DigestAccumulator()
    acc.update(b"ab")
    acc.update(bytearray(b"c"))
    acc.update(memoryview(b"def"))
    assert acc.finish() == compute_digests(b"abcdef")


def test_memoryview_size_counts_bytes_not_items() -> None:
    view = memoryview(bytes(8)).cast("Q")
    assert compute_digests(view).size == 8
