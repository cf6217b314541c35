"""The video part of an ingest worker: vPDQ fingerprint, metadata and keyframe strip.

A file whose detected MIME type is a video (:data:`~sentinela.video.VIDEO_MIME_TYPES`) is
fingerprinted beside its hashes. Its keyframe JPEGs are media content: they are encrypted
into the vault here, in the worker, and only their addresses travel to the driver. A vault
thumbnail is filed under the SHA-256 of the media it shows (one per media item), so each
keyframe is stored as a vault ``media`` object under the SHA-256 of its own JPEG bytes,
which the vault verifies while encrypting.

The result is a plain, JSON-able dictionary (see :func:`video_part`). A bad video never
fails the file: the file is hashed and stored, and ``error_kind`` says what went wrong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, BinaryIO, Final

from sentinela.errors import ConfigurationError, SentinelaError
from sentinela.vault.store import Vault
from sentinela.video.fingerprint import fingerprint_video
from sentinela.video.limits import VideoLimits
from sentinela.video.opening import VIDEO_MIME_TYPES
from sentinela.video.result import VideoResult

#: The error kind of a video whose fingerprinting failed unexpectedly (persisted).
VIDEO_FAILED: Final = "video_failed"


def is_video(mime: str) -> bool:
    """Whether a file of detected type ``mime`` is fingerprinted as a video."""
    return mime in VIDEO_MIME_TYPES


def video_part(
    opener: Callable[[], BinaryIO],
    data: bytes | None,
    vault: Vault,
    *,
    want_keyframes: bool = True,
    limits: VideoLimits | None = None,
) -> dict[str, Any]:
    """Fingerprint one video and store its keyframes encrypted in the vault.

    Args:
        opener: opens a new read-only, seekable stream over the file (used when ``data`` is
            None).
        data: the file's bytes, when already in memory.
        vault: where keyframe JPEGs are encrypted.
        want_keyframes: build and store the keyframe strip.
        limits: decoding limits; defaults when None.

    Returns:
        ``{"vpdq", "frame_count", "metadata": VideoMetadata.to_dict() or None, "keyframes":
        [{"frame_number", "timestamp", "key", "sha256"}], "error_kind", "error"}``.

    Raises:
        VaultError, OSError: the vault cannot be written (not about this file).
    """
    try:
        if data is not None:
            video = fingerprint_video(data, limits, want_keyframes=want_keyframes)
        else:
            with opener() as stream:
                video = fingerprint_video(stream, limits, want_keyframes=want_keyframes)
    except ConfigurationError:
        raise
    except (SentinelaError, OSError) as exc:
        return _failed(exc)
    except Exception as exc:  # noqa: BLE001 - one video's failure must not end the ingest
        return _failed(exc, with_type=True)
    keyframes = []
    for frame in video.keyframes:
        sha = hashlib.sha256(frame.jpeg).hexdigest()
        vault.put(sha, frame.jpeg)  # a no-op when the vault holds it already
        keyframes.append(
            {
                "frame_number": frame.frame_number,
                "timestamp": frame.timestamp,
                "key": frame.key,
                "sha256": sha,
            }
        )
    return _as_dict(video, keyframes)


def _as_dict(video: VideoResult, keyframes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "vpdq": video.vpdq() if video.frames else "",
        "frame_count": len(video.frames),
        "metadata": video.metadata.to_dict() if video.metadata is not None else None,
        "keyframes": keyframes,
        "error_kind": video.error_kind,
        "error": video.error,
    }


def _failed(exc: BaseException, *, with_type: bool = False) -> dict[str, Any]:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else ""
    name = type(exc).__name__
    message = (f"{name}: {line}" if with_type else line) if line else name
    return {
        "vpdq": "",
        "frame_count": 0,
        "metadata": None,
        "keyframes": [],
        "error_kind": VIDEO_FAILED,
        "error": message,
    }
