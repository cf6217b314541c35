"""Job rows: start, resume the unfinished one, list for members only."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.errors import AccessDenied, NotFoundError
from sentinela.ingest.jobs import finish_job, list_jobs, open_job
from sentinela.services.context import ServiceContext
from tests.ingest.helpers import audit_actions, image_folder, open_case, register


def test_open_resume_finish_and_list(ctx: ServiceContext, tmp_path: Path) -> None:
    image_folder(tmp_path / "x", 1)
    open_case(ctx)
    register(ctx, tmp_path / "x")

    first = open_job(ctx, "C1", 1, "EXH-001", "local", 0)
    again = open_job(ctx, "C1", 1, "EXH-001", "inline", 1)  # the first never finished
    assert (again.id, again.attempts, again.executor) == (first.id, 2, "inline")
    failed = finish_job(ctx, first.id, "failed", 1.5, "disk full", skipped=3)
    assert (failed.status, failed.message, failed.files_skipped) == ("failed", "disk full", 3)
    resumed = open_job(ctx, "C1", 1, "EXH-001", "local", 2)
    assert (resumed.id, resumed.attempts, resumed.message) == (first.id, 3, "")
    done = finish_job(ctx, first.id, "completed", 2.0, "", custody=(1, "C1", "EXH-001"))
    assert done.finished_at is not None and done.elapsed_seconds == 3.5
    fresh = open_job(ctx, "C1", 1, "EXH-001", "local", 0)  # completed jobs are not reopened
    assert fresh.id != first.id and fresh.attempts == 1

    assert [j.id for j in list_jobs(ctx, "C1")] == [fresh.id, first.id]
    with pytest.raises(AccessDenied):
        list_jobs(ctx.with_actor("bob"), "C1")
    with pytest.raises(NotFoundError):
        finish_job(ctx, 999, "failed", 0, "")
    actions = audit_actions(ctx)
    assert [a for a in actions if a.startswith("ingest.")] == [
        "ingest.start",
        "ingest.resume",
        "ingest.failed",
        "ingest.resume",
        "ingest.completed",
        "ingest.start",
    ]
