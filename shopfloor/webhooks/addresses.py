"""Where a webhook may be sent: HTTPS only, and never into a private or local network.

A partner types the address, so without these rules Shopfloor could be made to post into the
cooperative's own network (server-side request forgery). A host is refused when it is, or
resolves to, any private, loopback, link-local, multicast, reserved or otherwise non-public
address, unless its name is in ``webhooks.allowed_private_hosts`` (tests, a partner's system
inside a private deployment). The check runs when the endpoint is saved and again before every
delivery, since DNS answers change; the delivery then connects to the very addresses checked,
so a second lookup cannot swap in another.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

URL_MAX = 500


class UrlProblem(Exception):
    """Why an address is refused: ``code`` (scheme, malformed, credentials, host_not_found,
    private) and the ``host`` and ``address`` concerned, when known."""

    def __init__(self, code: str, host: str = "", address: str = ""):
        super().__init__(code, host, address)
        self.code = code
        self.host = host
        self.address = address

    def describe(self) -> str:
        """A short English description for the delivery log."""
        if self.code == "host_not_found":
            return f"host name not found: {self.host}"
        if self.code == "private":
            return f"address refused: {self.address}"
        return f"address refused: {self.code}"


@dataclass(frozen=True)
class Target:
    """A checked address: the host as written (for TLS and the Host header), the port, the
    path with its query, and the IP addresses the connection may use."""

    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def allowed_hosts(setting: str) -> frozenset[str]:
    """The host names and IPs of ``webhooks.allowed_private_hosts`` (comma-separated)."""
    return frozenset(_normal_host(part) for part in (setting or "").split(",") if part.strip())


def _normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def parse_url(url: str) -> tuple[str, int, str]:
    """The host, port and path (with query) of an https:// URL; UrlProblem otherwise."""
    url = (url or "").strip()
    if len(url) > URL_MAX:
        raise UrlProblem("too_long")
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError:
        raise UrlProblem("malformed") from None
    if parts.scheme.lower() != "https":
        raise UrlProblem("scheme" if parts.scheme else "malformed")
    if parts.username is not None or parts.password is not None:
        raise UrlProblem("credentials")
    host = _normal_host(parts.hostname or "")
    if not host or any(c.isspace() for c in url):
        raise UrlProblem("malformed")
    try:
        host = host.encode("idna").decode("ascii")  # a name with Polish letters, as DNS has it
    except UnicodeError:
        raise UrlProblem("malformed") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return host, port, path


def is_public(address: str) -> bool:
    """Whether an IP address is a public, unicast, routable one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (%eth0) is no part
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    # is_global alone lets multicast through; the other flags overlap, which is harmless.
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local
                                 or ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def lookup(host: str, port: int) -> list[str]:
    """The IP addresses a host name (or literal) resolves to, in the resolver's order."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in answers:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    return addresses


def check_target(url: str, allowed: frozenset[str]) -> Target:
    """The URL as a Target whose every address may be used; UrlProblem when refused."""
    host, port, path = parse_url(url)
    addresses = lookup(host, port)
    if not addresses:
        raise UrlProblem("host_not_found", host)
    if host not in allowed:
        for address in addresses:
            if not is_public(address):
                raise UrlProblem("private", host, address)
    return Target(host, port, path, tuple(addresses))
