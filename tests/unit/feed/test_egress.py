"""Webhook egress policy: only public addresses, plus the networks the operator allows."""

from __future__ import annotations

import ipaddress

import pytest

from xinyong.feed.egress import DestinationRefused, EgressPolicy, check_destination, check_url

OPEN = EgressPolicy()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",  # loopback
        "10.1.2.3",  # private
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # link-local: cloud metadata services
        "100.64.0.1",  # shared address space (carrier NAT)
        "0.0.0.0",
        "224.0.0.1",  # multicast
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not OPEN.permits(ipaddress.ip_address(address))
    with pytest.raises(DestinationRefused, match="non-public"):
        check_url(
            f"http://[{address}]:8080/hook" if ":" in address else f"http://{address}/h", OPEN
        )


@pytest.mark.parametrize("address", ["202.108.22.5", "8.8.8.8", "2001:4860:4860::8888"])
def test_public_addresses_are_permitted(address: str) -> None:
    assert OPEN.permits(ipaddress.ip_address(address))


def test_the_operator_allows_named_networks_only() -> None:
    policy = EgressPolicy.from_text(" 10.20.0.0/16, 127.0.0.1 ")
    assert policy.permits(ipaddress.ip_address("10.20.3.4"))
    assert policy.permits(ipaddress.ip_address("127.0.0.1"))
    assert not policy.permits(ipaddress.ip_address("10.21.0.1"))
    assert not policy.permits(ipaddress.ip_address("127.0.0.2"))
    check_url("http://localhost:9000/hook", policy)
    with pytest.raises(ValueError, match="not a network"):
        EgressPolicy.from_text("10.0.0.0/33")


def test_localhost_names_count_as_loopback() -> None:
    for url in ("http://localhost/h", "https://LOCALHOST./h", "http://api.localhost:81/h"):
        with pytest.raises(DestinationRefused):
            check_url(url, OPEN)


def test_a_name_is_checked_on_every_address_it_resolves_to() -> None:
    answers = {
        "receiver.example.gov.cn": ["202.108.22.5"],
        "rebound.example": ["8.8.8.8", "10.0.0.5"],
    }

    def resolve(host: str, port: int) -> list[str]:
        assert port in (80, 443, 8443)
        return answers.get(host, [])

    check_destination("https://receiver.example.gov.cn/hook", OPEN, resolve)
    with pytest.raises(DestinationRefused, match=r"10\.0\.0\.5"):
        check_destination("https://rebound.example:8443/hook", OPEN, resolve)
    with pytest.raises(DestinationRefused, match="no address"):
        check_destination("http://nowhere.example/hook", OPEN, resolve)
    with pytest.raises(DestinationRefused, match="http"):
        check_destination("file:///etc/passwd", OPEN, resolve)
