"""The app factory uvicorn's workers import: ``uvicorn --factory bench.sharing.server:make_app``.

Settings come from the environment (``SENTINELA_DATA_DIR``, ``SENTINELA_MODE``), as for
``sentinela serve``.
"""

from __future__ import annotations

from fastapi import FastAPI

from sentinela.settings import get_settings
from sentinela.web.app import create_app


def make_app() -> FastAPI:
    """A workspace app for this worker process."""
    return create_app(get_settings())
