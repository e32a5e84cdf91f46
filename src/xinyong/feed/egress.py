"""Where webhooks may be sent (COL-4; Art. 18, PLT-1): no request forgery through the platform.

A subscriber names the URL the platform will POST to. Left open, that lets any provider or
organ account make the platform's own server call addresses only it can reach — its loopback,
the database host on the private network, a cloud metadata service at 169.254.169.254 — and
read the outcome in the delivery log. So the platform sends only to *public* addresses (the
``is_global`` ones of RFC 6890: not private, loopback, link-local, shared, reserved, multicast
or unspecified), unless the operator lists networks in ``XINYONG_WEBHOOK_ALLOWED_NETWORKS``
(comma-separated CIDRs, e.g. the government extranet ``10.20.0.0/16``), which are allowed too.

Checked twice: when a subscription is made (a literal address or ``localhost`` that the policy
refuses is a 422 at once) and before every send, on *every* address the host name resolves to
then (a name may later be pointed elsewhere). Redirects are never followed.

Residual risk, said plainly: a name that resolves differently between the check and the
connection (DNS rebinding within seconds) is not caught here; a deployment that needs that
closed routes webhook traffic through an egress proxy with its own allow-list.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: ``resolve(host, port) -> addresses`` (``socket.getaddrinfo`` in production).
Resolve = Callable[[str, int], Iterable[str]]


class DestinationRefused(ValueError):
    """The URL's host is, or resolves to, an address the platform does not send to."""


@dataclass(frozen=True, slots=True)
class EgressPolicy:
    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_text(cls, text: str) -> EgressPolicy:
        """``"10.20.0.0/16, 127.0.0.1"`` → policy; a malformed entry raises ``ValueError``."""
        networks = []
        for part in text.split(","):
            part = part.strip()
            if part:
                try:
                    networks.append(ipaddress.ip_network(part, strict=False))
                except ValueError as exc:
                    raise ValueError(
                        f"XINYONG_WEBHOOK_ALLOWED_NETWORKS: {part!r} is not a network (CIDR)"
                    ) from exc
        return cls(tuple(networks))

    def permits(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in network for network in self.allowed):
            return True
        return address.is_global and not address.is_multicast


def policy_from_settings() -> EgressPolicy:
    from xinyong.core.config import Settings

    return EgressPolicy.from_text(Settings().webhook_allowed_networks)


def _host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DestinationRefused(f"not an absolute http(s) URL: {url}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise DestinationRefused(f"bad port in {url}") from exc
    return parts.hostname, port


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url: str, policy: EgressPolicy) -> None:
    """At subscription: refuse a literal address or ``localhost`` the policy does not permit
    (a host name is checked on every send, when it is resolved)."""
    host, _ = _host_and_port(url)
    address = _literal(host)
    name = host.lower().rstrip(".")
    if address is None and (name == "localhost" or name.endswith(".localhost")):
        address = ipaddress.ip_address("127.0.0.1")
    if address is not None and not policy.permits(address):
        raise DestinationRefused(
            f"不向内部地址 {host} 发送 / the platform does not send to the non-public address "
            f"{host} (the operator may allow networks in XINYONG_WEBHOOK_ALLOWED_NETWORKS)"
        )


def _getaddrinfo(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def check_destination(url: str, policy: EgressPolicy, resolve: Resolve = _getaddrinfo) -> None:
    """Before a send: every address the host resolves to must be permitted."""
    check_url(url, policy)
    host, port = _host_and_port(url)
    if _literal(host) is not None:
        return
    addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(host, port)]
    if not addresses:
        raise DestinationRefused(f"{host} resolves to no address")
    refused = sorted({str(a) for a in addresses if not policy.permits(a)})
    if refused:
        raise DestinationRefused(
            f"{host} resolves to non-public address(es) {', '.join(refused)}; not sent"
        )
