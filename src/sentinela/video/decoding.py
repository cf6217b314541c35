"""The decoding loop: every frame of one video stream, in order, within the limits.

Frames are numbered by their position in the decoder's output, counted from 0, exactly as
Meta's vPDQ reference numbers them (``AVCodecContext.frame_num - 1``), so the frame numbers
of a Sentinela fingerprint and of a ``vpdq`` one agree.

Where the reference gives up on the whole video at the first packet the decoder rejects,
Sentinela skips that packet and goes on (up to ``VideoLimits.max_decode_errors``), because
the rest of a damaged seized video is still evidence. A demuxing error (the container's data
ends or is corrupt) ends the stream. Either way the frames decoded before are kept and
:class:`DecodeOutcome` says what happened.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import av
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

from sentinela.video.errors import VideoErrorKind
from sentinela.video.limits import VideoLimits
from sentinela.video.opening import MessageLog


@dataclass(slots=True)
class DecodeOutcome:
    """What the decoding loop saw.

    Attributes:
        frames: frames decoded.
        first_time: presentation time of the first frame with one, in seconds.
        last_time: presentation time of the last frame with one.
        rejected_packets: packets the decoder rejected (and that were skipped).
        corrupt_frames: frames the decoder flagged as corrupt but still produced.
        stop_kind: why decoding ended early (``decode_error`` or ``limit_reached``), or None.
        stop_reason: the same, for people.
    """

    frames: int = 0
    first_time: float | None = None
    last_time: float | None = None
    rejected_packets: int = 0
    corrupt_frames: int = 0
    stop_kind: VideoErrorKind | None = None
    stop_reason: str | None = None

    def stop(self, kind: VideoErrorKind, reason: str) -> None:
        """Record why decoding ends early."""
        self.stop_kind = kind
        self.stop_reason = reason


def decode_frames(
    container: InputContainer,
    stream: VideoStream,
    limits: VideoLimits,
    outcome: DecodeOutcome,
    log: MessageLog,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[tuple[int, VideoFrame]]:
    """Yield ``(frame_number, frame)`` for each decoded frame until the end or a limit.

    ``outcome`` is filled in as frames go by; read it once the iterator is exhausted.
    """
    started = clock()
    packets = container.demux(stream)
    while outcome.stop_kind is None:
        try:
            packet = next(packets)
        except StopIteration:
            return
        except av.error.FFmpegError as exc:
            outcome.stop(VideoErrorKind.DECODE_ERROR, f"reading the container failed: {exc}")
            return
        try:
            frames = stream.decode(packet)
        except av.error.FFmpegError as exc:
            outcome.rejected_packets += 1
            if outcome.rejected_packets > limits.max_decode_errors:
                outcome.stop(
                    VideoErrorKind.DECODE_ERROR,
                    f"the decoder rejected {outcome.rejected_packets} packets "
                    f"(last: {exc}); decoding stopped",
                )
            continue
        for frame in frames:
            number = outcome.frames
            outcome.frames += 1
            _note_frame(frame, outcome)
            yield number, frame
            _check_limits(outcome, limits, clock() - started)
            if outcome.stop_kind is not None:
                return
        log.harvest()


def _note_frame(frame: VideoFrame, outcome: DecodeOutcome) -> None:
    if frame.is_corrupt:
        outcome.corrupt_frames += 1
    when = frame.time
    if when is not None:
        if outcome.first_time is None:
            outcome.first_time = when
        outcome.last_time = when


def _check_limits(outcome: DecodeOutcome, limits: VideoLimits, elapsed: float) -> None:
    span = (
        outcome.last_time - outcome.first_time
        if outcome.first_time is not None and outcome.last_time is not None
        else 0.0
    )
    if outcome.frames >= limits.max_frames:
        outcome.stop(
            VideoErrorKind.LIMIT_REACHED, f"stopped after {outcome.frames} frames (the limit)"
        )
    elif span >= limits.max_duration_s:
        outcome.stop(
            VideoErrorKind.LIMIT_REACHED,
            f"stopped after {span:.0f} s of video (limit {limits.max_duration_s:.0f} s)",
        )
    elif elapsed >= limits.max_wall_s:
        outcome.stop(
            VideoErrorKind.LIMIT_REACHED,
            f"stopped after {elapsed:.0f} s of decoding (limit {limits.max_wall_s:.0f} s)",
        )
