"""What the app holds between requests: settings, configuration and the service context."""

from __future__ import annotations

import threading

from sentinela.services.context import ServiceContext, open_context
from sentinela.settings import Settings
from sentinela.web.config import WorkspaceConfig


class Workspace:
    """The app's state. The database is connected on first use, not when the app is built,
    so building the app (for example to write the OpenAPI document) needs no database."""

    def __init__(
        self, settings: Settings, config: WorkspaceConfig, context: ServiceContext | None = None
    ) -> None:
        self.settings = settings
        self.config = config
        self._ctx = context
        self._owned = context is None
        self._lock = threading.Lock()

    def context(self) -> ServiceContext:
        """The service context (acting as nobody; handlers use ``with_actor``).

        Raises:
            DatabaseUnavailableError: the database cannot be reached.
        """
        with self._lock:
            if self._ctx is None:
                self._ctx = open_context(self.settings)
            return self._ctx

    def close(self) -> None:
        """Release the database, if the app opened it."""
        with self._lock:
            if self._ctx is not None and self._owned:
                self._ctx.close()
                self._ctx = None
