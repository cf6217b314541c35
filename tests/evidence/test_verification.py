"""Re-verifying an exhibit against its recorded hashes."""

from __future__ import annotations

import shutil
from pathlib import Path

from sentinela.evidence.container_hashes import hash_container
from sentinela.evidence.verification import verify_container
from tests.evidence.helpers import DD, E01, MISMATCH_E01


def test_unchanged_exhibit_matches(tmp_path: Path) -> None:
    image = tmp_path / "EXH-001.E01"
    shutil.copyfile(E01, image)
    recorded = hash_container(image, "e01")
    result = verify_container(image, recorded)
    assert result.matches
    assert result.summary().startswith("match")


def test_changed_raw_image_mismatches(tmp_path: Path) -> None:
    image = tmp_path / "EXH-001.dd"
    shutil.copyfile(DD, image)
    recorded = hash_container(image, "raw")
    with image.open("r+b") as stream:
        stream.seek(60_000)
        stream.write(b"\xff")
    result = verify_container(image, recorded)
    assert not result.matches
    fields = {m.field for m in result.mismatches}
    assert {"sha256", "md5", "media_md5", "media_sha1"} <= fields
    assert recorded.sha256 in result.summary()
    assert "\n" not in result.summary()


def test_e01_whose_media_no_longer_matches_its_stored_hash(tmp_path: Path) -> None:
    image = tmp_path / "EXH-001.E01"
    shutil.copyfile(E01, image)
    recorded = hash_container(image, "e01")
    shutil.copyfile(MISMATCH_E01, image)
    result = verify_container(image, recorded)
    assert not result.matches
    fields = {m.field for m in result.mismatches}
    assert {"sha256", "acquisition_md5", "verified"} <= fields


def test_folder_that_lost_a_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    recorded = hash_container(tmp_path, "folder")
    (tmp_path / "b.txt").unlink()
    result = verify_container(tmp_path, recorded)
    assert {m.field for m in result.mismatches} == {"sha256", "md5", "size"}
