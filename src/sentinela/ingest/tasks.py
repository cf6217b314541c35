"""What crosses the process boundary: plain, JSON-able task and result dictionaries.

Tasks and results are built from str, int, float, bool, None, bytes, lists and dicts only,
so the same functions serve the local process pool and Ray, and nothing of our own object
model is serialised between processes.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sentinela.errors import SentinelaError
from sentinela.hashing.hasher import hash_file
from sentinela.vault.keys import load_master_key
from sentinela.vault.store import Vault


@dataclass(frozen=True)
class WorkerConfig:
    """How a worker reaches the vault. Plain values so it can be sent anywhere."""

    vault_root: str
    key_file: str
    strict_key: bool
    want_thumbnail: bool = True

    def as_dict(self) -> dict[str, Any]:
        """Plain dictionary form."""
        return {
            "vault_root": self.vault_root,
            "key_file": self.key_file,
            "strict_key": self.strict_key,
            "want_thumbnail": self.want_thumbnail,
        }


_vaults: dict[tuple[str, str], Vault] = {}


def _vault(cfg: dict[str, Any]) -> Vault:
    key = (cfg["vault_root"], cfg["key_file"])
    vault = _vaults.get(key)
    if vault is None:
        master = load_master_key(Path(cfg["key_file"]), strict=cfg["strict_key"])
        vault = Vault(Path(cfg["vault_root"]), master)
        _vaults[key] = vault
    return vault


def process_task(task: dict[str, Any], cfg: dict[str, Any]) -> dict[str, Any]:
    """Hash one entry and store its bytes (and thumbnail) encrypted in the vault.

    Args:
        task: ``{"key", "path", "file": fs path or None, "data": bytes or None}``.
        cfg: :meth:`WorkerConfig.as_dict`.

    Returns:
        See :func:`process_stream`.
    """
    data: bytes | None = task.get("data")
    if data is not None:
        payload = data
        return process_stream(lambda: io.BytesIO(payload), task["key"], task["path"], cfg, data)
    file_path: str = task["file"]

    def opener() -> BinaryIO:
        fd = os.open(file_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        return os.fdopen(fd, "rb")

    return process_stream(opener, task["key"], task["path"], cfg)


def process_stream(
    opener: Callable[[], BinaryIO],
    key: str,
    path: str,
    cfg: dict[str, Any],
    data: bytes | None = None,
) -> dict[str, Any]:
    """Hash the bytes ``opener`` gives and store them in the vault.

    Returns:
        ``{"key", "ok": True, "hashes": FileHashResult.to_dict(), "stored", "thumbnail"}`` or
        ``{"key", "ok": False, "code", "message"}``; a bad file never raises.
    """
    try:
        with opener() as stream:
            result = hash_file(stream, path, want_thumbnail=cfg["want_thumbnail"])
        vault = _vault(cfg)
        stored = False
        if result.size > 0:
            if not vault.exists(result.sha256):
                if data is not None:
                    vault.put(result.sha256, data)
                else:
                    with opener() as stream:
                        vault.put(result.sha256, stream)
            stored = True
        thumb = result.thumbnail
        if thumb and not vault.exists(result.sha256, kind="thumbnail"):
            vault.put(result.sha256, thumb, kind="thumbnail")
        return {
            "key": key,
            "ok": True,
            "hashes": result.to_dict(),
            "stored": stored,
            "thumbnail": thumb is not None,
        }
    except (SentinelaError, OSError) as exc:
        code = "unreadable" if isinstance(exc, OSError) else "processing_failed"
        return {
            "key": key,
            "ok": False,
            "code": code,
            "message": (str(exc) or type(exc).__name__).splitlines()[0],
        }
