"""Progress reporting from the driver to whoever shows it (CLI bar, job row, tests)."""

from __future__ import annotations

from typing import Protocol


class ProgressSink(Protocol):
    """Receives progress as the driver makes it."""

    def grow(self, files: int, size: int) -> None:
        """More work was discovered (files and bytes)."""

    def advance(self, files: int, size: int) -> None:
        """Work was finished."""


class NullProgress:
    """Discards progress."""

    def grow(self, files: int, size: int) -> None:
        """Ignore."""

    def advance(self, files: int, size: int) -> None:
        """Ignore."""
