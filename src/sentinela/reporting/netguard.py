"""The fetcher's guard: which URLs and which addresses Sentinela will connect to.

Why resolve once and pin: a name checked against one answer and then connected to through a
second lookup can be pointed at an internal address in between (DNS rebinding). The guard
resolves the name once, refuses the whole answer if any address in it is not public, and the
fetcher connects to the checked address, never to the name.

Why "not public" is judged by :attr:`ipaddress.IPv4Address.is_global`: it covers private,
loopback, link-local, carrier-grade NAT, documentation and reserved ranges, and the IPv6
equivalents; IPv4 addresses embedded in IPv6 (mapped, 6to4, Teredo) are judged as the IPv4
address they carry.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit

from sentinela.reporting.errors import FetchError, UnsafeUrlError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: ``(host, port) -> addresses``; the default asks the system resolver.
Resolver = Callable[[str, int], Sequence[str]]
SCHEMES = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2048
# Characters left as they are; anything else (quotes, angle brackets, non-ASCII) is
# percent-encoded, so equal URLs compare equal and a URL is inert wherever it is shown.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (TCP), in its order.

    Raises:
        FetchError: the name does not resolve.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host!r}: {exc}") from None
    seen: list[str] = []
    for *_, sockaddr in infos:
        ip = str(sockaddr[0])
        if ip not in seen:
            seen.append(ip)
    return seen


@dataclass(frozen=True)
class Target:
    """A URL the guard accepted, and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    ip: str
    resolved: tuple[str, ...]


def normalise_url(url: str) -> str:
    """The canonical form of a reported URL (used to deduplicate reports).

    Lower-cased scheme and host, default port dropped, fragment dropped, empty path as ``/``,
    unsafe characters in the path and query percent-encoded (existing escapes kept).

    Raises:
        UnsafeUrlError: not an absolute http(s) URL, too long, or carrying credentials.
    """
    text = url.strip()
    if not text or len(text) > MAX_URL_LENGTH or any(c.isspace() for c in text):
        raise UnsafeUrlError("a URL must be one line of at most 2048 characters, without spaces")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrlError(f"not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise UnsafeUrlError("only http and https URLs can be reported")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrlError("URLs with a user name or password are refused")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeUrlError("the URL names no host")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != SCHEMES[scheme]:
        netloc = f"{netloc}:{port}"
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    return urlunsplit(SplitResult(scheme, netloc, path, query, ""))


def url_host(url: str) -> str:
    """The host of a normalised URL."""
    return (urlsplit(url).hostname or "").lower()


class AddressPolicy:
    """Which addresses may be connected to: public ones, plus an explicit allow-list."""

    def __init__(self, allow_networks: Sequence[str] = ()) -> None:
        self.allowed = tuple(ipaddress.ip_network(n, strict=False) for n in allow_networks)

    @staticmethod
    def _effective(ip: IPAddress) -> IPAddress:
        if isinstance(ip, ipaddress.IPv6Address):
            embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
            if embedded is not None:
                return embedded
        return ip

    def permits(self, address: str) -> bool:
        """Whether ``address`` may be connected to."""
        try:
            ip = self._effective(ipaddress.ip_address(address.split("%", 1)[0]))
        except ValueError:
            return False
        if any(ip in net for net in self.allowed):
            return True
        return ip.is_global and not ip.is_multicast

    def check(self, address: str, host: str) -> None:
        """Raise unless ``address`` may be connected to.

        Raises:
            UnsafeUrlError: naming the host and the refused address.
        """
        if not self.permits(address):
            raise UnsafeUrlError(f"{host} resolves to {address}, which is not a public address")


class Guard:
    """Checks a URL and pins its address: scheme, credentials, one resolution, every address."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver

    def target(self, url: str) -> Target:
        """The checked target for ``url``.

        Raises:
            UnsafeUrlError: bad scheme or credentials, or any resolved address is refused.
            FetchError: the name does not resolve.
        """
        canonical = normalise_url(url)
        parts = urlsplit(canonical)
        scheme = parts.scheme
        host = url_host(canonical)
        port = parts.port or SCHEMES[scheme]
        try:
            literal: IPAddress | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        addresses = [str(literal)] if literal is not None else list(self.resolver(host, port))
        if not addresses:
            raise FetchError(f"{host} has no address")
        for address in addresses:
            self.policy.check(address, host)
        return Target(canonical, scheme, host, port, addresses[0], tuple(addresses))
