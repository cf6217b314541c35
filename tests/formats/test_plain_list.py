from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.errors import FormatError, InvalidInputError
from sentinela.formats.base import ImportOptions
from sentinela.formats.plain_list import PlainListImporter
from sentinela.formats.records import HashRecord

from .helpers import DATA, PNG_MD5, PNG_PDQ, PNG_SHA1, PNG_SHA256

IMPORTER = PlainListImporter()


def _records(path: Path, hash_type: str | None = None) -> list[HashRecord]:
    return list(IMPORTER.iter_records(path, ImportOptions(hash_type=hash_type)))  # type: ignore[arg-type]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "list.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_md5sum_output() -> None:
    records = _records(DATA / "plain_list_md5sum.txt")
    assert [(r.digests, r.name, r.position) for r in records] == [
        ({"md5": PNG_MD5}, "synthetic_test_pattern_64x64.png", "line 1"),
        ({"md5": "d41d8cd98f00b204e9800998ecf8427e"}, "empty file.txt", "line 2"),
        ({"sha1": PNG_SHA1}, "synthetic_test_pattern_64x64.png", "line 5"),
    ]
    assert all(r.category is None for r in records)


def test_sha256sum_binary_mode_and_escaped_names() -> None:
    first, second = _records(DATA / "plain_list_sha256sum.txt")
    assert (
        first.digests == {"sha256": PNG_SHA256} and first.name == "synthetic_test_pattern_64x64.png"
    )
    assert second.name == "dir\\name\nwith newline"


def test_pdq_with_quality() -> None:
    records = _records(DATA / "plain_list_pdq.txt")
    assert [(r.digests, r.pdq_quality) for r in records] == [
        ({"pdq": PNG_PDQ}, 100),
        ({"pdq": PNG_PDQ}, 87),
    ]


def test_bsd_tag_lines(tmp_path: Path) -> None:
    (record,) = _records(_write(tmp_path, f"SHA256 (a b.png) = {PNG_SHA256.upper()}\n"))
    assert record.digests == {"sha256": PNG_SHA256} and record.name == "a b.png"


def test_bare_64_digit_lines_need_a_hash_type(tmp_path: Path) -> None:
    path = _write(tmp_path, f"{PNG_PDQ}\n")
    with pytest.raises(FormatError, match="hash_type 'sha256' or 'pdq'") as caught:
        _records(path)
    assert caught.value.position == "line 1"
    assert _records(path, "pdq")[0].digests == {"pdq": PNG_PDQ}
    assert _records(path, "sha256")[0].digests == {"sha256": PNG_PDQ}


@pytest.mark.parametrize(
    ("text", "hash_type", "message"),
    [
        (f"{PNG_PDQ[:-1]}\n", "pdq", "pdq digest must be 64 hex digits, got 63"),
        (f"{PNG_PDQ[:-2]},90\n", None, "pdq digest must be 64 hex digits, got 62"),
        (f"{PNG_PDQ},101\n", None, "quality must be 0-100"),
        (f"{PNG_MD5},50\n", "md5", "quality is only valid for PDQ"),
        ("z" * 32 + "  name\n", None, "not hexadecimal"),
        ("abc  name\n", None, "cannot tell the hash type"),
        (f"{PNG_SHA1}  a.txt\n", "md5", "md5 digest must be 32"),
    ],
)
def test_bad_lines_name_file_and_line(
    tmp_path: Path, text: str, hash_type: str | None, message: str
) -> None:
    ok = PNG_PDQ if hash_type == "pdq" else PNG_MD5
    path = _write(tmp_path, f"# header comment\n{ok}  ok\n{text}")
    with pytest.raises(FormatError, match=message) as caught:
        _records(path, hash_type)
    assert (caught.value.path, caught.value.position) == (str(path), "line 3")


def test_unknown_hash_type_option(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="hash_type"):
        IMPORTER.open(_write(tmp_path, ""), ImportOptions(hash_type="crc32"))


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (f"{PNG_MD5}  a.png\n".encode(), True),
        (f"# list\n\n{PNG_SHA256} *a.png\r\n".encode(), True),
        (f"{PNG_PDQ},100\n".encode(), True),
        (f"MD5 (a) = {PNG_MD5}\n".encode(), True),
        (b"abc  a.png\n", False),
        (b"MD5;SHA1;Baseline\n", False),
        (b'"SHA-1","MD5"\n', False),
        (b"", False),
    ],
)
def test_sniff(head: bytes, expected: bool) -> None:
    assert IMPORTER.sniff(head, "list.txt") is expected
