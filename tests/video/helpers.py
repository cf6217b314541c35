"""Benign test videos rendered by code: moving shapes over a gradient, with a little noise.

Nothing here is real footage. Videos are encoded with PyAV into memory (or into ``tmp_path``
where a muxer needs to rewrite its file, as MP4 ``faststart`` does), and the helpers below
damage them in the ways the issue lists (truncation, a false duration, an unknown codec, a
huge declared frame size).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from sentinela.video.features import FrameHash


def scene(
    width: int, height: int, count: int, *, seed: int = 0, start: int = 0
) -> Iterator[NDArray[np.uint8]]:
    """``count`` RGB frames from frame ``start`` of a scene: a gradient over a coarse texture,
    a moving disc and a sliding bar, with mild noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.zeros((height, width, 3), np.uint8)
    base[..., 0] = xx * 255 // max(1, width - 1)
    base[..., 1] = yy * 255 // max(1, height - 1)
    # A fixed coarse texture (a 12 x 9 grid of grey levels), scaled to the frame, gives the
    # scene structure that survives resizing, as real footage has.
    grid = np.random.default_rng(1000 + seed).integers(40, 200, (9, 12), dtype=np.int64)
    base[..., 2] = grid[yy * 9 // height, xx * 12 // width]
    radius = max(2, min(width, height) // 5)
    for i in range(start, start + count):
        img = base.copy()
        cx = int(width / 2 + width / 3 * np.sin(i / 7 + seed))
        cy = int(height / 2 + height / 3 * np.cos(i / 11 + seed))
        img[(xx - cx) ** 2 + (yy - cy) ** 2 < radius * radius] = (250, 250, 40)
        bar = (i * 3 + seed * 17) % width
        img[:, bar : bar + max(2, width // 12)] = (20, 20, 200)
        noise = rng.integers(-6, 7, img.shape, dtype=np.int16)
        yield np.clip(img.astype(np.int16) + noise, 0, 255).astype(np.uint8)


def make_video(
    fmt: str = "mp4",
    codec: str = "libx264",
    *,
    width: int = 96,
    height: int = 72,
    fps: int = 10,
    seconds: float = 3,
    seed: int = 0,
    start: int = 0,
    path: Path | None = None,
    options: dict[str, str] | None = None,
    metadata: dict[str, str] | None = None,
    codec_options: dict[str, str] | None = None,
) -> bytes:
    """Encode a benign generated video and return its bytes (also left at ``path`` if given)."""
    target: Path | io.BytesIO = path if path is not None else io.BytesIO()
    with av.open(target, "w", format=fmt, options=options or {}) as out:
        out.metadata.update(metadata or {})
        stream = out.add_stream(codec, rate=Fraction(fps))
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuvj420p" if codec == "mjpeg" else "yuv420p"
        stream.codec_context.options = {**(codec_options or {})}
        if codec == "libx264":
            stream.codec_context.options = {"preset": "ultrafast", **stream.codec_context.options}
        for image in scene(width, height, round(fps * seconds), seed=seed, start=start):
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    if isinstance(target, io.BytesIO):
        return target.getvalue()
    return target.read_bytes()


def audio_only(seconds: float = 1.0) -> bytes:
    """A Matroska file holding one PCM audio stream (a quiet tone) and no video."""
    rate = 8000
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="matroska") as out:
        stream = out.add_stream("pcm_s16le", rate=rate, layout="mono")
        t = np.arange(int(rate * seconds)) / rate
        samples = (np.sin(2 * np.pi * 440 * t) * 3000).astype(np.int16)[np.newaxis, :]
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = rate
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return buffer.getvalue()


def set_matroska_duration(data: bytes, seconds: float) -> bytes:
    """Rewrite a Matroska file's declared Segment duration (an 8-byte float, in ms)."""
    patched = bytearray(data)
    at = patched.find(b"\x44\x89\x88")
    assert at > 0, "no 8-byte Duration element"
    patched[at + 3 : at + 11] = struct.pack(">d", seconds * 1000.0)
    return bytes(patched)


def set_avi_fourcc(data: bytes, old: bytes, new: bytes) -> bytes:
    """Replace the codec FourCC in an AVI's stream header and format chunk."""
    assert data.count(old) >= 1
    return data.replace(old, new)


def set_avi_frame_size(data: bytes, width: int, height: int) -> bytes:
    """Declare another frame size in an AVI's main header and BITMAPINFOHEADER."""
    patched = bytearray(data)
    avih = patched.find(b"avih")
    patched[avih + 40 : avih + 48] = struct.pack("<II", width, height)
    strf = patched.find(b"strf")
    patched[strf + 12 : strf + 20] = struct.pack("<ii", width, height)
    return bytes(patched)


def random_frames(
    rng: np.random.Generator, count: int, *, quality: int = 90, start: int = 0
) -> list[FrameHash]:
    """``count`` frames with random PDQ hashes, one per second."""
    return [
        FrameHash(start + i, quality, rng.bytes(32).hex(), float(start + i)) for i in range(count)
    ]


def flip_bits(pdq: str, count: int, rng: np.random.Generator) -> str:
    """``pdq`` with ``count`` distinct random bits flipped."""
    value = int(pdq, 16)
    for bit in rng.choice(256, size=count, replace=False).tolist():
        value ^= 1 << bit
    return f"{value:064x}"


def transcode(
    data: bytes,
    fmt: str = "mp4",
    codec: str = "libx264",
    *,
    width: int | None = None,
    height: int | None = None,
    skip_frames: int = 0,
    keep_frames: int | None = None,
) -> bytes:
    """Re-encode a video as a copy would be made: another codec, size, or a trimmed clip."""
    buffer = io.BytesIO()
    with av.open(io.BytesIO(data)) as source, av.open(buffer, "w", format=fmt) as out:
        original = source.streams.video[0]
        rate = original.average_rate or Fraction(10)
        stream = out.add_stream(codec, rate=rate)
        stream.width = width or original.codec_context.width
        stream.height = height or original.codec_context.height
        stream.pix_fmt = "yuv420p"
        for index, frame in enumerate(source.decode(original)):
            if index < skip_frames:
                continue
            if keep_frames is not None and index >= skip_frames + keep_frames:
                break
            image = frame.reformat(width=stream.width, height=stream.height, format="rgb24")
            out.mux(stream.encode(av.VideoFrame.from_ndarray(image.to_ndarray(), format="rgb24")))
        out.mux(stream.encode(None))
    return buffer.getvalue()


def corpus(seed: int) -> tuple[dict[int, list[FrameHash]], list[list[FrameHash]]]:
    """Indexed videos and queries: perturbed clips, mixtures of two videos, and strangers."""
    rng = np.random.default_rng(seed)
    videos = {
        video_id: random_frames(rng, int(rng.integers(1, 25)), quality=int(rng.integers(40, 101)))
        for video_id in rng.choice(10_000, size=40, replace=False).tolist()
    }
    ids = list(videos)
    queries: list[list[FrameHash]] = []
    for _ in range(30):
        source = videos[ids[int(rng.integers(len(ids)))]]
        other = videos[ids[int(rng.integers(len(ids)))]]
        lo = int(rng.integers(len(source)))
        clip = source[lo : lo + int(rng.integers(1, 12))] + other[: int(rng.integers(0, 4))]
        queries.append(
            [
                FrameHash(
                    i,
                    int(rng.integers(30, 101)),
                    flip_bits(f.pdq, int(rng.integers(0, 40)), rng),
                    0,
                )
                for i, f in enumerate(clip)
            ]
        )
    queries.append(random_frames(rng, 10))
    queries.append([])
    # Repeated frames, and a frame near two indexed videos at once.
    queries.append([videos[ids[0]][0]] * 5 + [videos[ids[1]][0]])
    return videos, queries
