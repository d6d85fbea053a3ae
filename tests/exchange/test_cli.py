"""``coreduce exchange`` and ``coreduce serve`` through the real command line entry point."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app
from coreduce.exchange.server import InsecureHttpRefused, resolve_tls
from helpers.exchange_samples import footprint

runner = CliRunner(env={"COLUMNS": "300"})  # wide enough that table cells do not wrap


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def test_client_add_import_and_list(tmp_path, db):
    r = runner.invoke(app, ["exchange", "client-add", "urn:company:acme", "--name", "Acme", "--database-url", db])
    assert r.exit_code == 0, r.output
    assert "cr_" in r.output
    runner.invoke(app, ["exchange", "client-add", "urn:company:beta", "--database-url", db])
    docs = [footprint(), footprint(productNameCompany="Acme cold coil")]
    path = tmp_path / "pfs.json"
    path.write_text(json.dumps({"data": docs}))
    args = ["exchange", "import", str(path), "--company", "urn:company:acme", "--share-with", "urn:company:beta"]
    r = runner.invoke(app, [*args, "--database-url", db])
    assert r.exit_code == 0, r.output
    assert "stored 2 footprint(s)" in r.output
    r = runner.invoke(app, ["exchange", "footprint", "--company", "urn:company:beta", "--database-url", db])
    assert r.exit_code == 0 and "Acme cold coil" in r.output
    r = runner.invoke(
        app, ["exchange", "footprint", docs[0]["id"], "--company", "urn:company:acme", "--database-url", db]
    )
    assert r.exit_code == 0 and json.loads(r.output)["id"] == docs[0]["id"]


def test_import_of_a_bad_file_names_file_footprint_and_field_and_stores_nothing(tmp_path, db):
    runner.invoke(app, ["exchange", "client-add", "urn:company:acme", "--database-url", db])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([footprint(), footprint(pcf__geographyCountry="China")]))
    r = runner.invoke(app, ["exchange", "import", str(path), "--company", "urn:company:acme", "--database-url", db])
    assert r.exit_code == 2
    assert "bad.json" in r.output and "footprint 1" in r.output and "pcf.geographyCountry" in r.output
    r = runner.invoke(app, ["exchange", "footprint", "--company", "urn:company:acme", "--database-url", db])
    assert r.exit_code == 0 and "Acme HR coil" not in r.output

    path.write_text("{not json")
    r = runner.invoke(app, ["exchange", "import", str(path), "--company", "urn:company:acme", "--database-url", db])
    assert r.exit_code == 2 and "not a JSON file" in r.output
    r = runner.invoke(app, ["exchange", "import", str(path), "--company", "urn:company:nobody", "--database-url", db])
    assert r.exit_code == 2


def test_unknown_company_and_bad_urn(db):
    r = runner.invoke(app, ["exchange", "footprint", "--company", "urn:company:nobody", "--database-url", db])
    assert r.exit_code == 2 and "urn:company:nobody" in r.output
    r = runner.invoke(app, ["exchange", "client-add", "acme", "--database-url", db])
    assert r.exit_code == 2 and "URN" in r.output


def test_plain_http_is_refused_unless_asked_for():
    with pytest.raises(InsecureHttpRefused, match="--dev-insecure-http"):
        resolve_tls(None, None, self_signed=False, dev_insecure_http=False, host="127.0.0.1")
    assert resolve_tls(None, None, self_signed=False, dev_insecure_http=True, host="127.0.0.1") is None


def test_serve_rejects_half_a_certificate(tmp_path):
    r = runner.invoke(app, ["serve", "--cert", str(tmp_path / "c.pem")])
    assert r.exit_code == 2 and "both --cert and --key" in r.output
    (tmp_path / "c.pem").write_text("x")
    r = runner.invoke(app, ["serve", "--cert", str(tmp_path / "c.pem"), "--key", str(tmp_path / "k.pem")])
    assert r.exit_code == 2 and "not found" in r.output


def test_self_signed_certificate_is_reused_and_key_is_private(tmp_path):
    import stat

    from coreduce.exchange.tls import self_signed

    cert, key = self_signed(tmp_path)
    first = cert.read_bytes()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert self_signed(tmp_path)[0].read_bytes() == first
    assert self_signed(tmp_path, ("exchange.example.org",))[0].read_bytes() != first


ACTIVITY = """activity_type,fuel,sector,technology,region,year,mode,quantity,unit
fuel,hard_coal,industry,,,2015,,1000,GJ
electricity,,,,east,2022,,100,MWh
"""
PRODUCT = {
    "productIds": ["urn:gtin:4712345060507"],
    "productNameCompany": "HR coil",
    "declaredUnitOfMeasurement": "kilogram",
    "producedAmount": "100000",
    "productMassPerDeclaredUnit": "1",
    "referencePeriodStart": "2024-01-01T00:00:00Z",
    "referencePeriodEnd": "2025-01-01T00:00:00Z",
}


def test_import_of_activity_rows_co_accounts_them(tmp_path, db):
    runner.invoke(app, ["exchange", "client-add", "urn:company:acme", "--name", "Acme", "--database-url", db])
    rows, products = tmp_path / "activity.csv", tmp_path / "products.json"
    rows.write_text(ACTIVITY)
    products.write_text(json.dumps([PRODUCT]))
    args = ["exchange", "import", str(rows), "--company", "urn:company:acme", "--products", str(products)]
    r = runner.invoke(app, [*args, "--database-url", db])
    assert r.exit_code == 0, r.output
    # (1,000 GJ × 93.875 × 0.96 kg/GJ [CEDS] + 100,000 kWh × 0.5617 kg/kWh [MEE 2022 East]) / 100,000 kg.
    expected = (1000 * 93.87517970731849 * 0.96 + 56_170) / 100_000
    (shown,) = re.findall(r"│ (\d+\.\d+) +│", r.output)[:1]
    assert float(shown) == pytest.approx(expected, rel=1e-7)
    r = runner.invoke(app, ["exchange", "footprint", "--company", "urn:company:acme", "--database-url", db])
    assert "HR coil" in r.output

    rows.write_text(ACTIVITY.replace("100,MWh", "-100,MWh"))
    r = runner.invoke(app, [*args, "--database-url", db])
    assert r.exit_code == 2 and "activity.csv" in r.output and "line 3, field 'quantity'" in r.output
    products.write_text(json.dumps([{**PRODUCT, "producedAmount": "lots"}]))
    r = runner.invoke(app, [*args, "--database-url", db])
    assert r.exit_code == 2 and "products.json" in r.output and "producedAmount" in r.output


def test_measures_command_ranks_and_draws(tmp_path):
    rows = tmp_path / "activity.csv"
    rows.write_text(ACTIVITY)
    mac = tmp_path / "mac.svg"
    r = runner.invoke(app, ["exchange", "measures", str(rows), "--mac", str(mac)])
    assert r.exit_code == 0, r.output
    assert "boiler_efficiency" in r.output and "raises co2" in r.output  # FGD's limestone and power add CO2
    assert mac.read_bytes().lstrip().startswith(b"<?xml")
    r = runner.invoke(app, ["exchange", "measures", str(rows), "--weighting", "env_tax"])
    assert r.exit_code == 2 and "co2_price" in r.output


@pytest.mark.slow
def test_serve_starts_with_no_set_up_over_self_signed_tls(tmp_path):
    """``coreduce serve`` with no options: SQLite under the user directory, a generated certificate, HTTPS."""
    import os
    import socket
    import ssl
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "COREDUCE_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-c", "from coreduce.cli.main import main; main()", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        cert = tmp_path / "home" / "exchange" / "tls" / "cert.pem"
        deadline, answer = time.monotonic() + 45, None
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                verify = ssl.create_default_context(cafile=str(cert))
                answer = httpx.get(f"https://127.0.0.1:{port}/.well-known/openid-configuration", verify=verify)
            except (httpx.TransportError, FileNotFoundError, ssl.SSLError):
                time.sleep(0.3)
        assert answer is not None, server.stderr.read().decode() if server.poll() is not None else "no answer"
        assert answer.json()["token_endpoint"] == f"https://127.0.0.1:{port}/auth/token"
        assert (tmp_path / "home" / "exchange" / "exchange.sqlite3").is_file()
        with pytest.raises(httpx.TransportError):  # the TLS port does not speak plain HTTP
            httpx.get(f"http://127.0.0.1:{port}/3/footprints", timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_delegate_grant_and_revoke(tmp_path, db):
    for urn in ("urn:company:acme", "urn:company:beta"):
        runner.invoke(app, ["exchange", "client-add", urn, "--database-url", db])
    path = tmp_path / "for-beta.json"
    path.write_text(json.dumps(footprint(companyName="Beta", companyIds=["urn:company:beta"])))
    imported = ["exchange", "import", str(path), "--company", "urn:company:acme", "--database-url", db]
    r = runner.invoke(app, imported)
    assert r.exit_code == 2 and "companyIds" in r.output  # Acme may not publish in Beta's name
    delegation = ["--from", "urn:company:beta", "--to", "urn:company:acme", "--database-url", db]
    r = runner.invoke(app, ["exchange", "delegate", "grant", *delegation])
    assert r.exit_code == 0 and "may now publish in the name of urn:company:beta" in r.output
    assert runner.invoke(app, imported).exit_code == 0
    r = runner.invoke(app, ["exchange", "delegate", "revoke", *delegation])
    assert r.exit_code == 0 and "may no longer" in r.output
    r = runner.invoke(app, ["exchange", "delegate", "revoke", *delegation])
    assert "(unchanged)" in r.output
