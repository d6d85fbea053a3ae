"""The test suite's network guard refuses hosts beyond this machine and lets loopback through."""

import socket

import pytest

from helpers.network import NetworkAccessError, attempts


def test_connections_beyond_this_machine_are_refused_and_recorded():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkAccessError):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1 (RFC 5737)
    with pytest.raises(NetworkAccessError, match=r"look up 'example\.org'"):
        socket.getaddrinfo("example.org", 443)
    assert attempts(clear=True) == ["connect to ('192.0.2.1', 80)", "look up 'example.org'"]


def test_loopback_is_allowed():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
    assert socket.getaddrinfo("localhost", 80)
    assert attempts() == []
