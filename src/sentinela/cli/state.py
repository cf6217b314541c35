"""Per-invocation CLI state: settings and the service context, built lazily."""

from __future__ import annotations

from dataclasses import dataclass, field

import typer

from sentinela.services.context import ServiceContext, open_context
from sentinela.settings import Settings, get_settings


@dataclass
class CliState:
    """What the root callback collected from global options."""

    actor: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _ctx: ServiceContext | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """Settings, validated on first use."""
        if self._settings is None:
            self._settings = get_settings()
        return self._settings

    def context(self) -> ServiceContext:
        """The service context, connecting on first use."""
        if self._ctx is None:
            self._ctx = open_context(self.settings, self.actor)
        return self._ctx

    def close(self) -> None:
        """Release the database."""
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None


def state(ctx: typer.Context) -> CliState:
    """The CliState stored on the root click context."""
    root = ctx.find_root()
    obj = root.obj
    if not isinstance(obj, CliState):
        obj = CliState()
        root.obj = obj
    return obj
