"""Turn typed errors into one clear line on stderr and a non-zero exit code."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from sentinela.errors import SentinelaError


class SentinelaGroup(TyperGroup):
    """The root command group: prints ``error: <message>`` for every SentinelaError."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SentinelaError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code or 1) from None
