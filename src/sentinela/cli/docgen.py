"""Generate the CLI reference (docs/cli.md) from ``--help``.

``make docs`` writes it; ``tests/cli/test_docs.py`` fails when the committed file is stale.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import typer
from typer.testing import CliRunner

from sentinela.cli.main import app

WIDTH = 100


def _walk(command: Any, path: list[str]) -> Iterator[list[str]]:
    yield path
    subcommands = getattr(command, "commands", None) or {}
    for name in sorted(subcommands):
        yield from _walk(subcommands[name], [*path, name])


def render() -> str:
    """The whole reference as Markdown."""
    root = typer.main.get_command(app)
    runner = CliRunner()
    env = {
        "COLUMNS": str(WIDTH),
        "TERM": "dumb",
        "NO_COLOR": "1",
        "_TYPER_FORCE_DISABLE_TERMINAL": "1",
    }
    parts = [
        "# CLI reference\n",
        "Generated from `--help` by `make docs` (`python -m sentinela.cli.docgen`).",
        "Do not edit by hand: a test fails when this file and the code disagree.\n",
    ]
    for path in _walk(root, []):
        result = runner.invoke(
            app, [*path, "--help"], env=env, terminal_width=WIDTH, prog_name="sentinela"
        )
        title = " ".join(["sentinela", *path])
        text = "\n".join(line.rstrip() for line in result.output.splitlines()).strip("\n")
        parts.append(f"## `{title}`\n\n```text\n{text}\n```\n")
    return "\n".join(parts)


def main() -> None:
    """Print the reference on stdout."""
    os.environ.setdefault("COLUMNS", str(WIDTH))
    print(render(), end="")


if __name__ == "__main__":
    main()
