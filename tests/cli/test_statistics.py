"""`sentinela stats show | export | annual-report | definitions` through the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sentinela.cli.main import app
from sentinela.services.context import open_context
from sentinela.services.setup import initialise
from sentinela.services.users import add_user
from sentinela.settings import Settings
from tests.cli.helpers import use_cli_settings
from tests.stats.helpers import build

# Before the real clock (an as-of instant in the future is refused): v5, dated 2026-12-31,
# is not counted yet.
AS_OF = ["--as-of", "2026-11-01T00:00:00Z"]


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder holding the hand-checked statistics fixture."""
    folder = use_cli_settings(monkeypatch, tmp_path)
    ctx = open_context(Settings(mode="development", data_dir=folder))
    try:
        initialise(ctx)
        add_user(ctx, "admin", roles=["admin"])
        admin = ctx.with_actor("admin")
        add_user(admin, "alice", roles=["examiner"], unit="Unit A")
        add_user(admin, "bob", roles=["examiner"], unit="Unit B")
        build(ctx)
    finally:
        ctx.close()
    return folder


def test_show(data: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["--as", "admin", "stats", "show", "--period", "2026", "-m", "victims_identified", *AS_OF],
    )
    assert result.exit_code == 0, result.output
    assert "Victims identified: 2" in result.output
    assert "catalogue 2026.1" in result.output
    as_json = CliRunner().invoke(
        app, ["--as", "admin", "stats", "show", "--period", "2026", "--json", *AS_OF]
    )
    doc = json.loads(as_json.output)
    assert len(doc["results"]) == 8


def test_export_table_csv(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "ingest.csv"
    args = ["stats", "export", "-o", str(out), "--period", "2026", "-m", "media_ingested"]
    result = CliRunner().invoke(app, ["--as", "admin", *args, "--table", "by_unit", *AS_OF])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open()))
    assert rows[1][:4] == ["Unit A", "6", "5", "4"]
    again = CliRunner().invoke(app, ["--as", "admin", *args, *AS_OF])
    assert again.exit_code != 0 and "exists" in again.output


def test_annual_report_is_reproducible(data: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        args = ["stats", "annual-report", "2026", "-o", str(out), *AS_OF]
        result = runner.invoke(app, ["--as", "admin", *args, "--format", "pdf", "--format", "html"])
        assert result.exit_code == 0, result.output
    for name in ("sentinela-annual-statistics-2026.pdf", "sentinela-annual-statistics-2026.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert "catalogue version <strong>2026.1</strong>" in (first / name).read_text()


def test_refused_for_an_examiner(data: Path) -> None:
    result = CliRunner().invoke(app, ["--as", "alice", "stats", "definitions"])
    assert result.exit_code != 0
    ok = CliRunner().invoke(app, ["--as", "admin", "stats", "definitions"])
    assert ok.exit_code == 0 and "victims_identified v1" in ok.output
