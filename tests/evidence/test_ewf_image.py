"""E01 structural checks, and the committed mismatch fixture."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from sentinela.errors import CorruptEvidenceError
from sentinela.evidence.errors import TruncatedImageError
from sentinela.evidence.ewf_image import check_ewf_structure, header_values, open_ewf, stored_hash
from tests.evidence.helpers import (
    ACQUISITION_MD5,
    E01,
    MISMATCH_E01,
    MISMATCH_STORED_MD5,
    MISMATCH_STORED_SHA1,
    patch_e01_stored_hashes,
)


def test_intact_image_passes_and_opens() -> None:
    check_ewf_structure([E01])
    with open_ewf([E01]) as handle:
        assert stored_hash(handle, "MD5") == ACQUISITION_MD5
        assert header_values(handle)["evidence_number"] == "EXH-001"


@pytest.mark.parametrize("keep", range(0, 15173, 377))
def test_every_truncation_is_caught(tmp_path: Path, keep: int) -> None:
    cut = tmp_path / "cut.E01"
    cut.write_bytes(E01.read_bytes()[:keep])
    with pytest.raises(TruncatedImageError):
        check_ewf_structure([cut])


def test_missing_last_segment_is_caught(tmp_path: Path) -> None:
    data = bytearray(E01.read_bytes())
    done = data.rfind(b"done")
    data[done : done + 4] = b"next"
    struct.pack_into("<I", data, done + 72, zlib.adler32(bytes(data[done : done + 72])))
    first = tmp_path / "img.E01"
    first.write_bytes(bytes(data))
    with pytest.raises(TruncatedImageError, match="segment file is missing"):
        check_ewf_structure([first])


def test_bad_descriptor_checksum_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(E01.read_bytes())
    data[13 + 20] ^= 0x01
    damaged = tmp_path / "bad.E01"
    damaged.write_bytes(bytes(data))
    with pytest.raises(CorruptEvidenceError, match="checksum"):
        check_ewf_structure([damaged])


def test_committed_mismatch_fixture_is_reproducible() -> None:
    expected = patch_e01_stored_hashes(E01.read_bytes(), MISMATCH_STORED_MD5, MISMATCH_STORED_SHA1)
    assert MISMATCH_E01.read_bytes() == expected
    check_ewf_structure([MISMATCH_E01])
