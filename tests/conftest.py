"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

The PostgreSQL run uses the server on 127.0.0.1:5432 (trust auth, database ``test``), in a
schema of its own per test, dropped afterwards. Where no server answers, those tests are
skipped with the reason printed, unless ``SENTINELA_REQUIRE_POSTGRES=1`` (set by CI), in
which case they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from sentinela.clock import FakeClock
from sentinela.services.context import ServiceContext, open_context
from sentinela.services.setup import initialise
from sentinela.settings import Settings

PG_BASE = os.environ.get("SENTINELA_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TESTDATA = Path(__file__).parent / "data"
SHARED_TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"

_pg_state: dict[str, str | None] = {}


#: Environment variables that configure the test run rather than Sentinela.
_TEST_SWITCHES = ("SENTINELA_REQUIRE_", "SENTINELA_TEST_", "SENTINELA_VPDQ_TOOLS")


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the caller's SENTINELA_* settings; switches for the test run itself stay."""
    for name in list(os.environ):
        if name.startswith("SENTINELA_") and not name.startswith(_TEST_SWITCHES):
            monkeypatch.delenv(name)


def _pg_unavailable() -> str | None:
    if "reason" not in _pg_state:
        try:
            engine = create_engine(PG_BASE, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            _pg_state["reason"] = None
        except OperationalError as exc:
            _pg_state["reason"] = f"PostgreSQL not reachable at {PG_BASE}: {exc.orig}"
    return _pg_state["reason"]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh, empty schema."""
    reason = _pg_unavailable()
    if reason:
        if os.environ.get("SENTINELA_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sentinela.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database (for tests that are not about storage)."""
    return f"sqlite:///{tmp_path / 'sentinela.db'}"


@pytest.fixture
def clock() -> FakeClock:
    """A clock pinned to a known instant that steps one second per reading."""
    return FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), step=timedelta(seconds=1))


def make_settings(tmp_path: Path, url: str) -> Settings:
    """Development-mode settings in ``tmp_path``."""
    return Settings(mode="development", data_dir=tmp_path / "data", database_url=url)


def build_ctx(tmp_path: Path, url: str, clock: FakeClock) -> ServiceContext:
    """An initialised context with users: admin, alice (examiner), bob (examiner)."""
    from sentinela.services.users import add_user

    ctx = open_context(make_settings(tmp_path, url), clock=clock)
    initialise(ctx)
    add_user(ctx, "admin", roles=["admin"])
    admin = ctx.with_actor("admin")
    add_user(admin, "alice", roles=["examiner"], unit="Unit A")
    add_user(admin, "bob", roles=["examiner"], unit="Unit B")
    return ctx.with_actor("alice")


@pytest.fixture
def ctx(tmp_path: Path, db_url: str, clock: FakeClock) -> Iterator[ServiceContext]:
    """Service context acting as alice, on each backend."""
    context = build_ctx(tmp_path, db_url, clock)
    yield context
    context.close()


@pytest.fixture
def sqlite_ctx(tmp_path: Path, sqlite_url: str, clock: FakeClock) -> Iterator[ServiceContext]:
    """Service context acting as alice, on SQLite only."""
    context = build_ctx(tmp_path, sqlite_url, clock)
    yield context
    context.close()
