"""`sentinela demo`: what `make run` shows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.exhibits import print_exhibit
from sentinela.cli.ingest import run_ingest
from sentinela.cli.state import state
from sentinela.ingest.pipeline import IngestOptions
from sentinela.services.accounts import enrol
from sentinela.services.context import ServiceContext
from sentinela.services.credentials import totp_code
from sentinela.services.demo import DEMO_EXAMINER, DEMO_IMAGES, find_testdata, run_demo
from sentinela.services.demo_known import run_demo_known


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
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="Then print a one-time demo sign-in and serve the workspace (what make run does).",
        ),
    ] = False,
    port: Annotated[int, typer.Option(help="Port for --serve.", min=1, max=65535)] = 8000,
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
    typer.echo("\nknown material: building demo hash sets from part of the demo exhibit")
    known = run_demo_known(examiner, result.case_number)
    for name in known.imported:
        typer.echo(f"  imported hash set {name} ({known.set_files[name].name})")
    for name in known.skipped:
        typer.echo(f"  hash set {name} already imported")
    classes = ", ".join(f"{k} {v}" for k, v in known.classes.items())
    typer.echo(f"  triage of the case     {classes}")
    typer.echo(
        "  matches by method      "
        + ", ".join(f"{k} {v}" for k, v in sorted(known.matches_by_method.items()))
    )
    if known.report is not None:
        typer.echo(f"\nexamination report: {known.report.html}")
        typer.echo(f"                    {known.report.json}")
        typer.echo(f"                    {known.report.csv}")
    typer.echo(f"\nTry: sentinela --as {DEMO_EXAMINER} job status {result.case_number}")
    typer.echo(f"     sentinela --as {DEMO_EXAMINER} case show {result.case_number}")
    if serve:
        _serve_demo(examiner, port)


def _serve_demo(examiner: ServiceContext, port: int) -> None:
    """Issue a fresh one-time sign-in for the demo examiner, then serve the workspace."""
    import uvicorn

    from sentinela.web.app import create_app

    issued = enrol(examiner, DEMO_EXAMINER)
    now_code = totp_code(issued.totp.secret, examiner.clock())
    typer.echo(
        "\nDemo sign-in (shown once; a new one is issued on every `make run`):\n"
        f"  url       http://127.0.0.1:{port}/sign-in\n"
        f"  user      {issued.username}\n"
        f"  password  {issued.password}\n"
        f"  TOTP      secret {issued.totp.secret} (current code {now_code})\n"
        f"            {issued.totp.uri}"
    )
    app = create_app(examiner.settings)
    typer.echo(f"Sentinela workspace on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="info", server_header=False)
