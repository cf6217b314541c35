"""What a video's container says about it: codec, size, declared duration, creation time.

Declared values are recorded as declared, for the examiner, and never used to size or
drive decoding (a header can claim anything). The duration that counts is the one decoded
(:attr:`VideoMetadata.duration`); :attr:`~VideoMetadata.declared_duration` stays beside it so
a disagreement is visible.

Creation time: phones write ``com.apple.quicktime.creationdate`` (local capture time with
its UTC offset) beside the container's ``creation_time`` (UTC, often the time of the last
re-encode). The first tag that parses, in :data:`CREATION_TAGS` order, is used and its name
kept in :attr:`~VideoMetadata.created_source`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, Final

import av
from av.container import InputContainer
from av.video.stream import VideoStream

#: Container and stream tags read as the creation time, most trusted first.
CREATION_TAGS: Final = ("com.apple.quicktime.creationdate", "creation_time", "date")
#: Free-text tags kept as they are.
_TEXT_TAGS: Final = {
    "make": ("com.apple.quicktime.make", "make"),
    "model": ("com.apple.quicktime.model", "model"),
    "software": ("com.apple.quicktime.software", "encoder", "software"),
    "location": ("com.apple.quicktime.location.ISO6709", "location"),
}
#: Creation times before this are placeholders (MP4's 1904 and Unix's 1970 epochs).
_EARLIEST: Final = datetime(1971, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class VideoMetadata:
    """Container and stream facts about one video.

    Attributes:
        container: FFmpeg's demuxer name, e.g. ``mov,mp4,m4a,3gp,3g2,mj2`` or ``avi``.
        codec: decoder name of the first video stream (``h264``...), None if it has none.
        codec_long_name: FFmpeg's description of that codec.
        width: frame width the stream declares (0 when FFmpeg refused it).
        height: frame height likewise.
        pixel_format: decoded pixel format, e.g. ``yuv420p``.
        frame_rate: average frame rate in frames per second, None if unknown.
        declared_duration: seconds the header declares, None if it declares nothing.
        duration: seconds of video actually decoded (see :mod:`sentinela.video.fingerprint`).
        decoded_frames: frames actually decoded.
        rotation: display rotation in degrees from the stream's display matrix, if any.
        created: creation time, an aware UTC datetime.
        created_source: the tag ``created`` came from.
        make: camera maker tag; ``model``, ``software`` and ``location`` (ISO 6709) likewise.
        audio_codecs: codec names of the audio streams.
    """

    container: str
    codec: str | None = None
    codec_long_name: str | None = None
    width: int = 0
    height: int = 0
    pixel_format: str | None = None
    frame_rate: float | None = None
    declared_duration: float | None = None
    duration: float | None = None
    decoded_frames: int = 0
    rotation: int | None = None
    created: datetime | None = None
    created_source: str | None = None
    make: str | None = None
    model: str | None = None
    software: str | None = None
    location: str | None = None
    audio_codecs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the creation time as ISO 8601)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["created"] = self.created.isoformat() if self.created else None
        data["audio_codecs"] = list(self.audio_codecs)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VideoMetadata:
        """Inverse of :meth:`to_dict`; unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        created = values.get("created")
        values["created"] = datetime.fromisoformat(created) if created else None
        values["audio_codecs"] = tuple(values.get("audio_codecs") or ())
        return cls(**values)


def read_metadata(container: InputContainer, stream: VideoStream | None) -> VideoMetadata:
    """Collect what the container and its first video stream declare.

    Args:
        container: an opened input container.
        stream: its first video stream, or None.
    """
    tags = {**(stream.metadata if stream is not None else {}), **container.metadata}
    created, created_source = _creation_time(tags)
    text = {key: _first(tags, names) for key, names in _TEXT_TAGS.items()}
    audio = tuple(s.codec_context.name for s in container.streams.audio if s.codec_context)
    metadata = VideoMetadata(
        container=container.format.name,
        declared_duration=_declared_duration(container, stream),
        created=created,
        created_source=created_source,
        make=text["make"],
        model=text["model"],
        software=text["software"],
        location=text["location"],
        audio_codecs=audio,
    )
    context = stream.codec_context if stream is not None else None
    if stream is None or context is None:
        return metadata
    rate = stream.average_rate or stream.guessed_rate
    return _replace(
        metadata,
        codec=context.name,
        codec_long_name=context.codec.long_name,
        width=context.width,
        height=context.height,
        pixel_format=context.format.name if context.format is not None else None,
        frame_rate=float(rate) if rate else None,
    )


def _replace(metadata: VideoMetadata, **changes: Any) -> VideoMetadata:
    values = {f.name: getattr(metadata, f.name) for f in fields(metadata)}
    values.update(changes)
    return VideoMetadata(**values)


def _declared_duration(container: InputContainer, stream: VideoStream | None) -> float | None:
    """The video stream's declared duration, else the container's."""
    if stream is not None and stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _creation_time(tags: Mapping[str, str]) -> tuple[datetime | None, str | None]:
    for name in CREATION_TAGS:
        value = tags.get(name)
        if value is None:
            continue
        parsed = parse_creation_time(value)
        if parsed is not None:
            return parsed, name
    return None, None


def parse_creation_time(value: str) -> datetime | None:
    """An ISO 8601 tag value as an aware UTC datetime; None if it is unparseable or a placeholder.

    A value without a UTC offset is taken as UTC (what MP4 and Matroska store).
    """
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    return parsed if parsed >= _EARLIEST else None


def _first(tags: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = tags.get(name)
        if value and value.strip():
            return value.strip()
    return None
