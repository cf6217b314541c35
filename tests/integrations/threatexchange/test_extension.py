"""The python-threatexchange extension, driven by the real ``threatexchange`` CLI against a
live Sentinela server: add the extension, configure a collaboration, fetch, match a known
benign picture, revoke its hashes, fetch again: no match."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sentinela.clock import FakeClock
from sentinela.hashing.hasher import hash_path
from sentinela.integrations.threatexchange import (
    TX_MANIFEST,
    PhotoMD5Signal,
    PhotoSHA1Signal,
    PhotoSHA256Signal,
    SentinelaCheckpoint,
    SentinelaCollabConfig,
    SentinelaSignalExchangeAPI,
)
from sentinela.services import releases, revocations
from sentinela.services.context import ServiceContext
from sentinela.sharing.errors import ReleaseVerificationError
from sentinela.sharing.keys import ReleaseSigningKey
from sentinela.web.app import create_app
from tests.services.industry_helpers import (
    KNOWN_SAMPLE,
    Known,
    LiveServer,
    seed_known,
    setup_sharing,
)
from tests.sharing.test_client import benign_image

TX = str(Path(sys.executable).with_name("threatexchange"))


def test_signal_types_hash_like_sentinela(tmp_path: Path) -> None:
    picture = benign_image(tmp_path / "p.png", 3)
    ours = hash_path(picture, want_thumbnail=False)
    assert PhotoMD5Signal.hash_from_file(picture) == ours.md5
    assert PhotoSHA1Signal.hash_from_file(picture) == ours.sha1
    assert PhotoSHA256Signal.hash_from_bytes(picture.read_bytes()) == ours.sha256
    assert PhotoSHA256Signal.validate_signal_str(" " + ours.sha256.upper()) == ours.sha256
    with pytest.raises(ValueError):
        PhotoMD5Signal.validate_signal_str("not a hash")
    names = [s.get_name() for s in TX_MANIFEST.signal_types]
    assert names == ["photo_md5", "photo_sha1", "photo_sha256"]
    assert [a.get_name() for a in TX_MANIFEST.apis] == ["sentinela"]
    for signal in TX_MANIFEST.signal_types:
        random_signal = signal.get_random_signal()
        assert signal.validate_signal_str(random_signal) == random_signal


def test_threatexchange_cli_fetch_match_revoke(
    sqlite_ctx: ServiceContext, clock: FakeClock, tmp_path: Path
) -> None:
    picture = benign_image(tmp_path / "known.png", 1)
    hashed = hash_path(picture, want_thumbnail=False)
    assert hashed.pdq is not None
    seed_known(
        sqlite_ctx,
        [
            Known("md5", hashed.md5, "1", True),
            Known("sha256", hashed.sha256, "1", True),
            Known("pdq", hashed.pdq, "1", True),
            *KNOWN_SAMPLE,
        ],
    )
    sharing = setup_sharing(sqlite_ctx)
    releases.build_release(sqlite_ctx.with_actor("admin"), "full")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TX_", "SENTINELA_"))}
    env |= {
        "HOME": str(tmp_path),
        "TX_STATEDIR": str(tmp_path / "tx-state"),
        "TX_SENTINELA_API_KEY": sharing.full_key.api_key,
    }

    def tx(*args: str) -> str:
        done = subprocess.run(
            [TX, *args], env=env, capture_output=True, text=True, check=False, timeout=180
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def match(signal: str) -> str:
        return tx("match", "-S", signal, "photo", str(picture))

    app = create_app(sqlite_ctx.settings, context=sqlite_ctx)
    with LiveServer(app) as server:
        assert "photo_sha256" in tx(
            "config", "extensions", "add", "sentinela.integrations.threatexchange"
        )
        tx(
            "config", "collab", "edit", "sentinela", "police", "--create",
            "--server-url", server.url, "--public-key", sharing.public_key.to_text(),
        )  # fmt: skip
        tx("fetch")
        for signal in ("photo_md5", "photo_sha256", "pdq"):
            found = match(signal)
            assert "(police)" in found and "project_vic_us:1" in found, signal
        for hash_type, digest in (
            ("md5", hashed.md5),
            ("sha256", hashed.sha256),
            ("pdq", hashed.pdq),
        ):
            revocations.revoke_hash(sqlite_ctx, hash_type, digest)
        tx("fetch")
        for signal in ("photo_md5", "photo_sha256", "pdq"):
            assert match(signal).strip() == "", signal


def test_fetch_refuses_releases_signed_by_another_key(
    sqlite_ctx: ServiceContext, clock: FakeClock
) -> None:
    seed_known(sqlite_ctx, KNOWN_SAMPLE)
    sharing = setup_sharing(sqlite_ctx)
    releases.build_release(sqlite_ctx.with_actor("admin"), "full")
    app = create_app(sqlite_ctx.settings, context=sqlite_ctx)
    with LiveServer(app) as server:
        good = SentinelaCollabConfig(
            name="police", server_url=server.url, public_key=sharing.public_key.to_text()
        )
        api = SentinelaSignalExchangeAPI(good, sharing.full_key.api_key)
        (delta,) = api.fetch_iter([], None)
        assert delta.checkpoint == SentinelaCheckpoint(1) and len(delta.updates) == len(
            KNOWN_SAMPLE
        )
        (again,) = api.fetch_iter([], delta.checkpoint)
        assert again.updates == {} and again.checkpoint.version == 1
        forged = SentinelaCollabConfig(
            name="police",
            server_url=server.url,
            public_key=ReleaseSigningKey.generate().public.to_text(),
        )
        with pytest.raises(ReleaseVerificationError):
            list(SentinelaSignalExchangeAPI(forged, sharing.full_key.api_key).fetch_iter([], None))
        wrong_tier = SentinelaCollabConfig(
            name="police",
            server_url=server.url,
            public_key=sharing.public_key.to_text(),
            tier="baseline_only",
        )
        with pytest.raises(ReleaseVerificationError):
            list(
                SentinelaSignalExchangeAPI(wrong_tier, sharing.full_key.api_key).fetch_iter(
                    [], None
                )
            )
