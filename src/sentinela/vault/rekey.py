"""Re-wrap one object's key under a new master key, crash-safely, without touching its body.

Why a journal rather than rewriting the whole file: an object may be a 4 GB video, and
rotation must not copy (let alone re-encrypt) the national store. Only the 48-byte key slot
changes, in place. To make that one small write atomic per object, the new slot is first
saved to a journal file (written to a temporary name, fsynced and renamed, so it is complete
or absent); then the slot is overwritten and fsynced; then the journal is deleted. After a
crash, :func:`replay_journals` writes any journalled slot again. Re-applying is harmless,
so a torn slot write can always be repaired and no object is ever left unreadable.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path

from sentinela.errors import VaultError
from sentinela.vault.errors import CorruptObjectError
from sentinela.vault.format import (
    HEADER_BYTES,
    SLOT_BYTES,
    SLOT_OFFSET,
    KeySlot,
    parse_header,
)
from sentinela.vault.keys import MasterKey

JOURNAL_MAGIC = b"SVRK\x00\x01"
JOURNAL_SUFFIX = ".rekey"


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_journal(journal: Path, slot: KeySlot) -> None:
    tmp = journal.with_name(f"{journal.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, JOURNAL_MAGIC + slot.pack())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, journal)
    fsync_dir(journal.parent)


def _write_slot(path: Path, slot: KeySlot) -> None:
    packed = slot.pack()
    fd = os.open(path, os.O_WRONLY)
    try:
        if os.pwrite(fd, packed, SLOT_OFFSET) != len(packed):
            raise VaultError(f"short write re-wrapping vault object {path.name}")
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_journal(journal: Path) -> KeySlot:
    raw = journal.read_bytes()
    if len(raw) != len(JOURNAL_MAGIC) + SLOT_BYTES or not raw.startswith(JOURNAL_MAGIC):
        raise VaultError(f"rotation journal {journal} is malformed")
    return KeySlot.unpack(raw[len(JOURNAL_MAGIC) :])


def replay_journals(journal_dir: Path, resolve: Callable[[str], Path | None]) -> int:
    """Finish slot writes interrupted by a crash.

    Args:
        journal_dir: where journals live.
        resolve: maps a journal's stem to its object's path (``None`` if unknown).

    Returns:
        The number of journals replayed.
    """
    if not journal_dir.is_dir():
        return 0
    replayed = 0
    for journal in sorted(journal_dir.glob(f"*{JOURNAL_SUFFIX}")):
        target = resolve(journal.name[: -len(JOURNAL_SUFFIX)])
        if target is not None and target.is_file():
            _write_slot(target, _read_journal(journal))
            replayed += 1
        journal.unlink()
    for stale in journal_dir.glob(f"*{JOURNAL_SUFFIX}.*.tmp"):
        stale.unlink()  # never renamed into place, so its slot was never written
    fsync_dir(journal_dir)
    return replayed


def rewrap_object(
    path: Path,
    *,
    name: str,
    keys: Mapping[bytes, MasterKey],
    new: MasterKey,
    journal: Path,
) -> bool:
    """Re-wrap the key of the object at ``path`` under ``new``.

    Args:
        path: the object file.
        name: how errors name the object.
        keys: every master key that may have wrapped it, by raw key id.
        new: the new master key.
        journal: the journal file to use for this object.

    Returns:
        ``False`` if the object was already under ``new`` (skipped), ``True`` if re-wrapped.

    Raises:
        VaultError: the object's current master key is not in ``keys``.
        CorruptObjectError: the header is malformed or the slot fails to unwrap.
    """
    with path.open("rb") as fh:
        header = parse_header(fh.read(HEADER_BYTES), name=name)
    if header.slot.key_id == new.key_id_bytes:
        return False
    old = keys.get(header.slot.key_id)
    if old is None:
        raise VaultError(
            f"vault object {name} is wrapped under master key {header.slot.key_id.hex()}, "
            "which was not given"
        )
    try:
        data_key = old.unwrap(header.slot.wrapped_key)
    except VaultError:
        raise CorruptObjectError(f"vault object {name}: key slot fails to unwrap") from None
    slot = KeySlot(new.key_id_bytes, new.wrap(data_key))
    _write_journal(journal, slot)
    _write_slot(path, slot)
    journal.unlink()
    return True
