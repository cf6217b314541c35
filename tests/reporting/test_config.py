"""The takedown policy file and its safety check."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.errors import ConfigurationError
from sentinela.reporting.config import load_takedown_config
from sentinela.settings import Settings


def _settings(tmp_path: Path, mode: str) -> Settings:
    return Settings(mode=mode, data_dir=tmp_path / "data")  # type: ignore[arg-type]


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_takedown_config(_settings(tmp_path, "production"))
    assert config.decide_within_hours["high"] == 24 and config.fetch.allow_networks == ()
    assert config.outbox(_settings(tmp_path, "production")).name == "outbox"


def test_the_allow_list_is_refused_in_production(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "production")
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / "takedown.toml").write_text(
        '[fetch]\nallow_networks = ["127.0.0.1/32"]\n', encoding="utf-8"
    )
    with pytest.raises(ConfigurationError, match="tests and development only"):
        load_takedown_config(settings)
    dev = load_takedown_config(_settings(tmp_path, "development"))
    assert dev.fetch.allow_networks == ("127.0.0.1/32",)


@pytest.mark.parametrize(
    "text",
    [
        "[fetch]\nmax_bytes = 1\n",
        '[fetch]\nallow_networks = ["not a net"]\n',
        "unknown = 1\n",
        "[[broken",
        'default_action = "ignore"\n',
    ],
)
def test_bad_files_are_configuration_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError):
        load_takedown_config(_settings(tmp_path, "development"), path)


def test_an_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_takedown_config(_settings(tmp_path, "development"), tmp_path / "none.toml")
