"""What every service needs: settings, a database, a clock and the acting user."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from sentinela.clock import Clock, utc_now
from sentinela.db.session import make_engine, session_factory
from sentinela.db.users import User
from sentinela.errors import AccessDenied, ConfigurationError, NotFoundError
from sentinela.settings import Settings

SYSTEM_ACTOR = "system"


@dataclass
class ServiceContext:
    """Dependencies handed to every service function."""

    settings: Settings
    engine: Engine
    actor_name: str | None = None
    clock: Clock = utc_now
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = session_factory(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception."""
        with self.sessions() as session, session.begin():
            yield session

    def actor(self, session: Session) -> User:
        """The acting user, loaded in ``session``.

        Raises:
            ConfigurationError: no actor was given (``--as`` or ``SENTINELA_ACTOR``).
            AccessDenied: the user does not exist or is disabled.
        """
        if not self.actor_name:
            raise ConfigurationError("no acting user: pass --as USER or set SENTINELA_ACTOR")
        user = session.execute(
            select(User).where(User.username == self.actor_name)
        ).scalar_one_or_none()
        if user is None or not user.active:
            raise AccessDenied(f"unknown or disabled user {self.actor_name!r}")
        return user

    def with_actor(self, actor_name: str | None) -> ServiceContext:
        """The same context acting as someone else."""
        return ServiceContext(self.settings, self.engine, actor_name, self.clock)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def open_context(
    settings: Settings, actor_name: str | None = None, clock: Clock = utc_now
) -> ServiceContext:
    """Connect to the configured database.

    Raises:
        DatabaseUnavailableError: the database cannot be reached.
    """
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
    engine = make_engine(settings.database_url)
    return ServiceContext(settings, engine, actor_name or settings.actor, clock)


def count_users(session: Session) -> int:
    """How many users exist (zero means the installation is not bootstrapped)."""
    return int(session.execute(select(func.count(User.id))).scalar_one())


def get_user(session: Session, username: str) -> User:
    """Load a user by name.

    Raises:
        NotFoundError: no such user.
    """
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    return user
