"""The SSRF guard: checked after DNS resolution and on every redirect; only http(s); an allow-list."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

import pytest
from pytest_httpserver import HTTPServer

from facts.web.fetch import AddressPolicy, FetchError, fetch, is_public

HTML = "text/html; charset=utf-8"
REAL_GETADDRINFO = socket.getaddrinfo


def fake_dns(monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]) -> list[str]:
    """Resolve the given names to the given addresses (others as usual); returns the names looked up."""
    asked: list[str] = []

    def getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> list[tuple]:
        asked.append(str(host))
        if host in names:
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in names[host]
            ]
        return REAL_GETADDRINFO(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def refused(call: Callable[[], object]) -> str:
    with pytest.raises(FetchError) as caught:
        call()
    assert caught.value.kind == "refused", caught.value
    return str(caught.value)


def test_a_public_name_resolving_to_loopback_is_refused(
    web: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"news.example": ["127.0.0.1"]})
    web.expect_request("/story").respond_with_data("<p>internal</p>", content_type=HTML)
    url = f"http://news.example:{web.port}/story"
    message = refused(lambda: fetch(url, allow=""))
    assert "news.example resolves to the internal address 127.0.0.1" in message
    assert not web.log
    # The same name, allowed by name, reaches the server: the refusal above was the guard's doing.
    assert fetch(url, allow="news.example").body == b"<p>internal</p>"


def test_the_connection_goes_to_the_checked_address_with_the_host_name_kept(
    web: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = fake_dns(monkeypatch, {"news.example": ["127.0.0.1"]})
    web.expect_request("/story", headers={"Host": f"news.example:{web.port}"}).respond_with_data(
        "<p>pinned</p>", content_type=HTML
    )
    got = fetch(f"http://news.example:{web.port}/story", allow="127.0.0.1")
    assert got.body == b"<p>pinned</p>"
    assert got.url == f"http://news.example:{web.port}/story"
    # Resolved by the guard only (once for robots.txt's hop, once for the page's): the connection itself
    # went to the checked address, so a second, different DNS answer could not have been used.
    assert asked.count("news.example") == 2


def test_one_internal_address_among_public_ones_is_enough_to_refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"mixed.example": ["93.184.216.34", "10.1.2.3"]})
    assert "10.1.2.3" in refused(lambda: fetch("http://mixed.example/", allow=""))


def test_a_redirect_to_the_metadata_address_is_refused(web: HTTPServer) -> None:
    web.expect_request("/jump").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    message = refused(lambda: fetch(web.url_for("/jump"), allow="127.0.0.1"))
    assert "169.254.169.254" in message


def test_a_redirect_to_a_name_resolving_internally_is_refused(
    web: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"metadata.example": ["169.254.169.254"]})
    web.expect_request("/jump").respond_with_data(
        "", status=307, headers={"Location": "http://metadata.example/computeMetadata/v1/"}
    )
    assert "169.254.169.254" in refused(lambda: fetch(web.url_for("/jump"), allow="127.0.0.1"))


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/x", "gopher://127.0.0.1:70/", "javascript:alert(1)"],
)
def test_only_http_and_https(url: str) -> None:
    assert "only http and https" in refused(lambda: fetch(url, allow="0.0.0.0/0"))


def test_a_redirect_to_another_scheme_is_refused(web: HTTPServer) -> None:
    web.expect_request("/jump").respond_with_data("", status=301, headers={"Location": "file:///etc/passwd"})
    refused(lambda: fetch(web.url_for("/jump"), allow="127.0.0.1"))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::",
    ],
)
def test_internal_addresses(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_the_allow_list_takes_names_addresses_and_ranges() -> None:
    policy = AddressPolicy.parse(" intranet.local. , 10.0.0.0/8,::1 ,192.168.1.7")
    assert policy.allows("INTRANET.local", ipaddress.ip_address("192.168.9.9"))
    assert policy.allows("wiki", ipaddress.ip_address("10.200.0.1"))
    assert policy.allows("wiki", ipaddress.ip_address("::1"))
    assert policy.allows("wiki", ipaddress.ip_address("192.168.1.7"))
    assert not policy.allows("wiki", ipaddress.ip_address("192.168.1.8"))
    assert not policy.allows("wiki", ipaddress.ip_address("127.0.0.1"))
    assert not AddressPolicy.parse("").allows("localhost", ipaddress.ip_address("127.0.0.1"))
