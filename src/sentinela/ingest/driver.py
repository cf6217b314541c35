"""The ingest driver: turns walked entries into tasks, and results into committed batches.

The driver is the only part of an ingest that writes to the database. Every batch (its
occurrences, errors, new media, the job's counters and an ``ingest.batch`` audit event) is
one transaction, so an interruption at any moment leaves whole batches behind and
:class:`~sentinela.ingest.resume.ResumeState` knows exactly what is done.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

from sentinela.audit import record
from sentinela.db.jobs import IngestJob
from sentinela.errors import SentinelaError
from sentinela.evidence.entries import Entry, EntryFailure, failure_for_error
from sentinela.ingest.batch import Batch, write_batch
from sentinela.ingest.progress import ProgressSink
from sentinela.ingest.results import add_result, error_row
from sentinela.ingest.resume import ResumeState, path_key
from sentinela.ingest.tasks import process_stream
from sentinela.services.context import ServiceContext

#: Entries larger than this that are not plain files on disk (archive members, files in
#: disk images) are hashed in the driver from their stream instead of being sent whole.
MAX_TASK_BYTES: Final = 64 << 20


class Driver:
    """Feeds an executor and writes what comes back.

    Attributes:
        skipped: entries and failures already recorded by an earlier run.
        files: entries processed in this run.
        media_new: media rows this run added to the national store.
    """

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        case_number: str,
        exhibit_id: int,
        job_id: int,
        batch_size: int,
        sink: ProgressSink,
        resume: ResumeState,
        cfg: dict[str, Any],
        folder_root: Path | None,
        counted_top_level: bool = False,
    ) -> None:
        self.ctx = ctx
        self.case_number = case_number
        self.exhibit_id = exhibit_id
        self.job_id = job_id
        self.batch_size = max(1, batch_size)
        self.sink = sink
        self.resume = resume
        self.cfg = cfg
        self.folder_root = folder_root
        self.counted_top_level = counted_top_level
        self.batch = Batch()
        self.inflight: dict[str, Entry] = {}
        self.deferred: dict[str, list[dict[str, Any]]] = {}
        self.skipped = 0
        self.files = 0
        self.media_new = 0

    # -- entries to tasks ---------------------------------------------------------------

    def tasks(self, items: Iterable[Entry | EntryFailure]) -> Iterator[dict[str, Any]]:
        """Yield a task for every entry not yet done; record walk failures on the way."""
        for item in items:
            if isinstance(item, EntryFailure):
                self._walk_failure(item)
                continue
            key = self.resume.entry_key(item.path)
            if not self.resume.claim_entry(key):
                self.skipped += 1
                if self.counted_top_level and item.depth == 0:
                    self.sink.grow(-1, -item.size)
                continue
            if not (self.counted_top_level and item.depth == 0):
                self.sink.grow(1, item.size)
            task = self._task(item, key)
            if task is not None:
                yield task

    def _task(self, item: Entry, key: str) -> dict[str, Any] | None:
        file_path = self._file_on_disk(item)
        if file_path is not None:
            self.inflight[key] = item
            return {"key": key, "path": item.path, "file": file_path, "data": None}
        if item.size > MAX_TASK_BYTES:
            self.inflight[key] = item
            self.take(process_stream(item.open, key, item.path, self.cfg))
            return None
        try:
            with item.open() as stream:
                data = stream.read()
        except (SentinelaError, OSError) as exc:
            failure = failure_for_error(item.path, exc)
            self.inflight[key] = item
            self.take(
                {"key": key, "ok": False, "code": str(failure.code), "message": failure.message}
            )
            return None
        self.inflight[key] = item
        return {"key": key, "path": item.path, "file": None, "data": data}

    def _file_on_disk(self, item: Entry) -> str | None:
        """The path a worker can open for a file of a folder exhibit, when the entry's
        path names it exactly (names that are not UTF-8 are shown escaped: read those here)."""
        if self.folder_root is None or item.depth != 0 or "\\" in item.path:
            return None
        return os.path.join(self.folder_root, item.path)

    def _walk_failure(self, failure: EntryFailure) -> None:
        key = path_key(failure.path)
        if not self.resume.claim_failure(key, str(failure.code)):
            self.skipped += 1
            return
        row = error_row(failure.path, key, str(failure.code), failure.message)
        if key in self.inflight:
            # The archive at this path is still being hashed: commit both together.
            self.deferred.setdefault(key, []).append(row)
            return
        self.batch.errors.append(row)
        self._maybe_flush()

    # -- results to batches -------------------------------------------------------------

    def take(self, result: dict[str, Any]) -> None:
        """Add a worker's result to the batch; commit the batch when it is full."""
        key = result["key"]
        entry = self.inflight.pop(key)
        add_result(self.batch, key, entry, result)
        self.batch.errors.extend(self.deferred.pop(key, ()))
        self.files += 1
        self.sink.advance(1, entry.size)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Commit the current batch with the job's counters and its audit event."""
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
        self.media_new += new
