"""Where the release signing key lives, and creating it (``sentinela release init-key``).

The key file sits in the data folder beside the vault master key, as
``release-signing.key``, with the same rules: mode 0600, never overwritten, and refused in
production when others can read it.
"""

from __future__ import annotations

from pathlib import Path

from sentinela.audit import record
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_role
from sentinela.settings import Settings
from sentinela.sharing.keys import ReleaseSigningKey, create_signing_key, load_signing_key

KEY_FILE_NAME = "release-signing.key"


def signing_key_path(settings: Settings) -> Path:
    """The signing key file of this installation."""
    return settings.data_dir / KEY_FILE_NAME


def load_release_key(settings: Settings) -> ReleaseSigningKey:
    """Load the installation's signing key.

    Raises:
        ConfigurationError: the file is missing, unsafe (production) or malformed.
    """
    return load_signing_key(signing_key_path(settings), strict=settings.mode == "production")


def init_release_key(ctx: ServiceContext) -> ReleaseSigningKey:
    """Create the signing key (administrators only; audited with its key id).

    Raises:
        ConfigurationError: a key file already exists.
        AccessDenied: the actor is not an administrator.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, "admin")
        ctx.settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
        key = create_signing_key(signing_key_path(ctx.settings))
        record(
            session,
            actor=actor.username,
            action="release.key.create",
            object_type="release_key",
            object_id=key.key_id,
            details={"public_key": key.public.to_text()},
            clock=ctx.clock,
        )
        return key
