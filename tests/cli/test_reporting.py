"""`sentinela takedown ...` end to end: a policy file, a partner, a report, a decision, the
worker passes, an ISP request."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sentinela.cli.main import app
from sentinela.reporting.config import load_takedown_config
from sentinela.services.context import open_context
from sentinela.services.reporting_intake import ReportForm, submit_partner_report
from sentinela.settings import Settings
from tests.cli.helpers import use_cli_settings
from tests.reporting.helpers import HostServer, body, host_server, hosting_toml, png


@pytest.fixture
def host() -> Iterator[HostServer]:
    with host_server() as server:
        yield server


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_cli_settings(monkeypatch, tmp_path)
    runner = CliRunner()
    for args in (
        ["init"],
        ["user", "add", "admin", "--role", "admin"],
        ["--as", "admin", "user", "add", "ivan", "--role", "investigator"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    table = hosting_toml(tmp_path / "hosting.toml")
    (tmp_path / "data" / "takedown.toml").write_text(
        f'hosting_table = "{table}"\n[fetch]\nallow_networks = ["127.0.0.1/32"]\n'
        f'[notices]\noutbox_dir = "{tmp_path / "outbox"}"\n',
        encoding="utf-8",
    )
    return tmp_path


def test_takedown_commands(data: Path, host: HostServer) -> None:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    added = run("--as", "admin", "takedown", "partner", "add", "Hotline PT", "--country", "PT")
    match = re.search(r"(sntp_\S+)", added)
    assert match
    assert "Hotline PT" in run("--as", "admin", "takedown", "partner", "list", "--json")
    host.routes["/x.png"] = body(png(9), "image/png")
    ctx = open_context(Settings(mode="development", data_dir=data / "data"))
    try:
        config = load_takedown_config(ctx.settings)
        rid = (
            submit_partner_report(
                ctx, match.group(1), ReportForm(urls=[host.url("/x.png")]), config
            )
            .urls[0]
            .report_id
        )
    finally:
        ctx.close()
    assert "captures preserved 1" in run("takedown", "tick")
    queue = json.loads(run("--as", "ivan", "takedown", "queue", "--json"))
    assert queue["groups"][0]["reports"][0]["id"] == rid
    assert "take_down -> notice_pending" in run(
        "--as", "ivan", "takedown", "decide", str(rid), "take_down"
    )
    assert "notices sent 1" in run("takedown", "worker", "--passes", "1", "--interval", "1")
    assert list((data / "outbox").glob("*.eml"))
    shown = json.loads(run("--as", "ivan", "takedown", "show", str(rid)))
    assert shown["report"]["status"] == "notified"
    out = run(
        "--as", "ivan", "takedown", "isp-request", "add", "ISP One",
        "--subject", "127.0.0.1:443 on 2026-01-01", "--legal-basis", "Lei 32/2008",
        "--answer-by", "2099-01-10", "--data-expires", "2099-06-01", "--report", str(rid),
    )  # fmt: skip
    assert "request 1 to ISP One" in out
    assert "ISP One" in run("--as", "ivan", "takedown", "isp-request", "list")
    assert "127.0.0.1" in run("--as", "ivan", "takedown", "scorecards")
    refused = runner.invoke(app, ["--as", "ivan", "takedown", "decide", str(rid), "not_illegal"])
    assert refused.exit_code != 0 and "cannot be decided" in refused.output
