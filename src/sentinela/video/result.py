"""What fingerprinting one video yields, as plain values that cross process boundaries.

Like :class:`~sentinela.hashing.hasher.FileHashResult`, a :class:`VideoResult` goes from an
ingest worker to the driver and into ``--json`` output, hence :meth:`VideoResult.to_dict` /
:meth:`VideoResult.from_dict`. Keyframe thumbnails are media content: they are left out of
the JSON form unless asked for, and the caller must encrypt them into the vault.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from sentinela.errors import FormatError, InvalidHashError
from sentinela.video.errors import PARTIAL_KINDS, VideoErrorKind
from sentinela.video.features import FrameHash
from sentinela.video.metadata import VideoMetadata
from sentinela.video.vpdq_format import to_signal, write_vpdq

#: Version of the :meth:`VideoResult.to_dict` layout.
RESULT_FORMAT_VERSION: Final = 1


@dataclass(frozen=True, slots=True)
class Keyframe:
    """One thumbnail of the keyframe strip.

    Attributes:
        frame_number: the frame's position in decoding output, as in :class:`FrameHash`.
        timestamp: presentation time in seconds.
        key: True for a frame the codec marks as a keyframe, False for a sampled frame
            standing in where keyframes are sparse.
        jpeg: JPEG bytes, longest side at most ``VideoLimits.keyframe_side`` (media content).
    """

    frame_number: int
    timestamp: float
    key: bool
    jpeg: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class VideoResult:
    """A video's vPDQ fingerprint, metadata and keyframe strip, or why they are missing.

    Attributes:
        frames: the hashed frames, one per ``seconds_per_hash``, in frame order.
        metadata: container facts; None when the container could not be opened.
        keyframes: the review strip, in time order.
        error: what went wrong, for people (FFmpeg's own messages included).
        error_kind: a :class:`VideoErrorKind` value, for programs.
    """

    frames: tuple[FrameHash, ...] = ()
    metadata: VideoMetadata | None = None
    keyframes: tuple[Keyframe, ...] = field(default=(), repr=False)
    error: str | None = None
    error_kind: str | None = None

    @property
    def usable(self) -> bool:
        """Whether :attr:`frames` can be matched: some frames, and a complete or partial run."""
        return bool(self.frames) and (self.error_kind is None or self.error_kind in PARTIAL_KINDS)

    def vpdq(self) -> str:
        """The fingerprint as Meta's ``vpdq`` hash file text."""
        return write_vpdq(self.frames)

    def signal(self) -> str:
        """The fingerprint as python-threatexchange's vPDQ ``signal_str``."""
        return to_signal(self.frames)

    def to_dict(self, *, include_keyframes: bool = False) -> dict[str, Any]:
        """JSON-able form; keyframe JPEGs only when asked for, as base64 under ``jpeg_b64``."""
        keyframes = []
        for k in self.keyframes:
            item: dict[str, Any] = {
                "frame_number": k.frame_number,
                "timestamp": k.timestamp,
                "key": k.key,
            }
            if include_keyframes:
                item["jpeg_b64"] = base64.b64encode(k.jpeg).decode()
            keyframes.append(item)
        return {
            "format_version": RESULT_FORMAT_VERSION,
            "frames": [f.to_dict() for f in self.frames],
            "metadata": self.metadata.to_dict() if self.metadata is not None else None,
            "keyframes": keyframes,
            "error": self.error,
            "error_kind": self.error_kind,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VideoResult:
        """Inverse of :meth:`to_dict`; keyframes without ``jpeg_b64`` come back empty.

        Raises:
            FormatError: another layout version, or a malformed field.
        """
        version = data.get("format_version", RESULT_FORMAT_VERSION)
        if version != RESULT_FORMAT_VERSION:
            raise FormatError(f"unsupported video result format_version {version!r}")
        try:
            frames = tuple(FrameHash.from_dict(f) for f in data.get("frames") or ())
            metadata = data.get("metadata")
            keyframes = tuple(
                Keyframe(
                    int(k["frame_number"]),
                    float(k["timestamp"]),
                    bool(k["key"]),
                    base64.b64decode(k.get("jpeg_b64") or ""),
                )
                for k in data.get("keyframes") or ()
            )
            kind = data.get("error_kind")
            return cls(
                frames=frames,
                metadata=VideoMetadata.from_dict(metadata) if metadata is not None else None,
                keyframes=keyframes,
                error=data.get("error"),
                error_kind=VideoErrorKind(kind).value if kind is not None else None,
            )
        except (InvalidHashError, KeyError, TypeError, ValueError) as exc:
            raise FormatError(f"malformed video result: {exc}") from exc
