"""The guard: schemes, credentials, private addresses, resolution once and pinned."""

from __future__ import annotations

import pytest

from sentinela.reporting.errors import FetchError, UnsafeUrlError
from sentinela.reporting.netguard import AddressPolicy, Guard, normalise_url, url_host


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTP://Example.COM", "http://example.com/"),
        ("https://example.com:443/a?b=1#frag", "https://example.com/a?b=1"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("  http://example.com./p  ", "http://example.com/p"),
        ("http://[2001:db8::1]:81/", "http://[2001:db8::1]:81/"),
        ('http://e.test/<b>"x"?q=<i>é', "http://e.test/%3Cb%3E%22x%22?q=%3Ci%3E%C3%A9"),
        ("http://e.test/a%20b?x=%3C", "http://e.test/a%20b?x=%3C"),
    ],
)
def test_normalise_url(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://example.com/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://user:pw@example.com/",
        "http:///nohost",
        "example.com/no-scheme",
        "http://exa mple.com/",
        "http://example.com:99999/",
        "http://example.com/" + "a" * 3000,
        "",
    ],
)
def test_bad_urls_are_refused(bad: str) -> None:
    with pytest.raises(UnsafeUrlError):
        normalise_url(bad)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - a value under test, not a bind
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
        "not-an-ip",
    ],
)
def test_private_and_special_addresses_are_refused(address: str) -> None:
    assert not AddressPolicy().permits(address)


def test_public_addresses_pass_and_the_allow_list_opens_only_its_range() -> None:
    assert AddressPolicy().permits("8.8.8.8")
    assert AddressPolicy().permits("2606:4700::1111")
    policy = AddressPolicy(["127.0.0.1/32"])
    assert policy.permits("127.0.0.1")
    assert not policy.permits("127.0.0.2")
    assert not policy.permits("10.0.0.1")


def test_a_url_on_a_private_ip_is_refused() -> None:
    guard = Guard(AddressPolicy())
    for url in ("http://127.0.0.1/", "http://10.0.0.5/admin", "http://[::1]:8080/"):
        with pytest.raises(UnsafeUrlError, match="not a public address"):
            guard.target(url)


def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    guard = Guard(AddressPolicy(), resolver=lambda host, port: ["192.168.0.10"])
    with pytest.raises(UnsafeUrlError, match=r"internal\.example resolves to 192\.168\.0\.10"):
        guard.target("http://internal.example/")


def test_a_mixed_answer_is_refused_whole() -> None:
    guard = Guard(AddressPolicy(), resolver=lambda host, port: ["8.8.8.8", "10.0.0.1"])
    with pytest.raises(UnsafeUrlError):
        guard.target("http://mixed.example/")


def test_the_target_is_pinned_to_the_checked_address() -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["8.8.4.4", "8.8.8.8"]

    target = Guard(AddressPolicy(), resolver).target("https://Pinned.Example/x")
    assert (target.host, target.port, target.ip) == ("pinned.example", 443, "8.8.4.4")
    assert target.resolved == ("8.8.4.4", "8.8.8.8")
    assert calls == ["pinned.example"]
    assert url_host(target.url) == "pinned.example"


def test_no_address_is_a_fetch_error() -> None:
    with pytest.raises(FetchError):
        Guard(AddressPolicy(), resolver=lambda h, p: []).target("http://nothing.example/")
