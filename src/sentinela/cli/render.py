"""Rendering helpers shared by the CLI commands: tables and JSON."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table


def console() -> Console:
    """A console for this output. Made per call, so it sees the terminal width (COLUMNS)
    of the moment rather than the one at import time."""
    return Console(highlight=False, soft_wrap=True)


def to_jsonable(value: Any) -> Any:
    """Dataclasses, datetimes, tuples and paths as JSON-able values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def print_json(value: Any) -> None:
    """Print ``value`` as indented JSON on stdout."""
    console().print_json(json.dumps(to_jsonable(value), ensure_ascii=False), highlight=False)


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a simple table."""
    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console().print(table)


def fmt_time(value: datetime | None) -> str:
    """Short UTC time for tables."""
    return value.strftime("%Y-%m-%d %H:%M:%SZ") if value else ""
