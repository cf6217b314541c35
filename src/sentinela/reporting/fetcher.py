"""The guarded fetcher: GET a reported URL the way evidence capture needs it.

* http and https only, no credentials in URLs (see :mod:`.netguard`);
* each hop's host resolved once, every address checked, the connection made to the checked
  address (pinned), the ``Host`` header and TLS server name kept;
* redirects followed by hand, each hop checked again, loops and long chains refused;
* bodies cut at a byte limit (and flagged), reads bounded by a silence timeout, and the
  whole fetch by a total deadline enforced by a watchdog that shuts the socket, so a server
  dripping one byte at a time cannot hold a worker;
* the TLS certificate is kept whether or not it verifies (evidence is captured from hosts
  with self-signed certificates too), and its subject, issuer and fingerprint recorded.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from sentinela.reporting.config import FetchPolicy
from sentinela.reporting.errors import FetchError, FetchTimeoutError, RedirectError
from sentinela.reporting.netguard import AddressPolicy, Guard, Resolver, Target, system_resolver

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
READ_SIZE = 64 * 1024


@dataclass(frozen=True)
class Hop:
    """One redirect: where we were, which address answered, and where it sent us."""

    url: str
    ip: str
    status: int
    location: str


@dataclass(frozen=True)
class TlsInfo:
    """The server certificate as presented (not necessarily valid)."""

    subject: str
    issuer: str
    not_after: str
    sha256: str


@dataclass(frozen=True)
class Fetched:
    """What a GET brought back, with everything the capture manifest records."""

    requested_url: str
    final_url: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    ip: str
    resolved: tuple[str, ...]
    hops: tuple[Hop, ...]
    body: bytes
    truncated: bool
    tls: TlsInfo | None
    elapsed_s: float

    @property
    def content_type(self) -> str:
        """The media type the server declared (lower case, without parameters)."""
        for key, value in self.headers:
            if key.lower() == "content-type":
                return value.split(";", 1)[0].strip().lower()
        return ""


@dataclass
class Deadline:
    """A total time budget shared by every request of one capture."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.started + self.seconds - time.monotonic())

    def elapsed(self) -> float:
        """Seconds since the start."""
        return time.monotonic() - self.started


def _tls_info(der: bytes | None) -> TlsInfo | None:
    if not der:
        return None
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    return TlsInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        not_after=cert.not_valid_after_utc.isoformat(),
        sha256=cert.fingerprint(hashes.SHA256()).hex(),
    )


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to a checked address, whatever the name resolves to now."""

    def __init__(self, target: Target, timeout: float, tls: ssl.SSLContext | None) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._ip = target.ip
        self._tls = tls
        self.peer_der: bytes | None = None
        self.aborted = False
        # http.client hands the socket to the response and forgets it ("Connection: close"),
        # so the watchdog keeps its own reference.
        self._raw: socket.socket | None = None

    def connect(self) -> None:
        sock: socket.socket = socket.create_connection((self._ip, self.port), self.timeout)
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=self.host)
            self.peer_der = sock.getpeercert(binary_form=True)
        self.sock = self._raw = sock

    def abort(self) -> None:
        """Called by the watchdog: shut the socket so any blocked read returns."""
        self.aborted = True
        sock = self._raw
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


@dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    location: str | None
    body: bytes
    truncated: bool
    tls: TlsInfo | None


def _unverified_tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class GuardedFetcher:
    """GET URLs under the guard and the limits of a :class:`FetchPolicy`."""

    def __init__(self, policy: FetchPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.guard = Guard(AddressPolicy(policy.allow_networks), resolver)

    def fetch(
        self, url: str, *, max_bytes: int | None = None, deadline: Deadline | None = None
    ) -> Fetched:
        """GET ``url``, following redirects.

        Args:
            url: an absolute http(s) URL.
            max_bytes: body bytes kept (default ``policy.max_bytes``); more is cut off.
            deadline: a budget shared with other fetches (default: a fresh one of
                ``policy.total_timeout_s``).

        Raises:
            UnsafeUrlError: a hop's URL or address is refused.
            RedirectError: a redirect loop or too many redirects.
            FetchTimeoutError: the deadline passed.
            FetchError: any other network or protocol failure.
        """
        budget = deadline or Deadline(self.policy.total_timeout_s)
        limit = max_bytes or self.policy.max_bytes
        hops: list[Hop] = []
        seen: set[str] = set()
        current = url
        while True:
            target = self.guard.target(current)
            if target.url in seen:
                raise RedirectError(f"redirect loop: {target.url} was already visited")
            seen.add(target.url)
            answer = self._request(target, budget, limit)
            if answer.status in REDIRECT_STATUSES and answer.location:
                hops.append(Hop(target.url, target.ip, answer.status, answer.location))
                if len(hops) > self.policy.max_redirects:
                    raise RedirectError(f"more than {self.policy.max_redirects} redirects")
                current = urljoin(target.url, answer.location)
                continue
            return Fetched(
                requested_url=url,
                final_url=target.url,
                status=answer.status,
                reason=answer.reason,
                headers=answer.headers,
                ip=target.ip,
                resolved=target.resolved,
                hops=tuple(hops),
                body=answer.body,
                truncated=answer.truncated,
                tls=answer.tls,
                elapsed_s=budget.elapsed(),
            )

    def _request(self, target: Target, budget: Deadline, limit: int) -> _Answer:
        remaining = budget.remaining()
        if remaining <= 0:
            raise FetchTimeoutError(f"no time left to fetch {target.url}")
        tls = _unverified_tls() if target.scheme == "https" else None
        timeout = min(self.policy.connect_timeout_s, self.policy.read_timeout_s, remaining)
        conn = _PinnedConnection(target, timeout, tls)
        watchdog = threading.Timer(remaining, conn.abort)
        watchdog.daemon = True
        watchdog.start()
        parts = urlsplit(target.url)
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        try:
            conn.request(
                "GET",
                path,
                headers={
                    "User-Agent": self.policy.user_agent,
                    "Accept": "*/*",
                    "Accept-Encoding": "identity",
                    "Connection": "close",
                },
            )
            response = conn.getresponse()
            headers = tuple((k, v) for k, v in response.getheaders())
            location = response.getheader("location")
            tls_info = _tls_info(conn.peer_der)
            if response.status in REDIRECT_STATUSES and location:
                return _Answer(
                    response.status, response.reason, headers, location, b"", False, tls_info
                )
            body, truncated = self._read(response, limit)
        except (OSError, http.client.HTTPException) as exc:
            if conn.aborted:
                raise self._timeout(target) from None
            raise FetchError(f"{target.url}: {type(exc).__name__}: {exc}") from None
        finally:
            watchdog.cancel()
            conn.close()
        if conn.aborted:
            raise self._timeout(target)
        return _Answer(response.status, response.reason, headers, None, body, truncated, tls_info)

    def _timeout(self, target: Target) -> FetchTimeoutError:
        return FetchTimeoutError(
            f"{target.url}: gave up after {self.policy.total_timeout_s:g} s in total"
        )

    @staticmethod
    def _read(response: http.client.HTTPResponse, limit: int) -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = response.read(min(READ_SIZE, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        body = b"".join(chunks)
        return body[:limit], len(body) > limit
