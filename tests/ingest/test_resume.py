"""Resuming: keys of what is done, and interrupted ingests finishing with no duplicate and no
missing occurrence.

The kill test runs the real CLI in its own process group (driver, forkserver and workers),
sends SIGKILL to the whole group once some batches are committed, then runs the same command
again and checks the national store against the files on disk.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from sentinela.db.jobs import IngestJob
from sentinela.ingest.jobs import list_jobs
from sentinela.ingest.pipeline import IngestOptions, ingest_exhibit
from sentinela.ingest.resume import ResumeState, path_key
from sentinela.services.context import ServiceContext
from sentinela.vault.keys import load_master_key
from sentinela.vault.store import Vault
from tests.ingest.helpers import (
    SENTINELA,
    counts,
    errors,
    jpeg,
    occurrences,
    open_case,
    register,
    sha256,
    write_tree,
)


def _env(ctx: ServiceContext) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SENTINELA_")}
    return base | {
        "SENTINELA_MODE": "development",
        "SENTINELA_DATA_DIR": str(ctx.settings.data_dir),
        "SENTINELA_DATABASE_URL": ctx.settings.database_url,
    }


def _check_store(ctx: ServiceContext, files: dict[str, bytes]) -> None:
    found = occurrences(ctx)
    assert {p: [s.sha256 for s in stored] for p, stored in found.items()} == {
        p: [sha256(d)] for p, d in files.items()
    }
    assert counts(ctx)["media"] == len({sha256(d) for d in files.values()})
    vault = Vault(
        ctx.settings.data_dir / "vault", load_master_key(ctx.settings.key_file, strict=False)
    )
    for data in files.values():
        assert vault.get(sha256(data)) == data


def test_kill_9_mid_ingest_then_resume(ctx: ServiceContext, tmp_path: Path) -> None:
    files = {f"d{n % 4}/img_{n:04d}.jpg": jpeg(n, (160, 120)) for n in range(160)}
    files["d0/copy_of_first.jpg"] = files["d0/img_0000.jpg"]
    write_tree(tmp_path / "exhibit", files)
    open_case(ctx)
    register(ctx, tmp_path / "exhibit")
    command = [SENTINELA, "--as", "alice", "ingest", "C1", "EXH-001", "--no-progress"]
    command += ["--executor", "local", "--workers", "2", "--batch-size", "8"]

    proc = subprocess.Popen(
        command,
        env=_env(ctx),
        start_new_session=True,  # its own process group: driver, forkserver and workers
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while counts(ctx)["occurrences"] < 24 and proc.poll() is None:
            assert time.monotonic() < deadline, "no batch committed within 60 s"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        output = proc.communicate()[0].decode()
    assert proc.returncode == -signal.SIGKILL, output
    killed_at = counts(ctx)["occurrences"]
    assert 24 <= killed_at < len(files), "the kill came too late to test anything"
    with ctx.transaction() as session:
        assert session.execute(select(IngestJob.status)).scalar_one() == "running"

    done = subprocess.run(command, env=_env(ctx), capture_output=True, text=True, check=False)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "completed" in done.stdout
    _check_store(ctx, files)
    assert errors(ctx) == {}
    [job] = list_jobs(ctx, "C1")
    assert (job.status, job.attempts, job.files_done, job.media_new) == (
        "completed",
        2,
        len(files),
        len(files) - 1,
    )
    assert job.files_skipped >= killed_at


class _StopAfter:
    """A progress sink that presses Ctrl-C after ``limit`` files."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.done = 0

    def grow(self, files: int, size: int) -> None:
        pass

    def advance(self, files: int, size: int) -> None:
        self.done += files
        if self.done >= self.limit:
            raise KeyboardInterrupt


@pytest.mark.parametrize("executor", ["inline", "local"])
def test_ctrl_c_saves_the_batch_and_resumes(
    ctx: ServiceContext, tmp_path: Path, executor: str
) -> None:
    files = {f"img_{n:03d}.jpg": jpeg(n) for n in range(30)}
    write_tree(tmp_path / "exhibit", files)
    open_case(ctx)
    register(ctx, tmp_path / "exhibit")
    opts = IngestOptions(executor=executor, workers=2, batch_size=7)

    with pytest.raises(KeyboardInterrupt):
        ingest_exhibit(ctx, "C1", "EXH-001", opts, _StopAfter(10))

    [stopped] = list_jobs(ctx, "C1")
    assert stopped.status == "interrupted" and stopped.message == "interrupted by user"
    assert counts(ctx)["occurrences"] == stopped.files_done >= 9
    resumed = ingest_exhibit(ctx, "C1", "EXH-001", opts)
    assert (resumed.id, resumed.status, resumed.attempts) == (stopped.id, "completed", 2)
    assert resumed.files_done == len(files)
    _check_store(ctx, files)


def test_resume_state_keys() -> None:
    state = ResumeState()
    first, second = state.entry_key("a"), state.entry_key("a")
    assert first == path_key("a") and second == path_key("a\x001") and first != second
    assert state.claim_entry(first) and not state.claim_entry(first)
    assert state.claim_failure(first, "zip_bomb") and not state.claim_failure(first, "zip_bomb")
    assert state.claim_failure(first, "nesting_too_deep")
    done = ResumeState(error_keys={path_key("b")})
    assert not done.claim_entry(path_key("b"))
