"""Driving Debian's Chromium with Playwright: where it is, how it is launched, and what every page must not do
(print a console error, raise, or ask another host for anything)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
NO_CHROMIUM = "needs Chromium at /usr/bin/chromium: apt-get install chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Watch:
    """Every request URL and every console error or page exception of the pages of a browser context."""

    def __init__(self, context):
        self.requests: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        context.on("weberror", lambda error: self.errors.append(str(error.error)))

    def other_hosts(self, origin_url: str) -> list[str]:
        origin = urlsplit(origin_url).netloc
        return [url for url in self.requests if urlsplit(url).netloc != origin]
