"""What matching needs besides the database: the known-hash PDQ index and the vault.

Why a per-process cache: the index is loaded once at start-up (memory-mapped, then caught up
from the database) and reused by every match in the process. It is keyed by the data folder
and the database URL, and looked up by engine for
:func:`sentinela.services.triage.retriage_media`, whose fixed signature receives only a
session. A process that never loaded the index still matches correctly: the matcher then
compares against every live PDQ entry read from the database (slower, never wrong), and
without a vault it cannot confirm drafted PDQ candidates (see :mod:`.known_match`).

Start-up code (the web app factory, a long-running worker) calls :func:`load_known_index`.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, literal_column, select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.hashsets import KnownHash
from sentinela.errors import ConfigurationError, VaultError
from sentinela.matching.errors import (
    IndexChecksumError,
    IndexFileError,
    UnsupportedIndexVersionError,
)
from sentinela.services.context import ServiceContext
from sentinela.services.exposure import open_vault
from sentinela.services.known_index import (
    DEFAULT_INDEX_TYPE,
    INDEX_FOLDER,
    KnownIndex,
    SyncResult,
)
from sentinela.services.permissions import require_role
from sentinela.settings import Settings
from sentinela.vault import Vault

#: Roles that manage known material (import hash sets, rebuild the index).
KNOWN_MATERIAL_ROLES = ("admin", "examiner")


@dataclass
class MatchResources:
    """The index and the vault a matcher may use; either may be missing."""

    index: KnownIndex | None = None
    settings: Settings | None = None
    _vault: Vault | None = field(default=None, repr=False)
    _vault_failed: bool = field(default=False, repr=False)

    def vault(self) -> Vault | None:
        """The vault, opened on first use; ``None`` when no settings or no usable key."""
        if self._vault is None and not self._vault_failed and self.settings is not None:
            try:
                self._vault = open_vault(self.settings)
            except (ConfigurationError, VaultError):
                self._vault_failed = True
        return self._vault


_LOADED: dict[tuple[str, str], KnownIndex] = {}
_BY_ENGINE: weakref.WeakKeyDictionary[Engine, MatchResources] = weakref.WeakKeyDictionary()


def known_index_dir(settings: Settings) -> Path:
    """Where the known-hash PDQ index of this installation is saved."""
    return settings.data_dir / INDEX_FOLDER


def _key(settings: Settings) -> tuple[str, str]:
    return (str(known_index_dir(settings)), settings.database_url)


def load_known_index(ctx: ServiceContext) -> KnownIndex:
    """The index of this installation, loaded once per process and caught up.

    Loads the saved generation (memory-mapped) and applies every entry changed since it was
    saved. When there is no usable saved index, builds one from the database and saves it.
    """
    key = _key(ctx.settings)
    index = _LOADED.get(key)
    if index is None:
        index = _load_or_build(ctx)
        _LOADED[key] = index
    with ctx.transaction() as session:
        index.sync(session)
    _BY_ENGINE[ctx.engine] = MatchResources(index, ctx.settings)
    return index


def _load_or_build(ctx: ServiceContext) -> KnownIndex:
    directory = known_index_dir(ctx.settings)
    try:
        index = KnownIndex.load(directory)
        with ctx.transaction() as session:
            index.sync(session)
            if len(index) == live_pdq_entries(session):
                return index
    except (IndexFileError, IndexChecksumError, UnsupportedIndexVersionError):
        pass
    # No saved index, an unreadable one, or one that disagrees with the database (restored
    # from a backup, say): the database wins.
    with ctx.transaction() as session:
        index = KnownIndex.build(session, directory)
    index.save()
    return index


def live_pdq_entries(session: Session) -> int:
    """How many live PDQ entries the database holds (what the index must hold)."""
    return int(
        session.execute(
            select(func.count()).where(
                KnownHash.hash_type == literal_column("'pdq'"), KnownHash.removed_at.is_(None)
            )
        ).scalar_one()
    )


def resources(ctx: ServiceContext) -> MatchResources:
    """Index (loaded and caught up) and vault for matching in ``ctx``."""
    load_known_index(ctx)
    return _BY_ENGINE[ctx.engine]


def resources_for_session(session: Session) -> MatchResources:
    """What this process loaded for the session's engine; empty resources if nothing."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return _BY_ENGINE.get(engine) or MatchResources()


def sync_and_save(ctx: ServiceContext) -> SyncResult:
    """Catch the index up after a change to the known hashes; save it if anything moved."""
    index = load_known_index(ctx)
    with ctx.transaction() as session:
        result = index.sync(session)
    # load_known_index already synced: save when the saved generation is behind.
    saved_mark = _saved_mark(index.directory)
    if saved_mark != index.mark.to_json():
        index.save()
    return result


def _saved_mark(directory: Path | None) -> object:
    if directory is None:
        return None
    try:
        return KnownIndex.load_state(directory).get("mark")
    except IndexFileError:
        return None


@dataclass(frozen=True)
class IndexStatus:
    """The known-hash index as loaded in this process."""

    directory: str
    index_type: str
    entries: int
    max_id: int
    watermark: str | None
    elapsed_seconds: float = 0.0


def _status(index: KnownIndex, elapsed: float = 0.0) -> IndexStatus:
    mark = index.mark
    return IndexStatus(
        str(index.directory),
        index.index_type,
        len(index),
        mark.max_id,
        mark.watermark.isoformat() if mark.watermark else None,
        round(elapsed, 3),
    )


def index_status(ctx: ServiceContext) -> IndexStatus:
    """Load (and catch up) the index; say what it holds."""
    return _status(load_known_index(ctx))


def rebuild_known_index(ctx: ServiceContext, index_type: str = DEFAULT_INDEX_TYPE) -> IndexStatus:
    """Rebuild the index from the database, save it and use it from now on (audited).

    Raises:
        AccessDenied: the actor is not an administrator or examiner.
        UnknownNameError: unknown index type.
    """
    started = time.monotonic()
    directory = known_index_dir(ctx.settings)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *KNOWN_MATERIAL_ROLES)
        index = KnownIndex.build(session, directory, index_type)
        index.save()
        record(
            session,
            actor=actor.username,
            action="index.rebuild",
            object_type="known_index",
            object_id=index_type,
            clock=ctx.clock,
            details={"entries": len(index), "max_id": index.mark.max_id},
        )
    _LOADED[_key(ctx.settings)] = index
    _BY_ENGINE[ctx.engine] = MatchResources(index, ctx.settings)
    return _status(index, time.monotonic() - started)


def forget_loaded() -> None:
    """Drop every index this process loaded (tests simulate a restart with it)."""
    _LOADED.clear()
    _BY_ENGINE.clear()
