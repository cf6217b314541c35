from __future__ import annotations

import hashlib
from typing import Any

import pytest

from sentinela.errors import InvalidHashError, InvalidInputError
from sentinela.formats.records import Category, Occurrence
from sentinela.formats.vics_header import parse_context
from sentinela.formats.vics_media import CategoryResolver, media_record
from sentinela.hashsets.schemes import default_catalogue

from .helpers import PNG_MD5, PNG_PDQ, PNG_SHA1, PNG_SHA256, V2_MEDIA, media

US = parse_context(V2_MEDIA.format(region="US"))
UK = parse_context(V2_MEDIA.format(region="UK"))
V12 = parse_context("http://github.com/ICMEC/ProjectVic/DataModels/1.2.xml#Media")


def _record(obj: Any, context: Any = US) -> Any:
    return media_record(obj, "record 1", CategoryResolver(context, default_catalogue()))


def test_full_record() -> None:
    record = _record(
        media(
            Category="3",
            SHA256=PNG_SHA256.upper(),
            PDQ=PNG_PDQ,
            PhotoDNA="AAAA",
            MediaSize="10599",
            VictimIdentified="True",
            OffenderIdentified=False,
            IsDistributed=None,
            IsPrecategorized="true",
            Series=" Synthetic ",
            MimeType="image/png",
            Name="pattern.png",
            DateUpdated="2025-01-11T10:00:00.0000Z",
            Unknown={"nested": [1, 2]},
        )
    )
    assert record.digests == {
        "md5": PNG_MD5,
        "sha1": PNG_SHA1,
        "sha256": PNG_SHA256,
        "pdq": PNG_PDQ,
        "photodna": "AAAA",
    }
    assert record.category == Category("project_vic_us", "3")
    assert (record.victim_identified, record.offender_identified, record.distributed) == (
        True,
        False,
        None,
    )
    assert (record.size, record.series, record.mime, record.name, record.source_id) == (
        10599, "Synthetic", "image/png", "pattern.png", "1",
    )  # fmt: skip
    assert record.updated_at == "2025-01-11T10:00:00.0000Z"


def test_alternative_hashes_and_media_files() -> None:
    record = _record(
        media(
            SHA1=...,
            AlternativeHashes=[
                {"HashName": "SHA1", "HashValue": PNG_SHA1.upper()},
                {"HashName": "PhotoDNA", "HashValue": "QUJD"},
                {"HashName": "Vendor", "HashValue": "not checked"},
            ],
            MediaFiles=[
                {"FilePath": "/DCIM/", "FileName": "a.png", "SourceID": "EXH-001",
                 "Unallocated": "FALSE", "Deleted": "true", "Created": "c", "Written": "w",
                 "Accessed": "a", "PhysicalLocation": "512"},
            ],
        )
    )  # fmt: skip
    assert record.digests["sha1"] == PNG_SHA1
    assert record.digests["photodna"] == "QUJD"
    assert record.occurrences == (
        Occurrence("/DCIM/", "a.png", "EXH-001", "c", "w", "a", False, True, 512),
    )


def test_category_null_missing_or_empty_is_uncategorised() -> None:
    assert _record(media(Category=None)).category is None
    assert _record(media(Category=...)).category is None
    assert _record(media(Category="")).category is None


def test_schemes_follow_the_context() -> None:
    assert _record(media(Category=8), V12).category == Category("nist_caid", "8")
    assert _record(media(Category=2), V12).category == Category("project_vic_us", "2")
    assert _record(media(Category=17), UK).category == Category("uk_caid", "17")


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"Category": "abc"}, InvalidInputError, "Category must be an integer"),
        ({"Category": 1.5}, InvalidInputError, "Category must be an integer"),
        ({"Category": True}, InvalidInputError, "Category must be an integer"),
        ({"Category": 7}, InvalidInputError, "unknown category code '7'"),
        ({"MD5": 123}, InvalidInputError, "MD5 must be a hex string"),
        ({"MD5": "G" * 32}, InvalidHashError, "not hexadecimal"),
        ({"SHA1": PNG_SHA1[:-2]}, InvalidHashError, "40 hex digits"),
        ({"PDQ": PNG_PDQ[:-1]}, InvalidHashError, "PDQ: pdq digest must be 64"),
        ({"MediaSize": "big"}, InvalidInputError, "MediaSize must be an integer"),
        ({"VictimIdentified": "perhaps"}, InvalidInputError, "VictimIdentified must be a boolean"),
        ({"MediaFiles": {}}, InvalidInputError, "MediaFiles must be an array"),
        ({"MediaFiles": [{"Deleted": "x"}]}, InvalidInputError, "MediaFiles.Deleted"),
        ({"AlternativeHashes": "SHA1"}, InvalidInputError, "AlternativeHashes must be an array"),
        (
            {"AlternativeHashes": [{"HashName": "SHA1", "HashValue": "ab" * 20}]},
            InvalidInputError,
            "contradicts",
        ),
        ({"MD5": ..., "SHA1": ...}, InvalidHashError, "at least one digest"),
    ],
)
def test_bad_fields(fields: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        _record(media(**fields))


def test_category_resolver_caches_by_type_and_value() -> None:
    resolve = CategoryResolver(US, default_catalogue())
    assert resolve(1) == resolve("1") == Category("project_vic_us", "1")
    with pytest.raises(InvalidInputError):
        resolve(True)
    with pytest.raises(InvalidInputError):
        resolve([1])
    with pytest.raises(InvalidInputError):
        resolve(9)
    with pytest.raises(InvalidInputError):
        resolve(9)


def test_record_must_be_an_object() -> None:
    with pytest.raises(InvalidInputError, match="must be an object"):
        _record([1])


def test_vpdq_alternative_hash_is_normalised_with_its_digest() -> None:
    raw = f"0,100,{PNG_PDQ.upper()},0\n\n30,90,{PNG_PDQ},1.0\n"
    canonical = f"0,100,{PNG_PDQ},0.000\n30,90,{PNG_PDQ},1.000\n"
    record = _record(media(AlternativeHashes=[{"HashName": "VPDQ", "HashValue": raw}]))
    assert record.vpdq == canonical
    assert record.digests["vpdq"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert _record(media()).vpdq is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0,100,zz,0\n", "AlternativeHashes.vPDQ is not a vPDQ fingerprint"),
        ("", "no frame hashes"),
        (17, "must be vPDQ hash file text"),
    ],
)
def test_bad_vpdq_alternative_hash(value: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        _record(media(AlternativeHashes=[{"HashName": "vPDQ", "HashValue": value}]))
