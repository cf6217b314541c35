"""`sentinela demo`: what `make run` shows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.exhibits import print_exhibit
from sentinela.cli.ingest import run_ingest
from sentinela.cli.state import state
from sentinela.services.demo import DEMO_EXAMINER, find_testdata, run_demo


def demo(
    ctx: typer.Context,
    testdata: Annotated[
        Path | None, typer.Option(help="Folder of benign fixtures (default: ../shared/testdata).")
    ] = None,
) -> None:
    """Set up a data folder and a demo case from benign fixtures; print its custody record."""
    st = state(ctx)
    folder = testdata or find_testdata()
    result = run_demo(st.context(), folder)
    typer.echo(f"data folder: {st.settings.data_dir}")
    for item in result.created:
        typer.echo(f"created {item}")
    for view in result.exhibits:
        print_exhibit(view)
    examiner = st.context().with_actor(DEMO_EXAMINER)
    for view in result.exhibits:
        typer.echo(f"\ningesting {view.case_number}/{view.label} ({view.kind})")
        run_ingest(examiner, view.case_number, view.label)
    typer.echo(f"\nTry: sentinela --as {DEMO_EXAMINER} case show {result.case_number}")
