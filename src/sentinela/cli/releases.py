"""`sentinela release ...` and `sentinela feedback ...`: the police side of the hash list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.render import fmt_time, print_json, print_table
from sentinela.cli.state import state
from sentinela.services import release_documents, release_keys, releases, revocations
from sentinela.sharing.envelope import envelope_bytes, sign_document

release_app = typer.Typer(
    help="Signed hash-list releases: key, build, list, export, revoke.", no_args_is_help=True
)
feedback_app = typer.Typer(help="The analysts' queue of provider feedback.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@release_app.command("init-key")
def init_key(ctx: typer.Context) -> None:
    """Create the release signing key (mode 0600) and print its public half."""
    key = release_keys.init_release_key(state(ctx).context())
    typer.echo(
        f"signing key {key.key_id} created at {release_keys.signing_key_path(state(ctx).settings)}"
    )
    typer.echo(key.public.to_text())


@release_app.command("public-key")
def public_key(ctx: typer.Context) -> None:
    """Print the public key providers verify releases with."""
    typer.echo(release_keys.load_release_key(state(ctx).settings).public.to_text())


@release_app.command("build")
def build(
    ctx: typer.Context,
    tier: str,
    force: Annotated[bool, typer.Option(help="Publish even when nothing changed.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Publish the tier's next release if its sets changed."""
    view = releases.build_release(state(ctx).context(), tier, force=force)
    if json_:
        print_json(view)
    elif view is None:
        typer.echo(f"tier {tier} is current; nothing to release")
    else:
        typer.echo(
            f"tier {tier} version {view.version}: +{view.added} -{view.removed}, "
            f"{view.entry_count} entries"
        )


@release_app.command("list")
def list_(ctx: typer.Context, tier: str, json_: JsonOpt = False) -> None:
    """List a tier's releases."""
    views = releases.list_all_releases(state(ctx).context(), tier)
    if json_:
        print_json(views)
        return
    print_table(
        f"Releases of {tier}",
        ["version", "created", "by", "entries", "added", "removed", "key"],
        [
            (
                v.version,
                fmt_time(v.created_at),
                v.created_by,
                v.entry_count,
                v.added,
                v.removed,
                v.signing_key_id,
            )
            for v in views
        ],
    )


@release_app.command("export")
def export(
    ctx: typer.Context,
    tier: str,
    out: Annotated[Path, typer.Option(help="Where to write the signed snapshot.")],
    version: Annotated[int, typer.Option(help="Version; 0 for the latest.")] = 0,
) -> None:
    """Write a signed full snapshot to a file, for offline delivery."""
    key = release_keys.load_release_key(state(ctx).settings)
    document = release_documents.export_snapshot(state(ctx).context(), tier, version or None)
    out.write_bytes(envelope_bytes(sign_document(document, key)))
    typer.echo(f"tier {tier} version {document.version}: {document.entry_count} entries -> {out}")


@release_app.command("revoke")
def revoke(
    ctx: typer.Context,
    hash_type: Annotated[str, typer.Argument(help="md5, sha1, sha256 or pdq.")],
    digest: str,
    reason: Annotated[str, typer.Option(help="false_positive or withdrawn.")] = "false_positive",
    note: Annotated[str, typer.Option(help="For the record; never published.")] = "",
    publish: Annotated[bool, typer.Option(help="Publish the tombstone now.")] = True,
) -> None:
    """Withdraw a hash from every tier (a false positive)."""
    view = revocations.revoke_hash(
        state(ctx).context(), hash_type, digest, reason=reason, note=note, publish=publish
    )
    typer.echo(f"revoked {view.hash_type} {view.digest} ({view.reason})")
    for r in view.releases:
        typer.echo(f"  tier {r.tier} version {r.version} publishes the tombstone")


@feedback_app.command("list")
def feedback_list(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="open, accepted, rejected or all.")] = "open",
    json_: JsonOpt = False,
) -> None:
    """List provider feedback."""
    views = revocations.list_feedback(
        state(ctx).context(), status=None if status == "all" else status
    )
    if json_:
        print_json(views)
        return
    print_table(
        "Provider feedback",
        ["id", "provider", "hash", "opinion", "received", "status", "note"],
        [
            (
                v.id,
                v.provider,
                f"{v.hash_type}:{v.digest}",
                v.opinion,
                fmt_time(v.received_at),
                v.status,
                v.note,
            )
            for v in views
        ],
    )


def _decide(ctx: typer.Context, feedback_id: int, accept: bool, note: str) -> None:
    view = revocations.decide_feedback(state(ctx).context(), feedback_id, accept=accept, note=note)
    typer.echo(f"feedback {view.id} {view.status}")


@feedback_app.command("accept")
def feedback_accept(
    ctx: typer.Context,
    feedback_id: int,
    note: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Accept an item; a false positive is revoked and its tombstone published."""
    _decide(ctx, feedback_id, True, note)


@feedback_app.command("reject")
def feedback_reject(
    ctx: typer.Context,
    feedback_id: int,
    note: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Reject an item."""
    _decide(ctx, feedback_id, False, note)
