"""`sentinela demo`: builds the demo case from benign data and ingests it with a summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sentinela.cli.main import app
from tests.cli.helpers import use_cli_settings

EVIDENCE = Path(__file__).resolve().parents[1] / "data" / "evidence"


def _summaries(output: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for block in re.split(r"\ningest job \d+ of ", output)[1:]:
        head, *lines = block.splitlines()
        fields = {}
        for line in lines:
            if not line.startswith("  "):
                break
            key, _, value = line.strip().partition("  ")
            fields[key.strip()] = value.strip()
        found[head.split(":")[0]] = fields
    return found


def test_demo_ingests_generated_photos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_cli_settings(monkeypatch, tmp_path)
    args = ["demo", "--testdata", str(EVIDENCE), "--images", "36", "--no-progress"]

    result = CliRunner().invoke(app, args)

    assert result.exit_code == 0, result.output
    summaries = _summaries(result.output)
    assert set(summaries) == {"DEMO-0001/EXH-001", "DEMO-0001/EXH-002", "DEMO-0001/EXH-003"}
    photos = summaries["DEMO-0001/EXH-003"]
    files = int(photos["files"])
    distinct = int(photos["distinct media"])
    assert files >= 36 + 6 + 20 + 10  # photos, near-duplicates, exact copies, zipped album
    assert distinct < files  # the exact copies are one media item each
    assert int(photos["new to national store"]) == distinct
    assert photos["errors"] == "1"  # the zero-byte file
    assert photos["time"].endswith("/s)")
    assert summaries["DEMO-0001/EXH-002"]["new to national store"] == "0"  # same card as 001
    assert (tmp_path / "data" / "demo-exhibits" / "laptop-home" / "DCIM").is_dir()

    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert _summaries(again.output)["DEMO-0001/EXH-003"]["new to national store"] == "0"
