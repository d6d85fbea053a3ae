"""The supplier workspace in a real Chromium (Debian's, driven by Playwright) against the real server (uvicorn).

Acme's admin signs in, uploads an activity sheet with one bad row (the problem is shown on that row and nothing is
stored), fixes it, sees the footprint, shares it with Beta; Beta's user signs in and sees it, and does not see
Gamma's footprint (whose URL answers as an absent one). The pages must print no console error and ask no other host
for anything; screenshots (laptop and phone width) are kept under the test's tmp directory.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coreduce.exchange.chain.upload import ActivityUpload
from helpers.browser import CHROMIUM, NO_CHROMIUM, Watch
from helpers.workspace import BAD, BETA, GAMMA, GOOD, PASSWORD, PRODUCT, populate

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]
PHONE = {"width": 375, "height": 740}


def sign_in(page, url: str, login: str) -> None:
    page.goto(f"{url}/workspace")
    page.wait_for_url(re.compile(r".*/workspace/login$"))
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("form.pick button[type=submit]")
    page.wait_for_url(re.compile(r".*/workspace$"))


def fill_product(page) -> None:
    for name, value in PRODUCT.items():
        if name == "declaredUnitOfMeasurement":
            page.select_option(f"#{name}", value)
        elif value:
            page.fill(f"#{name}", value)


def fits(page) -> bool:
    """Whether the page needs no sideways scrolling of the whole page (wide tables scroll inside their box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def gamma_footprint(exchange, url: str) -> str:
    spec = {k: v for k, v in PRODUCT.items() if k not in ("productId", "shareWith")}
    spec |= {"productIds": [PRODUCT["productId"]], "productNameCompany": "Gamma billet"}
    for key in ("referencePeriodStart", "referencePeriodEnd"):
        spec[key] += "T00:00:00Z"
    upload = ActivityUpload(products=[spec], activities=GOOD)
    return str(exchange.add_activity(exchange.acting_as(GAMMA), upload, url).footprints[0].id)


def test_upload_fix_share_and_tenancy_in_chromium(server, browser, tmp_path):
    exchange = server.app.state.exchange
    populate(exchange)
    hidden = gamma_footprint(exchange, server.url)
    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    context = browser.new_context(locale="en-GB")
    watch = Watch(context)
    page = context.new_page()

    sign_in(page, server.url, "ann@acme.example")
    page.click("nav.ws a[href='/workspace/upload']")
    fill_product(page)
    page.set_input_files("#file", str(tmp_path / "bad.csv"))
    page.click("#upload")
    page.wait_for_selector("#upload-error")
    bad_row = page.locator("#line-3")
    assert bad_row.get_attribute("aria-invalid") == "true"
    assert "field 'unit'" in bad_row.locator("td.problem").inner_text()
    assert page.locator("tr[aria-invalid]").count() == 1
    assert exchange.count_footprints() == 1  # Gamma's only: nothing of the failed upload was stored
    page.screenshot(path=tmp_path / "upload-error.png", full_page=True)

    page.set_input_files("#file", str(tmp_path / "good.csv"))
    page.click("#upload")
    page.wait_for_url(re.compile(r".*/workspace/footprints/[0-9a-f-]{36}$"))
    footprint = page.locator("#footprint-id").inner_text()
    stored = exchange.get_footprint(exchange.company_id("urn:company:acme"), footprint)
    assert page.locator("#co2").inner_text() == stored["pcf"]["pcfExcludingBiogenicUptake"]
    assert page.locator("#sources li").count() >= 3
    page.fill("#company", BETA)
    page.click("#share")
    page.wait_for_url(re.compile(rf".*/workspace/footprints/{footprint}$"))
    assert page.locator("#shared-with").inner_text() == BETA
    page.screenshot(path=tmp_path / "footprint.png", full_page=True)
    page.click("#logout")
    page.wait_for_url(re.compile(r".*/workspace/login$"))

    sign_in(page, server.url, "bea@beta.example")
    links = page.locator("#footprints a")
    assert links.count() == 1 and page.locator(f"a[href='/workspace/footprints/{footprint}']").count() == 1
    assert page.locator(f"a[href='/workspace/footprints/{hidden}']").count() == 0
    links.first.click()
    page.wait_for_url(re.compile(rf".*/workspace/footprints/{footprint}$"))
    assert page.locator("#co2").inner_text() == stored["pcf"]["pcfExcludingBiogenicUptake"]
    assert page.locator("#share").count() == 0
    # Gamma's id in the URL answers as an absent id (asked with the page's cookies; a page load of a 404 would be
    # a console error)
    theirs = page.request.get(f"{server.url}/workspace/footprints/{hidden}")
    absent = page.request.get(f"{server.url}/workspace/footprints/00000000-0000-4000-8000-000000000000")
    assert theirs.status == absent.status == 404 and "Gamma" not in theirs.text()

    page.set_viewport_size(PHONE)
    for path in ("/workspace", f"/workspace/footprints/{footprint}", "/workspace/upload"):
        page.goto(f"{server.url}{path}")
        assert fits(page), path
    page.screenshot(path=tmp_path / "phone-upload.png", full_page=True)
    context.close()

    assert watch.errors == []
    assert watch.requests and watch.other_hosts(server.url) == []


AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"  # see vendor/NOTICE.md (MPL-2.0)
AXE = "async () => (await axe.run(document, {runOnly: {type: 'tag', values: %s}})).violations"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page, axe: str) -> list[tuple[str, str, int]]:
    page.add_script_tag(content=axe)
    found = page.evaluate(AXE % json.dumps(WCAG))
    return [(v["id"], v["nodes"][0]["target"][0], len(v["nodes"])) for v in found]


def test_workspace_pages_pass_axe_core_wcag_aa(server, browser, tmp_path):
    axe_source = AXE_SCRIPT.read_text(encoding="utf-8")
    exchange = server.app.state.exchange
    populate(exchange)
    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    # axe is injected as an inline script, which the pages' CSP forbids: this context alone bypasses the CSP
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    found = {}
    page.goto(f"{server.url}/workspace/login")
    found["login"] = violations(page, axe_source)
    sign_in(page, server.url, "ann@acme.example")
    page.goto(f"{server.url}/workspace/upload")
    fill_product(page)
    page.set_input_files("#file", str(tmp_path / "bad.csv"))
    page.click("#upload")
    page.wait_for_selector("#upload-error")
    found["upload with a bad row"] = violations(page, axe_source)
    page.set_input_files("#file", str(tmp_path / "good.csv"))
    page.click("#upload")
    page.wait_for_url(re.compile(r".*/workspace/footprints/[0-9a-f-]{36}$"))
    found["footprint"] = violations(page, axe_source)
    for path in ("/workspace", "/workspace/clients", "/workspace/rollup", "/workspace/events", "/workspace/cbam"):
        page.goto(f"{server.url}{path}")
        found[path] = violations(page, axe_source)
    page.fill("#cn0", "25231000")
    page.fill("#mass0", "500")
    page.fill("#route0", "A")
    page.click("#cbam-go")
    page.wait_for_selector("#cbam-lines")
    found["cbam result"] = violations(page, axe_source)
    page.goto(f"{server.url}/workspace/measures")
    page.set_input_files("#file", str(tmp_path / "good.csv"))
    page.click("#rank")
    page.wait_for_selector("#mac")
    found["measures with the MAC chart"] = violations(page, axe_source)
    page.screenshot(path=tmp_path / "measures.png", full_page=True)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
