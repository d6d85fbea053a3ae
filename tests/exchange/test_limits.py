"""Small leaks closed, attacked over real TLS on SQLite and PostgreSQL: a forged ``Host`` header never reaches a
link the service writes; deeply nested or oversized JSON bodies get 400 / 413, never a crash."""

from __future__ import annotations

import json

import pytest

from coreduce.exchange.api.middleware import json_depth_exceeds
from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings
from helpers.exchange_api import Api
from helpers.exchange_samples import footprint

ACME = "urn:company:acme"
EVIL = "evil.example"


def _api(database_url, tls_files, **settings):
    server = ServerThread(Settings(database_url=database_url, max_body_bytes=100_000, **settings), tls_files)
    server.__enter__()
    acme = server.app.state.exchange.add_client(ACME, "Acme Steel")
    return server, Api(server, str(tls_files.certfile), {"acme": (acme.client_id, acme.client_secret)})


@pytest.fixture(scope="module")
def api(database_url, tls_files):
    server, api = _api(database_url, tls_files)
    api.exchange.add_footprints(api.exchange.acting_as(ACME), [footprint(), footprint()])
    yield api
    server.__exit__(None, None, None)


def test_a_forged_host_header_is_refused(api):
    for path in ("/.well-known/openid-configuration", "/3/footprints?limit=1"):
        r = api.request("GET", path, headers={"Host": EVIL})
        assert r.status_code == 400 and EVIL not in r.text
    r = api.request("GET", "/3/footprints?limit=1")
    assert r.status_code == 200 and api.server.url.split("//")[1] in r.headers["link"]


def test_with_a_public_base_url_every_link_uses_it(database_url, tls_files):
    public = "https://exchange.example.org"
    server, api = _api(database_url, tls_files, public_base_url=public)
    try:
        api.exchange.add_footprints(api.exchange.acting_as(ACME), [footprint(), footprint()])
        with api.client() as c:
            r = c.get("/.well-known/openid-configuration", headers={"Host": EVIL})
        assert r.json()["token_endpoint"] == f"{public}/auth/token"
        for _ in range(2):  # read, then answered from the page cache before routing: the same link
            r = api.request("GET", "/3/footprints?limit=1", headers={"Host": EVIL})
            assert r.status_code == 200 and r.headers["link"].startswith(f"<{public}/3/footprints?")
            assert EVIL not in r.text
    finally:
        server.__exit__(None, None, None)


def test_a_depth_bomb_is_a_bad_request_not_a_crash(api):
    bomb = "[" * 5000 + "]" * 5000
    for path in ("/3/events", "/platform/footprints"):
        r = api.request("POST", path, content=bomb, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["code"] == "BadRequest" and "nested deeper" in r.json()["message"]
    obj_bomb = '{"a":' * 3000 + "1" + "}" * 3000
    r = api.request("POST", "/3/events", content=obj_bomb, headers={"Content-Type": "application/cloudevents+json"})
    assert r.status_code == 400
    r = api.request("POST", "/3/events", content=b"x" * 100_001, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "PayloadTooLarge"


def test_depth_counting_skips_brackets_inside_strings():
    deep_text = json.dumps({"comment": "[" * 500, "list": [[1]]}).encode()
    assert not json_depth_exceeds(deep_text, 64)
    assert json_depth_exceeds(b"[" * 65 + b"]" * 65, 64) and not json_depth_exceeds(b"[" * 64 + b"]" * 64, 64)
    assert not json_depth_exceeds(json.dumps({"s": 'a\\"[[[[' * 50}).encode(), 3)


def test_a_kept_page_is_still_behind_the_host_and_size_checks(api):
    path = "/3/footprints?limit=1"
    kept = api.request("GET", path)
    assert kept.status_code == 200 and api.request("GET", path).content == kept.content
    assert api.request("GET", path, headers={"Host": EVIL}).status_code == 400
    r = api.request("GET", path, content=b"x" * 100_001)  # a body on a GET is read and limited as any
    assert r.status_code == 413 and r.json()["code"] == "PayloadTooLarge"
    r = api.request("GET", path, content=iter([b"x" * 60_000, b"x" * 60_000]))  # chunked, no length declared
    assert r.status_code == 413
