"""Settings: defaults, environment, config file and the safety checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.errors import ConfigurationError
from sentinela.settings import get_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    s = get_settings()
    assert s.data_dir == tmp_path / "sentinela-data"
    assert s.database_url == f"sqlite:///{tmp_path / 'sentinela-data' / 'sentinela.db'}"
    assert s.key_file == tmp_path / "sentinela-data" / "master.key"


def test_env_and_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cfg = tmp_path / "sentinela.toml"
    cfg.write_text(f'[sentinela]\ndata_dir = "{tmp_path / "d"}"\nactor = "alice"\n')
    monkeypatch.setenv("SENTINELA_CONFIG", str(cfg))
    monkeypatch.setenv("SENTINELA_ACTOR", "bob")
    monkeypatch.setenv("SENTINELA_DATABASE_URL", "postgresql://u@127.0.0.1/db")
    s = get_settings()
    assert s.data_dir == tmp_path / "d"
    assert s.actor == "bob"  # environment wins over the file
    assert s.database_url == "postgresql+psycopg://u@127.0.0.1/db"


def test_refuses_readable_key_outside_development(tmp_path: Path) -> None:
    key = tmp_path / "master.key"
    key.write_bytes(b"x" * 32)
    key.chmod(0o644)
    with pytest.raises(ConfigurationError, match="readable by others"):
        get_settings(master_key_file=key, data_dir=tmp_path)
    assert get_settings(master_key_file=key, data_dir=tmp_path, mode="development")
    key.chmod(0o600)
    assert get_settings(master_key_file=key, data_dir=tmp_path)


def test_malformed_values(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="mode"):
        get_settings(mode="yolo")
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SENTINELA_CONFIG", str(bad))
        with pytest.raises(ConfigurationError, match="not valid TOML"):
            get_settings()
