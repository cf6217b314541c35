from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.errors import FormatError
from sentinela.formats.nsrl_rds2 import NsrlRds2Importer
from sentinela.formats.records import Category, HashRecord

from .helpers import DATA

IMPORTER = NsrlRds2Importer()
HEADER = (
    '"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"\r\n'
)
ROW = (
    '"65B0F5641FD87720AA7657ED9055948752FFD01F","06B40F479631EEB298FD457D0C48D41F",'
    '"94D25E04",{name},31,1001,"301",{code}\r\n'
)


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "NSRLFile.txt"
    path.write_bytes(text.encode(encoding))
    return path


def _records(path: Path) -> list[HashRecord]:
    return list(IMPORTER.iter_records(path))  # type: ignore[arg-type]


def test_fixture_collapses_adjacent_duplicates() -> None:
    records = _records(DATA / "NSRLFile_rds2_synthetic.txt")
    assert [r.name for r in records] == ["readme.txt", "license.txt", "empty.txt"]
    assert [r.position for r in records] == ["line 2", "line 4", "line 5"]
    assert records[0].digests == {
        "sha1": "65b0f5641fd87720aa7657ed9055948752ffd01f",
        "md5": "06b40f479631eeb298fd457d0c48d41f",
    }
    assert records[2].size == 0
    assert {r.category for r in records} == {Category("nsrl", "known")}


def test_special_codes(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER
        + ROW.format(name='"a"', code='"M"')
        + ROW.replace("65B0", "75B0").format(name='"b"', code='"S"'),
    )
    assert [r.category for r in _records(path)] == [
        Category("nsrl", "malicious"),
        Category("nsrl", "special"),
    ]


def test_older_header_order_and_latin1_names(tmp_path: Path) -> None:
    text = (
        '"SHA-1","FileName","FileSize","ProductCode","OpSystemCode","MD4","MD5","CRC32","SpecialCode"\r\n'
        '"65B0F5641FD87720AA7657ED9055948752FFD01F","caf\xe9.txt",31,1,"2","","06B40F479631EEB298FD457D0C48D41F","94D25E04",""\r\n'
    )
    (record,) = _records(_write(tmp_path, text, encoding="latin-1"))
    assert record.name == "caf\ufffd.txt"
    assert record.digests["md5"] == "06b40f479631eeb298fd457d0c48d41f"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (ROW.format(name='"a"', code='"Q"'), "unknown SpecialCode"),
        (ROW.format(name='"a"', code='"", "extra"'), "expected 8 fields"),
        (
            ROW.replace("65B0F5641FD87720AA7657ED9055948752FFD01F", "XYZ").format(
                name='"a"', code='""'
            ),
            "SHA-1",
        ),
        (ROW.replace(",31,", ",big,").format(name='"a"', code='""'), "FileSize must be an integer"),
        ('"65B0F5641FD87720AA7657ED9055948752FFD01F","unterminated', "malformed CSV"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    path = _write(
        tmp_path, HEADER + ROW.format(name='"ok"', code='""').replace("65B0", "1111") + row
    )
    with pytest.raises(FormatError, match=message) as caught:
        _records(path)
    assert caught.value.path == str(path)
    assert caught.value.position == "line 3"


def test_header_without_hash_columns(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="SHA-1 and MD5") as caught:
        IMPORTER.open(_write(tmp_path, '"SHA-1","Name"\r\n'))
    assert caught.value.position == "line 1"


def test_sniff() -> None:
    assert IMPORTER.sniff(b'\xef\xbb\xbf"SHA-1","MD5"', "NSRLFile.txt")
    assert not IMPORTER.sniff(b'"ProductCode","ProductName"', "NSRLProd.txt")
