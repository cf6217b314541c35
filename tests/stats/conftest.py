"""Statistics fixtures: the hand-checked fixture on each backend."""

from __future__ import annotations

import pytest

from sentinela.services.context import ServiceContext
from tests.stats.helpers import Fixture, build


@pytest.fixture
def fx(ctx: ServiceContext) -> Fixture:
    """The fixture of ``tests/stats/helpers.py``, written into ``ctx``'s database."""
    return build(ctx)


@pytest.fixture
def sqlite_fx(sqlite_ctx: ServiceContext) -> Fixture:
    """The same fixture on SQLite only (for tests that are not about storage)."""
    return build(sqlite_ctx)
