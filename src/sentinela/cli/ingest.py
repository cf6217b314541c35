"""`sentinela ingest`, `sentinela job status` and `sentinela hash`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
from sentinela.errors import EvidenceError
from sentinela.hashing.allocator import keep_freed_memory
from sentinela.hashing.hasher import hash_path
from sentinela.ingest.jobs import JobView, list_jobs
from sentinela.ingest.pipeline import IngestOptions
from sentinela.services.context import ServiceContext
from sentinela.services.examination import ingest_and_triage
from sentinela.services.media import distinct_media_count

#: Above this many files ``sentinela hash`` tunes the allocator as ingest workers do.
_MANY_FILES = 16

job_app = typer.Typer(help="Show ingest jobs.", no_args_is_help=True)


class BarProgress:
    """A rich progress bar: files, bytes, rate and ETA (bytes drive the bar).

    The bar appears with the first progress, so an ingest refused before it starts prints
    only its error.
    """

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.files_total = 0
        self.files_done = 0
        self.bytes_total = 0
        self.task: TaskID | None = None

    def _label(self) -> str:
        return f"files {self.files_done}/{self.files_total}"

    def _task(self) -> TaskID:
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task(self._label(), total=0)
        return self.task

    def grow(self, files: int, size: int) -> None:
        """More files were found."""
        task = self._task()
        self.files_total += files
        self.bytes_total += size
        self.progress.update(task, total=self.bytes_total, description=self._label())

    def advance(self, files: int, size: int) -> None:
        """Files were done."""
        task = self._task()
        self.files_done += files
        self.progress.update(task, advance=size, description=self._label())


def print_summary(job: JobView, distinct: int | None = None) -> None:
    """The end-of-run summary: files, bytes, distinct media, new media, errors, time."""
    elapsed = job.elapsed_seconds
    rate = f" ({job.files_done / elapsed:.1f} files/s, {_size(job.bytes_done / elapsed)}/s)"
    lines = [
        f"ingest job {job.id} of {job.case_number}/{job.exhibit}: {job.status}",
        f"  files                  {job.files_done}"
        + (f" ({job.files_skipped} already done)" if job.files_skipped else ""),
        f"  bytes                  {job.bytes_done} ({_size(job.bytes_done)})",
    ]
    if distinct is not None:
        lines.append(f"  distinct media         {distinct}")
    lines += [
        f"  new to national store  {job.media_new}",
        f"  errors                 {job.errors}",
        f"  time                   {elapsed:.1f} s" + (rate if elapsed > 0 else ""),
    ]
    if job.message:
        lines.append(f"  message                {job.message}")
    typer.echo("\n".join(lines))


def _size(value: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024:
            return f"{value:.1f} {unit}" if unit != "B" else f"{int(value)} B"
        value /= 1024
    return f"{value:.1f} TiB"


def ingest(
    ctx: typer.Context,
    case: str,
    label: str,
    executor: Annotated[str, typer.Option(help="local (process pool), ray or inline.")] = "local",
    workers: Annotated[
        int, typer.Option(help="Worker processes; 0 = the workers setting, else two per core.")
    ] = 0,
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
        done = ingest_and_triage(svc_ctx, case, label, opts)
    else:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        bar = Progress(*columns, console=console(), transient=False, auto_refresh=True)
        try:
            done = ingest_and_triage(svc_ctx, case, label, opts, BarProgress(bar))
        finally:
            if bar.live.is_started:
                bar.stop()
    print_summary(done.job, distinct_media_count(svc_ctx, case, label))
    print_triage(done.triage.classes)
    return done.job


def print_triage(classes: dict[str, int]) -> None:
    """One line per triage class: what no analyst will have to look at, and what is new."""
    typer.echo("  triage                 " + ", ".join(f"{k} {v}" for k, v in classes.items()))


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
    files: Annotated[list[Path], typer.Argument(help="Files to hash.")],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print every hash of the given files (MD5, SHA-1, SHA-256, PDQ), as ingest computes them.

    A file that cannot be read is reported and the others are still hashed; the exit code is
    then 1.
    """
    if len(files) > _MANY_FILES:
        keep_freed_memory()  # a long run: reuse memory between images (see the allocator)
    rows: list[dict[str, Any]] = []
    for path in files:
        try:
            rows.append({"file": str(path), **hash_path(path, want_thumbnail=False).to_dict()})
        except EvidenceError as exc:
            rows.append({"file": str(path), "error": str(exc), "error_kind": "unreadable"})
    if json_:
        print_json(rows)
    else:
        for row in rows:
            _print_hashes(row)
    failed = [r for r in rows if "sha256" not in r]
    for row in failed:
        typer.echo(f"error: {row['error']}", err=True)
    if failed:
        raise typer.Exit(1)


def _print_hashes(row: dict[str, Any]) -> None:
    typer.echo(row["file"])
    if "sha256" not in row:
        return
    for name in ("md5", "sha1", "sha256"):
        typer.echo(f"  {name:<9}{row[name]}")
    if row.get("pdq"):
        typer.echo(f"  {'pdq':<9}{row['pdq']} (quality {row['pdq_quality']})")
    dims = f", {row['width']}x{row['height']}" if row.get("width") else ""
    typer.echo(f"  {'type':<9}{row['mime']}, {row['size']} bytes{dims}")
    if row.get("extension_mismatch"):
        typer.echo(f"  {'warning':<9}the extension does not match the content")
    meta = row.get("metadata") or {}
    camera = " ".join(str(meta[k]) for k in ("make", "model") if meta.get(k))
    if camera:
        serial = f", serial {meta['serial_number']}" if meta.get("serial_number") else ""
        typer.echo(f"  {'camera':<9}{camera}{serial}")
    if row.get("error"):
        typer.echo(f"  {'error':<9}{row['error_kind']}: {row['error']}")
