"""What crosses the process boundary: plain, JSON-able task and result dictionaries.

Tasks and results are built from str, int, float, bool, None, bytes, lists and dicts only,
so the same functions serve the inline executor, the local process pool and Ray, and nothing
of our own object model is serialised between processes.

A worker hashes one entry (:func:`sentinela.hashing.hasher.hash_file`, the same code as
``sentinela hash``), fingerprints it when it is a video (:mod:`sentinela.ingest.video`) and
stores its bytes, thumbnail and keyframes in the encrypted vault, which is
content-addressed and idempotent: a task run twice (after an interruption) stores nothing
new. Plaintext only ever lives in memory; the vault writes ciphertext.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Final

from sentinela.errors import ConfigurationError, SentinelaError
from sentinela.evidence.entries import failure_for_error
from sentinela.evidence.streams import open_readonly
from sentinela.hashing.allocator import keep_freed_memory
from sentinela.hashing.hasher import hash_file
from sentinela.ingest.video import is_video, video_part
from sentinela.vault.keys import load_master_key
from sentinela.vault.store import Vault

#: Files up to this size are read into memory once, hashed and encrypted from there; larger
#: ones are streamed twice (hash, then encrypt), so a worker's memory stays bounded.
IN_MEMORY_BYTES: Final = 64 << 20

#: The error code of a file whose hashing failed unexpectedly (persisted: never change it).
PROCESSING_FAILED: Final = "processing_failed"


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


_vaults: dict[tuple[str, str, bool], Vault] = {}
_setup: dict[str, bool] = {}


def worker_setup() -> None:
    """Prepare a worker process once: keep freed memory for the next image.

    Called by the local pool's initialiser and by the Ray task before its first file; the
    inline executor does not call it, so the driver's process keeps glibc's defaults.
    """
    if not _setup.get("done"):
        keep_freed_memory()
        _setup["done"] = True


def _vault(cfg: dict[str, Any]) -> Vault:
    key = (cfg["vault_root"], cfg["key_file"], bool(cfg["strict_key"]))
    vault = _vaults.get(key)
    if vault is None:
        master = load_master_key(Path(cfg["key_file"]), strict=cfg["strict_key"])
        vault = Vault(Path(cfg["vault_root"]), master)
        _vaults[key] = vault
    return vault


def process_task(task: dict[str, Any], cfg: dict[str, Any]) -> dict[str, Any]:
    """Hash one entry and store its bytes (and thumbnail) encrypted in the vault.

    Args:
        task: ``{"key", "path", "file": path on disk or None, "data": bytes or None}``; a
            ``file`` is a regular file of a folder exhibit, opened read-only without
            following symlinks.
        cfg: :meth:`WorkerConfig.as_dict`.

    Returns:
        See :func:`process_stream`.
    """
    data: bytes | None = task.get("data")
    if data is None:
        file_path: str = task["file"]
        try:
            with open_readonly(file_path, follow_symlinks=False) as stream:
                if os.fstat(stream.fileno()).st_size <= IN_MEMORY_BYTES:
                    data = stream.read()
        except (SentinelaError, OSError) as exc:
            return _failure(task["key"], str(failure_for_error(task["path"], exc).code), exc)
        if data is None:
            return process_stream(
                lambda: open_readonly(file_path, follow_symlinks=False),
                task["key"],
                task["path"],
                cfg,
            )
    payload = data
    return process_stream(lambda: io.BytesIO(payload), task["key"], task["path"], cfg, payload)


def ray_task(task: dict[str, Any], cfg: dict[str, Any]) -> dict[str, Any]:
    """:func:`process_task` as a Ray task: sets the worker up on its first call."""
    worker_setup()
    return process_task(task, cfg)


def process_stream(
    opener: Callable[[], BinaryIO],
    key: str,
    path: str,
    cfg: dict[str, Any],
    data: bytes | None = None,
) -> dict[str, Any]:
    """Hash the bytes ``opener`` gives and store them in the vault.

    Args:
        opener: opens a new stream over the content (called twice when ``data`` is None).
        key: the occurrence key, echoed back.
        path: the path inside the exhibit (for the extension check).
        cfg: :meth:`WorkerConfig.as_dict`.
        data: the content, when already in memory.

    Returns:
        ``{"key", "ok": True, "hashes": FileHashResult.to_dict(), "stored", "thumbnail"}``
        (plus ``"video"``, see :func:`~sentinela.ingest.video.video_part`, for a video) or
        ``{"key", "ok": False, "code", "message"}``: a file that cannot be read or hashed
        never raises (``code`` as :func:`~sentinela.evidence.entries.failure_for_error`
        gives it, or ``processing_failed``).

    Raises:
        ConfigurationError: the master key cannot be loaded.
        VaultError, OSError: the vault cannot be written.
    """
    try:
        with opener() as stream:
            result = hash_file(stream, path, want_thumbnail=cfg["want_thumbnail"])
    except ConfigurationError:
        raise  # Pillow misconfigured in this process: not about this file
    except (SentinelaError, OSError) as exc:
        failure = failure_for_error(path, exc)
        return _failure(key, str(failure.code), exc)
    except Exception as exc:  # noqa: BLE001 - one file's failure must not end a seizure's ingest
        return _failure(key, PROCESSING_FAILED, exc, with_type=True)
    # Vault errors (no key, disk full) are not about this file: they stop the run, which
    # can then be resumed, rather than marking every later file as failed.
    vault = _vault(cfg)
    if result.size > 0:
        if data is not None:
            vault.put(result.sha256, data)  # a no-op when the vault holds it already
        elif not vault.exists(result.sha256):
            with opener() as stream:
                vault.put(result.sha256, stream)
    thumb = result.thumbnail
    if thumb:
        vault.put(result.sha256, thumb, kind="thumbnail")
    out: dict[str, Any] = {
        "key": key,
        "ok": True,
        "hashes": result.to_dict(),
        "stored": result.size > 0,
        "thumbnail": thumb is not None,
    }
    if result.size > 0 and is_video(result.mime):
        out["video"] = video_part(opener, data, vault, want_keyframes=cfg["want_thumbnail"])
    return out


def _failure(key: str, code: str, exc: BaseException, *, with_type: bool = False) -> dict[str, Any]:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else ""
    name = type(exc).__name__
    message = (f"{name}: {line}" if with_type else line) if line else name
    return {"key": key, "ok": False, "code": code, "message": message}
