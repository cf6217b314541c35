"""`sentinela stats ...`: figures, exports and the annual report, from the same service."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.render import console, print_json, print_table
from sentinela.cli.state import state
from sentinela.dates import parse_when
from sentinela.errors import AlreadyExistsError
from sentinela.services import statistics as svc
from sentinela.stats.results import display

app = typer.Typer(
    help="Statistics with versioned definitions (unit heads and administrators).",
    no_args_is_help=True,
)
PeriodOpt = Annotated[
    str | None,
    typer.Option(
        help="YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD (UTC); default: this year."
    ),
]
UnitOpt = Annotated[str | None, typer.Option(help="One unit's figures (default: all units).")]
MetricOpt = Annotated[
    list[str] | None, typer.Option("--metric", "-m", help="A metric name (repeatable).")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Snapshot instant, ISO 8601 (no offset means UTC); default: now."),
]
ForceOpt = Annotated[bool, typer.Option(help="Overwrite existing files.")]


def _as_of(value: str | None) -> datetime | None:
    return parse_when(value, what="as-of instant") if value else None


def _write(path: Path, content: bytes, force: bool) -> None:
    if path.exists() and not force:
        raise AlreadyExistsError(f"{path} exists (use --force to overwrite)")
    path.write_bytes(content)


@app.command("show")
def show(
    ctx: typer.Context,
    period: PeriodOpt = None,
    unit: UnitOpt = None,
    metric: MetricOpt = None,
    as_of: AsOfOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the figures and tables of every metric (or those named)."""
    data = svc.dashboard(
        state(ctx).context(), period=period, unit=unit, metrics=metric or (), as_of=_as_of(as_of)
    )
    if as_json:
        print_json(data)
        return
    scope = f"{data.period} ({data.first_day} to {data.last_day}), {data.unit or 'all units'}"
    out = console()
    out.print(f"Statistics {scope}, as of {data.as_of.isoformat()}")
    out.print(f"Definitions: catalogue {data.catalogue_version}")
    for r in data.results:
        out.print(f"\n[bold]{r.title}[/bold] ({r.metric} v{r.version})")
        for f in r.figures:
            out.print(f"  {f.label}: {display(f.value, f.kind)}")
        for note in r.notes:
            out.print(f"  ({note})")
        for t in r.tables:
            rows = [
                [display(v, c.kind) for v, c in zip(row, t.columns, strict=True)] for row in t.rows
            ]
            print_table(t.title, [c.label for c in t.columns], rows)


@app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    period: PeriodOpt = None,
    unit: UnitOpt = None,
    metric: MetricOpt = None,
    table: Annotated[
        str | None, typer.Option(help="One table of one metric, as shown (CSV only).")
    ] = None,
    as_of: AsOfOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write the figures as CSV (long form, or one table) or JSON with the definitions."""
    file = svc.export_statistics(
        state(ctx).context(),
        fmt=fmt,
        period=period,
        unit=unit,
        metrics=metric or (),
        table=table,
        as_of=_as_of(as_of),
    )
    _write(out, file.content, force)
    typer.echo(f"{out} ({len(file.content)} bytes)")


@app.command("annual-report")
def annual_report(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(help="Calendar year.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")] = Path("."),
    fmt: Annotated[
        list[str] | None, typer.Option("--format", help="html, pdf or json (repeatable).")
    ] = None,
    as_of: AsOfOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write the annual report (HTML and PDF by default); the as-of instant makes it
    reproducible: pass the one printed on an earlier report to get the same figures."""
    context = state(ctx).context()
    when = _as_of(as_of) or context.clock()
    out.mkdir(parents=True, exist_ok=True)
    for kind in fmt or ["html", "pdf"]:
        file = svc.annual_report_file(context, year, fmt=kind, as_of=when)
        _write(out / file.filename, file.content, force)
        typer.echo(f"{out / file.filename}")
    typer.echo(f"as of {when.isoformat()}")


@app.command("definitions")
def definitions(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the metric catalogue: each definition and its version."""
    catalogue = svc.definitions(state(ctx).context())
    if as_json:
        print_json(catalogue)
        return
    out = console()
    out.print(f"Catalogue {catalogue.catalogue_version} ({catalogue.fingerprint})")
    for m in catalogue.metrics:
        d = m.definition
        out.print(f"\n[bold]{m.name}[/bold] v{d.version}: {d.title}")
        for label, text in (
            ("Counts", d.counts),
            ("Date", d.date_basis),
            ("Duplicates", d.deduplication),
            ("Unit", d.unit),
        ):
            out.print(f"  {label}: {text}")
