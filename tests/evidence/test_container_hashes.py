"""Container hashes of every exhibit kind, E01 acquisition hashes, and damaged E01s."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from sentinela.errors import CorruptEvidenceError, IntegrityMismatchError, UnsupportedSourceError
from sentinela.evidence.container_hashes import hash_container
from sentinela.evidence.errors import MediaHashMismatchError, TruncatedImageError
from sentinela.evidence.kinds import ExhibitKind, detect_kind
from tests.evidence.helpers import (
    ACQUISITION_MD5,
    ACQUISITION_SHA1,
    DD,
    E01,
    MISMATCH_E01,
    MISMATCH_STORED_MD5,
    simple_zip,
    tree_listing,
)


def test_e01_records_the_acquisition_hash_and_verifies_it() -> None:
    hashes = hash_container(E01, "e01")
    assert hashes.acquisition_md5 == ACQUISITION_MD5
    assert hashes.acquisition_sha1 == ACQUISITION_SHA1
    assert hashes.media_md5 == ACQUISITION_MD5
    assert hashes.media_sha1 == ACQUISITION_SHA1
    assert hashes.verified is True
    assert hashes.media_size == 131072
    data = E01.read_bytes()
    assert hashes.sha256 == hashlib.sha256(data).hexdigest()
    assert hashes.md5 == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert hashes.size == len(data)
    assert hashes.segments == ("EXH-001.E01",)
    assert hashes.headers["case_number"] == "SYNTHETIC-CASE-0001"
    assert hashes.headers["evidence_number"] == "EXH-001"


def test_raw_media_hashes_equal_the_container_hashes() -> None:
    hashes = hash_container(DD, "raw")
    assert hashes.md5 == hashes.media_md5 == ACQUISITION_MD5
    assert hashes.media_sha1 == ACQUISITION_SHA1
    assert hashes.sha256 == "a81daa760ce671c7ed43183473f82fc433e38eeae7ff3e8aff72da67cbe6ff53"
    assert hashes.verified is None
    assert hashes.acquisition_md5 is None


def test_split_raw_hashes_the_segments_concatenated(tmp_path: Path) -> None:
    data = DD.read_bytes()
    (tmp_path / "d.001").write_bytes(data[:50_000])
    (tmp_path / "d.002").write_bytes(data[50_000:])
    hashes = hash_container(tmp_path / "d.001", "raw")
    assert hashes.md5 == ACQUISITION_MD5
    assert hashes.segments == ("d.001", "d.002")
    assert hashes.size == len(data)


def test_archive_is_hashed_as_a_file(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(simple_zip({"a.txt": b"a"}))
    hashes = hash_container(archive, "archive")
    assert hashes.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert hashes.media_md5 is None


def test_progress_reports_every_byte(tmp_path: Path) -> None:
    seen: list[int] = []
    hash_container(E01, "e01", seen.append)
    assert sum(seen) == E01.stat().st_size + 131072


def test_media_no_longer_matching_its_stored_hash() -> None:
    with pytest.raises(MediaHashMismatchError) as info:
        hash_container(MISMATCH_E01, "e01")
    message = str(info.value)
    assert isinstance(info.value, IntegrityMismatchError)
    assert ACQUISITION_MD5 in message  # recomputed
    assert MISMATCH_STORED_MD5 in message  # stored
    assert "\n" not in message


def test_mismatch_is_reported_as_unverified_when_not_strict() -> None:
    hashes = hash_container(MISMATCH_E01, "e01", strict=False)
    assert hashes.verified is False
    assert hashes.media_md5 == ACQUISITION_MD5


@pytest.mark.parametrize("keep", [10, 1000, 5000, 13600, 15100])
def test_truncated_e01_is_a_one_line_corrupt_evidence_error(tmp_path: Path, keep: int) -> None:
    cut = tmp_path / "cut.E01"
    cut.write_bytes(E01.read_bytes()[:keep])
    assert detect_kind(cut) is ExhibitKind.E01
    with pytest.raises(CorruptEvidenceError) as info:
        hash_container(cut, "e01")
    assert isinstance(info.value, TruncatedImageError)
    assert "cut.E01" in str(info.value) and "\n" not in str(info.value)


def test_nothing_is_written_next_to_the_evidence(tmp_path: Path) -> None:
    shutil.copyfile(E01, tmp_path / "EXH-001.E01")
    shutil.copyfile(DD, tmp_path / "EXH-001.dd")
    before = tree_listing(tmp_path)
    hash_container(tmp_path / "EXH-001.E01", "e01")
    hash_container(tmp_path / "EXH-001.dd", "raw")
    hash_container(tmp_path, "folder")
    assert tree_listing(tmp_path) == before


def test_unknown_kind() -> None:
    with pytest.raises(UnsupportedSourceError):
        hash_container(DD, "floppy")
