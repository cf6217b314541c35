"""A benign demo exhibit made by code from scikit-image's sample photos.

Only public sample photographs (astronaut, coffee, cat, rocket...) and generated patterns are
used: resized, cropped and re-encoded, some as near-duplicates of each other, plus files that
are not images, one image hidden behind a wrong extension, and a zip archive.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance

SAMPLES = (
    "astronaut",
    "coffee",
    "chelsea",
    "rocket",
    "immunohistochemistry",
    "hubble_deep_field",
    "motorcycle_left",
    "retina",
    "colorwheel",
    "logo",
)


def sample_photos() -> Iterator[tuple[str, Image.Image]]:
    """scikit-image's bundled sample photos (shipped inside the package; no download)."""
    from skimage import data

    for name in SAMPLES:
        loader = getattr(data, name, None)
        if loader is None:
            continue
        try:
            array = loader()
        except (OSError, ValueError):  # an optional sample that needs a download
            continue
        if isinstance(array, tuple):
            array = array[0]
        img = Image.fromarray(np.asarray(array))
        yield name, img.convert("RGB")


def _variant(img: Image.Image, rng: random.Random) -> Image.Image:
    w, h = img.size
    left, top = rng.randint(0, w // 5), rng.randint(0, h // 5)
    crop = img.crop(
        (left, top, left + int(w * rng.uniform(0.6, 0.8)), top + int(h * rng.uniform(0.6, 0.8)))
    )
    scale = rng.uniform(0.5, 1.4)
    size = (max(64, int(crop.width * scale)), max(64, int(crop.height * scale)))
    out = crop.resize(size, Image.Resampling.LANCZOS)
    if rng.random() < 0.3:
        out = out.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return ImageEnhance.Color(out).enhance(rng.uniform(0.7, 1.3))


def _near_duplicate(img: Image.Image, rng: random.Random) -> Image.Image:
    """Same picture, re-encoded smaller and a little brighter: what re-sharing does."""
    size = (
        max(32, int(img.width * rng.uniform(0.7, 0.95))),
        max(32, int(img.height * rng.uniform(0.7, 0.95))),
    )
    return ImageEnhance.Brightness(img.resize(size, Image.Resampling.BILINEAR)).enhance(
        rng.uniform(0.95, 1.05)
    )


def _encode(img: Image.Image, fmt: str, rng: random.Random) -> bytes:
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.save(buf, "JPEG", quality=rng.choice((70, 80, 90, 95)))
    else:
        img.save(buf, fmt)
    return buf.getvalue()


def _pattern(i: int, rng: random.Random) -> Image.Image:
    img = Image.new("RGB", (320, 240), tuple(rng.randint(0, 255) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randint(0, 300), rng.randint(0, 220)
        draw.ellipse(
            (x, y, x + rng.randint(10, 80), y + rng.randint(10, 80)),
            fill=tuple(rng.randint(0, 255) for _ in range(3)),
        )
    draw.text((10, 10), f"pattern {i}", fill=(255, 255, 255))
    return img


def build_demo_exhibit(root: Path, *, images: int = 240, seed: int = 7) -> Path:
    """Write the demo exhibit folder; return it. Idempotent: an existing folder is kept."""
    marker = root.parent / f"{root.name}.complete"
    if marker.exists():
        return root
    rng = random.Random(seed)
    photos = list(sample_photos())
    dcim = root / "DCIM" / "100PHOTO"
    dcim.mkdir(parents=True, exist_ok=True)
    made: list[Image.Image] = []
    for i in range(images):
        if photos and i % 4 != 3:
            _, base = photos[i % len(photos)]
            img = _variant(base, rng)
        else:
            img = _pattern(i, rng)
        made.append(img)
        fmt = rng.choice(("JPEG", "JPEG", "JPEG", "PNG"))
        (dcim / f"IMG_{i:04d}.{'jpg' if fmt == 'JPEG' else 'png'}").write_bytes(
            _encode(img, fmt, rng)
        )
    shared = root / "Downloads" / "shared"
    shared.mkdir(parents=True, exist_ok=True)
    for j, img in enumerate(made[: images // 6]):
        (shared / f"copy_{j:03d}.jpg").write_bytes(_encode(_near_duplicate(img, rng), "JPEG", rng))
    exact = root / "Backup"
    exact.mkdir(exist_ok=True)
    for src in sorted(dcim.iterdir())[:20]:
        (exact / src.name).write_bytes(src.read_bytes())
    docs = root / "Documents"
    docs.mkdir(exist_ok=True)
    (docs / "notes.txt").write_text("Shopping list: bread, milk, batteries.\n")
    (docs / "contacts.json").write_text(json.dumps({"contacts": [{"name": "A. Example"}]}))
    (docs / "invoice.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    (docs / "holiday.txt").write_bytes(_encode(made[0], "JPEG", rng))  # hidden behind .txt
    (docs / "empty.dat").write_bytes(b"")
    with zipfile.ZipFile(root / "Downloads" / "album.zip", "w", zipfile.ZIP_STORED) as zf:
        for k, img in enumerate(made[-10:]):
            zf.writestr(f"album/pic_{k:02d}.jpg", _encode(img, "JPEG", rng))
    marker.write_text("demo exhibit complete\n")
    return root
