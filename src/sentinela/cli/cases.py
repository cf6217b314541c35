"""`sentinela case ...`"""

from __future__ import annotations

from typing import Annotated

import typer

from sentinela.cli.render import fmt_time, print_json, print_table
from sentinela.cli.state import state
from sentinela.services import cases as svc

app = typer.Typer(help="Open, list, show and close cases; manage members.", no_args_is_help=True)
member_app = typer.Typer(help="Add or remove case members.", no_args_is_help=True)
app.add_typer(member_app, name="member")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _print(view: svc.CaseView, json_: bool) -> None:
    if json_:
        print_json(view)
        return
    typer.echo(f"case {view.number}: {view.title}")
    typer.echo(f"  unit: {view.unit}   status: {view.status}   scheme: {view.scheme}")
    typer.echo(f"  opened: {fmt_time(view.created_at)}   closed: {fmt_time(view.closed_at)}")
    typer.echo("  members: " + ", ".join(f"{u} ({r})" for u, r in view.members))
    typer.echo("  exhibits: " + (", ".join(view.exhibits) or "none"))


@app.command("create")
def create(
    ctx: typer.Context,
    number: str,
    title: Annotated[str, typer.Option(help="Case title.")],
    unit: Annotated[str, typer.Option(help="Owning unit.")],
    scheme: Annotated[str, typer.Option(help="Category scheme of the case.")] = "project_vic_us",
    json_: JsonOpt = False,
) -> None:
    """Open a case; you become its lead."""
    _print(
        svc.create_case(state(ctx).context(), number, title=title, unit=unit, scheme=scheme), json_
    )


@app.command("list")
def list_(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """List the cases you are a member of."""
    views = svc.list_cases(state(ctx).context())
    if json_:
        print_json(views)
        return
    print_table(
        "Cases",
        ["number", "title", "unit", "status", "exhibits"],
        [(v.number, v.title, v.unit, v.status, len(v.exhibits)) for v in views],
    )


@app.command("show")
def show(ctx: typer.Context, number: str, json_: JsonOpt = False) -> None:
    """Show one case."""
    _print(svc.show_case(state(ctx).context(), number), json_)


@app.command("close")
def close(ctx: typer.Context, number: str) -> None:
    """Close a case."""
    view = svc.close_case(state(ctx).context(), number)
    typer.echo(f"case {view.number} closed at {fmt_time(view.closed_at)}")


@member_app.command("add")
def member_add(
    ctx: typer.Context,
    number: str,
    username: str,
    case_role: Annotated[str, typer.Option("--case-role", help="lead or member.")] = "member",
) -> None:
    """Give a user need-to-know on a case."""
    svc.add_member(state(ctx).context(), number, username, case_role)
    typer.echo(f"{username} added to case {number} as {case_role}")


@member_app.command("remove")
def member_remove(ctx: typer.Context, number: str, username: str) -> None:
    """Withdraw a user's need-to-know on a case."""
    svc.remove_member(state(ctx).context(), number, username)
    typer.echo(f"{username} removed from case {number}")
