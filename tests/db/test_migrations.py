"""Migrations run from empty to head and back down, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect

from sentinela.db import migrate
from sentinela.db.models import Base
from sentinela.db.session import make_engine


def test_upgrade_to_head_then_down_to_empty(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        leftover = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert leftover == set()
        migrate.upgrade(engine)  # and up again, cleanly
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
    finally:
        engine.dispose()


def test_models_match_migrations(db_url: str) -> None:
    """The head schema holds every model column (no model change without a migration)."""
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine)
        insp = inspect(engine)
        for name, table in Base.metadata.tables.items():
            have = {c["name"] for c in insp.get_columns(name)}
            assert {c.name for c in table.columns} == have, name
    finally:
        engine.dispose()
