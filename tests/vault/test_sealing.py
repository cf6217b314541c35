from __future__ import annotations

import io
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinela.vault.format import HEADER_BYTES, TAG_BYTES, parse_header
from sentinela.vault.keys import MasterKey
from sentinela.vault.sealing import plaintext_chunks, seal
from sentinela.vault.store import Vault

from .helpers import sha


def _split(data: bytes, chunk: int, *, stream: bool) -> list[tuple[bytes, bool]]:
    source = io.BytesIO(data) if stream else data
    return [(bytes(c), final) for c, final in plaintext_chunks(source, chunk)]


@given(size=st.integers(0, 5000), chunk=st.sampled_from([1024, 1500, 4096]))
def test_bytes_and_streams_split_alike(size: int, chunk: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    from_bytes = _split(data, chunk, stream=False)
    assert from_bytes == _split(data, chunk, stream=True)
    assert b"".join(c for c, _ in from_bytes) == data
    assert [final for _, final in from_bytes] == [False] * (len(from_bytes) - 1) + [True]
    assert all(len(c) == chunk for c, _ in from_bytes[:-1])


def test_multidimensional_buffers_are_flattened() -> None:
    pixels = np.arange(24, dtype=np.uint16).reshape(4, 6)
    chunks = _split(memoryview(pixels), 1024, stream=False)  # type: ignore[arg-type]
    assert chunks == [(pixels.tobytes(), True)]


def test_seal_writes_the_size_and_reports_the_digest(master: MasterKey) -> None:
    data = b"x" * 3000
    out = io.BytesIO()
    result = seal(out, data, kind="media", address=bytes(32), chunk_size=1024, master=master)
    assert result.plaintext_size == 3000 and result.sha256 == sha(data)
    raw = out.getvalue()
    header = parse_header(raw, name="test")
    assert header.plaintext_size == 3000 and header.chunk_count() == 3
    assert len(raw) == HEADER_BYTES + 3000 + 3 * TAG_BYTES == header.file_size()


def test_each_object_gets_its_own_key_and_nonce_prefix(master: MasterKey) -> None:
    outs = [io.BytesIO(), io.BytesIO()]
    for out in outs:
        seal(out, b"same", kind="media", address=bytes(32), chunk_size=1024, master=master)
    a, b = (parse_header(o.getvalue(), name="t") for o in outs)
    assert a.slot.wrapped_key != b.slot.wrapped_key
    assert a.nonce_prefix != b.nonce_prefix
    assert outs[0].getvalue()[HEADER_BYTES:] != outs[1].getvalue()[HEADER_BYTES:]


@settings(max_examples=25)
@given(data=st.binary(max_size=6000), use_stream=st.booleans())
def test_vault_round_trip_property(data: bytes, use_stream: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault(Path(tmp), MasterKey.generate(), chunk_size=1024)
        assert vault.put(sha(data), io.BytesIO(data) if use_stream else data).created
        assert vault.get(sha(data)) == data
        with vault.open_stream(sha(data)) as stream:
            assert stream.read() == data
