"""Which hosts an API call may reach: `http.allow` / `http.deny`, and addresses never
reached unless allowed by name.

An entry is a host name (`api.stripe.com`), a wildcard for its subdomains
(`*.stripe.com`), `*` for every name, or an address or network
(`127.0.0.1`, `10.0.0.0/8`, `fd00:ec2::254`).

1. A host matching `deny`, or resolving to an address in a `deny` network, is refused.
2. Loopback, link-local (169.254.0.0/16, fe80::/10, where cloud metadata
   answers), the AWS IPv6 metadata address fd00:ec2::254 and unspecified
   addresses are refused unless `allow` names that exact host or a network
   holding the address: a wildcard does not open them.
3. With a non-empty `allow`, only hosts it matches are reached.

The host is resolved here and the request is sent to the checked address
(the Host header and TLS name stay the host's), so a second DNS answer
cannot point the connection somewhere else.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

GUARDED_NETWORKS: tuple[tuple[IPNetwork, str], ...] = (
    (ipaddress.ip_network("169.254.0.0/16"), "a link-local address (cloud metadata lives there)"),
    (ipaddress.ip_network("fe80::/10"), "a link-local address"),
    (ipaddress.ip_network("fd00:ec2::254/128"), "the cloud metadata address"),
    (ipaddress.ip_network("127.0.0.0/8"), "a loopback address"),
    (ipaddress.ip_network("::1/128"), "a loopback address"),
    (ipaddress.ip_network("0.0.0.0/8"), "an unspecified address"),
    (ipaddress.ip_network("::/128"), "an unspecified address"),
)


class HostRefused(Exception):
    """The policy does not let API calls reach this host."""


class HostUnresolved(Exception):
    """The host name has no address (DNS failure): worth another attempt."""


@dataclass(frozen=True)
class _Entries:
    names: tuple[str, ...]
    wildcards: tuple[str, ...]  # ".stripe.com" for "*.stripe.com"; "" for "*"
    networks: tuple[IPNetwork, ...]

    @classmethod
    def parse(cls, entries: Sequence[str]) -> _Entries:
        names: list[str] = []
        wildcards: list[str] = []
        networks: list[IPNetwork] = []
        for entry in entries:
            text = entry.strip().lower().rstrip(".")
            try:
                networks.append(ipaddress.ip_network(text.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            if text == "*":
                wildcards.append("")
            elif text.startswith("*."):
                wildcards.append(text[1:])
            else:
                names.append(text)
        return cls(tuple(names), tuple(wildcards), tuple(networks))

    def names_exactly(self, host: str) -> bool:
        return host in self.names

    def matches_name(self, host: str) -> bool:
        return host in self.names or any(host.endswith(w) for w in self.wildcards)

    def holds(self, address: IPAddress) -> bool:
        return any(address.version == n.version and address in n for n in self.networks)


class HostPolicy:
    def __init__(self, allow: Sequence[str] = (), deny: Sequence[str] = ()) -> None:
        self.allow = _Entries.parse(allow)
        self.deny = _Entries.parse(deny)
        self.restricted = bool(allow)

    def check(self, host: str, port: int) -> str:
        """The address to connect to for `host`; HostRefused or HostUnresolved otherwise."""
        name = host.strip("[]").lower().rstrip(".")
        if self.deny.matches_name(name):
            raise HostRefused(f"host {name} is denied by http.deny in liqueue.yml")
        addresses = _resolve(name, port)
        for address in addresses:
            self._check_address(name, address)
        if self.restricted and not (
            self.allow.matches_name(name) or all(self.allow.holds(a) for a in addresses)
        ):
            raise HostRefused(f"host {name} is not in http.allow of liqueue.yml")
        return str(addresses[0])

    def _check_address(self, name: str, address: IPAddress) -> None:
        shown = name if name == str(address) else f"{name} ({address})"
        if self.deny.holds(address):
            raise HostRefused(f"host {shown} is denied by http.deny in liqueue.yml")
        guarded = _guarded(address)
        if guarded and not (self.allow.names_exactly(name) or self.allow.holds(address)):
            raise HostRefused(
                f"host {shown} is {guarded}: API calls reach it only when http.allow "
                f"in liqueue.yml names it ({address})"
            )


def _guarded(address: IPAddress) -> str | None:
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:169.254.169.254
    checked = mapped if mapped is not None else address
    for network, what in GUARDED_NETWORKS:
        if checked.version == network.version and checked in network:
            return what
    return None


def _resolve(name: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(name)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise HostUnresolved(f"cannot resolve host {name}: {err}") from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise HostUnresolved(f"cannot resolve host {name}: no address")
    return addresses
