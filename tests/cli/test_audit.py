"""`sentinela audit verify | export | check-export` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from sentinela.cli.main import app
from sentinela.services.context import open_context
from sentinela.settings import Settings
from tests.cli.helpers import use_cli_settings


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_cli_settings(monkeypatch, tmp_path)
    runner = CliRunner()
    for args in (
        ["init"],
        ["user", "add", "admin", "--role", "admin"],
        ["--as", "admin", "user", "add", "ex", "--role", "examiner"],
        ["--as", "ex", "case", "create", "C1", "--title", "T", "--unit", "U"],
        ["--as", "ex", "case", "create", "C2", "--title", "T2", "--unit", "U"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return tmp_path / "data"


def test_verify_intact_then_broken(data: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["--as", "admin", "audit", "verify"])
    assert ok.exit_code == 0 and "audit chain intact" in ok.output
    ctx = open_context(Settings(mode="development", data_dir=data))
    try:
        with ctx.engine.begin() as conn:
            conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 2"))
    finally:
        ctx.close()
    broken = runner.invoke(app, ["--as", "admin", "audit", "verify"])
    assert broken.exit_code == 4
    assert "BROKEN at event 2" in broken.output


def test_export_one_case_and_check_offline(data: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "c1-audit.json"
    done = runner.invoke(app, ["--as", "ex", "audit", "export", "--case", "C1", "-o", str(out)])
    assert done.exit_code == 0, done.output
    doc = json.loads(out.read_text())
    assert doc["events"] and all(e.get("case_number") in (None, "C1") for e in doc["events"])
    checked = runner.invoke(app, ["audit", "check-export", str(out)])
    assert checked.exit_code == 0 and "export intact" in checked.output
    doc["events"][0]["actor"] = "mallory"
    out.write_text(json.dumps(doc))
    tampered = runner.invoke(app, ["audit", "check-export", str(out)])
    assert tampered.exit_code != 0 and "error:" in tampered.output
