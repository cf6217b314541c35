"""The hosting trace: who hosts an address, how to reach their abuse desk, which country.

The table is offline on purpose: a WHOIS or RDAP lookup would tell a third party which
addresses the police are looking at. A unit keeps the table (TOML, see ``docs/reporting.md``)
from its national registry data; the longest matching prefix wins.

.. code-block:: toml

    [[network]]
    cidr = "203.0.113.0/24"
    host = "Example Hosting"
    abuse = "abuse@example.net"
    country = "PT"
    escalation = "legal@example.net"   # optional: where escalations go
"""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sentinela.errors import ConfigurationError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class HostingEntry:
    """One network of a hosting provider."""

    network: Network
    host: str
    abuse: str
    country: str
    escalation: str | None = None


class HostingTable:
    """Longest-prefix lookups over :class:`HostingEntry` rows."""

    def __init__(self, entries: Iterable[HostingEntry] = ()) -> None:
        self.entries = sorted(entries, key=lambda e: e.network.prefixlen, reverse=True)

    @classmethod
    def from_toml(cls, path: Path) -> HostingTable:
        """Read a table file.

        Raises:
            ConfigurationError: the file is missing or malformed.
        """
        try:
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
            rows = raw.get("network", [])
            return cls(
                HostingEntry(
                    network=ipaddress.ip_network(str(row["cidr"]), strict=False),
                    host=str(row["host"]),
                    abuse=str(row["abuse"]),
                    country=str(row.get("country", "")).upper(),
                    escalation=str(row["escalation"]) if row.get("escalation") else None,
                )
                for row in rows
            )
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigurationError(f"hosting table {path}: {exc}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError(f"hosting table {path}: bad row ({exc})") from None

    def lookup(self, address: str) -> HostingEntry | None:
        """The most specific entry holding ``address``, if any."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return None
        for entry in self.entries:
            if ip.version == entry.network.version and ip in entry.network:
                return entry
        return None

    def trace(self, addresses: Iterable[str]) -> HostingEntry | None:
        """The entry of the first address that has one."""
        for address in addresses:
            entry = self.lookup(address)
            if entry is not None:
                return entry
        return None
