"""`sentinela hashset ...`: import, list, show and remove known hash sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.render import fmt_time, print_json, print_table
from sentinela.cli.state import state
from sentinela.services import hashset_views as views
from sentinela.services import hashsets as svc

app = typer.Typer(help="Import, list, show and remove known hash sets.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(readable=False, help="The hash-set file.")],
    name: Annotated[str, typer.Option(help="Set name; an existing name makes a new version.")],
    format_: Annotated[
        str, typer.Option("--format", help="vics, nsrl_rdsv3, nsrl_rds2, ncmec_xml, ...")
    ] = "auto",
    hash_type: Annotated[
        str | None, typer.Option(help="Plain lists of 64-hex lines: sha256 or pdq.")
    ] = None,
    version: Annotated[str | None, typer.Option(help="Version label (default: next).")] = None,
    source: Annotated[str | None, typer.Option(help="Who supplied the set.")] = None,
    scheme: Annotated[str | None, typer.Option(help="Category scheme of the set.")] = None,
    code: Annotated[
        str | None, typer.Option(help="Category code for records that carry none.")
    ] = None,
    kind: Annotated[str | None, typer.Option(help="categorised or benign.")] = None,
    trust: Annotated[str | None, typer.Option(help="Trust level of the source.")] = None,
    legal_basis: Annotated[str | None, typer.Option(help="Legal basis for holding it.")] = None,
    pdq_threshold: Annotated[int | None, typer.Option(help="PDQ distance (default 31).")] = None,
    pdq_min_quality: Annotated[
        int | None, typer.Option(help="Least PDQ quality (default 50).")
    ] = None,
    mode: Annotated[
        str | None, typer.Option(help="snapshot (unlisted entries removed) or delta.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Import one version of a hash set (all or nothing), then re-triage what it affects."""
    request = svc.ImportRequest(
        name=name,
        format=format_,
        hash_type=hash_type,
        version=version,
        source=source,
        scheme=scheme,
        code=code,
        kind=kind,
        trust=trust,
        legal_basis=legal_basis,
        pdq_threshold=pdq_threshold,
        pdq_min_quality=pdq_min_quality,
        mode=mode,
    )
    result = svc.import_hash_set(state(ctx).context(), file, request)
    if json_:
        print_json(result)
        return
    typer.echo(
        f"hash set {result.set.name} version {result.version} ({result.format}, {result.mode}):"
        f" {result.records} records, {result.added} entries added, {result.updated} updated,"
        f" {result.deleted} removed; {result.set.entries} live entries"
    )
    typer.echo(
        f"re-triaged {result.retriaged} items, {result.triage_changes} changed"
        f" ({result.elapsed_seconds:.1f} s)"
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include removed sets.")] = False,
    json_: JsonOpt = False,
) -> None:
    """List the known hash sets."""
    sets = views.list_hash_sets(state(ctx).context(), include_removed=all_)
    if json_:
        print_json(sets)
        return
    print_table(
        "Hash sets",
        ["name", "source", "version", "scheme", "kind", "entries", "imported", "removed"],
        [
            (
                s.name,
                s.source,
                s.version,
                s.scheme,
                s.kind,
                s.entries,
                fmt_time(s.imported_at),
                fmt_time(s.removed_at),
            )
            for s in sets
        ],
    )


@app.command("show")
def show(ctx: typer.Context, name: str, json_: JsonOpt = False) -> None:
    """Show a set's provenance, versions and entries."""
    detail = views.show_hash_set(state(ctx).context(), name)
    if json_:
        print_json(detail)
        return
    s = detail.set
    typer.echo(f"hash set {s.name} ({s.kind}), version {s.version}, {s.entries} live entries")
    typer.echo(f"  source: {s.source}   scheme: {s.scheme}   trust: {s.trust}")
    typer.echo(f"  legal basis: {s.legal_basis or '-'}")
    typer.echo(f"  PDQ: distance <= {s.pdq_threshold}, quality >= {s.pdq_min_quality}")
    typer.echo("  by hash type: " + ", ".join(f"{k} {v}" for k, v in detail.by_hash_type.items()))
    typer.echo("  by category: " + ", ".join(f"{k} {v}" for k, v in detail.by_category.items()))
    print_table(
        "Versions",
        ["version", "file", "sha256", "mode", "added", "updated", "deleted", "imported", "by"],
        [
            (
                v.version,
                v.file_name,
                v.file_sha256[:16],
                v.mode,
                v.added,
                v.updated,
                v.deleted,
                fmt_time(v.imported_at),
                v.imported_by,
            )
            for v in detail.versions
        ],
    )


@app.command("remove")
def remove(
    ctx: typer.Context,
    name: str,
    reason: Annotated[str, typer.Option(help="Why the set is withdrawn.")] = "",
    json_: JsonOpt = False,
) -> None:
    """Withdraw a set: it stops matching; the record of it is kept."""
    result = svc.remove_hash_set(state(ctx).context(), name, reason=reason)
    if json_:
        print_json(result)
        return
    typer.echo(
        f"hash set {result.name} removed ({result.entries_removed} entries);"
        f" re-triaged {result.retriaged} items, {result.triage_changes} changed"
    )
