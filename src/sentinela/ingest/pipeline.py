"""The ingest driver: walk, dispatch to an executor, write batches, keep the job row current."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sentinela.audit import record
from sentinela.db.jobs import IngestJob
from sentinela.db.media import EntryError, Occurrence
from sentinela.errors import SentinelaError
from sentinela.evidence.entries import Entry, EntryFailure, SourceLimits, failure_for_error
from sentinela.evidence.sources import expand_archives, source_for_kind
from sentinela.ingest.batch import Batch, path_key, write_batch
from sentinela.ingest.executors import Executor, build_executor_registry
from sentinela.ingest.jobs import JobView, finish_job, open_job
from sentinela.ingest.progress import NullProgress, ProgressSink
from sentinela.ingest.results import add_result
from sentinela.ingest.tasks import WorkerConfig
from sentinela.services.context import ServiceContext
from sentinela.services.exhibits import load_exhibit
from sentinela.services.permissions import require_member

#: Entries larger than this are hashed in the driver from their stream rather than sent.
MAX_TASK_BYTES = 256 << 20


@dataclass(frozen=True)
class IngestOptions:
    """How to run an ingest."""

    executor: str = "local"
    workers: int = 0
    ray_address: str | None = None
    batch_size: int = 500
    want_thumbnail: bool = True


def ingest_exhibit(
    ctx: ServiceContext,
    case_number: str,
    label: str,
    options: IngestOptions | None = None,
    progress: ProgressSink | None = None,
) -> JobView:
    """Ingest (or resume ingesting) one exhibit into the national store.

    Returns:
        The finished job with its counters.

    Raises:
        AccessDenied: the actor is not a member of the case.
        NotFoundError: no such exhibit.
        EvidenceError: the exhibit cannot be opened at all.
    """
    opts = options or IngestOptions()
    sink = progress or NullProgress()
    executor_kind = build_executor_registry().get(opts.executor)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        exhibit = load_exhibit(session, case, label)
        exhibit_id, kind, root = exhibit.id, exhibit.kind, Path(exhibit.source_path)
        done = _done_keys(session, exhibit_id)
    job = open_job(ctx, case_number, exhibit_id, label, opts.executor, opts.workers)
    cfg = WorkerConfig(
        vault_root=str(ctx.settings.data_dir / "vault"),
        key_file=str(ctx.settings.key_file),
        strict_key=ctx.settings.mode != "development",
        want_thumbnail=opts.want_thumbnail,
    ).as_dict()
    executor = executor_kind.create(opts.workers, cfg, opts.ray_address)
    limits = SourceLimits(max_depth=ctx.settings.archive_max_depth)
    driver = _Driver(ctx, case_number, exhibit_id, job.id, opts.batch_size, sink)
    started = time.monotonic()
    try:
        entries = expand_archives(source_for_kind(kind).iter_entries(root, limits), limits)
        tasks = driver.tasks(entries, done, root if kind == "folder" else None, executor)
        for result in executor.run(tasks):
            driver.take(result)
        driver.flush()
    except KeyboardInterrupt:
        driver.flush()
        finish_job(ctx, job.id, "interrupted", time.monotonic() - started, "interrupted by user")
        raise
    except (SentinelaError, OSError) as exc:
        finish_job(ctx, job.id, "failed", time.monotonic() - started, str(exc))
        raise
    finally:
        executor.close()
    return finish_job(
        ctx,
        job.id,
        "completed",
        time.monotonic() - started,
        "",
        custody=(exhibit_id, case_number, label),
    )


def _done_keys(session: Any, exhibit_id: int) -> set[str]:
    keys = set(
        session.execute(
            select(Occurrence.path_key).where(Occurrence.exhibit_id == exhibit_id)
        ).scalars()
    )
    keys.update(
        session.execute(
            select(EntryError.path_key).where(EntryError.exhibit_id == exhibit_id)
        ).scalars()
    )
    return keys


class _Driver:
    """Turns entries into tasks and results into batches."""

    def __init__(
        self,
        ctx: ServiceContext,
        case_number: str,
        exhibit_id: int,
        job_id: int,
        batch_size: int,
        sink: ProgressSink,
    ) -> None:
        self.ctx = ctx
        self.case_number = case_number
        self.exhibit_id = exhibit_id
        self.job_id = job_id
        self.batch_size = batch_size
        self.sink = sink
        self.batch = Batch()
        self.inflight: dict[str, Entry] = {}
        self.skipped = 0

    def tasks(
        self,
        entries: Iterator[Entry | EntryFailure],
        done: set[str],
        folder_root: Path | None,
        executor: Executor,
    ) -> Iterator[dict[str, Any]]:
        for item in entries:
            key = path_key(item.path)
            if key in done:
                self.skipped += 1
                continue
            done.add(key)
            if isinstance(item, EntryFailure):
                self._error(item.path, key, item.code, item.message)
                continue
            self.sink.grow(1, item.size)
            task: dict[str, Any] = {"key": key, "path": item.path, "file": None, "data": None}
            if folder_root is not None and item.depth == 0:
                task["file"] = str(folder_root / item.path)
            elif item.size > MAX_TASK_BYTES:
                self.inflight[key] = item
                self.take(_hash_in_driver(item, key, executor.cfg))
                continue
            else:
                try:
                    with item.open() as stream:
                        task["data"] = stream.read()
                except (SentinelaError, OSError) as exc:
                    failure = failure_for_error(item.path, exc)
                    self._error(item.path, key, failure.code, failure.message)
                    continue
            self.inflight[key] = item
            yield task

    def _error(self, path: str, key: str, code: str, message: str) -> None:
        self.batch.errors.append(
            {"path": path, "path_key": key, "code": str(code), "message": message}
        )
        self._maybe_flush()

    def take(self, result: dict[str, Any]) -> None:
        entry = self.inflight.pop(result["key"])
        add_result(self.batch, entry, result)
        self.sink.advance(1, entry.size)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        batch, self.batch = self.batch, Batch()
        if not len(batch):
            return
        with self.ctx.transaction() as session:
            now = self.ctx.clock()
            new = write_batch(
                session, batch, exhibit_id=self.exhibit_id, job_id=self.job_id, now=now
            )
            job = session.get(IngestJob, self.job_id)
            if job is not None:
                job.files_done += batch.files
                job.bytes_done += batch.size
                job.errors += len(batch.errors)
                job.media_new += new
                job.files_skipped = self.skipped
                job.updated_at = now
            record(
                session,
                actor=self.ctx.actor_name or "system",
                action="ingest.batch",
                object_type="ingest_job",
                object_id=self.job_id,
                case_number=self.case_number,
                clock=self.ctx.clock,
                details={
                    "files": batch.files,
                    "errors": len(batch.errors),
                    "media_new": new,
                    "paths_sha256": batch.digest(),
                },
            )


def _hash_in_driver(entry: Entry, key: str, cfg: dict[str, Any]) -> dict[str, Any]:
    from sentinela.ingest.tasks import process_stream

    return process_stream(entry.open, key, entry.path, cfg)


__all__ = ["IngestOptions", "JobView", "ingest_exhibit"]
