"""Binding and Host headers: loopback unless asked otherwise, and answers only to the names the server is for.

A browser page from any web site can make requests to a loopback server; with DNS rebinding the page's own host
name comes to point at 127.0.0.1 and the browser treats the answers as the page's. The Host header then still
names the attacker's domain, so a server that answers only to the names it was started for (`localhost`, the
loopback addresses, the bound address, and any given with --allow-host) cannot be read that way.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

from kg.errors import InputError

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """True when `host` (a name or an address) means this machine only; names are resolved."""
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def check_bind(host: str, *, allow_remote: bool) -> str | None:
    """InputError (exit 2) for a non-loopback address without `allow_remote`; with it, the warning to print."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise InputError(f"--host {host} would serve every machine that can reach this one; kg binds loopback "
                         "only unless --allow-remote is given as well")
    return (f"serving on {host}: anyone who can reach this machine can query it, without authentication or "
            "encryption; put it behind a proxy that provides both, or bind 127.0.0.1")


def allowed_hosts(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The host names (without port) a server bound to `bind_host` answers to."""
    names = {*LOOPBACK_NAMES, bind_host.strip("[]").lower(), *(e.strip().strip("[]").lower() for e in extra)}
    return frozenset(n for n in names if n and n not in ("0.0.0.0", "::"))  # noqa: S104 - names, not binds


def host_name(header: str) -> str | None:
    """The host name of a Host header (`name`, `name:port`, `[v6]:port`), lower-cased; None if malformed."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        if end < 0 or (header[end + 1:] and not header[end + 1:].startswith(":")):
            return None
        name, port = header[1:end], header[end + 2:]
    else:
        name, _, port = header.partition(":")
    if not name or (port and not port.isdigit()):
        return None
    return name


def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    """True when the request's Host header names one of `allowed` (a missing header is refused)."""
    name = host_name(header) if header else None
    return name is not None and name in allowed
