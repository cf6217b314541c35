"""`sentinela demo`: what `make run` shows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.exhibits import print_exhibit
from sentinela.cli.ingest import run_ingest
from sentinela.cli.state import state
from sentinela.ingest.pipeline import IngestOptions
from sentinela.services.demo import DEMO_EXAMINER, DEMO_IMAGES, find_testdata, run_demo


def demo(
    ctx: typer.Context,
    testdata: Annotated[
        Path | None, typer.Option(help="Folder of benign fixtures (default: ../shared/testdata).")
    ] = None,
    images: Annotated[
        int,
        typer.Option(min=1, help="Images to generate for the folder exhibit (first run only)."),
    ] = DEMO_IMAGES,
    executor: Annotated[str, typer.Option(help="local (process pool), ray or inline.")] = "local",
    workers: Annotated[
        int, typer.Option(help="Worker processes; 0 = the workers setting, else two per core.")
    ] = 0,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
) -> None:
    """Set up a demo case from benign fixtures and generated photos, then ingest it."""
    st = state(ctx)
    folder = testdata or find_testdata()
    result = run_demo(st.context(), folder, images=images)
    typer.echo(f"data folder: {st.settings.data_dir}")
    for item in result.created:
        typer.echo(f"created {item}")
    for view in result.exhibits:
        print_exhibit(view)
    examiner = st.context().with_actor(DEMO_EXAMINER)
    opts = IngestOptions(executor=executor, workers=workers)
    for view in result.exhibits:
        typer.echo(f"\ningesting {view.case_number}/{view.label} ({view.kind})")
        run_ingest(examiner, view.case_number, view.label, opts, show_progress=not no_progress)
    typer.echo(f"\nTry: sentinela --as {DEMO_EXAMINER} job status {result.case_number}")
    typer.echo(f"     sentinela --as {DEMO_EXAMINER} case show {result.case_number}")
