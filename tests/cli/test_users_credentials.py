"""`sentinela user add --password`, `user set-password` and `user reset-totp`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sentinela.cli.main import app
from sentinela.db.users import User
from sentinela.services.context import open_context
from sentinela.settings import Settings
from tests.cli.helpers import use_cli_settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_cli_settings(monkeypatch, tmp_path)
    return tmp_path / "data"


def _user(data: Path, username: str) -> User:
    ctx = open_context(Settings(mode="development", data_dir=data))
    try:
        with ctx.transaction() as session:
            return session.execute(select(User).where(User.username == username)).scalar_one()
    finally:
        ctx.close()


def test_bootstrap_admin_with_password_and_totp(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    pw = "a long admin passphrase"
    result = runner.invoke(
        app, ["user", "add", "root", "--role", "admin", "--password"], input=f"{pw}\n{pw}\n"
    )
    assert result.exit_code == 0, result.output
    assert "otpauth://totp/" in result.output
    root = _user(env, "root")
    assert root.password_hash and root.password_hash.startswith("$argon2id$")
    assert root.totp_secret and root.totp_secret in result.output

    added = runner.invoke(app, ["--as", "root", "user", "add", "eve", "--role", "examiner"])
    assert added.exit_code == 0
    weak = runner.invoke(
        app, ["--as", "root", "user", "set-password", "eve"], input="short\nshort\n"
    )
    assert weak.exit_code == 1 and "at least 12" in weak.output
    reset = runner.invoke(app, ["--as", "root", "user", "reset-totp", "eve"])
    assert reset.exit_code == 0 and "otpauth://totp/Sentinela:eve" in reset.output
    refused = runner.invoke(app, ["--as", "eve", "user", "reset-totp", "root"])
    assert refused.exit_code == 1 and "error:" in refused.output
