"""`sentinela hashset`, `match`, `report` and `index` through the CLI (in process)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sentinela.cli.main import app
from sentinela.services.context import ServiceContext, open_context
from sentinela.services.match_resources import forget_loaded
from sentinela.settings import Settings
from tests.cli.helpers import use_cli_settings
from tests.services.known_helpers import drawing, encode, hold, vics_record, write_vics

FORMATS = Path(__file__).resolve().parents[1] / "data" / "formats"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    use_cli_settings(monkeypatch, tmp_path)
    runner = CliRunner()
    for args in (
        ["init"],
        ["user", "add", "admin", "--role", "admin"],
        ["--as", "admin", "user", "add", "ex", "--role", "examiner"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    yield tmp_path / "data"
    forget_loaded()


def _ctx(data: Path) -> ServiceContext:
    return open_context(Settings(mode="development", data_dir=data), actor_name="ex")


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_import_match_report_index_remove(data: Path, tmp_path: Path) -> None:
    files = {"/DCIM/a.jpg": encode(drawing(1)), "/DCIM/b.jpg": encode(drawing(2))}
    ctx = _ctx(data)
    try:
        hold(ctx, "C1", files)
    finally:
        ctx.close()
    md5 = hashlib.md5(files["/DCIM/a.jpg"]).hexdigest()  # noqa: S324
    path = write_vics(tmp_path / "set.json", [vics_record(md5, 1, Series="S-1")])
    out = _run("--as", "ex", "hashset", "import", str(path), "--name", "national")
    assert "hash set national version 1 (vics, snapshot)" in out and "1 changed" in out
    listed = json.loads(_run("--as", "ex", "hashset", "list", "--json"))
    assert [s["name"] for s in listed] == ["national"]
    assert "by category: project_vic_us:1 1" in _run("--as", "ex", "hashset", "show", "national")
    matched = _run("--as", "ex", "match", "C1")
    assert "matched 2 items of C1: known_benign 0, known_categorised 1, new 1" in matched
    changes = _run("--as", "admin", "match", "--all")
    assert "case C1" in changes and "new -> known_categorised" in changes
    report = _run("--as", "ex", "report", "C1", "--out", str(tmp_path / "rep"))
    assert "known_categorised 1" in report
    assert (tmp_path / "rep" / "C1-examination-report.html").exists()
    assert (tmp_path / "rep" / "C1-items.csv").exists()
    status = json.loads(_run("--as", "ex", "index", "rebuild", "--json"))
    assert status["entries"] == 0 and status["index_type"] == "pdq_mih"
    assert "known-hash PDQ index loaded" in _run("--as", "ex", "index", "status")
    removed = _run("--as", "ex", "hashset", "remove", "national", "--reason", "test")
    assert "hash set national removed (1 entries)" in removed


def test_bad_input_is_one_line_naming_file_and_position(data: Path, tmp_path: Path) -> None:
    path = shutil.copy(FORMATS / "vics2.0_truncated.json", tmp_path / "truncated.json")
    result = CliRunner().invoke(
        app, ["--as", "ex", "hashset", "import", str(path), "--name", "bad"]
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}, after record")
    listed = json.loads(_run("--as", "ex", "hashset", "list", "--json"))
    assert listed == []


def test_match_needs_a_case_or_all(data: Path) -> None:
    result = CliRunner().invoke(app, ["--as", "ex", "match"])
    assert result.exit_code == 1 and "give a case number, or --all" in result.output
