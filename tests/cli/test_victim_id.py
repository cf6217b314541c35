"""`sentinela victim-id`: index the regions, ask who holds a camera, record an identification."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sentinela.cli.main import app
from sentinela.services import victims
from sentinela.services.context import ServiceContext
from tests.services.victim_id_helpers import Camera, add_image, make_world, open_case, planted


@pytest.fixture
def env(sqlite_ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> ServiceContext:
    settings = sqlite_ctx.settings
    monkeypatch.setenv("SENTINELA_MODE", "development")
    monkeypatch.setenv("SENTINELA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SENTINELA_DATABASE_URL", settings.database_url)
    world = make_world(sqlite_ctx)
    open_case(world, "vera", "A-1", "Unit A")
    add_image(world, "A-1", "a", planted(1)[0], camera=Camera("Canon", "EOS", "SN-9"))
    return sqlite_ctx


def test_cli_victim_id_commands(env: ServiceContext, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["--as", "admin", "victim-id", "index-regions", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["added_images"] == 1
    held = runner.invoke(
        app, ["--as", "vera", "victim-id", "who-holds", "camera", "SN-9", "--json"]
    )
    assert held.exit_code == 0, held.output
    assert [h["case_number"] for h in json.loads(held.output)["holders"]] == ["A-1"]
    vid = victims.create_victim(env.with_actor("vera"), "A-1")
    args = ["--as", "vera", "victim-id", "identify", str(vid), "--on", "2026-02-01"]
    done = runner.invoke(app, [*args, "--lead", "camera_link", "--case", "A-1"])
    assert done.exit_code == 0 and "by Unit A (camera_link)" in done.output
    again = runner.invoke(app, [*args, "--lead", "camera_link", "--case", "A-1"])
    assert again.exit_code != 0 and "already identified" in again.output
