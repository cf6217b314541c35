"""Tar links: escapes recorded, internal links skipped, never followed."""

from __future__ import annotations

import io
import tarfile

from sentinela.evidence.archives.expand import archive_members
from sentinela.evidence.entries import Entry, EntryFailure, FailureCode, SourceLimits


def _link(name: str, target: str, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


def test_links() -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        data = tarfile.TarInfo("dir/file.txt")
        data.size = 4
        archive.addfile(data, io.BytesIO(b"data"))
        archive.addfile(_link("dir/inner", "file.txt", tarfile.SYMTYPE))
        archive.addfile(_link("dir/out", "../../x", tarfile.SYMTYPE))
        archive.addfile(_link("dir/abs", "/etc/shadow", tarfile.SYMTYPE))
        archive.addfile(_link("hard", "dir/file.txt", tarfile.LNKTYPE))
        archive.addfile(_link("hard_out", "../x", tarfile.LNKTYPE))
    raw = out.getvalue()
    entry = Entry(path="t.tar", size=len(raw), opener=lambda: io.BytesIO(raw))
    items = list(archive_members(entry, SourceLimits()))
    assert [i.path for i in items if isinstance(i, Entry)] == ["t.tar!/dir/file.txt"]
    assert {i.path: i.code for i in items if isinstance(i, EntryFailure)} == {
        "t.tar!/dir/out": FailureCode.SYMLINK_ESCAPE,
        "t.tar!/dir/abs": FailureCode.SYMLINK_ESCAPE,
        "t.tar!/hard_out": FailureCode.SYMLINK_ESCAPE,
    }
