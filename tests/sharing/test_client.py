"""The provider side against a real server on loopback: sync a verified copy, drop revoked
hashes, scan a folder locally and remotely, and the `sentinela` provider commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sentinela.clock import FakeClock
from sentinela.hashing.hasher import hash_path
from sentinela.services import releases, revocations
from sentinela.services.context import ServiceContext
from sentinela.services.provider_usage import usage_report
from sentinela.sharing.errors import ApiRequestError
from sentinela.sharing.http_client import HashQuery, SentinelaApiClient
from sentinela.sharing.local_list import LocalHashList
from sentinela.sharing.scan import scan_local, scan_remote
from sentinela.sharing.sync import open_local_list, sync_list
from sentinela.web.app import create_app
from tests.services.industry_helpers import (
    KNOWN_SAMPLE,
    Known,
    LiveServer,
    Sharing,
    seed_known,
    setup_sharing,
)

SENTINELA = str(Path(sys.executable).with_name("sentinela"))


def benign_image(path: Path, seed: int) -> Path:
    """Smooth generated noise: a benign picture with a high-quality PDQ."""
    rng = np.random.default_rng(seed)
    small = (rng.random((48, 48, 3)) * 255).astype("uint8")
    Image.fromarray(small).resize((240, 240), Image.Resampling.BILINEAR).save(path)
    return path


@dataclass
class Live:
    url: str
    ctx: ServiceContext
    sharing: Sharing
    known_file: Path
    other_file: Path

    def client(self, key: str | None = None) -> SentinelaApiClient:
        return SentinelaApiClient(self.url, key or self.sharing.full_key.api_key)


@pytest.fixture
def live(sqlite_ctx: ServiceContext, clock: FakeClock, tmp_path: Path) -> Iterator[Live]:
    photos = tmp_path / "photos"
    (photos / "sub").mkdir(parents=True)
    known = benign_image(photos / "sub" / "known.png", 1)
    other = benign_image(photos / "other.png", 2)
    hashed = hash_path(known, want_thumbnail=False)
    assert hashed.pdq is not None
    seed_known(
        sqlite_ctx,
        [
            Known("sha256", hashed.sha256, "1", True),
            Known("pdq", hashed.pdq, "1", True),
            *KNOWN_SAMPLE,
        ],
    )
    sharing = setup_sharing(sqlite_ctx)
    releases.build_release(sqlite_ctx.with_actor("admin"), "full")
    app = create_app(sqlite_ctx.settings, context=sqlite_ctx)
    with LiveServer(app) as server:
        yield Live(server.url, sqlite_ctx, sharing, known, other)


def test_sync_verifies_and_drops_revoked_hashes(live: Live, tmp_path: Path) -> None:
    copy = LocalHashList(live.sharing.public_key)
    first = sync_list(live.client(), copy)
    assert (first.version, first.entry_count) == (1, len(KNOWN_SAMPLE) + 2)
    digest = KNOWN_SAMPLE[5]
    assert copy.lookup(digest.hash_type, digest.digest) is not None
    revocations.revoke_hash(live.ctx, digest.hash_type, digest.digest)
    second = sync_list(live.client(), copy)
    assert (second.version, second.removed) == (2, 1)
    assert copy.lookup(digest.hash_type, digest.digest) is None
    copy.save(tmp_path / "list.json")
    assert open_local_list(tmp_path / "list.json", live.sharing.public_key).version == 2
    with pytest.raises(ApiRequestError) as refused:
        live.client("snt_000000000000_" + "0" * 64).releases()
    assert refused.value.status == 401


def test_scan_local_and_remote_find_the_known_file(live: Live) -> None:
    folder = live.known_file.parent.parent
    copy = LocalHashList(live.sharing.public_key)
    sync_list(live.client(), copy)
    local = scan_local(folder, copy)
    remote = scan_remote(folder, live.client())
    for report in (local, remote):
        assert report.files == 2 and report.examined == 8
        assert {h.path for h in report.hits} == {str(live.known_file)}
        assert {h.hash_type for h in report.hits} == {"sha256", "pdq"}
    (row,) = usage_report(live.ctx.with_actor("admin"))
    assert (row.hashes_examined, row.hashes_matched) == (8, 2)
    answer = live.client().match([HashQuery("md5", "0" * 32)])
    assert answer["matches"] == []


def test_provider_commands_sync_and_scan(live: Live, tmp_path: Path) -> None:
    key_file = tmp_path / "api.key"
    key_file.write_text(live.sharing.full_key.api_key)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTINELA_")}
    env |= {"SENTINELA_RELEASE_PUBLIC_KEY": live.sharing.public_key.to_text(), "COLUMNS": "200"}
    list_file = tmp_path / "list.json"
    common = ["--server", live.url, "--key-file", str(key_file)]

    def run(*args: str) -> str:
        done = subprocess.run(
            [SENTINELA, *args], env=env, capture_output=True, text=True, check=False, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "version 1" in run("hashlist", "sync", "--list", str(list_file), *common)
    scanned = json.loads(
        run("scan", str(live.known_file.parent.parent), "--list", str(list_file), *common, "--json")
    )
    assert {h["path"] for h in scanned["hits"]} == {str(live.known_file)}
    (row,) = usage_report(live.ctx.with_actor("admin"))
    assert (row.local_examined, row.local_matched) == (8, 2)
    bad = subprocess.run(
        [
            SENTINELA,
            "scan",
            str(tmp_path),
            "--list",
            str(list_file),
            "--public-key",
            "ed25519:AAAA",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode != 0 and bad.stderr.startswith("error:")
