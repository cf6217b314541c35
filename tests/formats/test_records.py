from __future__ import annotations

import dataclasses
import hashlib

import pytest

from sentinela.errors import InvalidHashError, InvalidInputError
from sentinela.formats.records import (
    CaseInfo,
    Category,
    Deletion,
    HashRecord,
    ImportMeta,
    normalise_digest,
    vpdq_digest,
)

from .helpers import PNG_MD5, PNG_PDQ, PNG_SHA1, PNG_SHA256


@pytest.mark.parametrize(
    ("hash_type", "raw", "expected"),
    [
        ("md5", PNG_MD5.upper(), PNG_MD5),
        ("md5", f"  {PNG_MD5}\n", PNG_MD5),
        ("sha1", PNG_SHA1.upper(), PNG_SHA1),
        ("sha256", PNG_SHA256, PNG_SHA256),
        ("pdq", PNG_PDQ.upper(), PNG_PDQ),
        ("photodna", " AbC+/= ", "AbC+/="),
    ],
)
def test_normalise_digest(hash_type: str, raw: str, expected: str) -> None:
    assert normalise_digest(hash_type, raw) == expected


@pytest.mark.parametrize(
    ("hash_type", "raw", "message"),
    [
        ("md5", PNG_MD5[:-1], "32 hex digits"),
        ("pdq", PNG_PDQ + "0", "64 hex digits"),
        ("sha1", "z" * 40, "not hexadecimal"),
        ("md5", 12345, "must be a string"),
        ("crc32", "00000000", "unknown hash type"),
        ("photodna", "   ", "empty"),
    ],
)
def test_normalise_digest_rejects(hash_type: str, raw: object, message: str) -> None:
    with pytest.raises(InvalidHashError, match=message):
        normalise_digest(hash_type, raw)  # type: ignore[arg-type]


def test_record_requires_canonical_digests() -> None:
    with pytest.raises(InvalidHashError, match="canonical"):
        HashRecord(digests={"md5": PNG_MD5.upper()}, position="line 1")
    with pytest.raises(InvalidHashError, match="at least one"):
        HashRecord(digests={}, position="line 1")
    with pytest.raises(InvalidInputError):
        HashRecord(digests={"md5": PNG_MD5}, position="line 1", size=-1)


def test_record_is_frozen_hashable_and_copies_digests() -> None:
    digests = {"md5": PNG_MD5}
    record = HashRecord(digests=digests, position="line 1", category=Category("uk", "A"))
    digests["sha1"] = PNG_SHA1
    assert record.digests == {"md5": PNG_MD5}
    assert hash(record) == hash(
        HashRecord(digests={"md5": PNG_MD5}, position="line 1", category=Category("uk", "A"))
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.series = "x"  # type: ignore[misc]
    assert str(record.category) == "uk:A"


def test_deletion_needs_a_digest_or_an_id() -> None:
    assert Deletion(digests={}, reason="r", position="entry 2", source_id="image4").source_id
    assert Deletion(digests={"md5": PNG_MD5}, reason="r", position="entry 2").digests
    with pytest.raises(InvalidHashError):
        Deletion(digests={}, reason="r", position="entry 2")


def test_meta_case_is_the_first_case() -> None:
    meta = ImportMeta(format="vics", path="x", cases=(CaseInfo(case_number="1"), CaseInfo()))
    assert meta.case == CaseInfo(case_number="1")
    assert ImportMeta(format="vics", path="x").case is None


def test_vpdq_digest_must_be_the_sha256_of_the_text() -> None:
    text = f"0,100,{'0f' * 32},0.000\n"
    record = HashRecord(digests={"vpdq": vpdq_digest(text)}, position="r1", vpdq=text)
    assert record.digests["vpdq"] == hashlib.sha256(text.encode()).hexdigest()
    with pytest.raises(InvalidHashError, match="vpdq"):
        HashRecord(digests={"vpdq": "0" * 64}, position="r1", vpdq=text)
    with pytest.raises(InvalidHashError, match="vpdq"):
        HashRecord(digests={"md5": "0" * 32, "vpdq": vpdq_digest(text)}, position="r1")
    with pytest.raises(InvalidHashError, match="vpdq"):
        HashRecord(digests={"md5": "0" * 32}, position="r1", vpdq=text)
