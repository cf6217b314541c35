"""Resource limits for decoding untrusted video.

Seized videos are hostile input: a header may claim ten hours for a two-second file, a
frame size FFmpeg itself refuses, or a stream that never ends. Nothing here trusts what a
header declares: no buffer is sized from a declared duration or frame count, and every limit
below is checked against what was actually decoded. When a limit is reached the video keeps
the fingerprint of what was decoded so far and the result records why it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sentinela.errors import InvalidInputError

#: Seconds between hashed frames in vPDQ (Meta's reference default, ``seconds_per_hash``).
SECONDS_PER_HASH: Final = 1.0
#: Largest frame hashed: 8192 x 4096 (8K DCI and 360-degree camera video fit).
DEFAULT_MAX_FRAME_PIXELS: Final = 8192 * 4096
#: vPDQ refuses frames with a side under 5 pixels (``MIN_HASHABLE_DIM`` in the reference).
MIN_FRAME_SIDE: Final = 5
#: Decoded video time after which decoding stops (six hours).
DEFAULT_MAX_DURATION_S: Final = 6 * 3600.0
#: Decoded frames after which decoding stops (about 9 hours at 60 frames a second).
DEFAULT_MAX_FRAMES: Final = 2_000_000
#: Wall-clock seconds one video may take before decoding stops.
DEFAULT_MAX_WALL_S: Final = 1800.0
#: Corrupt packets skipped before decoding gives up on the rest of the stream.
DEFAULT_MAX_DECODE_ERRORS: Final = 20
#: Keyframes kept for the review strip, and the longest side of each thumbnail.
DEFAULT_MAX_KEYFRAMES: Final = 8
DEFAULT_KEYFRAME_SIDE: Final = 256


@dataclass(frozen=True, slots=True)
class VideoLimits:
    """Limits applied to one video; the defaults suit seized material.

    Attributes:
        seconds_per_hash: seconds between hashed frames; 1.0 is vPDQ's default and what other
            agencies' vPDQ hashes use, so change it only to compare with a list made otherwise.
        max_frame_pixels: frames (declared or decoded) above this many pixels are not hashed.
        max_duration_s: decoding stops after this much decoded video time.
        max_frames: decoding stops after this many decoded frames.
        max_wall_s: decoding stops after this many seconds of wall-clock time.
        max_decode_errors: decoding stops after this many packets the decoder rejected.
        max_keyframes: thumbnails kept for the keyframe strip (0 for none).
        keyframe_side: longest side of a keyframe thumbnail, in pixels.
    """

    seconds_per_hash: float = SECONDS_PER_HASH
    max_frame_pixels: int = DEFAULT_MAX_FRAME_PIXELS
    max_duration_s: float = DEFAULT_MAX_DURATION_S
    max_frames: int = DEFAULT_MAX_FRAMES
    max_wall_s: float = DEFAULT_MAX_WALL_S
    max_decode_errors: int = DEFAULT_MAX_DECODE_ERRORS
    max_keyframes: int = DEFAULT_MAX_KEYFRAMES
    keyframe_side: int = DEFAULT_KEYFRAME_SIDE

    def __post_init__(self) -> None:
        positive = ("seconds_per_hash", "max_frame_pixels", "max_duration_s", "max_frames")
        for name in (*positive, "max_wall_s", "keyframe_side"):
            if not getattr(self, name) > 0:
                raise InvalidInputError(f"VideoLimits.{name} must be positive")
        for name in ("max_decode_errors", "max_keyframes"):
            if getattr(self, name) < 0:
                raise InvalidInputError(f"VideoLimits.{name} must not be negative")
