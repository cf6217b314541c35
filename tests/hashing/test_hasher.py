"""hash_file: one read, crypto digests always, image fields from one decode, errors as data."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import pytest
from PIL import Image

from sentinela.errors import EvidenceError, FormatError
from sentinela.hashing.digests import EMPTY_DIGESTS, compute_digests
from sentinela.hashing.hasher import FileHashResult, HashErrorKind, hash_file, hash_path
from sentinela.hashing.images import ImageLimits, pdq_fast
from tests.hashing.helpers import (
    PATTERN_PDQ,
    PATTERN_PNG,
    camera_exif,
    encode,
    flip_idat_byte,
    gradient_shapes,
    jpeg,
    png,
    png_claiming,
)


def _hash(data: bytes, name: str = "file.bin", **kwargs: object) -> FileHashResult:
    return hash_file(io.BytesIO(data), name, **kwargs)  # type: ignore[arg-type]


def test_fixture_png_gives_every_hash() -> None:
    result = hash_path(PATTERN_PNG)
    assert result.md5 == "b7c7bff46fe2dcab50dcd96f7dfbde80"
    assert result.sha1 == "5c60a309d26e97e817fc0aca7943888bb556db06"
    assert result.sha256 == "87e84a8206219908276fc3b2e8c4bf64a119e44b659d5ee6d41351e8220d24f8"
    assert (result.pdq, result.pdq_quality, result.pdq_method) == (PATTERN_PDQ, 100, "full")
    assert (result.width, result.height, result.size) == (64, 64, 10599)
    assert (result.mime, result.family, result.extension_mismatch) == ("image/png", "image", False)
    assert result.error is None and result.error_kind is None
    assert result.thumbnail is not None and result.thumbnail.startswith(b"\xff\xd8\xff")
    assert result.name == str(PATTERN_PNG)


def test_jpeg_with_exif_matches_pdq_fast_and_carries_metadata() -> None:
    data = encode(gradient_shapes(1600, 1200), "JPEG", quality=90, exif=camera_exif())
    result = _hash(data, "DCIM/IMG_0001.JPG")
    assert result.pdq == pdq_fast(data).hash
    assert (result.width, result.height) == (1600, 1200)
    assert result.metadata is not None
    assert result.metadata.serial_number == "BODY-1234"
    assert result.metadata.gps_latitude is not None and result.metadata.gps_latitude < 0
    assert result.thumbnail is not None
    with Image.open(io.BytesIO(result.thumbnail)) as thumb:
        assert max(thumb.size) <= 256


def test_thumbnail_can_be_skipped() -> None:
    assert _hash(png(), "a.png", want_thumbnail=False).thumbnail is None


def test_zero_byte_file() -> None:
    result = _hash(b"", "empty.jpg")
    assert (result.md5, result.sha1, result.sha256, result.size) == (
        EMPTY_DIGESTS.md5,
        EMPTY_DIGESTS.sha1,
        EMPTY_DIGESTS.sha256,
        0,
    )
    assert result.error_kind == HashErrorKind.EMPTY == "empty"
    assert result.pdq is None


def test_png_named_jpg_is_flagged() -> None:
    result = _hash(png(), "holiday.jpg")
    assert result.extension_mismatch
    assert result.mime == "image/png"
    assert result.pdq is not None


def test_truncated_jpeg_keeps_crypto_hashes_and_camera() -> None:
    whole = encode(gradient_shapes(640, 480), "JPEG", quality=90, exif=camera_exif())
    data = whole[: len(whole) * 2 // 3]
    result = _hash(data, "cut.jpg")
    assert result.sha256 == compute_digests(data).sha256
    assert result.error_kind == HashErrorKind.CORRUPT_IMAGE
    assert result.error is not None and "truncated" in result.error
    assert result.pdq is None and result.thumbnail is None
    assert result.metadata is not None and result.metadata.make == "TestMaker"
    assert (result.width, result.height) == (640, 480)


def test_png_with_bad_crc() -> None:
    result = _hash(flip_idat_byte(png()), "bad.png")
    assert result.error_kind == HashErrorKind.CORRUPT_IMAGE
    assert result.error is not None and "CRC" in result.error
    assert result.md5 and result.pdq is None


def test_decompression_bomb() -> None:
    result = _hash(png_claiming(100_000, 100_000), "bomb.png")
    assert result.error_kind == HashErrorKind.DECOMPRESSION_BOMB
    assert result.sha256 and result.pdq is None


def test_image_above_the_in_memory_limit_is_only_hashed() -> None:
    data = jpeg(320, 240)
    result = _hash(data, "big.jpg", limits=ImageLimits(max_in_memory_bytes=len(data) - 1))
    assert result.error_kind == HashErrorKind.IMAGE_TOO_LARGE
    assert result.sha256 == compute_digests(data).sha256


def test_non_image_gets_no_image_fields() -> None:
    result = _hash(b"plain text evidence\n" * 100, "notes.txt")
    assert (result.mime, result.pdq, result.metadata, result.error) == (
        "text/plain",
        None,
        None,
        None,
    )


def test_large_stream_is_read_once_in_chunks() -> None:
    data = jpeg(320, 240) + bytes(3 * (1 << 20))  # trailing data after the JPEG
    seen: list[bytes] = []
    result = _hash(data, "padded.jpg", chunk_sink=seen.append)
    assert b"".join(seen) == data
    assert len(seen) == 4
    assert result.size == len(data)
    assert result.sha1 == compute_digests(data).sha1
    assert result.pdq == pdq_fast(jpeg(320, 240)).hash


class _Trickle(io.RawIOBase):
    """A raw stream that returns at most 100 bytes per read."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(min(100, size) if size >= 0 else 100)


def test_short_reads_still_detect_the_type() -> None:
    data = png()
    stream: BinaryIO = _Trickle(data)  # type: ignore[assignment]
    result = hash_file(stream, "slow.png")
    assert result.mime == "image/png"
    assert result.pdq == pdq_fast(data).hash


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="cannot open"):
        hash_path(tmp_path / "missing.jpg")


def test_read_error_becomes_evidence_error() -> None:
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            raise OSError("I/O error on sector 12")

    with pytest.raises(EvidenceError, match="sector 12"):
        hash_file(Broken(), "x")  # type: ignore[arg-type]


def test_dict_round_trip_through_json() -> None:
    result = _hash(encode(gradient_shapes(), "JPEG", exif=camera_exif()), "a.jpg")
    plain = json.loads(json.dumps(result.to_dict()))
    assert "thumbnail_b64" not in plain
    assert plain["format_version"] == 1
    assert FileHashResult.from_dict(plain) == replace(result, thumbnail=None)
    with_thumb = json.loads(json.dumps(result.to_dict(include_thumbnail=True)))
    assert FileHashResult.from_dict(with_thumb) == result


def test_from_dict_rejects_other_versions_and_missing_keys() -> None:
    plain = _hash(png(), "a.png").to_dict()
    with pytest.raises(FormatError, match="format_version"):
        FileHashResult.from_dict({**plain, "format_version": 2})
    del plain["sha256"]
    with pytest.raises(FormatError, match="malformed"):
        FileHashResult.from_dict(plain)
