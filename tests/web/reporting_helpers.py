"""Web fixtures for the reporting tests: the app with a takedown runtime installed."""

from __future__ import annotations

from pathlib import Path

from sentinela.services.takedown_runtime import TakedownRuntime
from sentinela.web.routes.reporting_site import install_site
from tests.reporting.helpers import runtime
from tests.services.reporting_helpers import add_takedown_users
from tests.web.conftest import Web


def with_reporting(web: Web, tmp_path: Path) -> TakedownRuntime:
    """Install a loopback-allowing runtime (outbox under ``tmp_path``) and the takedown users."""
    add_takedown_users(web.ctx)
    rt = runtime(web.ctx.settings, outbox=tmp_path / "outbox")
    install_site(web.app, rt)
    return rt
