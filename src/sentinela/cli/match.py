"""`sentinela match CASE` and `sentinela match --all`."""

from __future__ import annotations

from typing import Annotated

import typer

from sentinela.cli.render import fmt_time, print_json
from sentinela.cli.state import state
from sentinela.dates import parse_when
from sentinela.errors import InvalidInputError
from sentinela.services.case_matching import match_case
from sentinela.services.match_all import MatchAll, match_all


def match(
    ctx: typer.Context,
    case: Annotated[str | None, typer.Argument(help="Case number.")] = None,
    exhibit: Annotated[str | None, typer.Option(help="Only this exhibit.")] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Re-triage everything; list the cases that changed.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(help="With --all: changes after this time (default: the previous run)."),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Triage a case against the known hash sets, or re-triage the whole store (--all)."""
    svc_ctx = state(ctx).context()
    if all_ == (case is not None):
        raise InvalidInputError("give a case number, or --all")
    if case is None:
        when = parse_when(since, what="--since") if since else None
        result = match_all(svc_ctx, since=when)
        if json_:
            print_json(result)
        else:
            _print_all(result)
        return
    done = match_case(svc_ctx, case, exhibit=exhibit)
    if json_:
        print_json(done)
        return
    where = f"{done.case_number}/{done.exhibit}" if done.exhibit else done.case_number
    counts = ", ".join(f"{k} {v}" for k, v in done.classes.items())
    typer.echo(f"matched {done.media} items of {where}: {counts}")
    typer.echo(f"{done.changed} items changed known status ({done.elapsed_seconds:.1f} s)")


def _print_all(result: MatchAll) -> None:
    since = fmt_time(result.since) if result.since else "the beginning"
    typer.echo(
        f"re-triaged {result.media} items ({result.changed_now} changed now);"
        f" {len(result.cases)} cases changed since {since}"
    )
    for case in result.cases:
        typer.echo(f"case {case.case_number}: {case.title} ({len(case.items)} items)")
        for item in case.items:
            seized = f"seized {fmt_time(item.seized_at)[:10]}" if item.seized_at else "seized ?"
            where = f" {item.path}" if item.path else ""
            typer.echo(f"  {item.sha256[:16]} {item.exhibit}{where} ({seized}): {item.description}")
