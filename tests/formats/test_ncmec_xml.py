from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from sentinela.errors import FormatError
from sentinela.formats.ncmec_xml import NcmecXmlImporter
from sentinela.formats.records import Category, Deletion, HashRecord

from .helpers import DATA

IMPORTER = NcmecXmlImporter()
FIXTURE = DATA / "ncmec_hashsharing_v2_entries_fixture.xml"
NS = 'xmlns="https://hashsharing.ncmec.org/hashsharing/v2"'


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "entries.xml"
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<queryResult {NS}>{body}</queryResult>\n'
    )
    return path


def test_fixture_entries_and_deletions() -> None:
    with IMPORTER.open(FIXTURE) as stream:
        assert (stream.meta.format, stream.meta.version, stream.meta.scheme) == (
            "ncmec_xml",
            "v2",
            "industry",
        )
        items = list(stream)
    image, deleted_image, video, deleted_video = items
    assert isinstance(image, HashRecord) and isinstance(video, HashRecord)
    assert image.category == Category("industry", "A1")
    assert image.source_id == "image1" and image.media_type == "image"
    assert image.digests["md5"] == "a1" * 16 and image.digests["sha1"] == "a1" * 20
    assert image.digests["photodna"].startswith("a1a1")
    assert image.updated_at == "2017-10-24T15:00:00Z"
    assert video.category is None and video.media_type == "video"
    assert deleted_image == Deletion(
        digests={}, reason="NCMEC deletedImage", position="entry 2", source_id="image4"
    )
    assert isinstance(deleted_video, Deletion) and deleted_video.source_id == "video4"


@pytest.mark.parametrize("name", ["ncmec_billion_laughs.xml", "ncmec_external_entity.xml"])
def test_xml_bombs_are_refused(name: str) -> None:
    path = DATA / name
    with pytest.raises(FormatError, match="possible XML bomb") as caught:
        list(IMPORTER.iter_records(path))
    assert caught.value.path == str(path)
    assert caught.value.position


def test_malformed_xml_gives_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "<images><image><id>x</image></images>")
    with pytest.raises(FormatError, match="malformed XML") as caught:
        list(IMPORTER.iter_records(path))
    assert caught.value.position is not None and caught.value.position.startswith("line 2, column")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "<image><id>i</id><classification>Z9</classification><fingerprints><md5>"
            + "a" * 32
            + "</md5></fingerprints></image>",
            "unknown category code 'Z9'",
        ),
        (
            "<image><id>i</id><fingerprints><md5>" + "a" * 31 + "</md5></fingerprints></image>",
            "md5 digest must be 32",
        ),
        (
            "<image><id>i</id><fingerprints><sha1>" + "g" * 40 + "</sha1></fingerprints></image>",
            "not hexadecimal",
        ),
        ("<video><id>v</id><fingerprints/></video>", "no md5, sha1 or pdna"),
        ("<deletedImage><member id='1'>m</member></deletedImage>", "without an id"),
    ],
)
def test_bad_entries_name_the_entry(tmp_path: Path, entry: str, message: str) -> None:
    good = "<image><id>ok</id><fingerprints><md5>" + "b" * 32 + "</md5></fingerprints></image>"
    path = _write(tmp_path, f"<images>{good}{entry}</images>")
    with pytest.raises(FormatError, match=message) as caught:
        list(IMPORTER.iter_records(path))
    assert caught.value.path == str(path)
    assert caught.value.position == "entry 2"


def test_lower_case_classification_is_normalised(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "<images><image><id>i</id><classification>b2</classification><fingerprints><md5>"
        + "C" * 32
        + "</md5></fingerprints></image></images>",
    )
    (record,) = IMPORTER.iter_records(path)
    assert isinstance(record, HashRecord)
    assert record.category == Category("industry", "B2") and record.digests == {"md5": "c" * 32}


def test_root_must_be_query_result(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<status/>")
    with pytest.raises(FormatError, match="not 'queryResult'"):
        IMPORTER.open(path)


def test_entries_are_released_while_streaming(tmp_path: Path) -> None:
    entry = (
        "<image><id>{i}</id><classification>A2</classification>"
        "<fingerprints><md5>{h}</md5></fingerprints></image>"
    )

    def peak(count: int) -> int:
        body = "".join(entry.format(i=i, h=f"{i:032x}") for i in range(count))
        path = _write(tmp_path, f"<images>{body}</images>")
        tracemalloc.start()
        try:
            assert sum(1 for _ in IMPORTER.iter_records(path)) == count
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(10)
    small, large = peak(2_000), peak(8_000)
    assert large < small * 1.25, (small, large)


def test_sniff() -> None:
    assert IMPORTER.sniff(FIXTURE.read_bytes()[:500], "x.xml")
    assert not IMPORTER.sniff(b"<html></html>", "x.xml")
