from __future__ import annotations

import io
import shutil
import struct
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image

from sentinela.errors import VaultError
from sentinela.vault.errors import CorruptObjectError
from sentinela.vault.format import HEADER_BYTES, SIZE_OFFSET, SLOT_OFFSET, TAG_BYTES
from sentinela.vault.store import Vault

from .helpers import SMALL_CHUNK, payload, sha

SEALED = SMALL_CHUNK + TAG_BYTES
DATA = payload(4 * SMALL_CHUNK + 1000, seed=11)  # 5 chunks, the last one short
DIGEST = sha(DATA)


def _stored(vault: Vault) -> bytearray:
    vault.put(DIGEST, DATA)
    return bytearray(vault.path_for(DIGEST).read_bytes())


def _rewrite(vault: Vault, raw: bytes | bytearray) -> None:
    vault.path_for(DIGEST).write_bytes(bytes(raw))


def _flip(offset: int) -> Callable[[bytearray], bytearray]:
    def edit(raw: bytearray) -> bytearray:
        raw[offset] ^= 0x01
        return raw

    return edit


def _swap_chunks(raw: bytearray) -> bytearray:
    first = slice(HEADER_BYTES + SEALED, HEADER_BYTES + 2 * SEALED)
    second = slice(HEADER_BYTES + 2 * SEALED, HEADER_BYTES + 3 * SEALED)
    raw[first], raw[second] = raw[second], raw[first]
    return raw


def _drop_last_chunk_and_fix_size(raw: bytearray) -> bytearray:
    # An attacker who cuts at a chunk boundary and edits the size field to match.
    cut = raw[: HEADER_BYTES + 4 * SEALED]
    struct.pack_into(">Q", cut, SIZE_OFFSET, 4 * SMALL_CHUNK)
    return cut


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (_flip(10), "truncated|trailing"),  # chunk size: the layout no longer fits
        (_flip(7), "reserved"),
        (_flip(51), "reserved"),
        (_flip(45), "fails authentication at chunk 0"),  # nonce prefix
        (_flip(12), "misplaced"),  # address
        (_flip(SIZE_OFFSET + 7), "truncated|trailing"),  # size vs length
        (_flip(SLOT_OFFSET + 20), "key slot fails to unwrap"),
        (_flip(HEADER_BYTES + 5), "fails authentication at chunk 0"),  # body
        (_flip(HEADER_BYTES + 2 * SEALED + 3), "fails authentication at chunk 2"),
        (_flip(-1), "fails authentication at chunk 4"),  # last tag byte
        (lambda raw: raw[:-1], "truncated"),
        (lambda raw: raw[: HEADER_BYTES + 2 * SEALED], "truncated"),
        (lambda raw: raw[:60], "truncated"),
        (lambda raw: raw + b"\x00", "trailing"),
        (_swap_chunks, "fails authentication at chunk 1"),
        (_drop_last_chunk_and_fix_size, "fails authentication at chunk 3"),
    ],
)
def test_tampering_is_detected(
    vault: Vault, edit: Callable[[bytearray], bytearray], match: str
) -> None:
    _rewrite(vault, edit(_stored(vault)))

    def read_all() -> bytes:
        return vault.get(DIGEST)

    with pytest.raises(CorruptObjectError, match=match) as info:
        read_all()
    assert DIGEST in str(info.value)
    with pytest.raises(CorruptObjectError):
        vault.verify(DIGEST)


def test_forged_key_id_is_reported_as_an_unknown_key(vault: Vault) -> None:
    raw = _stored(vault)
    raw[SLOT_OFFSET] ^= 0xFF
    _rewrite(vault, raw)
    with pytest.raises(VaultError, match="not loaded"):
        vault.get(DIGEST)


def test_object_copied_to_another_address_is_refused(vault: Vault) -> None:
    _stored(vault)
    other = payload(10, seed=99)
    target = vault.path_for(sha(other))
    target.parent.mkdir(parents=True)
    shutil.copy(vault.path_for(DIGEST), target)
    with pytest.raises(CorruptObjectError, match="misplaced"):
        vault.get(sha(other))


def test_media_object_filed_as_thumbnail_is_refused(vault: Vault) -> None:
    _stored(vault)
    target = vault.path_for(DIGEST, "thumbnail")
    target.parent.mkdir(parents=True)
    shutil.copy(vault.path_for(DIGEST), target)
    with pytest.raises(CorruptObjectError, match="misplaced"):
        vault.get(DIGEST, kind="thumbnail")


def test_verify_rehashes_media(vault: Vault) -> None:
    vault.put(DIGEST, DATA)
    vault.verify(DIGEST)


def test_open_stream_reads_and_seeks(vault: Vault) -> None:
    vault.put(DIGEST, DATA)
    with vault.open_stream(DIGEST) as stream:
        assert stream.seekable() and stream.readable()
        assert stream.read() == DATA
        assert stream.read(10) == b""
        for offset, length in [(0, 10), (SMALL_CHUNK - 5, 10), (3 * SMALL_CHUNK + 1, 2000)]:
            stream.seek(offset)
            assert stream.read(length) == DATA[offset : offset + length]
            assert stream.tell() == offset + min(length, len(DATA) - offset)
        stream.seek(-100, io.SEEK_END)
        assert stream.read() == DATA[-100:]
        stream.seek(10)
        stream.seek(5, io.SEEK_CUR)
        assert stream.read(3) == DATA[15:18]
        with pytest.raises(ValueError, match="negative"):
            stream.seek(-1)
    assert stream.closed


def test_open_stream_of_empty_object(vault: Vault) -> None:
    vault.put(sha(b""), b"")
    with vault.open_stream(sha(b"")) as stream:
        assert stream.read() == b""


def test_open_stream_detects_a_bad_chunk_when_reached(vault: Vault) -> None:
    raw = _stored(vault)
    raw[HEADER_BYTES + 3 * SEALED + 1] ^= 1
    _rewrite(vault, raw)
    with vault.open_stream(DIGEST) as stream:
        assert stream.read(SMALL_CHUNK) == DATA[:SMALL_CHUNK]
        with pytest.raises(CorruptObjectError, match="chunk 3"):
            stream.read()


def test_pillow_decodes_straight_from_the_stream(vault: Vault) -> None:
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 255, size=(64, 96, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    png = buffer.getvalue()
    vault.put(sha(png), png)
    with vault.open_stream(sha(png)) as stream, Image.open(stream) as image:
        assert image.size == (96, 64)
        assert np.array_equal(np.asarray(image), pixels)


def test_iter_chunks_closes_the_file_when_done(vault: Vault) -> None:
    vault.put(DIGEST, DATA)
    chunks = vault.iter_chunks(DIGEST)
    assert b"".join(chunks) == DATA
