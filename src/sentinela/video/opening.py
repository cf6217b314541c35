"""Opening untrusted video safely with PyAV, and hearing what FFmpeg says about it.

Safety
    * Only the demuxers in :data:`DEMUXERS` may claim a file (FFmpeg's ``format_whitelist``):
      playlists (HLS, DASH), ``concat`` lists and image sequences never parse, so a seized
      "video" cannot make FFmpeg open URLs or other local files.
    * The content is always handed to FFmpeg as a Python stream, and any attempt to open a
      second resource (an MP4 external data reference, a Matroska linked segment) goes to
      :func:`_refuse_nested`, which refuses it.
    * Files are opened read-only; bytes are read from memory. Nothing is written anywhere.
    * Metadata that is not UTF-8 is decoded with replacement characters rather than failing.

FFmpeg's messages
    PyAV silences FFmpeg's log by default. While a video is opened and decoded,
    :func:`ffmpeg_messages` captures the error-level messages of the calling thread (for
    example ``Picture size 100000x100000 is invalid`` or ``moov atom not found``): they go
    into the recorded error, where they explain to an examiner what was wrong with the file.
    The log level (and PyAV's folding of repeated messages) is process-wide state, so it is
    set for the duration and restored; fingerprint from one thread per process (ingest uses
    processes).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Final, NoReturn

import av
import av.logging
from av.container import InputContainer

from sentinela.errors import EvidenceError
from sentinela.video.errors import VideoErrorKind, VideoProblem

#: What :func:`sentinela.video.fingerprint_video` accepts: a path, the bytes, or a stream.
VideoSource = Path | str | bytes | bytearray | memoryview | BinaryIO

#: FFmpeg demuxers allowed to read seized video (MP4/MOV/3GP, Matroska/WebM, AVI, MPEG-PS,
#: FLV, ASF/WMV). FFmpeg names a demuxer by all of its aliases; one match is enough.
DEMUXERS: Final = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpeg,flv,asf"
#: MIME types (from :func:`sentinela.hashing.filetype.detect`) these demuxers read.
VIDEO_MIME_TYPES: Final = frozenset(
    {
        "video/mp4",
        "video/quicktime",
        "video/3gpp",
        "video/x-matroska",
        "video/webm",
        "video/x-msvideo",
        "video/mpeg",
        "video/x-flv",
        "video/x-ms-asf",
    }
)
#: Bytes PyAV reads from the Python stream at once.
IO_BUFFER: Final = 1 << 20
#: FFmpeg messages kept for the error text.
MAX_MESSAGES: Final = 8
_PICTURE_SIZE: Final = re.compile(r"Picture size (\d+)x(\d+) is invalid")


class MessageLog:
    """FFmpeg's error messages captured while a video is handled (see module docstring)."""

    def __init__(self, capture: list[Any]) -> None:
        self._capture = capture
        self._kept: list[str] = []

    def harvest(self) -> None:
        """Move new captured messages into the bounded list kept for the error text."""
        for entry in self._capture:
            message = " ".join(str(entry[2]).split())
            if message and message not in self._kept and len(self._kept) < MAX_MESSAGES:
                self._kept.append(message)
        self._capture.clear()

    @property
    def messages(self) -> list[str]:
        """Distinct messages so far, oldest first, at most :data:`MAX_MESSAGES`."""
        self.harvest()
        return list(self._kept)

    def declared_picture_size(self) -> tuple[int, int] | None:
        """The frame size FFmpeg refused as invalid, if it said so."""
        for message in self.messages:
            match = _PICTURE_SIZE.search(message)
            if match:
                return int(match[1]), int(match[2])
        return None

    def suffix(self) -> str:
        """`` (FFmpeg: ...)`` for an error message, or an empty string."""
        messages = self.messages
        return f" (FFmpeg: {'; '.join(messages)})" if messages else ""


@contextmanager
def ffmpeg_messages() -> Iterator[MessageLog]:
    """Capture FFmpeg's error messages from this thread for the duration."""
    previous = av.logging.get_level()
    skip_repeated = av.logging.get_skip_repeated()
    if previous is None or previous < av.logging.ERROR:
        av.logging.set_level(av.logging.ERROR)
    # PyAV holds back a message identical to the previous one, even from an earlier video.
    av.logging.set_skip_repeated(False)
    try:
        with av.logging.Capture(True) as capture:
            yield MessageLog(capture)
    finally:
        av.logging.set_skip_repeated(skip_repeated)
        av.logging.set_level(previous)


@contextmanager
def open_container(source: VideoSource, log: MessageLog) -> Iterator[InputContainer]:
    """Open ``source`` for demuxing, with the safety rules of the module docstring.

    Args:
        source: a path (opened read-only), the bytes, or a readable binary stream (read
            from its current position; it should be seekable, as MP4 often needs).
        log: where FFmpeg's messages are collected.

    Raises:
        VideoProblem: empty, not an allowed container, or unparseable.
        EvidenceError: the file cannot be opened or read.
    """
    with ExitStack() as stack:
        handle = _as_stream(source, stack)
        try:
            container = av.open(
                handle,
                mode="r",
                options={"format_whitelist": DEMUXERS},
                metadata_errors="replace",
                buffer_size=IO_BUFFER,
                io_open=_refuse_nested,
            )
        except av.error.FFmpegError as exc:
            _open_failed(exc, log)
        except OSError as exc:
            raise EvidenceError(f"cannot read video: {exc}") from exc
        stack.callback(container.close)
        yield container


def _as_stream(source: VideoSource, stack: ExitStack) -> BinaryIO:
    handle: BinaryIO
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            handle = stack.enter_context(path.open("rb"))
        except OSError as exc:
            raise EvidenceError(f"cannot open {path}: {exc}") from exc
        empty = path.stat().st_size == 0
    elif isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        handle = io.BytesIO(data)
        empty = not data
    else:
        handle = source
        empty = handle.seekable() and _remaining(handle) == 0
    if empty:
        raise VideoProblem(VideoErrorKind.EMPTY, "zero-byte file")
    return handle


def _remaining(handle: BinaryIO) -> int:
    here = handle.tell()
    end = handle.seek(0, io.SEEK_END)
    handle.seek(here)
    return end - here


def _open_failed(exc: av.error.FFmpegError, log: MessageLog) -> NoReturn:
    if any("not on whitelist" in m for m in log.messages):
        raise VideoProblem(
            VideoErrorKind.UNSUPPORTED_CONTAINER,
            f"not a video container Sentinela decodes ({DEMUXERS}){log.suffix()}",
        ) from exc
    raise VideoProblem(
        VideoErrorKind.CORRUPT_CONTAINER,
        f"FFmpeg cannot parse the container: {_describe(exc)}{log.suffix()}",
    ) from exc


def _refuse_nested(url: str, flags: int, options: dict[str, str]) -> NoReturn:
    """PyAV's ``io_open``: a seized file may not make FFmpeg open anything else."""
    raise PermissionError(f"refusing to open {url!r} referenced from inside a video")


def _describe(exc: BaseException) -> str:
    """FFmpeg's error without PyAV's ``[Errno N]`` prefix and placeholder file name."""
    text = getattr(exc, "strerror", None) or str(exc)
    return " ".join(str(text).split())
