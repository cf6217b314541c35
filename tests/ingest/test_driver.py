"""The driver: repeated paths, failures held back until their archive is in, batch writes."""

from __future__ import annotations

import io
from pathlib import Path

from sentinela.evidence.entries import Entry, EntryFailure, FailureCode
from sentinela.ingest.driver import Driver
from sentinela.ingest.jobs import open_job
from sentinela.ingest.progress import NullProgress
from sentinela.ingest.resume import ResumeState
from sentinela.ingest.tasks import WorkerConfig, process_task
from sentinela.services.context import ServiceContext
from tests.ingest.helpers import errors, image_folder, jpeg, occurrences, open_case, register


def _entry(path: str, data: bytes, *, deleted: bool = False, depth: int = 0) -> Entry:
    return Entry(path, len(data), lambda: io.BytesIO(data), deleted=deleted, depth=depth)


def _driver(ctx: ServiceContext, tmp_path: Path, resume: ResumeState) -> Driver:
    image_folder(tmp_path / "unused", 1)
    open_case(ctx)
    register(ctx, tmp_path / "unused")
    job = open_job(ctx, "C1", 1, "EXH-001", "inline", 1)
    cfg = WorkerConfig(
        str(ctx.settings.data_dir / "vault"), str(ctx.settings.key_file), False
    ).as_dict()
    return Driver(
        ctx,
        case_number="C1",
        exhibit_id=1,
        job_id=job.id,
        batch_size=100,
        sink=NullProgress(),
        resume=resume,
        cfg=cfg,
        folder_root=None,
    )


def _run(driver: Driver, items: list[Entry | EntryFailure]) -> None:
    for task in driver.tasks(items):
        driver.take(process_task(task, driver.cfg))
    driver.flush()


def test_two_files_listed_under_one_path_are_both_kept(
    sqlite_ctx: ServiceContext, tmp_path: Path
) -> None:
    items: list[Entry | EntryFailure] = [
        _entry("DCIM/a.jpg", jpeg(1), deleted=True),
        _entry("DCIM/a.jpg", jpeg(2)),
    ]
    driver = _driver(sqlite_ctx, tmp_path, ResumeState())
    _run(driver, items)
    stored = occurrences(sqlite_ctx)["DCIM/a.jpg"]
    assert sorted(s.deleted for s in stored) == [False, True]

    with sqlite_ctx.transaction() as session:
        driver.resume = ResumeState.load(session, 1)
    _run(driver, items)
    assert driver.skipped == 2 and len(occurrences(sqlite_ctx)["DCIM/a.jpg"]) == 2


def test_failure_of_an_archive_waits_for_the_archive(
    sqlite_ctx: ServiceContext, tmp_path: Path
) -> None:
    driver = _driver(sqlite_ctx, tmp_path, ResumeState())
    items = iter(
        [
            _entry("deep.zip", b"PK\x03\x04 pretend"),
            EntryFailure("deep.zip", FailureCode.NESTING_TOO_DEEP, "too deep"),
            EntryFailure("other.zip!/x", FailureCode.ENCRYPTED, "encrypted"),
        ]
    )
    tasks = driver.tasks(items)
    task = next(tasks)
    assert list(tasks) == []  # the walk ends while deep.zip is still being hashed
    assert [e["path"] for e in driver.batch.errors] == ["other.zip!/x"]
    driver.take(process_task(task, driver.cfg))
    assert [e["path"] for e in driver.batch.errors] == ["other.zip!/x", "deep.zip"]
    driver.flush()
    assert errors(sqlite_ctx) == {
        "deep.zip": {"nesting_too_deep"},
        "other.zip!/x": {"encrypted"},
    }
