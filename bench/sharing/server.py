"""The app factory uvicorn's workers import: ``uvicorn --factory bench.sharing.server:make_app``.

Settings come from the environment (``SENTINELA_DATA_DIR``, ``SENTINELA_MODE``), as for
``sentinela serve``.
"""

from __future__ import annotations

from fastapi import FastAPI

from sentinela.settings import get_settings
from sentinela.web.app import create_app
from sentinela.web.provider_auth import warm_match_indexes


def make_app() -> FastAPI:
    """A workspace app for this worker process, its match indexes built before it serves."""
    app = create_app(get_settings())
    warm_match_indexes(app)
    return app
