"""The takedown runtime and the public rate limiters, held by the app between requests.

Built on first use from ``<data_dir>/takedown.toml`` (see ``docs/reporting.md``); tests install
their own with :func:`install_site` right after ``create_app``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from sentinela.reporting.ratelimit import RateLimiter
from sentinela.services.takedown_runtime import TakedownRuntime
from sentinela.web.state import Workspace

_LOCK = threading.Lock()


@dataclass(frozen=True)
class ReportingSite:
    """What the public and takedown routes share."""

    runtime: TakedownRuntime
    submissions: RateLimiter
    status_checks: RateLimiter
    partner_calls: RateLimiter

    @classmethod
    def for_runtime(cls, runtime: TakedownRuntime) -> ReportingSite:
        """Limiters sized by the runtime's policy."""
        limits = runtime.config.public
        partner = runtime.config.partner
        return cls(
            runtime,
            RateLimiter(limits.submissions, limits.window_s),
            RateLimiter(limits.status_checks, limits.window_s),
            RateLimiter(partner.requests, partner.window_s),
        )


def install_site(app: FastAPI, runtime: TakedownRuntime) -> ReportingSite:
    """Give ``app`` this runtime (and fresh limiters)."""
    site = ReportingSite.for_runtime(runtime)
    app.state.reporting_site = site
    return site


def get_site(request: Request) -> ReportingSite:
    """The app's reporting site, built on first use.

    Raises:
        ConfigurationError: ``takedown.toml`` is malformed or unsafe.
    """
    site: ReportingSite | None = getattr(request.app.state, "reporting_site", None)
    if site is None:
        with _LOCK:
            site = getattr(request.app.state, "reporting_site", None)
            if site is None:
                workspace: Workspace = request.app.state.workspace
                site = install_site(request.app, TakedownRuntime.load(workspace.settings))
    return site


Site = Annotated[ReportingSite, Depends(get_site)]


def client_key(request: Request) -> str:
    """What the rate limiters count by: the client's address (held in memory only)."""
    return request.client.host if request.client else "unknown"
