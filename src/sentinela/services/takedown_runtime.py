"""What the takedown services need besides the database: policy, fetcher, hosting table,
notice transports. Built once per process (web app, CLI invocation, worker) and passed in.

Tests build one with :meth:`TakedownRuntime.build`, a policy that allows their 127.0.0.1
servers, and, where they play DNS tricks, a resolver of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sentinela.registry import Registry
from sentinela.reporting.config import TakedownConfig, check_for_mode, load_takedown_config
from sentinela.reporting.fetcher import GuardedFetcher
from sentinela.reporting.hosting import HostingTable
from sentinela.reporting.netguard import Resolver, system_resolver
from sentinela.reporting.transports import NoticeTransport, build_transport_registry
from sentinela.settings import Settings

#: The actor recorded for what the worker does on its own.
WORKER_ACTOR = "system:takedown"


@dataclass(frozen=True)
class TakedownRuntime:
    """The takedown policy and the tools that carry it out.

    Attributes:
        config: the policy.
        hosting: the offline hosting table.
        fetcher: the guarded fetcher (captures and rechecks).
        transports: the notice transports.
        outbox: the outbox folder.
    """

    config: TakedownConfig
    hosting: HostingTable
    fetcher: GuardedFetcher
    transports: Registry[NoticeTransport]
    outbox: Path

    @classmethod
    def build(
        cls,
        settings: Settings,
        config: TakedownConfig,
        *,
        resolver: Resolver = system_resolver,
        hosting: HostingTable | None = None,
    ) -> TakedownRuntime:
        """A runtime for ``config``.

        Raises:
            ConfigurationError: the config is unsafe for the mode, or the hosting table is
                unreadable.
        """
        check_for_mode(config, settings)
        if hosting is None:
            path = config.hosting_table
            hosting = HostingTable.from_toml(path) if path is not None else HostingTable()
        return cls(
            config=config,
            hosting=hosting,
            fetcher=GuardedFetcher(config.fetch, resolver),
            transports=build_transport_registry(),
            outbox=config.outbox(settings),
        )

    @classmethod
    def load(cls, settings: Settings, path: Path | None = None) -> TakedownRuntime:
        """The runtime of this installation (``<data_dir>/takedown.toml`` or ``path``).

        Raises:
            ConfigurationError: the file is malformed or unsafe.
        """
        return cls.build(settings, load_takedown_config(settings, path))

    def transport(self) -> NoticeTransport:
        """The configured notice transport.

        Raises:
            UnknownNameError: no transport of that name.
        """
        return self.transports.get(self.config.notices.transport)
