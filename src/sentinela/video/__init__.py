"""Video: vPDQ-compatible fingerprints, metadata, keyframe strips and video matching.

:func:`fingerprint_video` is the one entry point ingest calls for a video file; it never
raises for a bad video (see :class:`VideoErrorKind`). :class:`VideoIndex` matches
fingerprints by vPDQ's rule over a faiss index of frames, beside the brute-force
:class:`BruteVideoIndex` it is tested against; both are listed by
:func:`build_video_index_registry`. Importing this package does no work and changes no
global state. See ``docs/video.md``.
"""

from __future__ import annotations

from sentinela.video.brute_index import BruteVideoIndex
from sentinela.video.errors import VideoErrorKind, VideoProblem
from sentinela.video.features import VPDQ_QUALITY_THRESHOLD, FrameHash, prepare_for_matching
from sentinela.video.fingerprint import fingerprint_video
from sentinela.video.index import VideoIndex
from sentinela.video.index_base import VideoIndexBase, VideoIndexType
from sentinela.video.indexes import build_video_index_registry
from sentinela.video.limits import VideoLimits
from sentinela.video.metadata import VideoMetadata
from sentinela.video.opening import DEMUXERS, VIDEO_MIME_TYPES, VideoSource
from sentinela.video.result import Keyframe, VideoResult
from sentinela.video.rule import MatchRule, VideoMatch, compare_videos
from sentinela.video.vpdq_format import (
    from_signal,
    load_vpdq_file,
    read_vpdq,
    save_vpdq_file,
    to_signal,
    write_vpdq,
)

__all__ = [
    "DEMUXERS",
    "VIDEO_MIME_TYPES",
    "VPDQ_QUALITY_THRESHOLD",
    "BruteVideoIndex",
    "FrameHash",
    "Keyframe",
    "MatchRule",
    "VideoErrorKind",
    "VideoIndex",
    "VideoIndexBase",
    "VideoIndexType",
    "VideoLimits",
    "VideoMatch",
    "VideoMetadata",
    "VideoProblem",
    "VideoResult",
    "VideoSource",
    "build_video_index_registry",
    "compare_videos",
    "fingerprint_video",
    "from_signal",
    "load_vpdq_file",
    "prepare_for_matching",
    "read_vpdq",
    "save_vpdq_file",
    "to_signal",
    "write_vpdq",
]
