"""Why a video could not be (fully) fingerprinted.

:class:`VideoErrorKind` values are persisted (in ingest results and the database): never
change one. :class:`VideoProblem` is raised inside the package and turned into a
:class:`~sentinela.video.result.VideoResult` carrying ``error``/``error_kind``, so an ingest
run records a bad video against its occurrence and goes on.
"""

from __future__ import annotations

from enum import StrEnum

from sentinela.errors import UnsupportedMediaError


class VideoErrorKind(StrEnum):
    """What went wrong with a video, most serious first within each group."""

    #: Zero bytes.
    EMPTY = "empty"
    #: Not a container Sentinela decodes (MP4/MOV/3GP, Matroska/WebM, AVI, MPEG-PS, FLV, ASF).
    UNSUPPORTED_CONTAINER = "unsupported_container"
    #: FFmpeg cannot parse the container (for example an MP4 cut before its index).
    CORRUPT_CONTAINER = "corrupt_container"
    #: The container holds no video stream (audio only, for instance).
    NO_VIDEO_STREAM = "no_video_stream"
    #: FFmpeg has no decoder for the video codec, or cannot open it.
    UNSUPPORTED_CODEC = "unsupported_codec"
    #: The frames are larger than :attr:`VideoLimits.max_frame_pixels` (or than FFmpeg allows).
    FRAME_TOO_LARGE = "frame_too_large"
    #: A frame side is under 5 pixels, which vPDQ cannot hash.
    FRAME_TOO_SMALL = "frame_too_small"
    #: The stream declares no usable frame size.
    INVALID_FRAME_SIZE = "invalid_frame_size"
    #: The stream opened but no frame decoded.
    NO_FRAMES = "no_frames"
    #: Decoding stopped on corrupt data; the frames before it are kept.
    DECODE_ERROR = "decode_error"
    #: Decoding stopped at a duration, frame-count or time limit; the frames before are kept.
    LIMIT_REACHED = "limit_reached"
    #: Decoding ended normally but the header declares another duration (truncated file or
    #: false header); every decoded frame is kept.
    DURATION_MISMATCH = "duration_mismatch"


#: Kinds after which the fingerprint still covers the frames that were decoded.
PARTIAL_KINDS = frozenset(
    {VideoErrorKind.DECODE_ERROR, VideoErrorKind.LIMIT_REACHED, VideoErrorKind.DURATION_MISMATCH}
)


class VideoProblem(UnsupportedMediaError):
    """A video cannot be fingerprinted; ``kind`` says why, for programs."""

    def __init__(self, kind: VideoErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
