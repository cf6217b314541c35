"""The app factory: ``create_app(settings)`` builds the workspace; nothing runs at import."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from sentinela import __version__
from sentinela.errors import DatabaseUnavailableError
from sentinela.services.context import ServiceContext
from sentinela.services.match_resources import load_known_index
from sentinela.settings import Settings
from sentinela.web.config import WorkspaceConfig
from sentinela.web.errors import install_error_handlers
from sentinela.web.rendering import build_templates
from sentinela.web.routes import (
    adjudication,
    api_v1,
    auth,
    cases,
    deconfliction,
    exposure,
    industry,
    media,
    public,
    reporting,
    reporting_partner,
    review,
    statistics,
    victim_id,
    visual_links,
)
from sentinela.web.security import SecurityHeaders
from sentinela.web.state import Workspace

_log = logging.getLogger(__name__)
API_TITLE = "Sentinela analyst workspace"
#: Every area's router, in the order they are included (the route tests walk these).
ROUTERS = (
    auth.router,
    cases.router,
    review.router,
    media.router,
    adjudication.router,
    exposure.router,
    victim_id.router,
    deconfliction.router,
    visual_links.router,
    api_v1.router,
    industry.router,
    statistics.router,
    public.router,
    reporting.router,
    reporting_partner.router,
)


def operation_id(route: APIRoute) -> str:
    """Stable OpenAPI operation ids: the route's name, set explicitly on every route."""
    return route.name


def _load_index(workspace: Workspace) -> None:
    """Load the known PDQ index at start-up, so national re-triage uses it (and the vault)."""
    try:
        load_known_index(workspace.context())
    except DatabaseUnavailableError as exc:  # the app still serves its error pages
        _log.warning("known index not loaded: %s", exc)


def create_app(
    settings: Settings,
    config: WorkspaceConfig | None = None,
    *,
    context: ServiceContext | None = None,
) -> FastAPI:
    """Build the workspace app.

    Args:
        settings: the installation's settings.
        config: workspace limits and rules (defaults: see :class:`WorkspaceConfig`).
        context: an existing service context to use (tests pass one with a fake clock);
            by default the app connects to ``settings.database_url`` on first use.

    Returns:
        The FastAPI app. Run it with ``sentinela serve``.
    """
    workspace = Workspace(settings, config or WorkspaceConfig(), context)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        _load_index(workspace)
        yield
        workspace.close()

    app = FastAPI(
        title=API_TITLE,
        version=__version__,
        description="JSON twins of the workspace pages. Sign in at /sign-in; send the "
        "session's CSRF token (GET /account.json) as X-CSRF-Token on every POST.",
        openapi_url=None,  # served to signed-in users only, by routes/auth.py
        docs_url=None,  # Swagger UI would load third-party front-end code
        redoc_url=None,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
    )
    app.state.workspace = workspace
    app.state.templates = build_templates()
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    static = resources.files("sentinela.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")  # public
    app.add_middleware(SecurityHeaders)
    return app
