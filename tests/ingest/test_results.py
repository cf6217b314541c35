"""Rows from results: hostile text is made storable, metadata columns mapped."""

from __future__ import annotations

import io

from sentinela.evidence.entries import Entry
from sentinela.ingest.batch import Batch
from sentinela.ingest.results import add_result, error_row, storable


def test_storable_text() -> None:
    assert storable("a\x00b") == "a\\x00b"
    assert storable("caf\udce9") == "caf\\udce9"
    assert storable("x" * 10, 4) == "xxxx"
    assert storable("ordinary/path.jpg") == "ordinary/path.jpg"


def test_error_row_is_cut_to_the_columns() -> None:
    row = error_row("p\x00", "k", "c" * 100, "m" * 5000)
    assert row["path"] == "p\\x00" and len(row["code"]) == 64 and len(row["message"]) == 2000


def test_result_rows() -> None:
    data = b"data"
    entry = Entry("dir\x00/a.jpg", 4, lambda: io.BytesIO(data), parent_container="z\x00.zip")
    hashes = {
        "sha256": "a" * 64,
        "md5": "b" * 32,
        "sha1": "c" * 40,
        "size": 4,
        "mime": "image/jpeg",
        "family": "image",
        "pdq": "d" * 64,
        "pdq_quality": 90,
        "extension_mismatch": True,
        "error_kind": "corrupt_image",
        "error": "truncated",
        "metadata": {
            "make": "M" * 500,
            "model": "X",
            "serial_number": None,
            "datetime_original": "2020-01-02T03:04:05",
            "gps_latitude": 1.5,
            "gps_longitude": -2.5,
            "gps_altitude": None,
            "software": "S\x00",
            "orientation": 6,
        },
    }
    batch = Batch()
    add_result(
        batch, "key", entry, {"ok": True, "stored": True, "thumbnail": True, "hashes": hashes}
    )
    meta = batch.metadata["a" * 64]
    assert meta == {
        "camera_make": "M" * 200,
        "camera_model": "X",
        "camera_serial": None,
        "taken_at": "2020-01-02T03:04:05",
        "gps_lat": 1.5,
        "gps_lon": -2.5,
        "gps_alt": None,
        "software": "S\\x00",
    }
    [occurrence] = batch.occurrences
    assert occurrence["path"] == "dir\\x00/a.jpg" and occurrence["parent_container"] == "z\\x00.zip"
    assert occurrence["extension_mismatch"] and occurrence["path_key"] == "key"
    assert batch.errors == [
        {
            "path": "dir\\x00/a.jpg",
            "path_key": "key",
            "code": "corrupt_image",
            "message": "truncated",
            "sha256": "a" * 64,
        }
    ]
    assert (batch.files, batch.size, len(batch)) == (1, 4, 2)
