"""The keyframe strip: a few small thumbnails spread over a video, for the review screen.

The strip is collected in the one decoding pass, without knowing the duration in advance
(a header may lie about it). Time is cut into slots of ``stride`` seconds, starting at one
second, and each slot keeps one frame: a keyframe (the codec's own intra frames, which
encoders place at scene cuts) when the slot has one, otherwise the first sampled frame, so
videos with sparse keyframes still get a strip. When more than twice the wanted number of
slots are filled, the stride doubles and neighbouring slots merge. At the end, the wanted
number of slots is picked evenly. Each frame is rendered only when it takes a slot, so the
work stays bounded: about ``2 x max_keyframes`` renders per doubling.

Thumbnails are JPEG bytes made in memory (media content: the caller encrypts them into the
vault). They keep the stored orientation; the metadata's ``rotation`` tells the viewer how
to turn them.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from av.video.frame import VideoFrame
from av.video.reformatter import VideoReformatter
from PIL import Image

from sentinela.hashing.thumbnail import THUMBNAIL_QUALITY
from sentinela.video.result import Keyframe


@dataclass(slots=True)
class _Slot:
    frame_number: int
    timestamp: float
    key: bool
    jpeg: bytes


class KeyframeStrip:
    """Collects up to ``max_keyframes`` evenly spread thumbnails (see module docstring)."""

    def __init__(self, max_keyframes: int, side: int) -> None:
        self._max = max_keyframes
        self._side = side
        self._stride = 1.0
        self._slots: dict[int, _Slot] = {}
        self._reformatter = VideoReformatter()

    def offer(self, frame: VideoFrame, frame_number: int, timestamp: float, key: bool) -> None:
        """Consider ``frame`` (a keyframe, or a sampled frame) for the strip."""
        if self._max == 0:
            return
        slot = math.floor(timestamp / self._stride)
        current = self._slots.get(slot)
        if current is not None and (current.key or not key):
            return
        self._slots[slot] = _Slot(
            frame_number, timestamp, key, render_jpeg(frame, self._side, self._reformatter)
        )
        if len(self._slots) > 2 * self._max:
            self._coarsen()

    def _coarsen(self) -> None:
        self._stride *= 2
        merged: dict[int, _Slot] = {}
        for slot in sorted(self._slots.values(), key=lambda s: s.timestamp):
            index = math.floor(slot.timestamp / self._stride)
            kept = merged.get(index)
            if kept is None or (slot.key and not kept.key):
                merged[index] = slot
        self._slots = merged

    def keyframes(self) -> tuple[Keyframe, ...]:
        """The strip: at most ``max_keyframes`` thumbnails, evenly spread, in time order."""
        slots = sorted(self._slots.values(), key=lambda s: s.timestamp)
        if len(slots) > self._max:
            step = (len(slots) - 1) / max(1, self._max - 1)
            picks = sorted({round(i * step) for i in range(self._max)})
            slots = [slots[i] for i in picks]
        return tuple(Keyframe(s.frame_number, s.timestamp, s.key, s.jpeg) for s in slots)


def render_jpeg(frame: VideoFrame, side: int, reformatter: VideoReformatter | None = None) -> bytes:
    """A JPEG of ``frame`` whose longest side is at most ``side``, scaled by swscale.

    Scaling inside FFmpeg (area averaging) straight from the decoder's pixel format avoids
    building a full-size RGB image first; a shared ``reformatter`` keeps its swscale context.
    """
    scale = min(1.0, side / max(frame.width, frame.height))
    width = max(1, round(frame.width * scale))
    height = max(1, round(frame.height * scale))
    reformatter = reformatter or VideoReformatter()
    small = reformatter.reformat(
        frame, width=width, height=height, format="rgb24", interpolation="AREA"
    )
    out = io.BytesIO()
    Image.fromarray(small.to_ndarray()).save(out, format="JPEG", quality=THUMBNAIL_QUALITY)
    return out.getvalue()
