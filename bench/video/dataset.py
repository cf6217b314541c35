"""Benign bench videos, rendered by code and encoded with PyAV (H.264, yuv420p).

Each frame is a colour gradient over a coarse random texture, a moving disc and a sliding
bar, plus mild per-frame noise: enough detail for PDQ and for the encoder to work on, and
nothing resembling real footage. Files are written once under ``--out`` and reused while
their parameters match (the name records them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

SIZES = {"480p": (854, 480), "1080p": (1920, 1080)}
DEFAULT_SECONDS = {"480p": 60.0, "1080p": 30.0}


@dataclass(frozen=True)
class BenchVideo:
    """One generated video file."""

    label: str
    path: Path
    width: int
    height: int
    fps: int
    seconds: float

    @property
    def frames(self) -> int:
        """Frames in the file."""
        return round(self.fps * self.seconds)


def load_or_generate(out: Path, label: str, seconds: float, fps: int) -> BenchVideo:
    """The bench video for ``label``, generating it if it is not on disk yet."""
    width, height = SIZES[label]
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"scene-{label}-{fps}fps-{seconds:g}s.mp4"
    if not path.exists():
        partial = path.with_suffix(".part")
        _encode(partial, width, height, fps, round(fps * seconds))
        partial.rename(path)
    return BenchVideo(label, path, width, height, fps, seconds)


def _encode(path: Path, width: int, height: int, fps: int, count: int) -> None:
    with av.open(path, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.codec_context.options = {"preset": "veryfast", "crf": "23"}
        for image in _scene(width, height, count):
            out.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        out.mux(stream.encode(None))


def _scene(width: int, height: int, count: int) -> Iterator[NDArray[np.uint8]]:
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.zeros((height, width, 3), np.uint8)
    base[..., 0] = xx * 255 // (width - 1)
    base[..., 1] = yy * 255 // (height - 1)
    grid = np.random.default_rng(1).integers(40, 200, (9, 16))
    base[..., 2] = grid[yy * 9 // height, xx * 16 // width]
    radius = height // 6
    noise = rng.integers(-8, 9, (8, height, width, 1), dtype=np.int16)
    for i in range(count):
        img = base.copy()
        cx = int(width / 2 + width / 3 * np.sin(i / 40))
        cy = int(height / 2 + height / 3 * np.cos(i / 55))
        y0, y1 = max(0, cy - radius), min(height, cy + radius)
        x0, x1 = max(0, cx - radius), min(width, cx + radius)
        disc = (xx[y0:y1, x0:x1] - cx) ** 2 + (yy[y0:y1, x0:x1] - cy) ** 2 < radius * radius
        img[y0:y1, x0:x1][disc] = (250, 250, 40)
        bar = (i * 4) % width
        img[:, bar : bar + width // 20] = (20, 20, 200)
        yield np.clip(img + noise[i % len(noise)], 0, 255).astype(np.uint8)
