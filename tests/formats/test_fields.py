from __future__ import annotations

import pytest

from sentinela.errors import FormatError, InvalidHashError
from sentinela.formats.fields import (
    FieldError,
    parse_digest,
    parse_flag,
    parse_int,
    parse_text,
    record_error,
    strip_bom,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        (None, None),
        ("", None),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        (" false ", False),
        ("Y", True),
        ("N", False),
        ("Yes", True),
        ("no", False),
        ("1", True),
        (0, False),
    ],
)
def test_parse_flag(value: object, expected: bool | None) -> None:
    assert parse_flag(value, "F") is expected


@pytest.mark.parametrize("value", ["maybe", 2, 1.5, [], {}])
def test_parse_flag_rejects(value: object) -> None:
    with pytest.raises(FieldError, match="F must be a boolean"):
        parse_flag(value, "F")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(10599, 10599), ("488", 488), (" 7 ", 7), (3.0, 3), (None, None), ("", None)],
)
def test_parse_int(value: object, expected: int | None) -> None:
    assert parse_int(value, "N") == expected


@pytest.mark.parametrize("value", ["abc", "1.5", 1.5, True, "-1", -1, [], "١٢"])
def test_parse_int_rejects(value: object) -> None:
    with pytest.raises(FieldError):
        parse_int(value, "N")


def test_parse_text() -> None:
    assert parse_text(" a ", "T") == "a"
    assert parse_text("", "T") is None
    assert parse_text(7, "T") == "7"
    with pytest.raises(FieldError):
        parse_text(True, "T")
    with pytest.raises(FieldError):
        parse_text({"a": 1}, "T")


def test_parse_digest_names_the_field() -> None:
    assert parse_digest("md5", "D41D8CD98F00B204E9800998ECF8427E", "MD5") == (
        "d41d8cd98f00b204e9800998ecf8427e"
    )
    with pytest.raises(FieldError, match="MD5 must be a hex string, got int"):
        parse_digest("md5", 123, "MD5")
    with pytest.raises(InvalidHashError, match=r"^MD5: "):
        parse_digest("md5", "xyz", "MD5")


def test_record_error_carries_path_and_position() -> None:
    error = record_error(FieldError("bad"), "/x/set.json", "record 3")
    assert isinstance(error, FormatError)
    assert (error.path, error.position, str(error)) == (
        "/x/set.json",
        "record 3",
        "/x/set.json, record 3: bad",
    )


def test_strip_bom() -> None:
    assert strip_bom(b"\xef\xbb\xbf{") == b"{"
    assert strip_bom(b"{") == b"{"
