"""``coreduce cbam goods|embedded|certificates|template`` through the real command line entry point."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app
from helpers.cbam_samples import as_mapping, kiln

runner = CliRunner(env={"COLUMNS": "300"})


def test_goods_prints_the_good_sector_and_default_values():
    result = runner.invoke(app, ["cbam", "goods", "25231000", "--country", "CN"])
    assert result.exit_code == 0, result.output
    assert "Cement clinker" in result.output and "Grey clinker" in result.output
    # IR 2025/2621 Annex I, China grey clinker: 1.35 direct, 0.04 indirect, 1.39 total, 1.529 with the 2026 mark-up
    line = next(ln for ln in result.output.splitlines() if "Grey clinker" in ln)
    assert all(v in line.split() for v in ("1.35", "0.04", "1.39", "1.1", "1.529"))
    assert "were read in the Official Journal" in result.output  # China's clinker rows are verified
    zh = runner.invoke(app, ["cbam", "goods", "25231000", "--country", "CN", "--lang", "zh"])
    assert "已对照欧盟官方公报核读" in zh.output
    brazil = runner.invoke(app, ["cbam", "goods", "76169990", "--country", "BR"])
    assert "were read in the Official Journal" in brazil.output  # aligned on the second reading of IR 2025/2621


def test_goods_outside_cbam_is_an_error_naming_the_field():
    result = runner.invoke(app, ["cbam", "goods", "84713000"])
    assert result.exit_code == 2 and "field 'cn'" in result.output


def test_embedded_and_certificates_from_files(tmp_path):
    imports = tmp_path / "imports.csv"
    imports.write_text("cn,country,mass_t,route,process_id\n25231000,CN,1000,A,kiln\n72071111,CN,100,C,\n")
    inst = tmp_path / "installation.json"
    inst.write_text(json.dumps(as_mapping(kiln())))
    out = tmp_path / "embedded.xlsx"
    result = runner.invoke(app, ["cbam", "embedded", str(imports), "--installation", str(inst), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "902.83" in result.output  # 1,000 t × 0.902833 (hand-worked in test_cbam_embedded)
    result = runner.invoke(app, ["cbam", "certificates", str(imports), "--installation", str(inst), "--price", "80"])
    assert result.exit_code == 0, result.output
    assert "2034" in result.output and "cbam_factor" in result.output


def test_bad_import_file_leaves_nothing_written(tmp_path):
    imports = tmp_path / "imports.json"
    imports.write_text(json.dumps([{"cn": "25231000", "country": "CN", "mass_t": -1, "route": "A"}]))
    out = tmp_path / "never.csv"
    result = runner.invoke(app, ["cbam", "embedded", str(imports), "--out", str(out)])
    assert result.exit_code == 2 and "imports[0].mass_t" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [imports]


def test_template_export_and_read_back(tmp_path):
    inst = tmp_path / "installation.json"
    inst.write_text(json.dumps(as_mapping(kiln())))
    out = tmp_path / "communication.xlsx"
    result = runner.invoke(app, ["cbam", "template", str(inst), "--out", str(out)])
    assert result.exit_code == 0 and out.is_file(), result.output
    back = runner.invoke(app, ["cbam", "template", str(out)])
    assert back.exit_code == 0 and "0.849031" in back.output


def test_measures_ranks_catalogue_measures_for_a_process(tmp_path):
    inst = tmp_path / "installation.json"
    inst.write_text(json.dumps(as_mapping(kiln())))
    imports = tmp_path / "imports.json"
    imports.write_text(json.dumps([{"cn": "25231000", "country": "CN", "mass_t": 1000, "process_id": "kiln"}]))
    args = ["cbam", "measures", str(inst), "--process", "kiln", "--imports", str(imports), "--eur-cny", "7.8"]
    result = runner.invoke(app, [*args, "--price", "80"])
    assert result.exit_code == 0, result.output
    assert "green_electricity" in result.output and "boiler_efficiency" in result.output
    bad = runner.invoke(app, [*args[:3], "--process", "nowhere", *args[5:]])
    assert bad.exit_code == 2 and "process_id" in bad.output


def test_embedded_and_certificates_read_a_suppliers_footprint_from_the_exchange_database(tmp_path):
    from coreduce.cbam import pact
    from coreduce.cbam.conventions import CbamConventions
    from coreduce.cbam.embedded import embedded_emissions
    from coreduce.exchange.service import open_exchange
    from helpers.cbam_samples import steelworks
    from helpers.exchange_samples import footprint

    acme, beta, gamma = "urn:company:acme", "urn:company:beta", "urn:company:gamma"
    db = f"sqlite:///{tmp_path / 'exchange.sqlite3'}"
    exchange = open_exchange(db)
    for urn in (acme, beta, gamma):
        exchange.add_company(urn.rsplit(":", 1)[-1], urn)
    # BETA publishes its steel's CBAM extension shared with ACME only; GAMMA keeps one to itself
    inst = steelworks()
    line = [{"cn": "72071111", "country": "CN", "mass_t": 200, "process_id": "bof"}]
    result = embedded_emissions(line, installation=inst, conventions=CbamConventions(electricity_factor="documented"))
    steel_ext = next(e for e in pact.extensions_from_result(result, inst, "https://x.example") if
                     e["data"]["cnCode"] == "72071111")  # fmt: skip
    shared = footprint(companyIds=[beta], extensions=[steel_ext])
    exchange.add_footprints(exchange.acting_as(beta), [shared], [acme])
    private = footprint(companyIds=[gamma], extensions=[steel_ext])
    exchange.add_footprints(exchange.acting_as(gamma), [private])
    mill = {"installation_id": "acme-mill", "name": "Acme rolling mill", "country": "CN",
            "period": {"start": "2023-01-01", "end": "2023-12-31"},
            "processes": [{"process_id": "roll", "cn": "72083900", "activity_level_t": 1000, "electricity_mwh": 10,
                           "electricity_factor": 0.5, "electricity_evidence": "PPA 7"}]}  # fmt: skip
    (tmp_path / "mill.json").write_text(json.dumps(mill))
    (tmp_path / "imports.csv").write_text("cn,country,mass_t,route,process_id\n72083900,CN,10,,roll\n")
    args = ["cbam", "embedded", str(tmp_path / "imports.csv"), "--installation", str(tmp_path / "mill.json"),
            "--electricity-factor", "documented", "--exchange-db", db, "--out", str(tmp_path / "e.csv")]  # fmt: skip
    ok = runner.invoke(app, [*args, "--company", acme, "--supplier-footprint", f"{shared['id']}:roll:1050"])
    assert ok.exit_code == 0, ok.output
    # SEE direct = 1,050 t × 1.313842 / 1,000 t = 1.3795341 (the supplier's steel, hand-worked in test_cbam_embedded)
    goods = pd.read_csv(tmp_path / "e.csv").iloc[0]
    assert goods["see_direct"] == pytest.approx(1.3795341, rel=1e-6)
    # another tenant's footprint answers like an absent one; a company that is not there is named
    denied = runner.invoke(app, [*args, "--company", acme, "--supplier-footprint", f"{private['id']}:roll:1050"])
    assert denied.exit_code == 2 and "visible to your company" in denied.output
    assert "1.3795" not in denied.output
    unknown = runner.invoke(app, [*args, "--company", "urn:company:nobody", "--supplier-footprint", "x:roll:1"])
    assert unknown.exit_code == 2 and "no company with identifier" in unknown.output
    files = [str(tmp_path / "imports.csv"), "--installation", str(tmp_path / "mill.json")]
    no_db = runner.invoke(app, ["cbam", "certificates", *files, "--supplier-footprint", f"{shared['id']}:roll:1050"])
    assert no_db.exit_code == 2 and "--exchange-db" in no_db.output
    certs = runner.invoke(app, ["cbam", "certificates", *args[2:], "--company", acme, "--price", "80",
                                "--supplier-footprint", f"{shared['id']}:roll:1050"])  # fmt: skip
    assert certs.exit_code == 0, certs.output
