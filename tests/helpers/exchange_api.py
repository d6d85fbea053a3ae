"""A client of a running exchange for the tests: tokens fetched once per company, requests over verified TLS."""

from __future__ import annotations

import ssl

import httpx

from coreduce.exchange.server import ServerThread


class Api:
    def __init__(self, server: ServerThread, cafile: str, creds):
        self.server, self.cafile, self.creds = server, cafile, creds
        self.tokens: dict[str, str] = {}

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, verify=ssl.create_default_context(cafile=self.cafile), timeout=30)

    def headers(self, who: str) -> dict:
        if who not in self.tokens:
            with self.client() as c:
                r = c.post("/auth/token", data={"grant_type": "client_credentials"}, auth=self.creds[who])
            self.tokens[who] = r.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def request(self, method: str, path: str, who: str = "acme", **kw) -> httpx.Response:
        headers = {**self.headers(who), **kw.pop("headers", {})}
        with self.client() as c:
            return c.request(method, path, headers=headers, **kw)

    @property
    def exchange(self):
        return self.server.app.state.exchange

    def stored(self) -> int:
        return self.exchange.count_footprints()
