"""Bench data: an installation with N known hashes, a tier, its first release and a provider.

Known hashes are written with SQLAlchemy Core (the hash-set importer is another area's
bench); the release is built by the real service, as an analyst would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from sentinela.db.hashsets import HashSet, KnownHash
from sentinela.services import providers, releases
from sentinela.services.context import ServiceContext, open_context
from sentinela.services.release_keys import init_release_key
from sentinela.services.setup import initialise
from sentinela.services.users import add_user
from sentinela.settings import Settings

TYPES = ("md5", "sha1", "sha256", "pdq")
BITS = {"md5": 128, "sha1": 160, "sha256": 256, "pdq": 256}
SET_NAME = "national_classification"


def digest(hash_type: str, rng: random.Random) -> str:
    """A random digest of the type."""
    bits = BITS[hash_type]
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


@dataclass(frozen=True)
class Installation:
    """What :func:`build` made."""

    settings: Settings
    api_key: str
    public_key: str
    sample: list[tuple[str, str]]  # known (type, digest) pairs to put in queries


def settings_for(data_dir: Path) -> Settings:
    """Development settings in ``data_dir`` (SQLite)."""
    return Settings(mode="development", data_dir=data_dir)


def _seed(ctx: ServiceContext, entries: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    sample: list[tuple[str, str]] = []
    with ctx.transaction() as session:
        hs = HashSet(
            name=SET_NAME,
            source="bench",
            version="1",
            scheme="project_vic_us",
            kind="categorised",
            format="bench",
            entries=entries,
            imported_at=now,
            imported_by="bench",
        )
        session.add(hs)
        session.flush()
        chunk: list[dict[str, object]] = []
        for i in range(entries):
            hash_type = TYPES[i % 4]
            value = digest(hash_type, rng)
            if i % 97 == 0:
                sample.append((hash_type, value))
            chunk.append(
                {
                    "hash_set_id": hs.id,
                    "hash_type": hash_type,
                    "digest": value,
                    "category_scheme": "project_vic_us",
                    "category_code": str(1 + i % 2),
                    "baseline": i % 3 == 0,
                    "added_at": now,
                    "updated_at": now,
                }
            )
            if len(chunk) == 20_000:
                session.execute(insert(KnownHash), chunk)
                chunk = []
        if chunk:
            session.execute(insert(KnownHash), chunk)
    return sample


def build(data_dir: Path, entries: int, seed: int = 1) -> Installation:
    """Create the installation in ``data_dir``."""
    settings = settings_for(data_dir)
    ctx = open_context(settings)
    try:
        initialise(ctx)
        add_user(ctx, "admin", roles=["admin"])
        admin = ctx.with_actor("admin")
        key = init_release_key(admin)
        sample = _seed(ctx, entries, seed)
        providers.add_tier(admin, "full", hash_sets=[SET_NAME])
        _, issued = providers.add_provider(
            admin, "bench", tier="full", scopes=["remote_match"], rate_limit=10_000_000
        )
        releases.build_release(admin, "full")
    finally:
        ctx.close()
    return Installation(settings, issued.api_key, key.public.to_text(), sample)
