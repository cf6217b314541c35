"""Every bad input of issue 3 is recorded against its exhibit and path, and the run goes on.

One folder exhibit holds all the hostile files next to good ones. It is ingested in a child
process without file-access privileges, so that the ``chmod 000`` file is unreadable even
when the tests run as root. Disk images that cannot be walked are exhibits of their own.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import py7zr

from sentinela.evidence.entries import SourceLimits
from sentinela.ingest.pipeline import IngestOptions, ingest_exhibit
from sentinela.services.context import ServiceContext, open_context
from tests.evidence.helpers import (
    E01,
    RawMember,
    make_unreadable,
    nested_zip,
    raw_zip,
    run_unprivileged,
    simple_zip,
    zip_bomb,
)
from tests.ingest.helpers import (
    counts,
    errors,
    jpeg,
    occurrences,
    open_case,
    png_bomb,
    png_with_bad_crc,
    register,
    sha256,
    write_tree,
)

GOOD = {"good/a.jpg": jpeg(1), "good/b.jpg": jpeg(2), "good/notes.txt": b"ordinary text\n"}


def _hostile(root: Path, outside: Path) -> None:
    whole = jpeg(3, (160, 120))
    write_tree(
        root,
        {
            **GOOD,
            "bad/truncated.jpg": whole[: len(whole) // 2],
            "bad/corrupt.jpg": b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8,
            "bad/bad_crc.png": png_with_bad_crc(),
            "bad/bomb.png": png_bomb(),
            "bad/zip_bomb.zip": zip_bomb(128),
            "bad/traversal.zip": simple_zip(
                {"../evil.txt": b"x", "/abs.txt": b"y", "ok.txt": b"z"}
            ),
            "bad/level1.zip": nested_zip(50),
            "bad/encrypted.zip": raw_zip(
                [RawMember("secret.jpg", bytes(24), flags=0x1), RawMember("plain.txt", b"p")]
            ),
            "bad/empty.jpg": b"",
            "bad/locked.jpg": jpeg(4),
        },
    )
    with py7zr.SevenZipFile(root / "bad" / "encrypted.7z", "w", password="benign") as archive:
        archive.writestr(b"secret", "s.txt")
    outside.write_text("not part of the exhibit")
    (root / "bad" / "escape.jpg").symlink_to(outside)
    make_unreadable(root / "bad" / "locked.jpg")


def _ingest_unprivileged(ctx: ServiceContext) -> dict[str, object]:
    def run() -> dict[str, object]:
        child = open_context(
            ctx.settings, "alice", ctx.clock
        )  # no connection shared with the parent
        try:
            job = ingest_exhibit(
                child, "C1", "EXH-001", IngestOptions(executor="inline", batch_size=7)
            )
            return {"status": job.status, "files": job.files_done, "errors": job.errors}
        finally:
            child.close()

    result: dict[str, object] = run_unprivileged(run)
    return result


def test_every_bad_input_is_an_error_and_good_files_are_kept(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    root = tmp_path / "exhibit"
    _hostile(root, tmp_path / "outside.txt")
    open_case(ctx)
    register(ctx, root)

    job = _ingest_unprivileged(ctx)

    deep = "!/".join(f"level{n}.zip" for n in range(1, 10))
    expected = {
        "bad/truncated.jpg": {"corrupt_image"},
        "bad/corrupt.jpg": {"corrupt_image"},
        "bad/bad_crc.png": {"corrupt_image"},
        "bad/bomb.png": {"decompression_bomb"},
        "bad/zip_bomb.zip!/zeros.bin": {"zip_bomb"},
        "bad/traversal.zip!/../evil.txt": {"path_traversal"},
        "bad/traversal.zip!//abs.txt": {"path_traversal"},
        f"bad/{deep}": {"nesting_too_deep"},
        "bad/encrypted.zip!/secret.jpg": {"encrypted"},
        "bad/encrypted.7z": {"encrypted"},
        "bad/escape.jpg": {"symlink_escape"},
        "bad/empty.jpg": {"empty"},
        "bad/locked.jpg": {"unreadable"},
    }
    found = errors(ctx)
    assert found == expected
    assert job == {"status": "completed", "files": job["files"], "errors": len(found)}

    stored = occurrences(ctx)
    for path, data in GOOD.items():
        assert [s.sha256 for s in stored[path]] == [sha256(data)]
    # Files whose image part failed still have their cryptographic hashes recorded.
    for path in ("bad/truncated.jpg", "bad/bad_crc.png", "bad/bomb.png", "bad/empty.jpg"):
        assert len(stored[path]) == 1
    # Archives are files too; what could be read from them is kept.
    for path in (
        "bad/zip_bomb.zip!/note.txt",
        "bad/traversal.zip!/ok.txt",
        "bad/encrypted.zip!/plain.txt",
        f"bad/{deep}",
        "bad/encrypted.7z",
    ):
        assert path in stored
    assert not any(p.startswith(("bad/locked", "bad/escape")) for p in stored)


def test_archive_total_size_and_depth_limits(ctx: ServiceContext, tmp_path: Path) -> None:
    many = {f"part{n}.bin": hashlib.sha256(bytes([n])).digest() * 3200 for n in range(5)}
    write_tree(tmp_path / "a", {"level1.zip": nested_zip(5)})
    write_tree(tmp_path / "b", {"big.zip": simple_zip(many, zipfile.ZIP_STORED)})
    open_case(ctx)
    register(ctx, tmp_path / "a", "EXH-001")
    register(ctx, tmp_path / "b", "EXH-002")
    shallow = ctx.settings.model_copy(update={"archive_max_depth": 2})

    ingest_exhibit(
        ServiceContext(shallow, ctx.engine, ctx.actor_name, ctx.clock),
        "C1",
        "EXH-001",
        IngestOptions(executor="inline"),
    )
    ingest_exhibit(
        ctx,
        "C1",
        "EXH-002",
        IngestOptions(executor="inline", limits=SourceLimits(max_expanded_bytes=250_000)),
    )

    assert errors(ctx, "EXH-001") == {"level1.zip!/level2.zip!/level3.zip": {"nesting_too_deep"}}
    assert "level1.zip!/level2.zip!/level3.zip" in occurrences(ctx, "EXH-001")
    assert errors(ctx, "EXH-002") == {"big.zip": {"zip_bomb"}}
    kept = occurrences(ctx, "EXH-002")
    assert {"big.zip", "big.zip!/part0.bin", "big.zip!/part1.bin"} <= set(kept)
    assert "big.zip!/part4.bin" not in kept


def test_truncated_e01_and_disk_without_file_system(ctx: ServiceContext, tmp_path: Path) -> None:
    damaged = tmp_path / "EXH-001.E01"
    damaged.write_bytes(E01.read_bytes())
    noise = tmp_path / "noise.dd"
    noise.write_bytes(hashlib.shake_256(b"no file system here").digest(256 * 1024))
    open_case(ctx)
    register(ctx, damaged, "EXH-001")
    register(ctx, noise, "EXH-002")
    damaged.write_bytes(E01.read_bytes()[:13600])  # damaged after registration
    opts = IngestOptions(executor="inline")

    e01 = ingest_exhibit(ctx, "C1", "EXH-001", opts)
    raw = ingest_exhibit(ctx, "C1", "EXH-002", opts)

    assert errors(ctx, "EXH-001") == {"": {"truncated_image"}}
    assert errors(ctx, "EXH-002") == {"": {"no_filesystem"}}
    assert (e01.status, e01.errors, raw.status, raw.errors) == ("completed", 1, "completed", 1)
    assert counts(ctx)["occurrences"] == 0
