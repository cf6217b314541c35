"""Statistics fixtures: the hand-checked fixture, per test or shared by a module.

Most statistics tests only read, so :func:`shared` writes the whole fixture (media, grades,
victims, takedown reports, provider usage) once per module and backend, instead of once per
test: a PostgreSQL schema with every migration costs seconds to build.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from sentinela.clock import FakeClock
from sentinela.services.context import ServiceContext
from tests.conftest import PG_BASE, _pg_unavailable, build_ctx
from tests.stats.helpers import Fixture, build, build_industry, build_takedown


@pytest.fixture
def fx(ctx: ServiceContext) -> Fixture:
    """The fixture of ``tests/stats/helpers.py``, written into ``ctx``'s database."""
    return build(ctx)


@pytest.fixture
def sqlite_fx(sqlite_ctx: ServiceContext) -> Fixture:
    """The same fixture on SQLite only (for tests that are not about storage)."""
    return build(sqlite_ctx)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceContext]:
    """The whole fixture, read-only, shared by the tests of one module, on each backend."""
    folder = tmp_path_factory.mktemp("stats")
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'sentinela.db'}"
    else:
        reason = _pg_unavailable()
        if reason:
            if os.environ.get("SENTINELA_REQUIRE_POSTGRES") == "1":
                pytest.fail(reason)
            pytest.skip(reason)
        schema = f"s_{uuid.uuid4().hex[:12]}"
        with create_engine(PG_BASE).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    clock = FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), step=timedelta(seconds=1))
    ctx = build_ctx(folder, url, clock)
    try:
        build(ctx)
        build_takedown(ctx)
        build_industry(ctx)
        yield ctx
    finally:
        ctx.close()
        if schema is not None:
            admin = create_engine(PG_BASE)
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
