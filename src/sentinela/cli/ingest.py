"""`sentinela ingest`, `sentinela job status` and `sentinela hash`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from sentinela.cli.render import console, fmt_time, print_json, print_table
from sentinela.cli.state import state
from sentinela.hashing.hasher import hash_path
from sentinela.ingest.jobs import JobView, list_jobs
from sentinela.ingest.pipeline import IngestOptions, ingest_exhibit
from sentinela.services.context import ServiceContext
from sentinela.services.media import distinct_media_count

job_app = typer.Typer(help="Show ingest jobs.", no_args_is_help=True)


class BarProgress:
    """A rich progress bar: files, bytes, rate and ETA (bytes drive the bar)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.files_total = 0
        self.files_done = 0
        self.task: TaskID = progress.add_task(self._label(), total=0)

    def _label(self) -> str:
        return f"files {self.files_done}/{self.files_total}"

    def grow(self, files: int, size: int) -> None:
        self.files_total += files
        total = (self.progress.tasks[0].total or 0) + size
        self.progress.update(self.task, total=total, description=self._label())

    def advance(self, files: int, size: int) -> None:
        self.files_done += files
        self.progress.update(self.task, advance=size, description=self._label())


def print_summary(job: JobView, distinct: int | None = None) -> None:
    """The end-of-run summary."""
    rate = job.files_done / job.elapsed_seconds if job.elapsed_seconds else 0.0
    typer.echo(
        f"ingest job {job.id} {job.status}: {job.files_done} files, {job.bytes_done} bytes, "
        f"{job.media_new} media new to the national store, {job.errors} errors, "
        f"{job.files_skipped} already done, {job.elapsed_seconds:.1f} s ({rate:.1f} files/s)"
    )
    if distinct is not None:
        typer.echo(f"distinct media in this exhibit: {distinct}")


def ingest(
    ctx: typer.Context,
    case: str,
    label: str,
    executor: Annotated[str, typer.Option(help="local (process pool), ray or inline.")] = "local",
    workers: Annotated[int, typer.Option(help="Worker processes; 0 = one per core.")] = 0,
    ray_address: Annotated[
        str | None,
        typer.Option(help="Ray cluster address (auto, ray://host:port); local if omitted."),
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Files per database transaction.")] = 500,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
) -> None:
    """Walk an exhibit, hash every file and add it to the national store (resumable)."""
    opts = IngestOptions(
        executor=executor, workers=workers, ray_address=ray_address, batch_size=batch_size
    )
    run_ingest(state(ctx).context(), case, label, opts, show_progress=not no_progress)


def run_ingest(
    svc_ctx: ServiceContext,
    case: str,
    label: str,
    opts: IngestOptions | None = None,
    *,
    show_progress: bool = True,
) -> JobView:
    """Ingest with a progress bar, then print the summary."""
    opts = opts or IngestOptions()
    if not show_progress:
        job = ingest_exhibit(svc_ctx, case, label, opts)
    else:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=False) as bar:
            job = ingest_exhibit(svc_ctx, case, label, opts, BarProgress(bar))
    print_summary(job, distinct_media_count(svc_ctx, case, label))
    return job


@job_app.command("status")
def status(
    ctx: typer.Context,
    case: str,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Ingest jobs of a case, newest first."""
    jobs = list_jobs(state(ctx).context(), case)
    if json_:
        print_json(jobs)
        return
    print_table(
        f"Ingest jobs of {case}",
        [
            "job",
            "exhibit",
            "status",
            "files",
            "bytes",
            "new media",
            "errors",
            "attempts",
            "updated",
        ],
        [
            (
                j.id,
                j.exhibit,
                j.status,
                j.files_done,
                j.bytes_done,
                j.media_new,
                j.errors,
                j.attempts,
                fmt_time(j.updated_at),
            )
            for j in jobs
        ],
    )


def hash_files(
    files: list[Path],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print every hash of the given files, with the same code as ingest."""
    results = [hash_path(f) for f in files]
    if json_:
        print_json([{"file": str(f), **r.to_dict()} for f, r in zip(files, results, strict=True)])
        return
    for f, r in zip(files, results, strict=True):
        d = r.to_dict()
        typer.echo(f"{f}")
        for k in ("md5", "sha1", "sha256"):
            typer.echo(f"  {k:<8}{d[k]}")
        if d.get("pdq"):
            typer.echo(f"  {'pdq':<8}{d['pdq']} (quality {d.get('pdq_quality')})")
        typer.echo(f"  {'type':<8}{d.get('mime')}  {d.get('size')} bytes")
        if d.get("error"):
            typer.echo(f"  error   {d['error']}")
