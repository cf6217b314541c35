"""Shared set-up for tests that run the CLI in-process."""

from __future__ import annotations

from pathlib import Path

import pytest


def use_cli_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the CLI at a development-mode data folder in ``tmp_path``; return that folder.

    Every other SENTINELA_* variable is already cleared for each test by tests/conftest.py.
    """
    data = tmp_path / "data"
    monkeypatch.setenv("SENTINELA_MODE", "development")
    monkeypatch.setenv("SENTINELA_DATA_DIR", str(data))
    return data
