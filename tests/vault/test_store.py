from __future__ import annotations

import io
import os
import stat
import time
from pathlib import Path

import pytest

from sentinela.errors import (
    InvalidHashError,
    InvalidInputError,
    NotFoundError,
    VaultError,
)
from sentinela.vault import store as store_module
from sentinela.vault.errors import CorruptObjectError, ObjectMissingError
from sentinela.vault.format import HEADER_BYTES
from sentinela.vault.keys import MasterKey
from sentinela.vault.store import Vault

from .helpers import MIB, SMALL_CHUNK, all_file_bytes, payload, sha


class ShortReads(io.RawIOBase):
    """A stream that returns at most 1000 bytes per read, like a pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(min(size, 1000) if size >= 0 else 1000)


class FailingStream(io.RawIOBase):
    """A stream that fails after some bytes (an unreadable sector)."""

    def __init__(self, data: bytes, fail_after: int) -> None:
        self._data = io.BytesIO(data)
        self._fail_after = fail_after

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._data.tell() >= self._fail_after:
            raise OSError("I/O error reading exhibit")
        return self._data.read(size)


def _objects(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.sv"))


def _leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("size", [0, 1, SMALL_CHUNK - 1, SMALL_CHUNK, 3 * SMALL_CHUNK + 7])
def test_round_trip_small_sizes(vault: Vault, size: int) -> None:
    data = payload(size, seed=size)
    ref = vault.put(sha(data), data)
    assert ref.created and ref.plaintext_size == size and ref.kind == "media"
    assert vault.get(sha(data)) == data
    vault.verify(sha(data))


def test_round_trip_multi_chunk_from_stream(tmp_path: Path, master: MasterKey) -> None:
    vault = Vault(tmp_path / "v", master, chunk_size=256 * 1024)
    data = payload(int(3.5 * MIB), seed=7)
    ref = vault.put(sha(data), io.BytesIO(data))
    assert ref.plaintext_size == len(data)
    assert vault.get(sha(data)) == data
    assert b"".join(vault.iter_chunks(sha(data))) == data
    assert [len(c) for c in vault.iter_chunks(sha(data))] == [256 * 1024] * 14
    object_size = vault.path_for(sha(data)).stat().st_size
    assert object_size == HEADER_BYTES + len(data) + 14 * 16


def test_stream_with_short_reads(vault: Vault) -> None:
    data = payload(5 * SMALL_CHUNK + 123, seed=3)
    vault.put(sha(data), ShortReads(data))  # type: ignore[arg-type]
    assert vault.get(sha(data)) == data


def test_layout_and_modes(vault: Vault) -> None:
    data = b"layout"
    digest = sha(data)
    ref = vault.put(digest, data)
    assert ref.relpath == f"media/{digest[:2]}/{digest[2:4]}/{digest}.sv"
    path = vault.root / ref.relpath
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (vault.root, path.parent, path.parent.parent, vault.root / "media"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_second_put_is_a_no_op(vault: Vault) -> None:
    data = payload(10_000)
    first = vault.put(sha(data), data)
    path = vault.path_for(sha(data))
    before = (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino)
    second = vault.put(sha(data), io.BytesIO(data))
    assert not second.created and second.relpath == first.relpath
    assert second.plaintext_size == len(data)
    assert (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino) == before
    assert len(_objects(vault.root)) == 1


def test_wrong_sha256_refused_and_nothing_left(vault: Vault) -> None:
    data = payload(3 * SMALL_CHUNK)
    claimed = sha(b"something else")
    with pytest.raises(VaultError, match=f"refusing to store media {claimed}"):
        vault.put(claimed, data)
    assert not vault.exists(claimed)
    assert _leftovers(vault.root) == []


def test_failing_stream_leaves_nothing(vault: Vault) -> None:
    data = payload(10 * SMALL_CHUNK)
    with pytest.raises(OSError, match="I/O error"):
        vault.put(sha(data), FailingStream(data, 4 * SMALL_CHUNK))  # type: ignore[arg-type]
    assert _leftovers(vault.root) == []


def test_sha256_is_normalised_and_validated(vault: Vault) -> None:
    data = b"case"
    ref = vault.put(sha(data).upper(), data)
    assert ref.sha256 == sha(data)
    assert vault.get(sha(data).upper()) == data
    for bad in ("", "xyz", sha(data)[:-1], sha(data) + "0", "g" * 64):
        with pytest.raises(InvalidHashError):
            vault.put(bad, data)
        with pytest.raises(InvalidHashError):
            vault.get(bad)


def test_unknown_kind_refused(vault: Vault) -> None:
    with pytest.raises(InvalidInputError, match="kind"):
        vault.put(sha(b"x"), b"x", kind="video")


def test_bad_chunk_size_refused(tmp_path: Path, master: MasterKey) -> None:
    with pytest.raises(InvalidInputError):
        Vault(tmp_path, master, chunk_size=16)


def test_thumbnails_have_their_own_namespace(vault: Vault) -> None:
    media = payload(9000, seed=1)
    thumb = payload(500, seed=2)  # its own hash differs: keyed by the media's SHA-256
    vault.put(sha(media), media)
    ref = vault.put(sha(media), thumb, kind="thumbnail")
    assert ref.relpath.startswith("thumbnails/") and ref.created
    assert vault.get(sha(media), kind="thumbnail") == thumb
    assert vault.get(sha(media)) == media
    vault.verify(sha(media), kind="thumbnail")
    assert list(vault.iter_addresses("thumbnail")) == [sha(media)]
    assert not vault.exists(sha(thumb), kind="thumbnail")


def test_missing_object(vault: Vault) -> None:
    digest = sha(b"never stored")
    assert not vault.exists(digest)
    for call in (vault.get, vault.iter_chunks, vault.open_stream, vault.verify):
        with pytest.raises(ObjectMissingError) as info:
            call(digest)
        assert isinstance(info.value, VaultError) and isinstance(info.value, NotFoundError)
        assert digest in str(info.value)


def test_wrong_master_key_refused(vault: Vault, master: MasterKey) -> None:
    data = payload(5000)
    vault.put(sha(data), data)
    stranger = Vault(vault.root, MasterKey.generate())
    with pytest.raises(VaultError, match=f"master key {master.key_id}.*not loaded"):
        stranger.get(sha(data))
    # A retired key is still accepted for reading.
    rotated = Vault(vault.root, MasterKey.generate(), retired=[master])
    assert rotated.get(sha(data)) == data


def test_no_plaintext_reaches_the_disk(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = b"PLAINTEXT-MARKER-7f3a"
    data = (marker + payload(300)) * 200  # many chunks, marker in each
    seen_before_rename: list[bytes] = []
    real_replace = os.replace

    def spying_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        seen_before_rename.append(Path(src).read_bytes())
        real_replace(src, dst)

    monkeypatch.setattr(store_module.os, "replace", spying_replace)
    vault.put(sha(data), io.BytesIO(data))
    vault.put(sha(data[:999]), data[:999], kind="thumbnail")
    assert len(seen_before_rename) == 2
    assert all(marker not in blob for blob in seen_before_rename)
    files = list(all_file_bytes(vault.root))
    assert len(files) == 2
    for _path, blob in files:
        assert marker not in blob
        assert data[300:364] not in blob


def test_export_to_writes_a_new_0600_file(vault: Vault, tmp_path: Path) -> None:
    data = payload(5 * SMALL_CHUNK + 5)
    vault.put(sha(data), data)
    target = tmp_path / "export" / "item.bin"
    target.parent.mkdir()
    assert vault.export_to(sha(data), target) == len(data)
    assert target.read_bytes() == data
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        vault.export_to(sha(data), target)
    assert target.read_bytes() == data


def test_export_of_a_corrupt_object_leaves_no_partial_file(vault: Vault, tmp_path: Path) -> None:
    data = payload(5 * SMALL_CHUNK)
    vault.put(sha(data), data)
    path = vault.path_for(sha(data))
    raw = bytearray(path.read_bytes())
    raw[-20] ^= 1  # inside the last chunk: earlier chunks decrypt fine
    path.write_bytes(bytes(raw))
    target = tmp_path / "item.bin"
    with pytest.raises(CorruptObjectError, match="chunk 4"):
        vault.export_to(sha(data), target)
    assert not target.exists()


def test_iter_addresses_lists_sorted_media(vault: Vault) -> None:
    blobs = [payload(100, seed=i) for i in range(5)]
    for blob in blobs:
        vault.put(sha(blob), blob)
    assert list(vault.iter_addresses()) == sorted(sha(b) for b in blobs)
    assert list(vault.iter_addresses("thumbnail")) == []


def test_put_repairs_a_damaged_object(vault: Vault) -> None:
    data = payload(3 * SMALL_CHUNK)
    vault.put(sha(data), data)
    path = vault.path_for(sha(data))
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(CorruptObjectError):
        vault.get(sha(data))
    assert vault.put(sha(data), data).created
    assert vault.get(sha(data)) == data


def test_remove_partials_only_removes_old_ones(vault: Vault) -> None:
    tmp = vault.root / "tmp"
    tmp.mkdir(parents=True)
    old, fresh = tmp / "a.partial", tmp / "b.partial"
    old.write_bytes(b"ciphertext")
    fresh.write_bytes(b"ciphertext")
    long_ago = time.time() - 7200
    os.utime(old, (long_ago, long_ago))
    assert vault.remove_partials(older_than_s=3600) == 1
    assert not old.exists() and fresh.exists()
    assert Vault(vault.root / "nowhere", vault.master).remove_partials() == 0
