"""Disk images as The Sleuth Kit sees them: image adapters and a re-openable session.

Why adapters: TSK reads images through ``pytsk3.Img_Info``. Subclassing it lets the same walker
read a raw image split over ``.001``, ``.002``... files and an E01 decoded by libewf, all
opened read-only by Sentinela rather than by TSK.

Why a session: entries found on a disk image must stay readable after the walk has moved on
(ingest reads them in its own time), yet an open image holds file handles. An
:class:`ImageSession` opens the image and its file systems on first use, shares them between
file streams, and opens them again if asked after :meth:`ImageSession.close`.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any, BinaryIO

import pytsk3

from sentinela.evidence.ewf_image import open_ewf
from sentinela.evidence.leases import SharedHandle
from sentinela.evidence.streams import Closeable, open_readonly


class SegmentsImage(pytsk3.Img_Info):  # type: ignore[misc]
    """A raw image made of one file or of split segments read one after another."""

    def __init__(self, segments: Sequence[Path]) -> None:
        self._streams: list[BinaryIO] = []
        self._starts: list[int] = []
        size = 0
        try:
            for segment in segments:
                stream = open_readonly(segment)
                self._streams.append(stream)
                self._starts.append(size)
                # Seeking to the end also sizes a block device, where fstat says 0.
                size += stream.seek(0, os.SEEK_END)
        except BaseException:
            self.close()
            raise
        self._size = size
        super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

    def read(self, offset: int, size: int) -> bytes:
        """Read up to ``size`` bytes at ``offset``, across segment boundaries."""
        parts: list[bytes] = []
        end = min(offset + size, self._size)
        while offset < end:
            index = bisect.bisect_right(self._starts, offset) - 1
            stream = self._streams[index]
            segment_end = self._starts[index + 1] if index + 1 < len(self._starts) else self._size
            stream.seek(offset - self._starts[index])
            data = stream.read(min(end, segment_end) - offset)
            if not data:
                break
            parts.append(data)
            offset += len(data)
        return b"".join(parts)

    def get_size(self) -> int:
        """The image size: all segments together."""
        return self._size

    def close(self) -> None:
        """Close every segment file."""
        for stream in self._streams:
            stream.close()
        self._streams = []


class EwfImage(pytsk3.Img_Info):  # type: ignore[misc]
    """The media stream of an E01, decoded by libewf (pattern verified in FORMATS.md §6)."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle
        super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

    def read(self, offset: int, size: int) -> bytes:
        """Read up to ``size`` media bytes at ``offset``."""
        data: bytes = self._handle.read_buffer_at_offset(size, offset)
        return data

    def get_size(self) -> int:
        """The media size."""
        return int(self._handle.get_media_size())

    def close(self) -> None:
        """Nothing to do: the handle belongs to whoever opened it."""


ImageFactory = Callable[[], tuple[pytsk3.Img_Info, Closeable]]


def raw_factory(segments: Sequence[Path]) -> ImageFactory:
    """An :class:`ImageSession` factory for a raw image made of ``segments``."""

    def open_image() -> tuple[pytsk3.Img_Info, Closeable]:
        image = SegmentsImage(segments)
        return image, image

    return open_image


def ewf_factory(segments: Sequence[Path]) -> ImageFactory:
    """An :class:`ImageSession` factory for an E01 made of ``segments``."""

    def open_image() -> tuple[pytsk3.Img_Info, Closeable]:
        stack = ExitStack()
        handle = stack.enter_context(open_ewf(segments))
        return EwfImage(handle), stack

    return open_image


class OpenImage:
    """An open image and the file systems found on it so far."""

    def __init__(self, image: pytsk3.Img_Info) -> None:
        self.image = image
        self._filesystems: dict[int, pytsk3.FS_Info] = {}

    def filesystem(self, offset: int) -> pytsk3.FS_Info:
        """The file system starting ``offset`` bytes into the image.

        Raises:
            OSError: TSK recognises no file system there.
        """
        found = self._filesystems.get(offset)
        if found is None:
            found = pytsk3.FS_Info(self.image, offset=offset)
            self._filesystems[offset] = found
        return found


class ImageSession:
    """An image opened on demand, shared by the readers of its files (see :class:`SharedHandle`)."""

    def __init__(self, factory: ImageFactory) -> None:
        def open_image() -> tuple[OpenImage, Sequence[Closeable]]:
            image, release = factory()
            return OpenImage(image), (release,)

        self._handle: SharedHandle[OpenImage] = SharedHandle(open_image)

    def image(self) -> pytsk3.Img_Info:
        """The open image."""
        return self._handle.get().image

    def filesystem(self, offset: int) -> pytsk3.FS_Info:
        """The file system starting ``offset`` bytes into the image (OSError if none)."""
        return self._handle.get().filesystem(offset)

    def lease(self) -> tuple[OpenImage, Closeable]:
        """The open image and a lease to close when done reading a file from it."""
        return self._handle.lease()

    def close(self) -> None:
        """Release the image once no file stream still reads from it."""
        self._handle.close()
