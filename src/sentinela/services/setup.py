"""Installation set-up: create or upgrade the database and the master key."""

from __future__ import annotations

from dataclasses import dataclass

from sentinela.db import migrate
from sentinela.services.context import ServiceContext


@dataclass(frozen=True)
class InitResult:
    """What `sentinela init` did."""

    database: str
    before: str | None
    after: str | None
    key_created: bool


def initialise(ctx: ServiceContext) -> InitResult:
    """Upgrade the schema to head and make sure a master key exists.

    Safe to run again: an up-to-date database and an existing key are left as they are.
    """
    before = migrate.current_revision(ctx.engine)
    migrate.upgrade(ctx.engine)
    after = migrate.current_revision(ctx.engine)
    key_created = ensure_master_key(ctx)
    return InitResult(
        ctx.engine.url.render_as_string(hide_password=True), before, after, key_created
    )


def ensure_master_key(ctx: ServiceContext) -> bool:
    """Create the vault master key (mode 0600) if it does not exist yet."""
    from sentinela.vault.keys import create_master_key

    path = ctx.settings.key_file
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    create_master_key(path)
    return True
