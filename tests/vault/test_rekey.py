from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.errors import VaultError
from sentinela.vault import rekey
from sentinela.vault.errors import CorruptObjectError
from sentinela.vault.format import HEADER_BYTES, SLOT_BYTES, SLOT_OFFSET
from sentinela.vault.keys import MasterKey
from sentinela.vault.store import Vault

from .helpers import SMALL_CHUNK, payload, sha


def _fill(vault: Vault, count: int = 4) -> dict[str, bytes]:
    stored: dict[str, bytes] = {}
    for seed in range(count):
        data = payload(2 * SMALL_CHUNK + seed * 100, seed=seed)
        vault.put(sha(data), data)
        vault.put(sha(data), payload(300, seed=100 + seed), kind="thumbnail")
        stored[sha(data)] = data
    return stored


def _snapshot(vault: Vault) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(vault.root.rglob("*.sv"))}


def test_rotation_rewraps_keys_and_leaves_the_ciphertext_untouched(vault: Vault) -> None:
    stored = _fill(vault)
    before = _snapshot(vault)
    inodes = {p: p.stat().st_ino for p in before}
    new = MasterKey.generate()
    assert vault.rotate_master_key(new) == 2 * len(stored)
    after = _snapshot(vault)
    assert after.keys() == before.keys()
    for path, old_bytes in before.items():
        new_bytes = after[path]
        assert new_bytes[HEADER_BYTES:] == old_bytes[HEADER_BYTES:]  # body unchanged
        assert new_bytes[:SLOT_OFFSET] == old_bytes[:SLOT_OFFSET]  # fixed header and size
        assert new_bytes[SLOT_OFFSET : SLOT_OFFSET + 8] == new.key_id_bytes
        assert new_bytes[SLOT_OFFSET:HEADER_BYTES] != old_bytes[SLOT_OFFSET:HEADER_BYTES]
        assert path.stat().st_ino == inodes[path]  # rewritten in place, not copied
    assert vault.master is new
    only_new = Vault(vault.root, new)
    for digest, data in stored.items():
        assert only_new.get(digest) == data
        only_new.verify(digest)
        only_new.verify(digest, kind="thumbnail")
    assert list((vault.root / "rekey").iterdir()) == []


def test_old_key_alone_no_longer_reads(vault: Vault, master: MasterKey) -> None:
    stored = _fill(vault, 1)
    vault.rotate_master_key(MasterKey.generate())
    with pytest.raises(VaultError, match="not loaded"):
        Vault(vault.root, master).get(next(iter(stored)))


def test_rotation_is_resumable(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = _fill(vault)
    new = MasterKey.generate()
    real = rekey.rewrap_object
    calls = 0

    def crash_after_three(path: Path, **kwargs: object) -> bool:
        nonlocal calls
        calls += 1
        if calls > 3:
            raise KeyboardInterrupt  # the operator pressed Ctrl-C
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("sentinela.vault.store.rewrap_object", crash_after_three)
    with pytest.raises(KeyboardInterrupt):
        vault.rotate_master_key(new)
    monkeypatch.undo()
    # Mid-rotation, both keys read everything.
    resumed = Vault(vault.root, new, retired=[vault.master])
    for digest, data in stored.items():
        assert resumed.get(digest) == data
    assert resumed.rotate_master_key(new) == 2 * len(stored) - 3
    assert resumed.rotate_master_key(new) == 0
    for digest, data in stored.items():
        assert Vault(vault.root, new).get(digest) == data


def test_a_torn_slot_write_is_repaired_from_the_journal(
    vault: Vault, master: MasterKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = _fill(vault, 2)
    new = MasterKey.generate()
    victim = vault.path_for(sorted(stored)[0])

    def torn_write(path: Path, slot: rekey.KeySlot) -> None:
        with path.open("r+b") as fh:  # half the slot reaches the disk, then power fails
            fh.seek(SLOT_OFFSET)
            fh.write(slot.pack()[: SLOT_BYTES // 2])
        raise SystemExit("power failure")

    monkeypatch.setattr(rekey, "_write_slot", torn_write)
    with pytest.raises(SystemExit):
        vault.rotate_master_key(new)
    monkeypatch.undo()
    journals = list((vault.root / "rekey").glob("*.rekey"))
    assert [j.name for j in journals] == [f"media-{victim.stem}.rekey"]
    with pytest.raises(CorruptObjectError):
        Vault(vault.root, new, retired=[master]).get(victim.stem)
    # Restart: the journal is replayed first, then the rotation goes on.
    restarted = Vault(vault.root, master)
    assert restarted.rotate_master_key(new) == 2 * len(stored) - 1
    assert list((vault.root / "rekey").iterdir()) == []
    for digest, data in stored.items():
        assert Vault(vault.root, new).get(digest) == data


def test_stale_journal_temp_files_are_discarded(vault: Vault) -> None:
    _fill(vault, 1)
    journal_dir = vault.root / "rekey"
    journal_dir.mkdir()
    stale = journal_dir / "media-abc.rekey.0123.tmp"
    stale.write_bytes(b"partial")
    orphan = journal_dir / f"media-{'0' * 64}.rekey"
    orphan.write_bytes(b"whatever")  # its object does not exist: dropped unread
    vault.rotate_master_key(MasterKey.generate())
    assert list(journal_dir.iterdir()) == []


def test_malformed_journal_is_refused(vault: Vault) -> None:
    stored = _fill(vault, 1)
    journal_dir = vault.root / "rekey"
    journal_dir.mkdir()
    (journal_dir / f"media-{next(iter(stored))}.rekey").write_bytes(b"garbage")
    with pytest.raises(VaultError, match="journal"):
        vault.rotate_master_key(MasterKey.generate())


def test_object_under_an_unknown_key_stops_the_rotation(vault: Vault) -> None:
    _fill(vault, 1)
    stranger = Vault(vault.root, MasterKey.generate())
    with pytest.raises(VaultError, match="not given"):
        stranger.rotate_master_key(MasterKey.generate())


def test_damaged_slot_stops_the_rotation(vault: Vault) -> None:
    stored = _fill(vault, 1)
    path = vault.path_for(next(iter(stored)))
    raw = bytearray(path.read_bytes())
    raw[SLOT_OFFSET + 30] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(CorruptObjectError, match="unwrap"):
        vault.rotate_master_key(MasterKey.generate())


def test_new_objects_after_rotation_use_the_new_key(vault: Vault) -> None:
    new = MasterKey.generate()
    vault.rotate_master_key(new)  # an empty vault rotates trivially
    data = b"after rotation"
    vault.put(sha(data), data)
    raw = vault.path_for(sha(data)).read_bytes()
    assert raw[SLOT_OFFSET : SLOT_OFFSET + 8] == new.key_id_bytes
