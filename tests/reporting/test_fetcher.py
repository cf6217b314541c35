"""The guarded fetcher against real servers on 127.0.0.1: pinning, DNS rebinding, redirects,
size caps and the total deadline."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from sentinela.reporting.config import FetchPolicy
from sentinela.reporting.errors import FetchTimeoutError, RedirectError, UnsafeUrlError
from sentinela.reporting.fetcher import GuardedFetcher
from tests.reporting.helpers import HostServer, body, drip, endless, host_server, redirect

POLICY = FetchPolicy(
    allow_networks=("127.0.0.1/32",),
    max_bytes=64 * 1024,
    total_timeout_s=5.0,
    read_timeout_s=3.0,
    connect_timeout_s=3.0,
    max_redirects=3,
)


@pytest.fixture
def host() -> Iterator[HostServer]:
    with host_server() as server:
        yield server


def test_fetch_keeps_status_headers_and_body(host: HostServer) -> None:
    host.routes["/page"] = body(b"<p>hello</p>")
    fetched = GuardedFetcher(POLICY).fetch(host.url("/page"))
    assert (fetched.status, fetched.body, fetched.truncated) == (200, b"<p>hello</p>", False)
    assert fetched.content_type == "text/html"
    assert ("X-Test-Server", "reported-host") in fetched.headers
    assert fetched.ip == "127.0.0.1" and fetched.resolved == ("127.0.0.1",)
    assert fetched.hops == () and fetched.tls is None


def test_loopback_is_refused_without_the_allow_list(host: HostServer) -> None:
    host.routes["/page"] = body(b"x")
    with pytest.raises(UnsafeUrlError):
        GuardedFetcher(FetchPolicy()).fetch(host.url("/page"))
    assert host.hits == []


def test_dns_rebinding_cannot_move_the_connection(host: HostServer) -> None:
    """The name is resolved once; a second answer (an internal address) is never used."""
    answers = iter([["127.0.0.1"], ["10.0.0.1"], ["10.0.0.1"]])
    asked: list[str] = []

    def rebinding(name: str, port: int) -> list[str]:
        asked.append(name)
        return next(answers)

    host.routes["/page"] = body(b"pinned")
    port = host.server.server_address[1]
    fetched = GuardedFetcher(POLICY, resolver=rebinding).fetch(f"http://rebind.test:{port}/page")
    assert fetched.body == b"pinned" and fetched.ip == "127.0.0.1"
    assert asked == ["rebind.test"]
    # the next fetch gets the rebound answer and is refused before connecting
    with pytest.raises(UnsafeUrlError, match=r"10\.0\.0\.1"):
        GuardedFetcher(POLICY, resolver=rebinding).fetch(f"http://rebind.test:{port}/page")
    assert host.hits == ["/page"]


def test_the_host_header_is_the_name_not_the_address(host: HostServer) -> None:
    seen: list[str] = []

    def echo_host(h: object) -> None:
        seen.append(h.headers["Host"])  # type: ignore[attr-defined]
        body(b"ok")(h)  # type: ignore[arg-type]

    host.routes["/h"] = echo_host
    port = host.server.server_address[1]
    GuardedFetcher(POLICY, resolver=lambda n, p: ["127.0.0.1"]).fetch(f"http://named.test:{port}/h")
    assert seen == [f"named.test:{port}"]


def test_redirects_are_followed_and_recorded(host: HostServer) -> None:
    host.routes["/a"] = redirect("/b", 301)
    host.routes["/b"] = redirect(host.url("/c"), 302)
    host.routes["/c"] = body(b"final")
    fetched = GuardedFetcher(POLICY).fetch(host.url("/a"))
    assert fetched.final_url == host.url("/c") and fetched.body == b"final"
    assert [(h.url, h.status, h.location) for h in fetched.hops] == [
        (host.url("/a"), 301, "/b"),
        (host.url("/b"), 302, host.url("/c")),
    ]


def test_a_redirect_loop_is_refused(host: HostServer) -> None:
    host.routes["/a"] = redirect("/b")
    host.routes["/b"] = redirect("/a")
    with pytest.raises(RedirectError, match="loop"):
        GuardedFetcher(POLICY).fetch(host.url("/a"))
    assert host.hits == ["/a", "/b"]


def test_too_many_redirects_are_refused(host: HostServer) -> None:
    for i in range(6):
        host.routes[f"/r{i}"] = redirect(f"/r{i + 1}")
    with pytest.raises(RedirectError, match="more than 3"):
        GuardedFetcher(POLICY).fetch(host.url("/r0"))


def test_a_redirect_to_a_private_address_is_refused(host: HostServer) -> None:
    host.routes["/a"] = redirect("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(UnsafeUrlError, match=r"169\.254\.169\.254"):
        GuardedFetcher(POLICY).fetch(host.url("/a"))


def test_a_2_gb_response_is_capped(host: HostServer) -> None:
    host.routes["/huge"] = endless()
    started = time.monotonic()
    fetched = GuardedFetcher(POLICY).fetch(host.url("/huge"))
    assert fetched.truncated and len(fetched.body) == POLICY.max_bytes
    assert time.monotonic() - started < 5


def test_a_slow_drip_server_hits_the_total_deadline(host: HostServer) -> None:
    host.routes["/drip"] = drip(interval_s=0.1)
    policy = POLICY.model_copy(update={"total_timeout_s": 1.0})
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        GuardedFetcher(policy).fetch(host.url("/drip"))
    assert time.monotonic() - started < 3


def test_https_records_the_certificate_subject(tmp_path: object) -> None:
    from tests.reporting.tls import tls_server

    with tls_server() as (url, subject):
        fetched = GuardedFetcher(POLICY).fetch(url)
    assert fetched.status == 200 and fetched.body == b"over tls"
    assert fetched.tls is not None and "CN=reported.test" in fetched.tls.subject
    assert fetched.tls.subject == subject and len(fetched.tls.sha256) == 64
