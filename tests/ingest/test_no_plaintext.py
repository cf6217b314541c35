"""No plaintext media reaches the disk: not in the data folder, the vault, the database or
temporary files, for files of a folder, archive members (7z held in memory) and disk images."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import py7zr
import pytest

from sentinela.services.context import ServiceContext
from sentinela.vault.keys import load_master_key
from sentinela.vault.store import Vault
from tests.evidence.helpers import E01, PNG_SHA256, simple_zip
from tests.ingest.helpers import (
    SENTINELA,
    files_containing,
    jpeg,
    occurrences,
    open_case,
    register,
    sha256,
    write_tree,
)


def _needle(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[middle : middle + 48]


def test_no_plaintext_media_on_disk(
    sqlite_ctx: ServiceContext, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    ctx = sqlite_ctx
    exhibit = tmp_path / "exhibit"
    media = {f"DCIM/{n}.jpg": jpeg(n, (200, 150)) for n in range(6)}
    members = {"a.jpg": jpeg(50, (200, 150)), "b.jpg": jpeg(51, (200, 150))}
    write_tree(exhibit, {**media, "Downloads/m.zip": simple_zip(members)})
    with py7zr.SevenZipFile(exhibit / "Downloads" / "m.7z", "w") as archive:
        archive.writestr(jpeg(52, (200, 150)), "c.jpg")
    open_case(ctx)
    register(ctx, exhibit, "EXH-001")
    register(ctx, E01, "EXH-002")
    # A short TMPDIR of our own: multiprocessing puts its forkserver socket there, and a
    # socket path may not exceed 107 bytes (pytest-xdist's tmp_path can).
    scratch = Path(tempfile.mkdtemp(prefix="snt-", dir="/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(scratch, ignore_errors=True))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTINELA_")} | {
        "SENTINELA_MODE": "development",
        "SENTINELA_DATA_DIR": str(ctx.settings.data_dir),
        "SENTINELA_DATABASE_URL": ctx.settings.database_url,
        "TMPDIR": str(scratch),
    }
    for label in ("EXH-001", "EXH-002"):
        done = subprocess.run(
            [SENTINELA, "--as", "alice", "ingest", "C1", label, "--workers", "2"],
            env=env,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr

    vault = Vault(
        ctx.settings.data_dir / "vault", load_master_key(ctx.settings.key_file, strict=False)
    )
    stored = {s.sha256 for found in occurrences(ctx).values() for s in found}
    stored |= {s.sha256 for found in occurrences(ctx, "EXH-002").values() for s in found}
    assert PNG_SHA256 in stored and sha256(members["a.jpg"]) in stored
    plaintexts = [vault.get(sha) for sha in stored]
    thumbnails = [
        vault.get(sha, kind="thumbnail") for sha in stored if vault.exists(sha, "thumbnail")
    ]
    assert len(thumbnails) >= 10
    needles = [_needle(data) for data in plaintexts + thumbnails]

    assert files_containing(tmp_path, needles, skip=exhibit) == []
    assert files_containing(scratch, needles) == []
    assert list(scratch.iterdir()) == []
