"""The real server (uvicorn on an ephemeral port, plain HTTP on 127.0.0.1, web pages mounted) and Chromium."""

from __future__ import annotations

import pytest

from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings
from coreduce.web import router
from helpers.browser import ARGS, CHROMIUM


@pytest.fixture
def server(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'exchange.db'}", routers=(router,))
    with ServerThread(settings, tls=None) as running:
        yield running


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()
