"""A headless Chromium started ahead of the PDF, printing it over the DevTools protocol.

Printing with ``chromium --print-to-pdf`` starts a browser once the HTML is written; the browser's start-up
(about 0.6 s on a quiet 2-core machine, more under load) then lies on the report's critical path. The report
starts this browser when its build starts instead, while the analyses run, and has it open the tab that will print
(and with it the renderer process) at once; it asks it to print when the HTML is ready: the DevTools protocol over
a pipe (``--remote-debugging-pipe``: the browser reads commands, JSON each ended by a NUL byte, on its file
descriptor 3 and answers on 4), with ``Page.printToPDF`` given the settings of ``--print-to-pdf`` (the page's CSS
size, backgrounds, no header or footer). The browser is a process of its own and no thread is started, so the
report can still fork its second process.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coreduce.report.pdf import CHROMIUM_FLAGS

PRINT = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False}
"""``Page.printToPDF`` settings equal to ``--print-to-pdf --no-pdf-header-footer``."""


class BrowserError(RuntimeError):
    """The browser ended, answered an error or did not answer in time."""


def _high(fd: int) -> int:
    """``fd`` moved to a number above 4, so that placing the pipe on 3 and 4 overwrites none of its ends."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 5)
    os.close(fd)
    return moved


PLACE = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"
)
"""Run by a bare Python before the browser: puts the pipe's ends on descriptors 3 and 4 and becomes Chromium."""


class Browser:
    """A headless Chromium with a DevTools pipe; :meth:`print_pdf` prints a page, :meth:`close` ends it."""

    def __init__(self, chromium: str) -> None:
        theirs_in, self._write = os.pipe()
        self._read, theirs_out = os.pipe()
        theirs_in, theirs_out = _high(theirs_in), _high(theirs_out)
        self._profile = tempfile.mkdtemp(prefix="coreduce-chromium-")
        flags = [*CHROMIUM_FLAGS, f"--user-data-dir={self._profile}", "--remote-debugging-pipe", "about:blank"]
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", PLACE, str(theirs_in), str(theirs_out), chromium, *flags],
                pass_fds=(theirs_in, theirs_out),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        finally:
            os.close(theirs_in)
            os.close(theirs_out)
        self._buffer = b""
        self._next = 0
        self._tab = self._send("Target.createTarget", {"url": "about:blank"})  # opened while the report is built

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._write, data) :]
        return self._next

    def _until(self, wanted, deadline: float) -> dict:
        """The first message for which ``wanted(message)`` holds (those before it are dropped)."""
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "error" in message:
                    raise BrowserError(f"Chromium answered {message['error']}")
                if wanted(message):
                    return message
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium ended (exit {self._process.poll()})")
            self._buffer += chunk

    def _call(self, method: str, deadline: float, params: dict | None = None, session: str | None = None) -> dict:
        sent = self._send(method, params, session)
        return self._until(lambda m: m.get("id") == sent, deadline).get("result", {})

    def print_pdf(self, html_path: Path, pdf_path: Path, timeout: float = 120) -> None:
        """Print ``html_path`` to ``pdf_path`` as ``--print-to-pdf`` would."""
        deadline = time.monotonic() + timeout
        tab, self._tab = self._tab, None  # the tab opened at start-up, then a new one for each page
        sent = tab if tab is not None else self._send("Target.createTarget", {"url": "about:blank"})
        target = self._until(lambda m: m.get("id") == sent, deadline)["result"]["targetId"]
        session = self._call("Target.attachToTarget", deadline, {"targetId": target, "flatten": True})["sessionId"]
        self._call("Page.enable", deadline, session=session)
        self._send("Page.navigate", {"url": Path(html_path).resolve().as_uri()}, session)
        self._until(lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == session, deadline)
        data = self._call("Page.printToPDF", deadline, PRINT, session)["data"]
        Path(pdf_path).write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """End the browser and remove its profile."""
        with contextlib.suppress(OSError):  # it may have ended already
            self._send("Browser.close")
        for fd in (self._write, self._read):
            with contextlib.suppress(OSError):
                os.close(fd)
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self._profile, ignore_errors=True)


def launch(chromium: str | None) -> Browser | None:
    """A browser started now, or None (no Chromium, not a POSIX system, or it could not start)."""
    if chromium is None or os.name != "posix":
        return None
    try:
        return Browser(chromium)
    except (OSError, BrowserError):
        return None
