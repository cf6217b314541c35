"""Builders for the hashing tests: benign images made by numpy and Pillow, in memory."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import numpy as np
from PIL import ExifTags, Image

DATA = Path(__file__).resolve().parents[1] / "data" / "hashing"
PATTERN_PNG = DATA / "synthetic_test_pattern_64x64.png"
PATTERN_PDQ = "515c80291dfcb8a9217c20a901fcaaa937fcaaa97ffcaaa9fffcaaa900035556"


def gradient_shapes(width: int = 320, height: int = 240, seed: int = 0) -> Image.Image:
    """An RGB test card: colour gradients, a few rectangles and circles, light noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    red = 255 * x / max(width - 1, 1)
    green = 255 * y / max(height - 1, 1)
    blue = 127 + 127 * np.sin(x / (width / 7)) * np.cos(y / (height / 5))
    pixels = np.stack([red, green, blue], axis=-1)
    for _ in range(4):
        x0, y0 = rng.integers(0, width * 3 // 4), rng.integers(0, height * 3 // 4)
        w, h = rng.integers(width // 10, width // 4), rng.integers(height // 10, height // 4)
        pixels[y0 : y0 + h, x0 : x0 + w] = rng.integers(0, 256, 3)
    cx, cy, r = width * 0.6, height * 0.4, min(width, height) / 5
    pixels[(x - cx) ** 2 + (y - cy) ** 2 < r**2] = (250, 250, 30)
    pixels += rng.normal(0, 3, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def encode(image: Image.Image, fmt: str, **params: Any) -> bytes:
    """Encode ``image`` in Pillow format ``fmt`` and return the file's bytes."""
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def jpeg(width: int = 320, height: int = 240, *, seed: int = 0, **params: Any) -> bytes:
    """A JPEG test card at quality 90 unless told otherwise."""
    params.setdefault("quality", 90)
    return encode(gradient_shapes(width, height, seed), "JPEG", **params)


def png(width: int = 320, height: int = 240, *, seed: int = 0) -> bytes:
    """A PNG test card."""
    return encode(gradient_shapes(width, height, seed), "PNG")


def png_chunk(ctype: bytes, body: bytes) -> bytes:
    """One PNG chunk with a correct CRC."""
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose IHDR declares ``width`` x ``height`` (a decompression bomb header)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\x00\x00\x00" * 8)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def flip_idat_byte(data: bytes) -> bytes:
    """The same PNG with one byte of its first IDAT chunk's data flipped (bad CRC)."""
    pos = data.index(b"IDAT") + 4 + 10
    return data[:pos] + bytes([data[pos] ^ 0xFF]) + data[pos + 1 :]


def camera_exif(
    *,
    serial_tag: int = ExifTags.Base.BodySerialNumber,
    latitude: tuple[float, float, float] = (38.0, 42.0, 30.0),
    latitude_ref: str = "S",
    longitude: tuple[float, float, float] = (9.0, 8.0, 24.0),
    longitude_ref: str = "W",
    altitude: float = 12.5,
    altitude_ref: int = 0,
    orientation: int | None = None,
) -> Image.Exif:
    """EXIF as a camera writes it: make, model, serial, original time, GPS, software."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestMaker"
    exif[ExifTags.Base.Model] = "Model X100"
    exif[ExifTags.Base.Software] = "Firmware 1.2"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    if serial_tag == ExifTags.Base.CameraSerialNumber:
        exif[serial_tag] = "CAM-0042"
    else:
        sub[serial_tag] = "BODY-1234"
    sub[ExifTags.Base.DateTimeOriginal] = "2021:07:14 09:30:05"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = latitude_ref
    gps[ExifTags.GPS.GPSLatitude] = latitude
    gps[ExifTags.GPS.GPSLongitudeRef] = longitude_ref
    gps[ExifTags.GPS.GPSLongitude] = longitude
    gps[ExifTags.GPS.GPSAltitudeRef] = altitude_ref
    gps[ExifTags.GPS.GPSAltitude] = altitude
    return exif
