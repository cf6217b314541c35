"""Typed SQLAlchemy 2.0 models, one module per aggregate, and the session factory.

Importing :mod:`sentinela.db.models` loads every model so that ``Base.metadata`` is complete
(Alembic and the tests need that).
"""
