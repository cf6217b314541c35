"""`sentinela victim-id ...`: build the region index, de-conflict, record an identification."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from sentinela.cli.render import print_json, print_table
from sentinela.cli.state import state
from sentinela.errors import InvalidInputError
from sentinela.services import deconfliction, region_indexing, victims

app = typer.Typer(
    help="Victim identification: region index, de-confliction, identifications.",
    no_args_is_help=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("index-regions")
def index_regions(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option(help="Start from an empty index.")] = False,
    features: Annotated[int, typer.Option(min=50, max=5000, help="Keypoints per image.")] = 500,
    json_: JsonOpt = False,
) -> None:
    """Add every stored image missing from the region index (administrators)."""
    report = region_indexing.index_regions(
        state(ctx).context(), rebuild=rebuild, n_features=features
    )
    if json_:
        print_json(report)
        return
    typer.echo(
        f"added {report.added_images} image(s), {report.added_keypoints} keypoints; "
        f"{report.without_keypoints} without keypoints, {report.undecodable} undecodable; "
        f"{report.indexed_images} image(s) indexed ({report.kind})"
    )


@app.command("who-holds")
def who_holds(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="media, series, camera or identifier.")],
    value: Annotated[str, typer.Argument(help="Hash, series name, serial or identifier.")],
    id_kind: Annotated[str, typer.Option(help="email, phone or username (else guessed).")] = "",
    json_: JsonOpt = False,
) -> None:
    """List the cases, units and contacts that hold something (no content is shown)."""
    answer = deconfliction.who_holds(state(ctx).context(), kind, value, id_kind=id_kind)
    if json_:
        print_json(answer)
        return
    print_table(
        f"Holders of {answer.kind} {answer.normalised}",
        ["case", "unit", "contact", "member"],
        [
            (h.case_number, h.unit, h.contact, "yes" if h.you_are_member else "")
            for h in answer.holders
        ],
    )


@app.command("identify")
def identify(
    ctx: typer.Context,
    victim_id: int,
    on: Annotated[str, typer.Option("--on", help="Identification date, YYYY-MM-DD.")],
    lead: Annotated[str, typer.Option("--lead", help="Lead source.")],
    case: Annotated[str, typer.Option("--case", help="Your case.")],
    note: Annotated[str, typer.Option(help="A note.")] = "",
) -> None:
    """Record, once, that your unit identified a victim."""
    try:
        when = date.fromisoformat(on)
    except ValueError:
        raise InvalidInputError(f"{on!r} is not a date (YYYY-MM-DD)") from None
    view = victims.identify_victim(
        state(ctx).context(),
        victim_id,
        identified_on=when,
        lead_source=lead,
        case_number=case,
        note=note,
    )
    typer.echo(
        f"victim {victim_id} identified on {view.identified_on} by {view.unit} ({view.lead_source})"
    )
