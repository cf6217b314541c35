"""Fingerprint one video: vPDQ frame hashes, metadata and the keyframe strip in one pass.

The frame hashes are computed exactly as Meta's ``vpdq`` reference computes them
(``vpdq/cpp/hashing/filehasher.cpp``), so they agree with it hash for hash:

* the frame rate is the stream's average frame rate, else its ``r_frame_rate``;
* every ``int(seconds_per_hash x frame_rate)``-th decoded frame is hashed (every frame when
  that is 0), counting from frame 0;
* the frame is converted to RGB24 at the stream's declared size by swscale with area
  averaging (``SWS_AREA``), and PDQ hashes those pixels at full resolution;
* the timestamp is ``frame_number / frame_rate`` in single precision.

``tests/video/test_reference.py`` checks the agreement against the ``vpdq`` package.

A video whose stream declares no frame rate, which the reference refuses, is sampled by
presentation time instead: the first frame at or after each multiple of
``seconds_per_hash``.

Bad input never raises: an unreadable container, a missing video stream, an unknown codec
or an oversized frame give a :class:`VideoResult` with ``error_kind`` and no frames; damage
part-way, a limit, or a header that disagrees with the content keep the frames decoded.
Only a failure to read the evidence itself raises (:class:`EvidenceError`), as in
:func:`sentinela.hashing.hasher.hash_file`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import av
import numpy as np
import pdqhash
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.reformatter import VideoReformatter
from av.video.stream import VideoStream

from sentinela.hashing.images import pdq_hex
from sentinela.video.decoding import DecodeOutcome, decode_frames
from sentinela.video.errors import VideoErrorKind, VideoProblem
from sentinela.video.features import FrameHash
from sentinela.video.keyframes import KeyframeStrip
from sentinela.video.limits import MIN_FRAME_SIDE, VideoLimits
from sentinela.video.metadata import VideoMetadata, read_metadata
from sentinela.video.opening import MessageLog, VideoSource, ffmpeg_messages, open_container
from sentinela.video.result import VideoResult

#: Seconds of disagreement between declared and decoded duration that are ignored, and the
#: share of the declared duration likewise (audio tracks often outlast the video a little).
DURATION_SLACK_S = 1.0
DURATION_SLACK_SHARE = 0.02


def fingerprint_video(
    source: VideoSource,
    limits: VideoLimits | None = None,
    *,
    want_keyframes: bool = True,
    decode_threads: int = 1,
    clock: Callable[[], float] = time.monotonic,
) -> VideoResult:
    """Compute a video's vPDQ fingerprint, metadata and keyframe strip.

    Args:
        source: a path (opened read-only), the file's bytes, or a readable seekable stream.
        limits: decoding limits; defaults apply when None.
        want_keyframes: build the keyframe strip.
        decode_threads: FFmpeg decoding threads (1 suits ingest, which runs one process per
            core); frame numbers and hashes do not depend on it.
        clock: monotonic clock for the wall-time limit.

    Returns:
        The result; problems with the video are reported in ``error``/``error_kind``.

    Raises:
        EvidenceError: the file cannot be opened or read.
    """
    limits = limits or VideoLimits()
    with ffmpeg_messages() as log:
        try:
            with open_container(source, log) as container:
                return _fingerprint(container, limits, log, want_keyframes, decode_threads, clock)
        except VideoProblem as problem:
            return VideoResult(error=str(problem), error_kind=problem.kind.value)


def _fingerprint(
    container: InputContainer,
    limits: VideoLimits,
    log: MessageLog,
    want_keyframes: bool,
    threads: int,
    clock: Callable[[], float],
) -> VideoResult:
    stream = container.streams.video[0] if container.streams.video else None
    metadata = read_metadata(container, stream)
    try:
        stream = _check_stream(stream, metadata, limits, log, threads)
    except VideoProblem as problem:
        return VideoResult(metadata=metadata, error=str(problem), error_kind=problem.kind.value)
    hasher = _FrameSampler(stream, metadata, limits.seconds_per_hash)
    strip = KeyframeStrip(limits.max_keyframes if want_keyframes else 0, limits.keyframe_side)
    outcome = DecodeOutcome()
    rotation: int | None = None
    for number, frame in decode_frames(container, stream, limits, outcome, log, clock=clock):
        sampled = hasher.wants(number, frame)
        if sampled:
            if frame.width * frame.height > limits.max_frame_pixels:
                outcome.stop(VideoErrorKind.FRAME_TOO_LARGE, _too_large(frame, limits))
                break
            hasher.hash(number, frame)
        if sampled or frame.key_frame:
            when = frame.time if frame.time is not None else hasher.timestamp(number)
            strip.offer(frame, number, when, bool(frame.key_frame))
        if rotation is None:
            rotation = round(frame.rotation)
    metadata = replace(
        metadata,
        duration=_decoded_duration(outcome, metadata.frame_rate),
        decoded_frames=outcome.frames,
        rotation=rotation or None,
    )
    result = VideoResult(
        frames=tuple(hasher.frames), metadata=metadata, keyframes=strip.keyframes()
    )
    return _with_outcome(result, outcome, log)


def _check_stream(
    stream: VideoStream | None,
    metadata: VideoMetadata,
    limits: VideoLimits,
    log: MessageLog,
    threads: int,
) -> VideoStream:
    """Refuse, before decoding anything, a stream that cannot or must not be decoded."""
    if stream is None:
        audio = ", ".join(metadata.audio_codecs) or "none"
        raise VideoProblem(
            VideoErrorKind.NO_VIDEO_STREAM, f"the file holds no video stream (audio: {audio})"
        )
    context = stream.codec_context
    if context is None:
        raise VideoProblem(
            VideoErrorKind.UNSUPPORTED_CODEC,
            f"FFmpeg has no decoder for this video stream's codec{log.suffix()}",
        )
    width, height = context.width, context.height
    refused = log.declared_picture_size()
    if (width == 0 or height == 0) and refused is not None:
        width, height = refused
    if width * height > limits.max_frame_pixels:
        raise VideoProblem(
            VideoErrorKind.FRAME_TOO_LARGE,
            f"frames of {width}x{height} = {width * height} pixels are above the limit of "
            f"{limits.max_frame_pixels}; not decoded{log.suffix()}",
        )
    if width == 0 or height == 0:
        raise VideoProblem(
            VideoErrorKind.INVALID_FRAME_SIZE,
            f"the video stream declares no usable frame size{log.suffix()}",
        )
    if min(width, height) < MIN_FRAME_SIDE:
        raise VideoProblem(
            VideoErrorKind.FRAME_TOO_SMALL,
            f"frames of {width}x{height} are too small to hash (vPDQ needs {MIN_FRAME_SIDE} "
            "pixels a side)",
        )
    context.thread_count = threads
    try:
        context.open(strict=False)
    except av.error.FFmpegError as exc:
        raise VideoProblem(
            VideoErrorKind.UNSUPPORTED_CODEC,
            f"FFmpeg cannot open the {context.name} decoder: {exc}{log.suffix()}",
        ) from exc
    return stream


class _FrameSampler:
    """Chooses the frames to hash and hashes them the way the vPDQ reference does."""

    def __init__(self, stream: VideoStream, metadata: VideoMetadata, seconds: float) -> None:
        context = stream.codec_context
        self._width = context.width
        self._height = context.height
        rate = stream.average_rate or stream.base_rate
        self._rate = float(rate) if rate else 0.0
        self._every = max(1, int(seconds * self._rate)) if self._rate else 0
        self._seconds = seconds
        self._next_time = 0.0
        # One reformatter for the whole video keeps one swscale context instead of one per frame.
        self._reformatter = VideoReformatter()
        self.frames: list[FrameHash] = []

    def wants(self, number: int, frame: VideoFrame) -> bool:
        """Whether frame ``number`` is one vPDQ hashes."""
        if self._every:
            return number % self._every == 0
        when = frame.time
        if when is None or when < self._next_time:
            return when is None and number == 0
        self._next_time = (int(when / self._seconds) + 1) * self._seconds
        return True

    def timestamp(self, number: int) -> float:
        """The reference's timestamp: single-precision ``frame_number / frame_rate``."""
        if not self._rate:
            return 0.0
        return float(np.float32(number) / np.float32(self._rate))

    def hash(self, number: int, frame: VideoFrame) -> None:
        """PDQ of ``frame`` as RGB24 at the declared size, appended to :attr:`frames`."""
        rgb = self._reformatter.reformat(
            frame, width=self._width, height=self._height, format="rgb24", interpolation="AREA"
        ).to_ndarray()
        bits, quality = pdqhash.compute(rgb)
        when = self.timestamp(number) if self._rate else float(frame.time or 0.0)
        self.frames.append(FrameHash(number, int(quality), pdq_hex(bits), when))


def _too_large(frame: VideoFrame, limits: VideoLimits) -> str:
    pixels = frame.width * frame.height
    return (
        f"a decoded frame of {frame.width}x{frame.height} = {pixels} pixels is above the "
        f"limit of {limits.max_frame_pixels}; decoding stopped"
    )


def _decoded_duration(outcome: DecodeOutcome, rate: float | None) -> float | None:
    """Seconds of video decoded: first to last presentation time plus one frame."""
    frame = 1.0 / rate if rate else 0.0
    if outcome.first_time is not None and outcome.last_time is not None:
        return outcome.last_time - outcome.first_time + frame
    if rate:
        return outcome.frames / rate
    return None


def _with_outcome(result: VideoResult, outcome: DecodeOutcome, log: MessageLog) -> VideoResult:
    """Add the most serious problem the decoding loop met, if any."""
    metadata = result.metadata
    notes: list[str] = []
    if outcome.rejected_packets:
        notes.append(f"{outcome.rejected_packets} packets rejected by the decoder and skipped")
    if outcome.corrupt_frames:
        notes.append(f"{outcome.corrupt_frames} frames decoded with errors concealed")
    mismatch = _duration_mismatch(metadata) if metadata is not None else None
    if mismatch and outcome.stop_kind is None:
        notes.insert(0, mismatch)
    if outcome.stop_reason:
        notes.insert(0, outcome.stop_reason)
    if outcome.frames == 0:
        notes.insert(0, "no frame could be decoded")
    kind = outcome.stop_kind
    if kind is None and outcome.rejected_packets:
        kind = VideoErrorKind.DECODE_ERROR
    if kind is None and mismatch:
        kind = VideoErrorKind.DURATION_MISMATCH
    if outcome.frames == 0 and kind is None:
        kind = VideoErrorKind.NO_FRAMES
    if kind is None:
        return result
    return replace(result, error="; ".join(notes) + log.suffix(), error_kind=kind.value)


def _duration_mismatch(metadata: VideoMetadata) -> str | None:
    declared, decoded = metadata.declared_duration, metadata.duration
    if declared is None or decoded is None:
        return None
    slack = max(DURATION_SLACK_S, DURATION_SLACK_SHARE * declared)
    if abs(declared - decoded) <= slack:
        return None
    return (
        f"the header declares {declared:.3f} s but {decoded:.3f} s of video decoded "
        "(truncated file or false header)"
    )
