"""7z members: batches held in memory, large members refused."""

from __future__ import annotations

import io
import struct
import zlib

import py7zr

from sentinela.evidence.archives.sevenzip_members import sevenzip_members
from sentinela.evidence.entries import Entry, EntryFailure, FailureCode, SourceLimits


def _archive(files: dict[str, bytes]) -> Entry:
    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(data, name)
    data = out.getvalue()
    return Entry(path="x.7z", size=len(data), opener=lambda: io.BytesIO(data))


def test_members_read_in_batches_and_out_of_order() -> None:
    files = {f"f{n}.bin": bytes([n]) * (3000 + n) for n in range(6)}
    limits = SourceLimits(max_member_bytes=7000)  # two members per batch
    members = [m for m in sevenzip_members(_archive(files), limits) if isinstance(m, Entry)]
    assert [m.path for m in members] == [f"x.7z!/f{n}.bin" for n in range(6)]
    for member in [*members, members[0], members[4]]:
        with member.open() as stream:
            assert stream.read() == files[member.path.rsplit("/", 1)[-1]]


def test_member_larger_than_memory_limit_is_recorded() -> None:
    files = {"big.bin": b"b" * 5000, "small.bin": b"s"}
    items = list(sevenzip_members(_archive(files), SourceLimits(max_member_bytes=4000)))
    codes = {i.path: i.code for i in items if isinstance(i, EntryFailure)}
    assert codes == {"x.7z!/big.bin": FailureCode.MEMBER_TOO_LARGE}
    assert any(isinstance(i, Entry) and i.path == "x.7z!/small.bin" for i in items)


def _with_traversal_name() -> Entry:
    """A 7z holding ``../evil.txt`` (py7zr refuses to write one, so a name is patched)."""
    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as archive:
        archive.set_encoded_header_mode(False)
        archive.writestr(b"evil", "XX/evil.txt")
        archive.writestr(b"ok", "ok.txt")
    data = bytearray(out.getvalue())
    at = data.find("XX".encode("utf-16-le"))
    data[at : at + 4] = "..".encode("utf-16-le")
    offset, size = struct.unpack_from("<QQ", data, 12)
    header = bytes(data[32 + offset : 32 + offset + size])
    struct.pack_into("<I", data, 28, zlib.crc32(header))
    struct.pack_into("<I", data, 8, zlib.crc32(bytes(data[12:32])))
    raw = bytes(data)
    return Entry(path="x.7z", size=len(raw), opener=lambda: io.BytesIO(raw))


def test_traversal_name_in_7z_is_recorded() -> None:
    items = list(sevenzip_members(_with_traversal_name(), SourceLimits()))
    assert [(i.path, i.code) for i in items if isinstance(i, EntryFailure)] == [
        ("x.7z!/../evil.txt", FailureCode.PATH_TRAVERSAL)
    ]
    ok = [i for i in items if isinstance(i, Entry)]
    assert [i.path for i in ok] == ["x.7z!/ok.txt"]
    with ok[0].open() as stream:
        assert stream.read() == b"ok"
