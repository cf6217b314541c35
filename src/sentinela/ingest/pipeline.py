"""Ingest one exhibit: walk it, hash every file in an executor, write batches, close the job.

This is the service behind ``sentinela ingest`` (and the demo). The steps:

1. check that the actor is a member of the case and load the exhibit;
2. read what earlier runs recorded (:class:`~sentinela.ingest.resume.ResumeState`) and open
   or resume the exhibit's job (:func:`~sentinela.ingest.jobs.open_job`);
3. when progress is shown, count the exhibit's top-level files first, so the bar has a total
   and an ETA (members of archives are added as they are found);
4. walk the exhibit with its source, expanding archives, and send every entry not yet done
   to the executor; the :class:`~sentinela.ingest.driver.Driver` commits the results in
   batches;
5. close the job as ``completed`` (recording the ``ingested`` custody event), ``interrupted``
   (Ctrl-C) or ``failed``. A job killed outright stays ``running`` until the next run
   resumes it.
"""

from __future__ import annotations

import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sentinela.errors import InvalidInputError, SentinelaError
from sentinela.evidence.entries import Entry, SourceLimits
from sentinela.evidence.sources import EvidenceSource, expand_archives, source_for_kind
from sentinela.ingest.driver import Driver
from sentinela.ingest.executors import build_executor_registry
from sentinela.ingest.jobs import JobView, finish_job, open_job
from sentinela.ingest.progress import NullProgress, ProgressSink
from sentinela.ingest.resume import ResumeState
from sentinela.ingest.tasks import WorkerConfig
from sentinela.services.context import ServiceContext
from sentinela.services.exhibits import load_exhibit
from sentinela.services.permissions import require_member


@dataclass(frozen=True)
class IngestOptions:
    """How to run an ingest.

    Attributes:
        executor: a registered executor name: ``local``, ``inline`` or ``ray``.
        workers: worker processes; 0 takes the ``workers`` setting, and when that is 0 too,
            two per core (local) or the Ray cluster's CPUs.
        ray_address: the Ray cluster (``auto``, ``ray://host:port``); a local Ray if None.
        batch_size: entries (files and errors) per database transaction.
        want_thumbnail: store an encrypted thumbnail of every image.
        limits: archive and walk limits; by default :class:`SourceLimits` with the
            ``archive_max_depth`` setting.
    """

    executor: str = "local"
    workers: int = 0
    ray_address: str | None = None
    batch_size: int = 500
    want_thumbnail: bool = True
    limits: SourceLimits | None = None


def ingest_exhibit(
    ctx: ServiceContext,
    case_number: str,
    label: str,
    options: IngestOptions | None = None,
    progress: ProgressSink | None = None,
) -> JobView:
    """Ingest (or resume ingesting) one exhibit into the national store.

    Args:
        ctx: the service context; its actor must be a member of the case.
        case_number: the case.
        label: the exhibit's label in the case (``EXH-001``).
        options: how to run; the defaults use a local process pool.
        progress: receives progress; when given, top-level files are counted first.

    Returns:
        The finished job with its counters (added up over every attempt).

    Raises:
        AccessDenied: the actor is not a member of the case.
        NotFoundError: no such exhibit.
        UnknownNameError: no such executor.
        InvalidInputError: a batch size below 1.
        JobError: a worker process died; the job can be resumed.
        VaultError: the vault cannot be written; the job can be resumed.
    """
    opts = options or IngestOptions()
    if opts.batch_size < 1:
        raise InvalidInputError(f"batch size must be at least 1, not {opts.batch_size}")
    executor_kind = build_executor_registry().get(opts.executor)
    with ctx.transaction() as session:
        case = require_member(session, case_number, ctx.actor(session))
        exhibit = load_exhibit(session, case, label)
        exhibit_id, kind, root = exhibit.id, exhibit.kind, Path(exhibit.source_path)
        resume = ResumeState.load(session, exhibit_id)
    source = source_for_kind(kind)
    limits = opts.limits or SourceLimits(max_depth=ctx.settings.archive_max_depth)
    cfg = WorkerConfig(
        vault_root=str(ctx.settings.data_dir / "vault"),
        key_file=str(ctx.settings.key_file),
        strict_key=ctx.settings.mode != "development",
        want_thumbnail=opts.want_thumbnail,
    ).as_dict()
    executor = executor_kind.create(opts.workers or ctx.settings.workers, cfg, opts.ray_address)
    job = open_job(ctx, case_number, exhibit_id, label, opts.executor, executor.workers)
    sink = progress or NullProgress()
    # An archive exhibit is all members: counting them would mean reading it twice.
    count_first = progress is not None and kind != "archive"
    driver = Driver(
        ctx,
        case_number=case_number,
        exhibit_id=exhibit_id,
        job_id=job.id,
        batch_size=opts.batch_size,
        sink=sink,
        resume=resume,
        cfg=cfg,
        folder_root=root if kind == "folder" else None,
        counted_top_level=count_first,
    )
    started = time.monotonic()
    try:
        if count_first:
            sink.grow(*_count_top_level(source, root, limits))
        items = expand_archives(source.iter_entries(root, limits), limits)
        with closing(executor.run(driver.tasks(items))) as results:
            for result in results:
                driver.take(result)
        driver.flush()
    except KeyboardInterrupt:
        driver.flush()
        finish_job(
            ctx,
            job.id,
            "interrupted",
            time.monotonic() - started,
            "interrupted by user",
            skipped=driver.skipped,
        )
        raise
    except (SentinelaError, OSError) as exc:
        driver.flush()
        finish_job(
            ctx, job.id, "failed", time.monotonic() - started, str(exc), skipped=driver.skipped
        )
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
        skipped=driver.skipped,
    )


def _count_top_level(source: EvidenceSource, root: Path, limits: SourceLimits) -> tuple[int, int]:
    """Files and bytes of the exhibit itself (archive members are counted when found)."""
    files = size = 0
    for item in source.iter_entries(root, limits):
        if isinstance(item, Entry) and item.depth == 0:
            files += 1
            size += item.size
    return files, size


__all__ = ["IngestOptions", "JobView", "ingest_exhibit"]
