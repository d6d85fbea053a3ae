"""Fixtures of the report tests: a small synthetic panel, and the external programs the tests drive."""

from __future__ import annotations

import shutil

import matplotlib
import pytest

from coreduce.data.panel import Panel
from helpers.panels import national_panel, trend_panel

matplotlib.use("Agg")

SYSTEM_HINT = "apt-get install chromium poppler-utils fonts-noto-cjk fonts-wqy-zenhei"


@pytest.fixture(scope="session")
def small_panel() -> Panel:
    return national_panel()


@pytest.fixture(scope="session")
def rich_panel() -> Panel:
    return trend_panel()


@pytest.fixture(scope="session")
def chromium() -> str:
    from coreduce.report.pdf import find_chromium

    path = find_chromium()
    if path is None:
        pytest.skip(f"headless Chromium not installed ({SYSTEM_HINT})")
    return path


@pytest.fixture(scope="session")
def poppler() -> None:
    if shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None:
        pytest.skip(f"poppler-utils not installed ({SYSTEM_HINT})")


@pytest.fixture(scope="session")
def truetype_cjk_font() -> str:
    """A CJK font with TrueType outlines (the PDFs embed it as CID TrueType, not Type 3)."""
    from coreduce.report.fonts import find_cjk_font, is_truetype

    family = find_cjk_font()
    if family is None or not is_truetype(family):
        pytest.skip(f"no TrueType CJK font installed (found {family}; apt-get install fonts-wqy-zenhei)")
    return family


@pytest.fixture(scope="session")
def cjk_font() -> str:
    from coreduce.report.fonts import find_cjk_font

    family = find_cjk_font()
    if family is None:
        pytest.skip(f"no CJK font installed ({SYSTEM_HINT})")
    return family


def run_chromium(chromium: str, page, tmp_path, *extra: str) -> tuple[str, list[dict]]:
    """Load ``page`` in headless Chromium with DNS disabled; return the DOM after load and the network requests
    the page itself made (browser-internal requests, whose initiator is "not an origin", are left out)."""
    import json
    import subprocess

    profile = tmp_path / "chromium-profile"
    netlog = tmp_path / "netlog.json"
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--log-net-log={netlog}",
        *extra,
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    log = json.loads(netlog.read_text(encoding="utf-8"))
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    requests = []
    for event in log["events"]:
        params = event.get("params", {})
        started = names.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params
        if started and params.get("initiator") != "not an origin":
            requests.append(params)
    return done.stdout, requests


@pytest.fixture
def load_in_chromium(chromium, tmp_path):
    """``load_in_chromium(path) -> (dom, page_requests)``."""
    return lambda page, *extra: run_chromium(chromium, page, tmp_path, *extra)


@pytest.fixture(scope="module")
def small_report(tmp_path_factory, small_panel):
    """The report of the synthetic panel in Chinese, HTML and PDF (PDF by Chromium when installed)."""
    from coreduce.report import build_report

    out = tmp_path_factory.mktemp("report-small")
    return build_report(small_panel, out, lang="zh", formats=("html", "pdf"))
