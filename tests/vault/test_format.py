from __future__ import annotations

import os

import pytest

from sentinela.vault.errors import CorruptObjectError
from sentinela.vault.format import (
    HEADER_BYTES,
    SLOT_OFFSET,
    Header,
    KeySlot,
    chunk_count,
    chunk_nonce,
    parse_header,
)


def _header(**changes: object) -> Header:
    values: dict[str, object] = {
        "kind": "media",
        "chunk_size": 4096,
        "address": os.urandom(32),
        "nonce_prefix": os.urandom(7),
        "plaintext_size": 10_000,
        "slot": KeySlot(os.urandom(8), os.urandom(40)),
    }
    values.update(changes)
    return Header(**values)  # type: ignore[arg-type]


def test_header_layout_is_fixed() -> None:
    header = _header()
    packed = header.pack()
    assert len(packed) == HEADER_BYTES == 108
    assert packed[:4] == b"SVLT" and packed[4:6] == b"\x00\x01"
    assert packed[SLOT_OFFSET:] == header.slot.pack()
    assert parse_header(packed, name="x") == header


def test_key_slot_is_outside_the_associated_data() -> None:
    header = _header()
    other = _header(
        address=header.address,
        nonce_prefix=header.nonce_prefix,
        slot=KeySlot(os.urandom(8), os.urandom(40)),
    )
    assert header.associated_data(final=False) == other.associated_data(final=False)
    assert header.associated_data(final=True) == other.associated_data(final=True)


def test_final_chunk_authenticates_the_size() -> None:
    a = _header(plaintext_size=1)
    b = _header(address=a.address, nonce_prefix=a.nonce_prefix, plaintext_size=2)
    assert a.associated_data(final=False) == b.associated_data(final=False)
    assert a.associated_data(final=True) != b.associated_data(final=True)


@pytest.mark.parametrize(
    ("size", "chunk", "expected"),
    [(0, 4096, 1), (1, 4096, 1), (4096, 4096, 1), (4097, 4096, 2), (8192, 4096, 2)],
)
def test_chunk_count(size: int, chunk: int, expected: int) -> None:
    assert chunk_count(size, chunk) == expected


def test_file_size_and_offsets() -> None:
    header = _header(plaintext_size=10_000, chunk_size=4096)
    assert header.chunk_count() == 3
    assert header.file_size() == HEADER_BYTES + 10_000 + 3 * 16
    assert header.chunk_offset(2) == HEADER_BYTES + 2 * (4096 + 16)
    assert [header.chunk_plain_len(i) for i in range(3)] == [4096, 4096, 10_000 - 8192]


def test_nonces_differ_by_index_and_final_flag() -> None:
    prefix = os.urandom(7)
    nonces = {chunk_nonce(prefix, i, final=f) for i in range(100) for f in (False, True)}
    assert len(nonces) == 200
    assert all(len(n) == 12 for n in nonces)


@pytest.mark.parametrize(
    ("offset", "value", "match"),
    [
        (0, b"XXXX", "bad magic"),
        (4, b"\x00\x02", "format version 2"),
        (6, b"\x09", "unknown kind"),
        (8, b"\x00\x00\x00\x10", "invalid chunk size"),
        (7, b"\x01", "reserved"),
        (51, b"\x01", "reserved"),
    ],
)
def test_malformed_headers_are_refused(offset: int, value: bytes, match: str) -> None:
    raw = bytearray(_header().pack())
    raw[offset : offset + len(value)] = value
    with pytest.raises(CorruptObjectError, match=match):
        parse_header(bytes(raw), name="media abc")


def test_short_header_is_truncated() -> None:
    with pytest.raises(CorruptObjectError, match="truncated"):
        parse_header(_header().pack()[:50], name="media abc")
