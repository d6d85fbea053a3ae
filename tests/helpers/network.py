"""A guard against network use in tests: only this machine may be reached.

:func:`guard_sockets` wraps ``socket.connect``/``connect_ex`` and ``socket.getaddrinfo`` of the test process:
loopback addresses, ``localhost``, this machine's own host name and Unix sockets pass; anything else raises
:class:`NetworkAccessError` (an ``OSError``, so the code under test sees an unreachable host) and is recorded, so
that the test can be failed even when that error was caught. Child processes (the CLI run as a subprocess,
Chromium, Dask workers) are not wrapped; the report tests run Chromium with DNS off.
"""

from __future__ import annotations

import ipaddress
import socket


class NetworkAccessError(OSError):
    """A test tried to reach a host beyond this machine."""


_ATTEMPTS: list[str] = []
_LOCAL_NAMES = {None, "", "localhost", "0.0.0.0", "::", b"localhost"}


def _is_local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host in _LOCAL_NAMES or host == socket.gethostname() or (isinstance(host, str) and host.endswith(".localhost")):
        return True
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _refuse(what: str):
    _ATTEMPTS.append(what)
    raise NetworkAccessError(f"tests must not use the network: {what}")


def guard_sockets() -> None:
    """Install the guard (once per process)."""
    if getattr(socket.getaddrinfo, "guarded", False):
        return
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            _refuse(f"connect to {address!r}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            _refuse(f"connect to {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            _refuse(f"look up {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    getaddrinfo.guarded = True
    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo


def attempts(*, clear: bool = False) -> list[str]:
    """The connections and look-ups refused since the last clearing."""
    found = list(_ATTEMPTS)
    if clear:
        _ATTEMPTS.clear()
    return found
