"""The supplier workspace over HTTP (in-process client on a real SQLite exchange): sign-in and sessions, CSRF on
every form, uploads with errors in place, footprints, sharing, tenancy, API clients, escaping of uploaded text.

Expected CO2: the arithmetic of tests/exchange/test_upload.py on the factors printed by their publishers
(CEDS hard coal 93.87517970731849 kg/GJ × 0.96 oxidised; MEE & NBS 2022 East China grid 0.5617 kg/kWh; BEIS
2020 HGV all diesel 0.10487 kg/t·km), per kg of 100,000 kg produced.
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import timedelta

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from coreduce.exchange.store.db import WebSession, utcnow
from coreduce.web import MODULES
from helpers.workspace import (
    BAD,
    BETA,
    GAMMA,
    GOOD,
    PASSWORD,
    PRODUCT,
    csrf_of,
    sign_in,
    workspace_app,
)

CO2_PER_KG = (1000 * 93.87517970731849 * 0.96 + 100_000 * 0.5617 + 10_000 * 0.10487) / 100_000


@pytest.fixture
def app(tmp_path):
    return workspace_app(tmp_path / "exchange.db")


def client(app) -> TestClient:
    return TestClient(app, headers={"accept-language": "en"})


def signed_in(app, login: str) -> TestClient:
    c = client(app)
    assert sign_in(c, login).status_code == 303
    return c


def upload(c: TestClient, text: str | bytes, name: str = "activity.csv", **fields):
    csrf = csrf_of(c.get("/workspace/upload").text)
    body = text.encode() if isinstance(text, str) else text
    return c.post(
        "/workspace/upload",
        data={**PRODUCT, **fields, "csrf": csrf},
        files={"file": (name, body, "application/octet-stream")},
        follow_redirects=False,
    )


def published(c: TestClient, **fields) -> str:
    response = upload(c, GOOD, **fields)
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


def test_pages_need_a_session(app):
    c = client(app)
    paths = ["/workspace", "/workspace/upload", "/workspace/clients", f"/workspace/footprints/{uuid.uuid4()}"]
    for path in [*paths, "/workspace/rollup", "/workspace/measures", "/workspace/cbam", "/workspace/events"]:
        response = c.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/workspace/login", path


def test_sign_in_cookie_is_hardened_and_wrong_password_is_refused(app):
    c = client(app)
    wrong = sign_in(c, "ann@acme.example", "not the password at all")
    assert wrong.status_code == 200 and "Wrong login or password" in wrong.text
    assert "coreduce_session" not in c.cookies
    unknown = sign_in(c, "nobody@acme.example")
    assert unknown.status_code == 200 and unknown.text == wrong.text.replace("ann@acme.example", "nobody@acme.example")
    ok = sign_in(c, "ANN@acme.example")
    cookie = next(h for h in ok.headers.get_list("set-cookie") if h.startswith("coreduce_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie and "Max-Age=28800" in cookie
    page = c.get("/workspace")
    assert page.status_code == 200 and "Acme Steel" in page.text and page.headers["cache-control"] == "no-store"
    actions = [e["action"] for e in app.state.exchange.audit_log()]
    assert actions.count("user.login_failure") == 2 and "user.login" in actions


def test_session_fixation_a_planted_session_id_is_replaced_at_sign_in(app):
    attacker = signed_in(app, "gus@gamma.example")
    planted = attacker.cookies["coreduce_session"]
    victim = client(app)
    victim.cookies.set("coreduce_session", planted, domain="testserver.local")
    response = sign_in(victim, "ann@acme.example")
    issued = victim.cookies["coreduce_session"]
    assert response.status_code == 303 and issued != planted
    # the planted id no longer opens any session: the attacker is signed out, not signed in as the victim
    assert attacker.get("/workspace", follow_redirects=False).status_code == 303
    assert "Acme Steel" in victim.get("/workspace").text
    # an id the server never issued is never accepted
    forged = client(app)
    forged.cookies.set("coreduce_session", "attacker-chosen-value", domain="testserver.local")
    assert forged.get("/workspace", follow_redirects=False).status_code == 303


def test_sign_out_and_expiry_end_the_session(app):
    c = signed_in(app, "ann@acme.example")
    old = c.cookies["coreduce_session"]
    csrf = csrf_of(c.get("/workspace").text)
    assert c.post("/workspace/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    replay = client(app)
    replay.cookies.set("coreduce_session", old, domain="testserver.local")
    assert replay.get("/workspace", follow_redirects=False).status_code == 303
    c = signed_in(app, "max@acme.example")
    with app.state.exchange.session() as s, s.begin():
        s.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert c.get("/workspace", follow_redirects=False).headers["location"] == "/workspace/login"


def _post_routes() -> list[str]:
    routes = [r for module in MODULES for r in module.router.routes]
    return sorted(r.path for r in routes if r.path.startswith("/workspace") and "POST" in r.methods)


def test_csrf_every_form_carries_the_token_and_every_post_checks_it(app):
    c = signed_in(app, "ann@acme.example")
    footprint = published(c)
    csrf = csrf_of(c.get("/workspace").text)
    made = c.post("/workspace/clients", data={"csrf": csrf})
    client_id = re.search(r'id="made-id">([^<]+)<', made.text).group(1)
    pages = ["/workspace", "/workspace/upload", "/workspace/clients", f"/workspace/footprints/{footprint}"]
    pages += ["/workspace/rollup", "/workspace/measures", "/workspace/cbam", "/workspace/events"]
    forms = 0
    for path in pages:
        html = c.get(path).text
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S):
            forms += 1
            assert f'name="csrf" value="{csrf}"' in form, (path, form)
    assert forms >= 14
    login_form = client(app).get("/workspace/login").text
    assert re.search(r'name="csrf" value="[^"]{40,}"', login_form)

    values = {
        "{footprint_id}": footprint,
        "{client_id}": client_id,
        "{action}": "deprecate",
    }
    before = (app.state.exchange.count_footprints(), len(app.state.exchange.audit_log()))
    posts = _post_routes()
    assert {"/workspace/login", "/workspace/logout", "/workspace/upload", "/workspace/clients", "/workspace/rollup",
            "/workspace/measures", "/workspace/cbam"} <= set(posts)  # fmt: skip
    for route in posts:
        path = route
        for k, v in values.items():
            path = path.replace(k, v)
        if "/clients/" in route:
            path = path.replace("/deprecate", "/revoke")
        for token in (None, "", "x" * 43, csrf + "x"):
            data = {**PRODUCT, "company": BETA, "login": "ann@acme.example", "password": PASSWORD}
            if token is not None:
                data["csrf"] = token
            files = {"file": ("a.csv", GOOD.encode(), "text/csv")} if route.endswith(("upload", "measures")) else None
            response = c.post(path, data=data, files=files, follow_redirects=False)
            assert response.status_code == 403, (route, token, response.status_code)
    assert (app.state.exchange.count_footprints(), len(app.state.exchange.audit_log())) == before
    assert "Active" in c.get(f"/workspace/footprints/{footprint}").text
    # a token of another session is refused too
    other = signed_in(app, "max@acme.example")
    stolen = csrf_of(other.get("/workspace").text)
    assert c.post(f"/workspace/footprints/{footprint}/deprecate", data={"csrf": stolen}).status_code == 403


def test_upload_shows_each_bad_row_in_place_and_stores_nothing(app):
    c = signed_in(app, "ann@acme.example")
    response = upload(c, BAD)
    assert response.status_code == 200 and "Nothing was stored" in response.text
    row = re.search(r'<tr id="line-3"(.*?)</tr>', response.text, re.S).group(1)
    assert 'class="bad"' in row and "parsec" in row and "field &#39;unit&#39;" in row
    for line in (2, 4):
        assert 'class="bad"' not in re.search(rf'<tr id="line-{line}"(.*?)>', response.text).group(1)
    assert app.state.exchange.count_footprints() == 0
    assert 'value="HR coil"' in response.text  # the form keeps what was typed
    footprint = published(c)
    page = c.get(f"/workspace/footprints/{footprint}").text
    co2 = float(re.search(r'id="co2">([^<]+)<', page).group(1))
    assert co2 == pytest.approx(CO2_PER_KG, rel=1e-7)
    assert "Ministry" in page or "MEE" in page  # the grid factor's publisher is named
    stored = app.state.exchange.get_footprint(app.state.exchange.company_id("urn:company:acme"), footprint)
    assert re.search(r'id="co2">([^<]+)<', page).group(1) == stored["pcf"]["pcfExcludingBiogenicUptake"]
    so2 = stored["extensions"][0]["data"]["so2"]
    assert f"<td>{so2}</td>" in page


def test_xlsx_rows_are_numbered_as_in_the_sheet(app):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in BAD.strip().splitlines():
        sheet.append([float(v) if v.replace(".", "").isdigit() else v for v in line.split(",")])
    buffer = io.BytesIO()
    book.save(buffer)
    c = signed_in(app, "ann@acme.example")
    response = upload(c, buffer.getvalue(), name="activity.xlsx")
    assert response.status_code == 200 and "Nothing was stored" in response.text
    assert 'class="bad"' in re.search(r'<tr id="line-3"(.*?)>', response.text).group(1)
    assert app.state.exchange.count_footprints() == 0


def test_share_then_the_customer_sees_it_and_another_company_gets_not_found(app):
    acme = signed_in(app, "ann@acme.example")
    footprint = published(acme)
    csrf = csrf_of(acme.get("/workspace").text)
    unknown = acme.post(f"/workspace/footprints/{footprint}/share", data={"csrf": csrf, "company": "urn:company:x"})
    assert unknown.status_code == 400 and "urn:company:x" not in unknown.text
    shared = acme.post(f"/workspace/footprints/{footprint}/share", data={"csrf": csrf, "company": BETA})
    assert shared.status_code == 200 and BETA in shared.text
    beta = signed_in(app, "bea@beta.example")
    assert footprint in beta.get("/workspace").text
    seen = beta.get(f"/workspace/footprints/{footprint}")
    assert seen.status_code == 200 and 'id="share"' not in seen.text and 'id="deprecate"' not in seen.text
    gamma = signed_in(app, "gus@gamma.example")
    assert footprint not in gamma.get("/workspace").text
    absent = str(uuid.uuid4())
    theirs, nothing = gamma.get(f"/workspace/footprints/{footprint}"), gamma.get(f"/workspace/footprints/{absent}")
    assert theirs.status_code == nothing.status_code == 404
    assert theirs.text.replace(footprint, "ID") == nothing.text.replace(absent, "ID")
    gamma_csrf = csrf_of(gamma.get("/workspace").text)
    for action in ("share", "deprecate"):
        data = {"csrf": gamma_csrf, "company": GAMMA}
        theirs = gamma.post(f"/workspace/footprints/{footprint}/{action}", data=data)
        nothing = gamma.post(f"/workspace/footprints/{absent}/{action}", data=data)
        assert theirs.status_code == nothing.status_code == 404
        assert theirs.text.replace(footprint, "ID") == nothing.text.replace(absent, "ID")
    # the customer may read but not change it
    beta_csrf = csrf_of(beta.get("/workspace").text)
    assert beta.post(f"/workspace/footprints/{footprint}/deprecate", data={"csrf": beta_csrf}).status_code == 404
    deprecated = acme.post(f"/workspace/footprints/{footprint}/deprecate", data={"csrf": csrf})
    assert deprecated.status_code == 200 and 'id="status">Deprecated<' in deprecated.text


def test_uploaded_names_and_values_are_escaped(app):
    c = signed_in(app, "ann@acme.example")
    script = "<script>alert(1)</script>"
    bad = BAD.replace("hard_coal,power,old,,2015", 'hard_coal,power,old,"<img src=x onerror=alert(2)>",2015')
    response = upload(c, bad.replace("parsec", script), productNameCompany=script)
    assert "Nothing was stored" in response.text
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    footprint = published(c, productNameCompany=script)
    for path in ("/workspace", f"/workspace/footprints/{footprint}"):
        html = c.get(path).text
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_only_admins_manage_api_clients_of_their_own_company(app):
    admin = signed_in(app, "ann@acme.example")
    csrf = csrf_of(admin.get("/workspace").text)
    made = admin.post("/workspace/clients", data={"csrf": csrf})
    client_id = re.search(r'id="made-id">([^<]+)<', made.text).group(1)
    secret = re.search(r'id="made-secret">([^<]+)<', made.text).group(1)
    assert app.state.exchange.issue_token(client_id, secret)[0]
    rotated = admin.post(f"/workspace/clients/{client_id}/rotate", data={"csrf": csrf})
    new_secret = re.search(r'id="made-secret">([^<]+)<', rotated.text).group(1)
    assert new_secret != secret and app.state.exchange.issue_token(client_id, new_secret)[0]
    member = signed_in(app, "max@acme.example")
    assert member.get("/workspace/clients").status_code == 403
    member_csrf = csrf_of(member.get("/workspace").text)
    assert member.post(f"/workspace/clients/{client_id}/revoke", data={"csrf": member_csrf}).status_code == 403
    other = signed_in(app, "gus@gamma.example")
    other_csrf = csrf_of(other.get("/workspace").text)
    assert other.post(f"/workspace/clients/{client_id}/revoke", data={"csrf": other_csrf}).status_code == 404
    assert admin.post(f"/workspace/clients/{client_id}/revoke", data={"csrf": csrf}).status_code == 200
    assert "revoked" in admin.get("/workspace/clients").text


def test_language_switch_is_remembered(app):
    c = signed_in(app, "ann@acme.example")
    assert "产品足迹" in c.get("/workspace?lang=zh").text
    assert "产品足迹" in c.get("/workspace/upload").text
    assert "Footprints" in c.get("/workspace?lang=en").text


def test_cli_adds_and_removes_users(tmp_path):
    from typer.testing import CliRunner

    from coreduce.cli.main import app as cli
    from coreduce.exchange.service import open_exchange

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    exchange = open_exchange(url)
    exchange.add_company("Acme Steel", "urn:company:acme")
    run = CliRunner().invoke
    args = ["exchange", "user", "add", "Eve@Acme.example", "--company", "urn:company:acme", "--role", "admin"]
    short = run(cli, [*args, "--database-url", url], input="short\nshort\n")
    assert short.exit_code == 2 and "at least 12 characters" in short.output
    added = run(cli, [*args, "--database-url", url], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.exit_code == 0, added.output
    session_id, user = exchange.sign_in("eve@acme.example", PASSWORD)
    assert (user.role, user.company_urn) == ("admin", "urn:company:acme")
    again = run(cli, [*args, "--database-url", url], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert again.exit_code == 2 and "already exists" in again.output
    removed = run(cli, ["exchange", "user", "remove", "eve@acme.example", "--database-url", url])
    assert removed.exit_code == 0 and exchange.web_user(session_id) is None
    assert run(cli, ["exchange", "user", "remove", "eve@acme.example", "--database-url", url]).exit_code == 2
