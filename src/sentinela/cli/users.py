"""`sentinela user ...`"""

from __future__ import annotations

from typing import Annotated

import typer

from sentinela.cli.render import print_json, print_table
from sentinela.cli.state import state
from sentinela.services import accounts
from sentinela.services import users as svc
from sentinela.services.context import ServiceContext
from sentinela.services.credentials import TotpEnrolment

app = typer.Typer(help="Manage users and their roles.", no_args_is_help=True)

RoleOpt = Annotated[
    list[str],
    typer.Option(
        "--role",
        "-r",
        help="Role (repeatable): admin, examiner, victim_id_specialist, "
        "investigator, prosecutor, hotline_operator.",
    ),
]


@app.command("add")
def add(
    ctx: typer.Context,
    username: str,
    role: RoleOpt,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    unit: Annotated[str, typer.Option(help="Owning unit.")] = "",
    email: Annotated[str, typer.Option(help="Contact e-mail.")] = "",
    password: Annotated[
        bool,
        typer.Option(
            "--password",
            help="Prompt for a web sign-in password and enrol a TOTP authenticator.",
        ),
    ] = False,
) -> None:
    """Create a user. The first user of an installation must be an admin."""
    context = state(ctx).context()
    secret = _prompt_password() if password else None
    view = svc.add_user(context, username, display_name=name, roles=role, unit=unit, email=email)
    typer.echo(f"user {view.username} created with roles {', '.join(view.roles)}")
    if secret is not None:
        # Bootstrap: the first user has no one to act for them, so they set their own.
        acting = context if context.actor_name else context.with_actor(username)
        accounts.set_password(acting, username, secret)
        _print_enrolment(username, accounts.reset_totp(acting, username))


def _prompt_password() -> str:
    value: str = typer.prompt(
        "Password (12 characters or more)", hide_input=True, confirmation_prompt=True
    )
    return value


def _print_enrolment(username: str, enrolment: TotpEnrolment) -> None:
    typer.echo(f"TOTP secret for {username} (shown once; add it to an authenticator app):")
    typer.echo(f"  secret: {enrolment.secret}")
    typer.echo(f"  uri:    {enrolment.uri}")


@app.command("set-password")
def set_password(ctx: typer.Context, username: str) -> None:
    """Set a user's web sign-in password (administrators, or the user themself)."""
    context: ServiceContext = state(ctx).context()
    accounts.set_password(context, username, _prompt_password())
    typer.echo(f"password of {username} set; their sessions have ended")


@app.command("reset-totp")
def reset_totp(ctx: typer.Context, username: str) -> None:
    """Give a user a new TOTP secret (administrators); their sessions end."""
    _print_enrolment(username, accounts.reset_totp(state(ctx).context(), username))


@app.command("role")
def role(ctx: typer.Context, username: str, role: RoleOpt) -> None:
    """Replace a user's roles."""
    view = svc.set_roles(state(ctx).context(), username, role)
    typer.echo(f"user {view.username} now has roles {', '.join(view.roles)}")


@app.command("list")
def list_(ctx: typer.Context, json_: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List users."""
    views = svc.list_users(state(ctx).context())
    if json_:
        print_json(views)
        return
    print_table(
        "Users",
        ["user", "name", "unit", "roles", "active"],
        [(v.username, v.display_name, v.unit, ", ".join(v.roles), v.active) for v in views],
    )
