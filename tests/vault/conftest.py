"""Fixtures for the vault tests: a fresh master key and a vault with small chunks."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.vault.keys import MasterKey
from sentinela.vault.store import Vault

from .helpers import SMALL_CHUNK


@pytest.fixture
def master() -> MasterKey:
    return MasterKey.generate()


@pytest.fixture
def vault(tmp_path: Path, master: MasterKey) -> Vault:
    return Vault(tmp_path / "vault", master, chunk_size=SMALL_CHUNK)
