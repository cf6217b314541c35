from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from sentinela.errors import FormatError
from sentinela.formats.records import Category, HashRecord
from sentinela.formats.vics import VicsImporter

from .helpers import DATA, PNG_MD5, PNG_SHA1, PNG_SHA256, V2_MEDIA, media, write_vics

IMPORTER = VicsImporter()


def _all(path: Path) -> list[HashRecord]:
    items = list(IMPORTER.iter_records(path))
    assert all(isinstance(item, HashRecord) for item in items)
    return items  # type: ignore[return-value]


def test_v2_default_hash_set() -> None:
    path = DATA / "vics2.0_Default_media_hashset_synthetic.json"
    with IMPORTER.open(path) as stream:
        assert (stream.meta.version, stream.meta.entity, stream.meta.region) == (
            "2.0",
            "Media",
            "Default",
        )
        assert stream.meta.scheme == "project_vic_us"
        (record,) = list(stream)
    assert record.digests == {"md5": PNG_MD5, "sha1": PNG_SHA1}
    assert record.category == Category("project_vic_us", "0")
    assert record.position == "record 1"


def test_v2_us_case_export() -> None:
    path = DATA / "vics2.0_US_cases_synthetic.json"
    with IMPORTER.open(path) as stream:
        meta = stream.meta
        (record,) = list(stream)
    assert meta.entity == "Cases" and meta.case is not None
    assert meta.case.case_number == "SYNTHETIC-CASE-0001"
    assert meta.case.contact_email == "examiner.b@example.org"
    assert meta.source_application == "example-ingest-platform"
    assert record.digests["sha256"] == PNG_SHA256
    assert record.mime == "image/png"
    assert record.occurrences[0].source_id == "EXH-001"
    assert record.occurrences[0].file_path == "/DCIM/synthetic_test_pattern_64x64.png"


def test_v1_nist_caid_is_benign_scheme() -> None:
    records = _all(DATA / "nsrl_caid_BMP_vics1.2_excerpt5.json")
    assert len(records) == 5
    assert {r.category for r in records} == {Category("nist_caid", "8")}
    assert records[0].size == 1895094
    assert records[0].occurrences[0].file_name == "British Airports (advert).bmp"


def test_v13_case_export_with_bom_late_context_and_loose_types() -> None:
    path = DATA / "vics1.3_cases_bom_synthetic.json"
    with IMPORTER.open(path) as stream:
        meta = stream.meta
        first, second = list(stream)
    assert (meta.version, meta.entity, meta.region) == ("1.3", "Cases", None)
    assert meta.case is not None and meta.case.case_number == "SYNTHETIC-CASE-0002"
    assert meta.case.total_media_files == 3
    assert first.category == Category("project_vic_us", "2")
    assert first.digests["sha1"] == PNG_SHA1
    assert first.digests["photodna"] == "AAAA" * 48
    assert (first.victim_identified, first.offender_identified, first.distributed) == (
        True,
        False,
        None,
    )
    assert [o.source_id for o in first.occurrences] == ["EXH-001", "EXH-002"]
    assert first.occurrences[0].deleted is True and first.occurrences[0].unallocated is False
    assert second.category is None and second.size == 0


def test_context_after_records(tmp_path: Path) -> None:
    path = write_vics(tmp_path / "late.json", [media(), media(MediaID=2)], context_last=True)
    assert len(_all(path)) == 2


def test_empty_value_array_is_empty_set(tmp_path: Path) -> None:
    assert _all(write_vics(tmp_path / "empty.json", [])) == []


def test_missing_value_array_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "novalue.json"
    path.write_text(json.dumps({"@odata.context": V2_MEDIA.format(region="US")}))
    with pytest.raises(FormatError, match="no 'value' array"):
        _all(path)


def test_truncated_json_names_file_and_position() -> None:
    path = DATA / "vics2.0_truncated.json"
    with pytest.raises(FormatError, match="truncated JSON") as caught:
        _all(path)
    assert caught.value.path == str(path)
    assert caught.value.position == "after record 0"


def test_truncated_after_some_records(tmp_path: Path) -> None:
    path = write_vics(tmp_path / "t.json", [media(MediaID=i) for i in range(3)])
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(FormatError, match="after record 2"):
        _all(path)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"Category": "abc"}, "Category must be an integer"),
        ({"MD5": 12345}, "MD5 must be a hex string"),
        ({"MD5": "Z" * 32}, "not hexadecimal"),
        ({"PDQ": "ab" * 31}, "pdq digest must be 64 hex digits"),
    ],
)
def test_bad_record_names_file_and_record(
    tmp_path: Path, fields: dict[str, object], message: str
) -> None:
    path = write_vics(tmp_path / "bad.json", [media(), media(MediaID=2, **fields)])
    items = IMPORTER.iter_records(path)
    assert isinstance(next(items), HashRecord)
    with pytest.raises(FormatError, match=message) as caught:
        next(items)
    assert caught.value.path == str(path)
    assert caught.value.position == "record 2"


def test_unknown_context_is_refused_before_any_record(tmp_path: Path) -> None:
    path = tmp_path / "ctx.json"
    path.write_text('{"@odata.context": "http://example.org/$metadata#Media", "value": []}')
    with pytest.raises(FormatError, match="unknown VICS context") as caught:
        IMPORTER.open(path)
    assert caught.value.path == str(path)


def test_sniff() -> None:
    assert IMPORTER.sniff(b'\xef\xbb\xbf {"odata.metadata": "...', "x.json")
    assert IMPORTER.sniff(b'{"value": [{"MD5": "00"', "x.json")
    assert not IMPORTER.sniff(b'{"@context": {}}', "x.jsonld")
    assert not IMPORTER.sniff(b"MD5;SHA1;", "x.csv")


def _peak_python_memory(path: Path) -> int:
    tracemalloc.start()
    try:
        assert sum(1 for _ in IMPORTER.iter_records(path)) > 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streams_in_flat_memory(tmp_path: Path) -> None:
    """Python-side peak memory does not grow with the file (json.load's would, ~linearly)."""
    list(IMPORTER.iter_records(DATA / "vics2.0_Default_media_hashset_synthetic.json"))  # warm up
    sizes = (4_000, 16_000)
    peaks = [
        _peak_python_memory(
            write_vics(tmp_path / f"{n}.json", [media(MediaID=i) for i in range(n)])
        )
        for n in sizes
    ]
    assert peaks[1] < peaks[0] * 1.25, peaks
