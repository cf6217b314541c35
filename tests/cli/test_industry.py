"""The police-side industry commands: tiers, providers and keys, releases, revocation and the
feedback queue, through the real command tree."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sentinela.cli.main import app
from sentinela.services.context import open_context
from sentinela.settings import Settings
from sentinela.sharing.envelope import open_envelope
from sentinela.sharing.keys import ReleasePublicKey
from tests.cli.helpers import use_cli_settings
from tests.services.industry_helpers import KNOWN_SAMPLE, seed_known


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_cli_settings(monkeypatch, tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "data"


def _ok(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_provider_release_revoke_and_feedback_commands(data: Path, tmp_path: Path) -> None:
    _ok("init")
    _ok("user", "add", "admin", "--role", "admin")
    ctx = open_context(Settings(mode="development", data_dir=data))
    try:
        seed_known(ctx, KNOWN_SAMPLE)
    finally:
        ctx.close()
    as_admin = ("--as", "admin")
    public = _ok(*as_admin, "release", "init-key").splitlines()[-1]
    assert _ok("release", "public-key").strip() == public
    _ok(*as_admin, "tier", "add", "full", "--hash-set", "national_classification")
    added = _ok(
        *as_admin, "provider", "add", "hostco", "--tier", "full",
        "--scope", "list_download", "--scope", "feedback",
    )  # fmt: skip
    key_id = re.search(r"key id ([0-9a-f]{12})", added)
    assert key_id is not None and f"snt_{key_id.group(1)}_" in added
    listing = json.loads(_ok(*as_admin, "provider", "list", "--json"))
    assert listing[0]["keys"][0]["key_id"] == key_id.group(1)
    assert "snt_" not in _ok(*as_admin, "provider", "show", "hostco")
    rotated = _ok(*as_admin, "provider", "rotate-key", "hostco", key_id.group(1))
    new_id = re.search(r"key id ([0-9a-f]{12})", rotated)
    assert new_id is not None
    _ok(*as_admin, "provider", "revoke-key", "hostco", new_id.group(1))
    assert "version 1" in _ok(*as_admin, "release", "build", "full")
    assert "nothing to release" in _ok(*as_admin, "release", "build", "full")
    gone = KNOWN_SAMPLE[0]
    revoked = _ok(*as_admin, "release", "revoke", gone.hash_type, gone.digest, "--note", "fp")
    assert "tier full version 2" in revoked
    out = tmp_path / "full.json"
    _ok(*as_admin, "release", "export", "full", "--out", str(out))
    doc = open_envelope(json.loads(out.read_bytes()), ReleasePublicKey.from_text(public))
    assert doc.version == 2 and doc.entry_count == len(KNOWN_SAMPLE) - 1
    assert json.loads(_ok(*as_admin, "release", "list", "full", "--json"))[1]["removed"] == 1
    assert json.loads(_ok(*as_admin, "feedback", "list", "--json")) == []
    assert json.loads(_ok(*as_admin, "provider", "usage", "--json")) == []
    refused = CliRunner().invoke(app, ["--as", "admin", "release", "revoke", "md5", "xyz"])
    assert refused.exit_code != 0
