"""The committed CLI reference (docs/cli.md) is what ``--help`` prints today."""

from __future__ import annotations

from pathlib import Path

from sentinela.cli.docgen import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "docs/cli.md is stale: run `make docs`"


def test_every_command_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for command in ("sentinela init", "sentinela exhibit add", "sentinela audit verify"):
        assert f"## `{command}`" in text
