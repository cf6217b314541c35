"""`sentinela provider ...` and `sentinela tier ...`: who may receive the hash list, and how.

:func:`register` adds these groups and those of :mod:`.releases` and :mod:`.scan` to the
root command.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from sentinela.cli import releases, scan
from sentinela.cli.render import fmt_time, print_json, print_table
from sentinela.cli.state import state
from sentinela.services import provider_keys, provider_usage, providers

provider_app = typer.Typer(
    help="Register providers; issue, rotate and revoke API keys.", no_args_is_help=True
)
tier_app = typer.Typer(
    help="Tiers: which sets, categories and hash types providers receive.", no_args_is_help=True
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def register(app: typer.Typer) -> None:
    """Add the industry-sharing commands to the root command."""
    app.add_typer(provider_app, name="provider")
    app.add_typer(tier_app, name="tier")
    app.add_typer(releases.release_app, name="release")
    app.add_typer(releases.feedback_app, name="feedback")
    app.add_typer(scan.hashlist_app, name="hashlist")
    app.command("scan")(scan.scan)


def _show_key(issued: provider_keys.IssuedKey) -> None:
    typer.echo(f"API key for {issued.provider} (key id {issued.key_id}); shown once, store it now:")
    typer.echo(issued.api_key)


@tier_app.command("add")
def tier_add(
    ctx: typer.Context,
    name: str,
    hash_set: Annotated[
        list[str], typer.Option("--hash-set", help="A categorised hash set; repeat, first wins.")
    ],
    category: Annotated[
        list[str] | None, typer.Option(help="scheme:code allowed; repeat (default: all).")
    ] = None,
    hash_type: Annotated[
        list[str] | None, typer.Option(help="md5, sha1, sha256 or pdq; repeat (default: all).")
    ] = None,
    baseline_only: Annotated[bool, typer.Option(help="Only baseline entries.")] = False,
    description: Annotated[str, typer.Option(help="For people.")] = "",
    json_: JsonOpt = False,
) -> None:
    """Create a tier."""
    view = providers.add_tier(
        state(ctx).context(),
        name,
        hash_sets=hash_set,
        categories=category,
        hash_types=hash_type,
        baseline_only=baseline_only,
        description=description,
    )
    if json_:
        print_json(view)
    else:
        typer.echo(f"tier {view.name}: sets {', '.join(view.hash_sets)}")


@tier_app.command("list")
def tier_list(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """List tiers."""
    views = providers.list_tiers(state(ctx).context())
    if json_:
        print_json(views)
        return
    print_table(
        "Tiers",
        ["name", "hash sets", "categories", "hash types", "baseline only"],
        [
            (
                v.name,
                ", ".join(v.hash_sets),
                ", ".join(v.categories) or "all",
                ", ".join(v.hash_types),
                "yes" if v.baseline_only else "no",
            )
            for v in views
        ],
    )


@provider_app.command("add")
def provider_add(
    ctx: typer.Context,
    name: str,
    tier: Annotated[str, typer.Option(help="The provider's tier.")],
    scope: Annotated[
        list[str],
        typer.Option(help="list_download, remote_match or feedback; repeat."),
    ],
    display_name: Annotated[str, typer.Option(help="Shown to people.")] = "",
    contact: Annotated[str, typer.Option(help="Who to call at the provider.")] = "",
    rate_limit: Annotated[int, typer.Option(help="Calls per minute per key.")] = 120,
    expires_days: Annotated[int, typer.Option(help="Key lifetime in days; 0: none.")] = 0,
) -> None:
    """Register a provider and print its first API key (once)."""
    _, issued = providers.add_provider(
        state(ctx).context(),
        name,
        tier=tier,
        scopes=scope,
        display_name=display_name,
        contact=contact,
        rate_limit=rate_limit,
        expires_in=timedelta(days=expires_days) if expires_days > 0 else None,
    )
    _show_key(issued)


@provider_app.command("list")
def provider_list(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """List providers and their keys."""
    views = providers.list_providers(state(ctx).context())
    if json_:
        print_json(views)
        return
    print_table(
        "Providers",
        ["name", "tier", "scopes", "active", "live keys"],
        [
            (
                v.name,
                v.tier,
                ", ".join(v.scopes),
                "yes" if v.active else "no",
                ", ".join(k.key_id for k in v.keys if k.revoked_at is None),
            )
            for v in views
        ],
    )


@provider_app.command("show")
def provider_show(ctx: typer.Context, name: str, json_: JsonOpt = False) -> None:
    """Show one provider and every key it ever had."""
    view = providers.show_provider(state(ctx).context(), name)
    if json_:
        print_json(view)
        return
    typer.echo(f"provider {view.name} ({view.display_name}), tier {view.tier}")
    typer.echo(f"  scopes: {', '.join(view.scopes)}   active: {view.active}")
    for k in view.keys:
        typer.echo(
            f"  key {k.key_id}: created {fmt_time(k.created_at)} expires "
            f"{fmt_time(k.expires_at) or 'never'} revoked {fmt_time(k.revoked_at) or 'no'} "
            f"limit {k.rate_limit_per_minute}/min last used {fmt_time(k.last_used_at) or 'never'}"
        )


@provider_app.command("rotate-key")
def provider_rotate_key(
    ctx: typer.Context,
    name: str,
    key_id: str,
    grace_hours: Annotated[int, typer.Option(help="Hours the old key keeps working.")] = 0,
) -> None:
    """Issue a new key replacing KEY_ID and print it (once)."""
    issued = provider_keys.rotate_key(
        state(ctx).context(), name, key_id, grace=timedelta(hours=max(grace_hours, 0))
    )
    _show_key(issued)


@provider_app.command("revoke-key")
def provider_revoke_key(ctx: typer.Context, name: str, key_id: str) -> None:
    """Revoke a key at once."""
    view = provider_keys.revoke_key(state(ctx).context(), name, key_id)
    typer.echo(f"key {view.key_id} of {name} revoked at {fmt_time(view.revoked_at)}")


@provider_app.command("disable")
def provider_disable(ctx: typer.Context, name: str) -> None:
    """Suspend a provider: all its keys are refused."""
    providers.set_active(state(ctx).context(), name, False)
    typer.echo(f"provider {name} suspended")


@provider_app.command("enable")
def provider_enable(ctx: typer.Context, name: str) -> None:
    """Reinstate a suspended provider."""
    providers.set_active(state(ctx).context(), name, True)
    typer.echo(f"provider {name} reinstated")


@provider_app.command("usage")
def provider_usage_cmd(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How many days back.")] = 30,
    provider: Annotated[str | None, typer.Option(help="Only this provider.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Hashes examined and matched per provider per day."""
    rows = provider_usage.usage_report(state(ctx).context(), days=days, provider=provider)
    if json_:
        print_json(rows)
        return
    print_table(
        "Provider usage",
        ["day", "provider", *provider_usage.COUNTERS],
        [
            (r.day.isoformat(), r.provider, *(getattr(r, c) for c in provider_usage.COUNTERS))
            for r in rows
        ],
    )
