"""The Chromium started ahead of the PDF: it prints what ``--print-to-pdf`` prints, and a browser that has ended
leaves the printing to a new one."""

from __future__ import annotations

import subprocess

import pytest

from coreduce.report.browser import Browser, BrowserError, launch
from coreduce.report.pdf import chromium_pdf

PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>@page { size: A4; margin: 16mm; }
.box { background: #1f4e79; color: white; break-after: page; }</style></head>
<body><p class="box">减污降碳 0.1 + 0.2 = 0.30000000000000004</p><p>第二页 second page</p></body></html>"""


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pages(pdf) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return next(line for line in info.splitlines() if line.startswith(("Pages:", "Page size:")))


def test_browser_started_ahead_prints_what_print_to_pdf_prints(chromium, poppler, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    browser = launch(chromium)
    assert browser is not None
    try:
        browser.print_pdf(page, tmp_path / "ahead.pdf", timeout=60)
        browser.print_pdf(page, tmp_path / "again.pdf", timeout=60)  # one browser prints more than one page
    finally:
        browser.close()
    assert browser._process.poll() is not None  # closed: the browser has ended
    chromium_pdf(page, tmp_path / "new.pdf", chromium)
    for name in ("ahead.pdf", "again.pdf"):
        assert _pages(tmp_path / name) == _pages(tmp_path / "new.pdf")
        assert _text(tmp_path / name) == _text(tmp_path / "new.pdf")
    assert "减污降碳" in _text(tmp_path / "ahead.pdf")


def test_an_ended_browser_leaves_the_pdf_to_a_new_one(chromium, poppler, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    browser = Browser(chromium)
    browser._process.kill()
    browser._process.wait()
    with pytest.raises((BrowserError, OSError)):  # a broken pipe or no answer
        browser.print_pdf(page, tmp_path / "never.pdf", timeout=30)
    chromium_pdf(page, tmp_path / "report.pdf", chromium, browser=browser)
    browser.close()
    assert "second page" in _text(tmp_path / "report.pdf")


def test_no_chromium_no_browser():
    assert launch(None) is None
