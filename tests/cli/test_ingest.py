"""`sentinela ingest` and `sentinela job status`, in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sentinela.cli.main import app
from tests.cli.helpers import use_cli_settings
from tests.ingest.helpers import image_folder, write_tree


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    use_cli_settings(monkeypatch, tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    exhibit = tmp_path / "exhibit"
    image_folder(exhibit, 5)
    write_tree(exhibit, {"copy.jpg": (exhibit / "DCIM" / "IMG_0001.jpg").read_bytes()})
    write_tree(exhibit, {"empty.txt": b""})
    for args in (
        ["init"],
        ["user", "add", "admin", "--role", "admin"],
        ["--as", "admin", "user", "add", "ex", "--role", "examiner"],
        ["--as", "ex", "case", "create", "C1", "--title", "T", "--unit", "U"],
        ["--as", "ex", "exhibit", "add", "C1", str(exhibit), "--label", "EXH-001"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return runner


def _summary(output: str) -> dict[str, str]:
    lines = [line.strip() for line in output.splitlines() if line.startswith("  ")]
    return {k.strip(): v.strip() for k, _, v in (line.partition("  ") for line in lines)}


def test_ingest_prints_the_summary_and_job_status_shows_it(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--as", "ex", "ingest", "C1", "EXH-001", "--executor", "inline"])
    assert result.exit_code == 0, result.output
    assert "ingest job 1 of C1/EXH-001: completed" in result.output
    assert "files 7/7" in result.output  # the progress bar
    summary = _summary(result.output)
    assert summary["files"] == "7"
    assert summary["distinct media"] == "6"
    assert summary["new to national store"] == "6"
    assert summary["errors"] == "1"
    assert summary["bytes"].endswith("KiB)")
    assert summary["time"].endswith("/s)")

    table = runner.invoke(app, ["--as", "ex", "job", "status", "C1"])
    assert table.exit_code == 0 and "EXH-001" in table.output and "completed" in table.output
    as_json = runner.invoke(app, ["--as", "ex", "job", "status", "C1", "--json"])
    [job] = json.loads(as_json.output)
    assert (job["id"], job["status"], job["files_done"], job["media_new"]) == (1, "completed", 7, 6)
    assert (job["errors"], job["attempts"], job["executor"]) == (1, 1, "inline")

    again = runner.invoke(app, ["--as", "ex", "ingest", "C1", "EXH-001", "--no-progress"])
    assert again.exit_code == 0, again.output
    assert _summary(again.output)["files"] == "0 (7 already done)"
    assert _summary(again.output)["new to national store"] == "0"


def test_ingest_refusals_are_one_line(runner: CliRunner) -> None:
    for args, expected in (
        (["--as", "ex", "ingest", "C1", "EXH-009"], "no exhibit"),
        (["--as", "ex", "ingest", "C1", "EXH-001", "--executor", "pigeon"], "pigeon"),
        (["--as", "admin", "job", "status", "C1"], "error:"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert result.output.startswith("error:") and expected in result.output
