"""Validated settings, built by :func:`get_settings`.

Values come from ``SENTINELA_*`` environment variables, then from an optional TOML config
file (``SENTINELA_CONFIG``), then from defaults. Nothing is read at import time.

Outside development mode (``SENTINELA_MODE=production``, the default) unsafe settings are
refused: a master key file that group or others can read, a data folder that others can
write, or a database URL that embeds a password in clear on a non-loopback host.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sentinela.errors import ConfigurationError

Mode = Literal["production", "development"]


class Settings(BaseSettings):
    """Everything that changes between installations.

    Attributes:
        mode: ``production`` enforces the safety checks; ``development`` relaxes them.
        data_dir: the data folder (vault, indexes, SQLite database, reports).
        database_url: SQLAlchemy URL; SQLite in the data folder by default, or
            ``postgresql+psycopg://...``.
        master_key_file: the vault master key (mode 0600), ``<data_dir>/master.key`` by default.
        actor: the user name the CLI acts as when ``--as`` is not given.
        workers: ingest worker processes; 0 means one per core.
    """

    model_config = SettingsConfigDict(env_prefix="SENTINELA_", frozen=True, extra="forbid")

    mode: Mode = "production"
    data_dir: Path = Path("./sentinela-data")
    database_url: str = ""
    master_key_file: Path | None = None
    actor: str | None = None
    workers: int = 0
    archive_max_depth: int = 8

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        data_dir = self.data_dir.expanduser().absolute()
        object.__setattr__(self, "data_dir", data_dir)
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{data_dir / 'sentinela.db'}")
        elif self.database_url.startswith(("postgresql://", "postgres://")):
            # One driver everywhere: psycopg 3.
            rest = self.database_url.split("://", 1)[1]
            object.__setattr__(self, "database_url", f"postgresql+psycopg://{rest}")
        if self.master_key_file is None:
            object.__setattr__(self, "master_key_file", data_dir / "master.key")
        if self.workers < 0:
            raise ValueError("workers must be 0 (one per core) or more")
        return self

    @property
    def key_file(self) -> Path:
        """The master key path (always set after validation)."""
        if self.master_key_file is None:  # pragma: no cover - filled by the validator
            raise ConfigurationError("master key file is not configured")
        return self.master_key_file

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite default."""
        return self.database_url.startswith("sqlite")

    def check_safety(self) -> None:
        """Refuse unsafe settings outside development mode.

        Raises:
            ConfigurationError: naming the unsafe setting.
        """
        if self.mode == "development":
            return
        key = self.key_file
        if key.exists():
            st = key.stat()
            if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise ConfigurationError(
                    f"master key file {key} is readable by others (mode "
                    f"{stat.S_IMODE(st.st_mode):04o}); run: chmod 600 {key}"
                )
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                raise ConfigurationError(f"master key file {key} is not owned by this user")
        if self.data_dir.exists() and self.data_dir.stat().st_mode & stat.S_IWOTH:
            raise ConfigurationError(f"data folder {self.data_dir} is writable by others")


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigurationError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"config file {path} is not valid TOML: {exc}") from None
    section = raw.get("sentinela", raw)
    if not isinstance(section, dict):
        raise ConfigurationError(f"config file {path}: [sentinela] must be a table")
    return section


def get_settings(**overrides: Any) -> Settings:
    """Build and validate the settings.

    Environment variables win over the config file; keyword overrides win over both.

    Raises:
        ConfigurationError: a value is malformed or unsafe.
    """
    file_values: dict[str, Any] = {}
    config = os.environ.get("SENTINELA_CONFIG")
    if config:
        file_values = _read_config_file(Path(config))
        env_keys = {
            k[len("SENTINELA_") :].lower() for k in os.environ if k.startswith("SENTINELA_")
        }
        file_values = {k: v for k, v in file_values.items() if k not in env_keys}
    try:
        settings = Settings(**{**file_values, **overrides})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigurationError(f"invalid setting {loc}: {first['msg']}") from None
    settings.check_safety()
    return settings
