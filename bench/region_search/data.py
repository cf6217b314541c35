"""Benign generated pictures for the region bench, and their ORB features (one per process).

A picture is random ellipses and rectangles on a plain background, drawn from its seed. The
"planted object" (a stand-in for a poster, a toy or a logo) is a dense drawing on a pale card,
pasted into some pictures at a random place, scale (0.75-1.3) and angle (+-35 degrees).
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
from PIL import Image, ImageDraw

from sentinela.visual.features import Features, extract, grey_array

SIZE = 256
CARD = (250, 250, 240)


def shapes(seed: int, size: int = SIZE, count: int = 25) -> Image.Image:
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (size, size), tuple(int(v) for v in rng.integers(0, 256, 3)))
    draw = ImageDraw.Draw(img)
    for _ in range(count):
        x0, y0 = (int(v) for v in rng.integers(0, size, 2))
        w, h = (int(v) for v in rng.integers(5, size // 3, 2))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(
            (x0, y0, x0 + w, y0 + h), fill=colour
        )
    return img


def sticker(size: int = 88) -> Image.Image:
    rng = np.random.default_rng(424242)
    img = Image.new("RGB", (size, size), CARD)
    draw = ImageDraw.Draw(img)
    for _ in range(30):
        x0, y0 = (int(v) for v in rng.integers(0, size, 2))
        w, h = (int(v) for v in rng.integers(3, size // 4, 2))
        colour = tuple(int(v) for v in rng.integers(0, 200, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(
            (x0, y0, x0 + w, y0 + h), fill=colour
        )
    return img


def planted(seed: int, size: int = SIZE) -> tuple[Image.Image, tuple[float, float, float, float]]:
    """A picture holding the object, and the object's box as fractions (x, y, w, h)."""
    rng = np.random.default_rng(seed + 7_000_000)
    img = shapes(seed, size)
    obj = sticker()
    scale, angle = rng.uniform(0.75, 1.3), rng.uniform(-35, 35)
    obj = obj.resize((int(obj.width * scale), int(obj.height * scale)), Image.Resampling.BILINEAR)
    obj = obj.rotate(angle, expand=True, fillcolor=CARD, resample=Image.Resampling.BILINEAR)
    x, y = (int(v) for v in rng.integers(0, size - max(obj.size), 2))
    img.paste(obj, (x, y))
    return img, (x / size, y / size, obj.width / size, obj.height / size)


def _features(job: tuple[int, bool, int]) -> tuple[int, Features]:
    seed, plant, n_features = job
    img = planted(seed)[0] if plant else shapes(seed)
    return seed, extract(grey_array(img), n_features=n_features)


def corpus_features(
    seeds: list[int], planted_seeds: set[int], n_features: int, workers: int
) -> list[tuple[int, Features]]:
    """Features of every picture, in seed order, computed in ``workers`` processes."""
    jobs = [(s, s in planted_seeds, n_features) for s in seeds]
    if workers <= 1:
        return [_features(j) for j in jobs]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_features, jobs, chunksize=256))
