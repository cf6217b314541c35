"""Builders for the industry-sharing tests: known hashes, a signing key, tiers and providers.

Known hashes are written straight into a categorised hash set (the hash-set import service is
another area's); their digests are random or come from generated benign pictures.
"""

from __future__ import annotations

import hashlib
import random
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import uvicorn
from sqlalchemy import select

from sentinela.db.hashsets import HashSet, KnownHash
from sentinela.services import providers
from sentinela.services.context import ServiceContext
from sentinela.services.provider_keys import IssuedKey
from sentinela.services.release_keys import init_release_key
from sentinela.sharing.keys import ReleasePublicKey

SET_NAME = "national_classification"
SCHEME = "project_vic_us"


@dataclass(frozen=True)
class Known:
    """One known hash as seeded."""

    hash_type: str
    digest: str
    code: str
    baseline: bool


def random_digest(hash_type: str, rng: random.Random) -> str:
    """A random lower-case digest of the type's length."""
    bits = {"md5": 128, "sha1": 160, "sha256": 256, "pdq": 256}[hash_type]
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


def seed_known(
    ctx: ServiceContext,
    items: list[Known],
    *,
    set_name: str = SET_NAME,
    kind: str = "categorised",
) -> None:
    """Add ``items`` to the hash set ``set_name`` (created if missing)."""
    with ctx.transaction() as session:
        now = ctx.clock()
        hs = session.execute(select(HashSet).where(HashSet.name == set_name)).scalar_one_or_none()
        if hs is None:
            hs = HashSet(
                name=set_name,
                source="test",
                version="1",
                scheme=SCHEME,
                kind=kind,
                format="test",
                imported_at=now,
                imported_by="test",
            )
            session.add(hs)
            session.flush()
        for item in items:
            session.add(
                KnownHash(
                    hash_set_id=hs.id,
                    hash_type=item.hash_type,
                    digest=item.digest,
                    category_scheme=SCHEME,
                    category_code=item.code,
                    baseline=item.baseline,
                    series="secret series name",
                    source_record="case C-1 exhibit EXH-001",
                    added_at=now,
                    updated_at=now,
                )
            )
            hs.entries += 1


def remove_known(ctx: ServiceContext, hash_type: str, digest: str) -> None:
    """Mark a known hash as removed from its set (as a newer set version would)."""
    with ctx.transaction() as session:
        row = session.execute(
            select(KnownHash).where(KnownHash.hash_type == hash_type, KnownHash.digest == digest)
        ).scalar_one()
        row.removed_at = ctx.clock()


def sample_known(count: int, seed: int = 7) -> list[Known]:
    """``count`` known hashes cycling through the four hash types; every third is baseline."""
    rng = random.Random(seed)
    types = ("md5", "sha1", "sha256", "pdq")
    return [
        Known(types[i % 4], random_digest(types[i % 4], rng), str(1 + i % 2), i % 3 == 0)
        for i in range(count)
    ]


#: A fixed sample for the web and client tests.
KNOWN_SAMPLE = sample_known(24, seed=11)


def digests_of(data: bytes) -> dict[str, str]:
    """MD5, SHA-1 and SHA-256 of ``data``."""
    return {
        "md5": hashlib.md5(data).hexdigest(),  # noqa: S324 - a shared file hash, not security
        "sha1": hashlib.sha1(data).hexdigest(),  # noqa: S324
        "sha256": hashlib.sha256(data).hexdigest(),
    }


@dataclass(frozen=True)
class Sharing:
    """A ready installation: key, a full tier, a baseline-only tier and two providers."""

    public_key: ReleasePublicKey
    full_key: IssuedKey
    baseline_key: IssuedKey


def setup_sharing(ctx: ServiceContext, *, rate_limit: int = 1000) -> Sharing:
    """Create the signing key, tiers ``full`` and ``baseline_only`` and providers
    ``hostco`` (full, every scope) and ``isp`` (baseline only, list download only)."""
    admin = ctx.with_actor("admin")
    key = init_release_key(admin)
    providers.add_tier(admin, "full", hash_sets=[SET_NAME])
    providers.add_tier(admin, "baseline_only", hash_sets=[SET_NAME], baseline_only=True)
    _, full_key = providers.add_provider(
        admin,
        "hostco",
        tier="full",
        scopes=["list_download", "remote_match", "feedback"],
        rate_limit=rate_limit,
    )
    _, baseline_key = providers.add_provider(
        admin, "isp", tier="baseline_only", scopes=["list_download"], rate_limit=rate_limit
    )
    return Sharing(key.public, full_key, baseline_key)


class LiveServer:
    """The web app served by a real uvicorn on 127.0.0.1 (a free port), in a thread."""

    def __init__(self, app: Any) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port = int(self._sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()
