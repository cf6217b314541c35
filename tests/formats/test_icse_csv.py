from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.errors import FormatError
from sentinela.formats.icse_csv import IcseCsvImporter
from sentinela.formats.records import Category, HashRecord

from .helpers import DATA, PNG_MD5, PNG_SHA1

IMPORTER = IcseCsvImporter()
FIXTURE = DATA / "icse_hash_export_synthetic.csv"
HEADER = FIXTURE.read_text(encoding="utf-8").splitlines()[0]


def _records(path: Path) -> list[HashRecord]:
    return list(IMPORTER.iter_records(path))  # type: ignore[arg-type]


def _write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "icse.csv"
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def _row(**changes: str) -> str:
    columns = HEADER.split(";")
    values = FIXTURE.read_text(encoding="utf-8").splitlines()[1].split(";")
    for name, value in changes.items():
        values[columns.index(name.replace("_", " "))] = value
    return ";".join(values)


def test_fixture() -> None:
    with IMPORTER.open(FIXTURE) as stream:
        assert stream.meta.scheme == "interpol_baseline"
        (record,) = list(stream)
    assert record.digests == {"md5": PNG_MD5, "sha1": PNG_SHA1}
    assert record.source_id == "SYNTHETIC-0001"
    assert (record.baseline, record.category) == (
        False,
        Category("interpol_baseline", "not_baseline"),
    )
    assert (record.distributed, record.victim_identified, record.offender_identified) == (
        False,
        False,
        False,
    )
    assert record.media_type == "image"
    assert record.position == "line 2"


def test_baseline_yes_and_flags(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _row(Baseline="Yes", Victim_identified="Y", Series_name="S-1", PhotoDNA="AB12" * 72),
    )
    (record,) = _records(path)
    assert (record.baseline, record.category) == (True, Category("interpol_baseline", "baseline"))
    assert record.victim_identified is True and record.series == "S-1"
    assert record.digests["photodna"] == "AB12" * 72


def test_twelve_column_variant(tmp_path: Path) -> None:
    header = (
        "MD5;SHA1;PhotoDNA;Image ID;Is distributed;Victim identified;Offender identified;"
        "Series name;Number of submissions;File Available;Media Type;Baseline"
    )
    row = f"{PNG_MD5.upper()};;;IMG-2;N;N;Y;;3;True;Video;Yes"
    (record,) = _records(_write(tmp_path, row, header=header))
    assert record.digests == {"md5": PNG_MD5}
    assert (record.offender_identified, record.media_type, record.baseline) == (True, "video", True)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_row(Baseline="Maybe"), "Baseline must be a boolean"),
        (_row(MD5="xyz"), "MD5"),
        (_row(Media_Type="Audio"), "Media Type"),
        (_row() + ";extra", "expected 16 fields"),
        (_row(MD5="", SHA1="", PhotoDNA=""), "at least one digest"),
    ],
)
def test_bad_rows(tmp_path: Path, row: str, message: str) -> None:
    path = _write(tmp_path, _row(), row)
    with pytest.raises(FormatError, match=message) as caught:
        _records(path)
    assert (caught.value.path, caught.value.position) == (str(path), "line 3")


def test_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="missing columns Image ID, Baseline"):
        IMPORTER.open(_write(tmp_path, header="MD5;SHA1;Series name"))


def test_sniff() -> None:
    assert IMPORTER.sniff(FIXTURE.read_bytes(), FIXTURE.name)
    assert not IMPORTER.sniff(b"MD5;SHA1;Other\n", "x.csv")
