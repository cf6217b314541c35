from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from sentinela.errors import FormatError
from sentinela.formats.nsrl_rdsv3 import NsrlRdsV3Importer
from sentinela.formats.records import Category, HashRecord

from .helpers import DATA, PNG_MD5, PNG_SHA1, PNG_SHA256, build_full_rdsv3

IMPORTER = NsrlRdsV3Importer()
MINIMAL = DATA / "nsrl_rdsv3_minimal_synthetic.db"


def _records(path: Path) -> list[HashRecord]:
    items = list(IMPORTER.iter_records(path))
    assert all(isinstance(item, HashRecord) for item in items)
    return items  # type: ignore[return-value]


def test_minimal_layout_yields_distinct_hashes() -> None:
    with IMPORTER.open(MINIMAL) as stream:
        assert stream.meta.version == "2099.01.1"
        assert stream.meta.scheme == "nsrl"
        records = list(stream)
    assert len(records) == 3  # readme.txt is in two packages: one record
    readme = next(r for r in records if r.name == "readme.txt")
    assert readme.digests["md5"] == "06b40f479631eeb298fd457d0c48d41f"
    assert readme.size == 31
    assert {r.category for r in records} == {Category("nsrl", "known")}


def test_full_layout_from_the_curated_schema(tmp_path: Path) -> None:
    path = build_full_rdsv3(tmp_path / "full.db")
    with IMPORTER.open(path) as stream:
        assert stream.meta.version == "2099.03.1"
        records = sorted(stream, key=lambda r: r.name or "")  # type: ignore[arg-type, return-value]
    assert [r.name for r in records] == ["LICENSE", "readme.txt"]  # the orphan has no package
    assert records[1].digests == {"sha256": PNG_SHA256, "sha1": PNG_SHA1, "md5": PNG_MD5}


def test_opens_read_only_and_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "nsrl.db"
    shutil.copyfile(MINIMAL, path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        assert len(_records(path)) == 3
    finally:
        tmp_path.chmod(0o755)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nsrl.db"]


@pytest.mark.parametrize("table", ["FILE", "VERSION"])
def test_missing_table_names_file_and_table(tmp_path: Path, table: str) -> None:
    path = tmp_path / "broken.db"
    shutil.copyfile(MINIMAL, path)
    with sqlite3.connect(path) as connection:
        connection.execute("DROP VIEW DISTINCT_HASH")
        connection.execute(f"DROP TABLE {table}")
    connection.close()
    with pytest.raises(FormatError, match=f"table {table} is missing") as caught:
        IMPORTER.open(path)
    assert caught.value.path == str(path)
    assert caught.value.position == f"table {table}"


def test_full_layout_missing_metadata(tmp_path: Path) -> None:
    path = build_full_rdsv3(tmp_path / "full.db")
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE METADATA")
    connection.close()
    with pytest.raises(FormatError, match="METADATA") as caught:
        IMPORTER.open(path)
    assert caught.value.position == "table METADATA"


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    with pytest.raises(FormatError, match="SQLite") as caught:
        IMPORTER.open(path)
    assert caught.value.path == str(path)


def test_bad_hash_row_names_the_record(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    shutil.copyfile(MINIMAL, path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE FILE SET md5 = 'NOT-HEX' WHERE file_name = 'license.txt'")
    connection.close()
    with pytest.raises(FormatError, match="md5") as caught:
        _records(path)
    assert caught.value.position is not None and caught.value.position.startswith("record ")


def test_early_close_releases_the_database(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    shutil.copyfile(MINIMAL, path)
    stream = IMPORTER.open(path)
    next(iter(stream))
    stream.close()
    stream.close()
    with pytest.raises(FormatError, match="only once"):
        iter(stream)


def test_sniff() -> None:
    assert IMPORTER.sniff(MINIMAL.read_bytes()[:100], "x.db")
    assert not IMPORTER.sniff(b'"SHA-1","MD5"', "NSRLFile.txt")
