"""Exchange formats: the communication template (xlsx and JSON) round trip, and the PACT extension with its schema."""

import json

import jsonschema
import pandas as pd
import pytest
from openpyxl import load_workbook

from coreduce.cbam.communication import read_communication, write_communication
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.embedded import embedded_emissions
from coreduce.cbam.model import CbamInputError
from coreduce.cbam.pact import SCHEMA_PATH, extensions_from_result, json_schema, precursor_from_extension
from helpers.cbam_samples import steelworks

CONV = CbamConventions(electricity_factor="documented")
LINE = [{"cn": "72071111", "country": "CN", "mass_t": 200, "process_id": "bof"}]


@pytest.fixture(scope="module")
def computed():
    inst = steelworks()
    return inst, embedded_emissions(LINE, installation=inst, conventions=CONV)


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_communication_round_trip(computed, tmp_path, suffix):
    inst, result = computed
    path = write_communication(tmp_path / f"communication{suffix}", inst, result)
    back = read_communication(path)
    assert back == inst
    again = embedded_emissions(LINE, installation=back, conventions=CONV)
    pd.testing.assert_frame_equal(again.processes, result.processes)
    if suffix == ".xlsx":
        sheets = load_workbook(path, read_only=True).sheetnames
        for name in (
            "A_InstData",
            "B_EmInst",
            "C_Emissions&Energy",
            "D_Processes",
            "E_PurchPrec",
            "Summary_Processes",
            "Summary_Products",
            "Summary_Communication",
        ):
            assert name in sheets


def test_communication_errors_name_sheet_row_and_column(computed, tmp_path):
    inst, result = computed
    path = write_communication(tmp_path / "c.json", inst, result)
    data = json.loads(path.read_text())
    data["B_EmInst"][1]["quantity"] = -3  # the converter's gas, spreadsheet row 3
    path.write_text(json.dumps(data))
    with pytest.raises(CbamInputError) as err:
        read_communication(path)
    assert "sheet 'B_EmInst', row 3, column 'quantity'" in str(err.value)
    del data["D_Processes"]
    path.write_text(json.dumps(data))
    with pytest.raises(CbamInputError, match="D_Processes"):
        read_communication(path)


def test_pact_extension_validates_against_its_schema_and_feeds_a_precursor(computed):
    inst, result = computed
    extensions = extensions_from_result(result, inst, "https://exchange.example")
    schema = json_schema()
    for ext in extensions:
        assert ext["dataSchema"] == "https://exchange.example" + SCHEMA_PATH
        jsonschema.validate(ext["data"], schema)
    steel = next(e for e in extensions if e["data"]["cnCode"] == "72071111")
    # SEE direct 1.31384182 (hand-worked in test_cbam_embedded.py), carried as a decimal string
    assert steel["data"]["seeDirect"] == "1.313842" and steel["data"]["indirectCounted"] is False
    pre = precursor_from_extension(steel, mass_t=5.0, footprint_id="urn:pact:steel-2023")
    assert pre.see_direct == pytest.approx(1.313842) and pre.source == "supplier"
    bad = {**steel["data"], "seeDirect": "-1"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
