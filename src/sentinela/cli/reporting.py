"""`sentinela takedown ...`: the worker, the queue, decisions, partners, ISP requests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.render import fmt_time, print_json, print_table
from sentinela.cli.state import state
from sentinela.dates import parse_when
from sentinela.services import reporting_partners as partners
from sentinela.services import takedown_isp_requests as isp
from sentinela.services.takedown_decisions import DecisionInput, decide
from sentinela.services.takedown_preservation import preserve
from sentinela.services.takedown_queue import takedown_queue
from sentinela.services.takedown_report import report_file
from sentinela.services.takedown_runtime import TakedownRuntime
from sentinela.services.takedown_scorecards import host_scorecards
from sentinela.services.takedown_worker import TickResult, tick

app = typer.Typer(
    help="Police-first notice-and-takedown: worker, queue, decisions, partners, ISP requests.",
    no_args_is_help=True,
)
partner_app = typer.Typer(help="Partner hotlines and their API keys.", no_args_is_help=True)
isp_app = typer.Typer(help="Preservation requests to ISPs.", no_args_is_help=True)
app.add_typer(partner_app, name="partner")
app.add_typer(isp_app, name="isp-request")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="Takedown policy file (default: <data_dir>/takedown.toml)."),
]


def register(root: typer.Typer) -> None:
    """Add ``sentinela takedown`` to the root command."""
    root.add_typer(app, name="takedown")
    # The name for the long-running job: the same command as `takedown worker`.
    root.command("worker", help="Run the takedown worker (same as `takedown worker`).")(worker)


def _runtime(ctx: typer.Context, config: Path | None) -> TakedownRuntime:
    return TakedownRuntime.load(state(ctx).settings, config)


def _summary(result: TickResult) -> str:
    d, n = result.deadlines, result.notices
    parts = [
        f"reminded {len(d.reminded)}",
        f"escalated {len(d.escalated)}",
        f"defaulted {len(d.defaulted)}",
        f"holds ended {len(d.holds_ended)}",
        "captures " + (", ".join(f"{k} {v}" for k, v in sorted(result.captures.items())) or "0"),
        f"notices sent {len(n.sent)}",
        f"held back (no evidence) {len(n.not_preserved)}",
        f"no contact {len(n.no_contact)}",
        f"failed {len(n.failed)}",
        "re-checks " + (", ".join(f"{k} {v}" for k, v in sorted(result.rechecks.items())) or "0"),
        f"ISP reminders {len(result.isp_reminded)}",
        f"ISP lapsed {len(result.isp_lapsed)}",
    ]
    return "; ".join(parts)


@app.command("tick")
def tick_command(ctx: typer.Context, config: ConfigOpt = None, json_: JsonOpt = False) -> None:
    """Run everything that is due once: deadlines, captures, notices, re-checks, ISP reminders."""
    result = tick(state(ctx).context(), _runtime(ctx, config))
    if json_:
        print_json(result)
    else:
        typer.echo(_summary(result))


@app.command("worker")
def worker(
    ctx: typer.Context,
    config: ConfigOpt = None,
    interval: Annotated[float, typer.Option(help="Seconds between passes.", min=1)] = 60.0,
    passes: Annotated[int, typer.Option(help="Stop after this many passes (0: never).")] = 0,
) -> None:
    """Run passes in a loop. Its jobs are rows in the database, so it resumes after a restart."""
    rt = _runtime(ctx, config)
    done = 0
    try:
        while passes == 0 or done < passes:
            result = tick(state(ctx).context(), rt)
            if not result.idle:
                typer.echo(_summary(result))
            done += 1
            if passes == 0 or done < passes:
                time.sleep(interval)
    except KeyboardInterrupt:
        typer.echo("worker stopped")


@app.command("queue")
def queue(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include closed reports.")] = False,
    json_: JsonOpt = False,
) -> None:
    """The triage queue, grouped by host (viewing is audited)."""
    view = takedown_queue(state(ctx).context(), include_closed=all_)
    if json_:
        print_json(view)
        return
    rows = [
        (r.id, g.host, r.priority, r.status, fmt_time(r.deadline_at), r.url)
        for g in view.groups
        for r in g.reports
    ]
    print_table("Takedown queue", ["report", "host", "priority", "status", "deadline", "url"], rows)


@app.command("show")
def show(ctx: typer.Context, report_id: int) -> None:
    """One report's file as JSON (viewing is audited)."""
    print_json(report_file(state(ctx).context(), report_id))


@app.command("decide")
def decide_command(
    ctx: typer.Context,
    report_id: int,
    action: Annotated[str, typer.Argument(help="take_down, hold, refer_abroad or not_illegal.")],
    reason: Annotated[str, typer.Option(help="Why (required for a hold).")] = "",
    investigation_ref: Annotated[str, typer.Option(help="Investigation (for a hold).")] = "",
    hold_until: Annotated[
        str, typer.Option(help="YYYY-MM-DD or ISO date-time, UTC (for a hold).")
    ] = "",
    refer_to: Annotated[str, typer.Option(help="Country or agency (for a referral).")] = "",
) -> None:
    """Record a police decision on a report."""
    until = parse_when(hold_until, what="hold date") if hold_until else None
    decision = DecisionInput(action, reason, investigation_ref, until, refer_to)
    view = decide(state(ctx).context(), report_id, decision)
    typer.echo(f"report {report_id}: {view.action} -> {view.report_status}")


@app.command("preserve")
def preserve_command(ctx: typer.Context, report_id: int, config: ConfigOpt = None) -> None:
    """Capture a report's URL now."""
    view = preserve(state(ctx).context(), report_id, _runtime(ctx, config))
    typer.echo(f"capture {view.id}: {view.outcome} {view.error} manifest {view.manifest_sha256}")


@app.command("scorecards")
def scorecards(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Host scorecards: removal time p50/p90 after notice, still up, re-uploads."""
    cards = host_scorecards(state(ctx).context())
    if json_:
        print_json(cards)
        return
    rows = [
        (c.host, c.reports, c.notified, c.still_up, c.removal_hours_p50, c.removal_hours_p90)
        for c in cards
    ]
    print_table("Host scorecards", ["host", "reports", "notified", "up", "p50 h", "p90 h"], rows)


@partner_app.command("add")
def partner_add(
    ctx: typer.Context,
    name: str,
    country: Annotated[str, typer.Option(help="ISO country code.")] = "",
) -> None:
    """Register a partner hotline; prints its API key once."""
    new = partners.add_partner(state(ctx).context(), name, country)
    typer.echo(f"partner {new.partner.name} added; API key (shown once): {new.key}")


@partner_app.command("rotate")
def partner_rotate(ctx: typer.Context, name: str) -> None:
    """Replace a partner's API key; prints the new key once."""
    new = partners.rotate_key(state(ctx).context(), name)
    typer.echo(f"new API key for {new.partner.name} (shown once): {new.key}")


@partner_app.command("suspend")
def partner_suspend(ctx: typer.Context, name: str) -> None:
    """Stop accepting a partner's key."""
    partners.set_active(state(ctx).context(), name, False)
    typer.echo(f"partner {name} suspended")


@partner_app.command("list")
def partner_list(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """List partner hotlines."""
    views = partners.list_partners(state(ctx).context())
    if json_:
        print_json(views)
        return
    rows = [(p.name, p.country, p.key_prefix, p.active, fmt_time(p.last_used_at)) for p in views]
    print_table("Partner hotlines", ["name", "country", "key", "active", "last used"], rows)


@isp_app.command("add")
def isp_add(
    ctx: typer.Context,
    isp_name: Annotated[str, typer.Argument(metavar="ISP")],
    subject: Annotated[str, typer.Option(help="Addresses, ports and time window.")],
    legal_basis: Annotated[str, typer.Option(help="Legal provision or order.")],
    answer_by: Annotated[str, typer.Option(help="When the ISP must answer (UTC date).")],
    data_expires: Annotated[str, typer.Option(help="When the data will be deleted (UTC date).")],
    reference: Annotated[str, typer.Option(help="Your reference.")] = "",
    report: Annotated[int | None, typer.Option(help="The report it concerns.")] = None,
) -> None:
    """Record a preservation request sent to an ISP."""
    view = isp.request_preservation(
        state(ctx).context(),
        isp.IspRequestInput(
            isp=isp_name,
            subject=subject,
            legal_basis=legal_basis,
            reference=reference,
            legal_deadline_at=parse_when(answer_by, what="answer date"),
            data_expires_at=parse_when(data_expires, what="expiry date"),
            report_id=report,
        ),
    )
    typer.echo(f"request {view.id} to {view.isp}: data expires {fmt_time(view.data_expires_at)}")


@isp_app.command("answered")
def isp_answered(ctx: typer.Context, request_id: int) -> None:
    """Record that the ISP answered."""
    isp.mark_answered(state(ctx).context(), request_id)
    typer.echo(f"request {request_id} answered")


@isp_app.command("list")
def isp_list(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Preservation requests, soonest expiry first."""
    views = isp.list_requests(state(ctx).context())
    if json_:
        print_json(views)
        return
    rows = [
        (v.id, v.isp, v.status, fmt_time(v.legal_deadline_at), fmt_time(v.data_expires_at))
        for v in views
    ]
    print_table("ISP preservation requests", ["id", "isp", "status", "answer by", "expires"], rows)
