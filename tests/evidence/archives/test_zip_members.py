"""Zip members: times, unsupported methods, streaming reads."""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import UTC, datetime

from sentinela.evidence.archives.zip_members import zip_members
from sentinela.evidence.entries import Entry, EntryFailure, FailureCode, SourceLimits
from tests.evidence.helpers import RawMember, raw_zip


def _entry(data: bytes) -> Entry:
    return Entry(path="x.zip", size=len(data), opener=lambda: io.BytesIO(data))


def test_times_prefer_the_utc_extended_timestamp() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        stamped = zipfile.ZipInfo("stamped.txt", date_time=(2020, 1, 2, 3, 4, 6))
        stamped.extra = struct.pack("<HHBi", 0x5455, 5, 1, 1_700_000_000)
        archive.writestr(stamped, b"s")
        archive.writestr(zipfile.ZipInfo("dos.txt", date_time=(2020, 1, 2, 3, 4, 6)), b"d")
    members = {m.path: m for m in zip_members(_entry(out.getvalue()), SourceLimits())}
    stamped_entry = members["x.zip!/stamped.txt"]
    dos_entry = members["x.zip!/dos.txt"]
    assert isinstance(stamped_entry, Entry) and isinstance(dos_entry, Entry)
    assert stamped_entry.mtime == datetime.fromtimestamp(1_700_000_000, UTC)
    assert dos_entry.mtime == datetime(2020, 1, 2, 3, 4, 6, tzinfo=UTC)


def test_unsupported_method_is_recorded() -> None:
    data = raw_zip([RawMember("d64.bin", b"\x00" * 10, method=9), RawMember("ok.txt", b"ok")])
    items = list(zip_members(_entry(data), SourceLimits()))
    failure = items[0]
    assert isinstance(failure, EntryFailure)
    assert failure.code is FailureCode.CORRUPT_ARCHIVE
    assert isinstance(items[1], Entry)


def test_too_many_members() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(5):
            archive.writestr(f"{n}.txt", b"n")
    items = list(zip_members(_entry(out.getvalue()), SourceLimits(max_members=3)))
    assert [type(i).__name__ for i in items] == ["Entry"] * 3 + ["EntryFailure"]
    assert isinstance(items[-1], EntryFailure)
    assert items[-1].code is FailureCode.TOO_MANY_MEMBERS
