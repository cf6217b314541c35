"""Ingest job rows: open or resume, finish, and list (`sentinela job status`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.exhibits import CustodyEvent, Exhibit
from sentinela.db.jobs import IngestJob
from sentinela.errors import NotFoundError
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member


@dataclass(frozen=True)
class JobView:
    """A job's state and counters."""

    id: int
    case_number: str
    exhibit: str
    status: str
    executor: str
    workers: int
    attempts: int
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    files_done: int
    files_skipped: int
    bytes_done: int
    media_new: int
    errors: int
    elapsed_seconds: float
    message: str


def _view(job: IngestJob, case_number: str, label: str) -> JobView:
    return JobView(
        job.id,
        case_number,
        label,
        job.status,
        job.executor,
        job.workers,
        job.attempts,
        job.started_at,
        job.updated_at,
        job.finished_at,
        job.files_done,
        job.files_skipped,
        job.bytes_done,
        job.media_new,
        job.errors,
        job.elapsed_seconds,
        job.message,
    )


def open_job(
    ctx: ServiceContext, case_number: str, exhibit_id: int, label: str, executor: str, workers: int
) -> JobView:
    """Resume the exhibit's unfinished job (killed, interrupted or failed) or start one."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        now = ctx.clock()
        job = session.execute(
            select(IngestJob)
            .where(
                IngestJob.exhibit_id == exhibit_id,
                IngestJob.status.in_(("running", "interrupted", "failed")),
            )
            .order_by(IngestJob.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        if job is None:
            job = IngestJob(
                exhibit_id=exhibit_id,
                executor=executor,
                workers=workers,
                started_by=actor.username,
                started_at=now,
                updated_at=now,
            )
            session.add(job)
            action = "ingest.start"
        else:
            job.attempts += 1
            job.status = "running"
            job.executor = executor
            job.workers = workers
            job.updated_at = now
            job.message = ""
            action = "ingest.resume"
        session.flush()
        record(
            session,
            actor=actor.username,
            action=action,
            object_type="ingest_job",
            object_id=job.id,
            case_number=case_number,
            clock=ctx.clock,
            details={
                "exhibit": label,
                "executor": executor,
                "workers": workers,
                "attempt": job.attempts,
            },
        )
        return _view(job, case_number, label)


def finish_job(
    ctx: ServiceContext,
    job_id: int,
    status: str,
    elapsed: float,
    message: str,
    custody: tuple[int, str, str] | None = None,
    *,
    skipped: int | None = None,
) -> JobView:
    """Close a job with ``status``.

    Args:
        ctx: the service context (its actor is recorded).
        job_id: the job.
        status: ``completed``, ``interrupted`` or ``failed``.
        elapsed: seconds this attempt ran (added to the job's total).
        message: why it stopped, for a failure or an interruption.
        custody: ``(exhibit id, case number, label)`` to record the ``ingested`` custody
            event (on completion).
        skipped: entries this attempt found already done.

    Raises:
        NotFoundError: no such job.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        job = session.get(IngestJob, job_id)
        if job is None:
            raise NotFoundError(f"no ingest job {job_id}")
        exhibit = session.get(Exhibit, job.exhibit_id)
        case = session.get(Case, exhibit.case_id) if exhibit else None
        if exhibit is None or case is None:
            raise NotFoundError(f"ingest job {job_id} has no exhibit")
        now = ctx.clock()
        job.status = status
        job.updated_at = now
        job.elapsed_seconds += elapsed
        job.message = message[:2000]
        if skipped is not None:
            job.files_skipped = skipped
        if status == "completed":
            job.finished_at = now
        if custody is not None:
            session.add(
                CustodyEvent(
                    exhibit_id=exhibit.id,
                    action="ingested",
                    actor_id=actor.id,
                    actor_name=actor.username,
                    occurred_at=now,
                    recorded_at=now,
                    note=f"ingest job {job.id}: {job.files_done} files, {job.media_new} new media, "
                    f"{job.errors} errors",
                )
            )
        record(
            session,
            actor=actor.username,
            action=f"ingest.{status}",
            object_type="ingest_job",
            object_id=job.id,
            case_number=case.number,
            clock=ctx.clock,
            details={
                "files": job.files_done,
                "bytes": job.bytes_done,
                "media_new": job.media_new,
                "errors": job.errors,
                "skipped": job.files_skipped,
                "message": message[:500],
            },
        )
        return _view(job, case.number, exhibit.label)


def list_jobs(ctx: ServiceContext, case_number: str) -> list[JobView]:
    """Every ingest job of a case's exhibits, newest first."""
    with ctx.transaction() as session:
        case = require_member(session, case_number, ctx.actor(session))
        rows = session.execute(
            select(IngestJob, Exhibit.label)
            .join(Exhibit, Exhibit.id == IngestJob.exhibit_id)
            .where(Exhibit.case_id == case.id)
            .order_by(IngestJob.id.desc())
        ).all()
        return [_view(job, case_number, label) for job, label in rows]
