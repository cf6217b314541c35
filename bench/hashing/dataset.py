"""The benign JPEG bench set: scikit-image sample photos, cropped, resized, noised, re-encoded.

Only ``skimage.data`` photos are used (astronaut, coffee, chelsea, rocket, ...). Each bench
image is a random crop of one of them at the target aspect ratio, resized to the target size,
with a brightness change, Gaussian noise of 4-9 grey levels, sometimes a mirror, and (for two
thirds of them) EXIF with camera make, model, serial, date and GPS. All are saved at JPEG
quality 90. The set is cached under ``bench/out/`` keyed by its spec.

Why the noise: the sample photos are at most 1411 pixels wide, so upscaled to 4000x3000 they
are far smoother than a camera photo and compress to half the usual size. The noise stands in
for sensor noise and fine texture; it brings the files near the sizes of phone photos at
quality 90 (mean 2.8 MB at 12 MP, 0.52 MB at 1080p, 0.09 MB at 640x480). Decode cost grows
with the compressed size while PDQ cost does not, so the ours/floor ratio depends on it; the
bench prints the sizes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skimage.data
from PIL import ExifTags, Image

FORMAT_VERSION = 2
QUALITY = 90
#: (label, width, height, count at scale 1.0), as issue 3 asks.
SIZE_CLASSES: tuple[tuple[str, int, int, int], ...] = (
    ("4000x3000", 4000, 3000, 60),
    ("1920x1080", 1920, 1080, 120),
    ("640x480", 640, 480, 120),
)
_SOURCES: tuple[Callable[[], np.ndarray], ...] = (
    skimage.data.astronaut,
    skimage.data.coffee,
    skimage.data.chelsea,
    skimage.data.rocket,
    skimage.data.hubble_deep_field,
    skimage.data.immunohistochemistry,
    skimage.data.retina,
    skimage.data.camera,
)


@dataclass(frozen=True)
class BenchImage:
    """One file of the bench set."""

    path: Path
    size_class: str


def counts(scale: float) -> list[tuple[str, int, int, int]]:
    """The size classes with their image counts at ``scale`` (at least one each)."""
    return [(label, w, h, max(1, round(n * scale))) for label, w, h, n in SIZE_CLASSES]


def load_or_generate(out_dir: Path, scale: float, *, seed: int = 0) -> list[BenchImage]:
    """Return the cached set for this spec, generating whatever is missing."""
    spec = counts(scale)
    key = "-".join(f"{label}x{n}" for label, _, _, n in spec)
    folder = out_dir / f"set-v{FORMAT_VERSION}-seed{seed}-{key}"
    manifest = folder / "manifest.json"
    if manifest.exists():
        entries = json.loads(manifest.read_text())
        images = [BenchImage(folder / e["file"], e["size_class"]) for e in entries]
        if all(image.path.exists() for image in images):
            return images
    folder.mkdir(parents=True, exist_ok=True)
    sources = [_as_rgb(load()) for load in _SOURCES]
    images = []
    index = 0
    for label, width, height, n in spec:
        for i in range(n):
            rng = np.random.default_rng([seed, index])
            path = folder / f"{label}_{i:03d}.jpg"
            if not path.exists():
                _make_image(rng, sources[index % len(sources)], width, height, index, path)
            images.append(BenchImage(path, label))
            index += 1
    manifest.write_text(
        json.dumps([{"file": im.path.name, "size_class": im.size_class} for im in images])
    )
    return images


def _as_rgb(array: np.ndarray) -> Image.Image:
    image = Image.fromarray(array)
    return image if image.mode == "RGB" else image.convert("RGB")


def _make_image(
    rng: np.random.Generator, source: Image.Image, width: int, height: int, index: int, path: Path
) -> None:
    sw, sh = source.size
    aspect = width / height
    crop_w = min(sw, sh * aspect) * rng.uniform(0.6, 1.0)
    crop_h = crop_w / aspect
    left = rng.uniform(0, sw - crop_w)
    top = rng.uniform(0, sh - crop_h)
    box = (left, top, left + crop_w, top + crop_h)
    image = source.resize((width, height), Image.Resampling.BICUBIC, box=box)
    if rng.random() < 0.3:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    pixels = np.asarray(image, dtype=np.float32) * rng.uniform(0.8, 1.15)
    sigma = rng.uniform(4.0, 9.0)
    pixels += rng.standard_normal(pixels.shape, dtype=np.float32) * np.float32(sigma)
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    exif = _exif(rng, index) if index % 3 else Image.Exif()
    noisy.save(path, format="JPEG", quality=QUALITY, exif=exif)


def _exif(rng: np.random.Generator, index: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "BenchCam"
    exif[ExifTags.Base.Model] = f"Model {index % 4}"
    exif[ExifTags.Base.Software] = "sentinela-bench"
    exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
    exif_ifd[ExifTags.Base.BodySerialNumber] = f"SN{index % 7:06d}"
    exif_ifd[ExifTags.Base.DateTimeOriginal] = f"2023:0{1 + index % 9}:1{index % 10} 12:34:56"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (38.0, float(rng.integers(0, 60)), 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (9.0, float(rng.integers(0, 60)), 3.25)
    return exif
