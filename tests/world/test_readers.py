"""Readers of the OWID CO2 panel, the EDGAR 2024 booklet and the country classifications, on the real files."""

import pandas as pd
import pytest

from coreduce.data.readers import READERS, ReaderError, classification, edgar, owid_world


@pytest.fixture(scope="module")
def owid(shared_data):
    return owid_world.read(shared_data).data.set_index(["geo", "year", "variable"])["value"]


@pytest.fixture(scope="module")
def edgar_rows(shared_data):
    return edgar.read(shared_data).data


def test_readers_are_registered():
    names = [r.name for r in READERS]
    assert {"classification", "owid_world", "edgar"} <= set(names)


def test_owid_values_equal_the_published_file(owid):
    """owid/co2-data owid-co2-data.csv (commit 14765664, release 2024-06-26; PROVENANCE.md §11): China co2 2022 =
    11,350.538 Mt, consumption_co2 10,309.728, trade_co2 −1,040.811, co2 2023 = 11,902.503; World co2 2023 =
    37,791.570 Mt; United States co2 2022 = 5,078.871 Mt; India population 2022 = 1,425,423,212."""
    assert owid["CHN", 2022, "co2_owid"] == pytest.approx(11350.538)
    assert owid["CHN", 2022, "co2_consumption_owid"] == pytest.approx(10309.728)
    trade = owid["CHN", 2022, "co2_consumption_owid"] - owid["CHN", 2022, "co2_owid"]
    assert trade == pytest.approx(-1040.811, abs=1e-3)
    assert owid["CHN", 2023, "co2_owid"] == pytest.approx(11902.503)
    assert owid["owid:world", 2023, "co2_owid"] == pytest.approx(37791.57)
    assert owid["USA", 2022, "co2_owid"] == pytest.approx(5078.871)
    assert owid["IND", 2022, "population_owid"] == pytest.approx(1.425423e9, rel=1e-6)
    assert owid["XKX", 2022, "co2_owid"] == pytest.approx(8.692)  # Kosovo has no ISO code in the file


def test_world_row_is_the_sum_of_countries_plus_bunkers(owid):
    """Σ countries + international aviation + shipping = OWID's World row (2022: 36,273.757 + 424.851 + 595.232 =
    37,293.836 Mt); aggregates carry owid: codes and are never summed with countries."""
    co2 = owid.xs("co2_owid", level="variable")
    for year in (1990, 2022, 2023):
        rows = co2.xs(year, level="year")
        countries = rows[~rows.index.str.contains(":")].sum()
        bunkers = rows.get("owid:international_aviation", 0.0) + rows.get("owid:international_shipping", 0.0)
        assert countries + bunkers == pytest.approx(rows["owid:world"], abs=0.05)
    assert co2.xs(2022, level="year")["owid:world"] - co2.xs(2022, level="year").filter(regex="^[A-Z]{3}$").sum() == (
        pytest.approx(424.851 + 595.232, abs=0.01)
    )


def test_edgar_values_equal_the_booklet(edgar_rows):
    """EDGAR 2024 report (Crippa et al. 2024, JRC138862): global GHG 2023 = 52,962.9 Mt CO2e (the report's
    52.96 Gt); China GHG 2023 = 15,944.0 Mt CO2e; China CO2 (sum of the 8 sectors) 2008 = 7,783.4, 2023 =
    13,259.6 Mt (PROVENANCE.md §12)."""
    v = edgar_rows.set_index(["geo", "year", "variable"])["value"]
    assert v["edgar:GLOBAL_TOTAL", 2023, "ghg_edgar"] == pytest.approx(52962.9, abs=0.1)
    assert v["CHN", 2023, "ghg_edgar"] == pytest.approx(15943.99, abs=0.01)
    assert v["CHN", 2008, "co2_edgar"] == pytest.approx(7783.43, abs=0.01)
    assert v["CHN", 2023, "co2_edgar"] == pytest.approx(13259.64, abs=0.01)
    total = edgar_rows[(edgar_rows["variable"] == "ghg_edgar") & (edgar_rows["year"] == 2023)].set_index("geo")["value"]
    countries = total[~total.index.str.contains(":")].sum()
    others = total[["edgar:AIR", "edgar:SEA", "edgar:SCG"]].sum()
    assert countries + others == pytest.approx(total["edgar:GLOBAL_TOTAL"], rel=1e-9)
    assert "CUW" in set(edgar_rows["geo"]) and "ANT" not in set(edgar_rows["geo"])


def test_edgar_gas_totals_are_the_sums_of_the_eight_sectors(shared_data, edgar_rows):
    sectors = edgar.sectors(shared_data / edgar.FILE)
    china = sectors[(sectors["geo"] == "CHN") & (sectors["year"] == 2023) & (sectors["Substance"] == "CO2")]
    assert len(china) == 8
    co2 = edgar_rows.set_index(["geo", "year", "variable"])["value"]["CHN", 2023, "co2_edgar"]
    assert china["value"].sum() == pytest.approx(co2, rel=1e-12)
    ghg = edgar_rows.set_index(["geo", "year", "variable"])["value"]
    parts = sum(ghg["CHN", 2023, v] for v in ("co2_edgar", "ch4_edgar", "n2o_edgar", "fgas_edgar"))
    assert parts == pytest.approx(ghg["CHN", 2023, "ghg_edgar"], rel=1e-9)


def test_classification_rows(shared_data):
    out = classification.read(shared_data).data.set_index(["geo", "variable"])["value"]
    assert out["CHN", "un_developing"] == 1.0 and out["USA", "un_developing"] == 0.0
    assert out["CHN", "wb_income_group"] == 3.0 and out["IND", "wb_income_group"] == 2.0
    assert ("VEN", "wb_income_group") not in out.index  # unclassified in FY2025: no row
    assert ("TWN", "un_developing") not in out.index


def test_bad_inputs_name_file_sheet_and_row(tmp_path, shared_data):
    broken = tmp_path / "owid_full"
    broken.mkdir()
    (broken / "owid-co2-data.parquet").write_bytes(b"not parquet")
    with pytest.raises(ReaderError, match="not a readable Parquet file"):
        owid_world.read(tmp_path)
    frame = pd.DataFrame({"country": ["China", "China"], "year": [2020, 2020], "iso_code": ["CHN", "CHN"],
                          **{c: [1.0, 2.0] for c in owid_world.COLUMNS}})  # fmt: skip
    frame.to_parquet(broken / "owid-co2-data.parquet")
    with pytest.raises(ReaderError, match="two rows for 'China' in 2020"):
        owid_world.read(tmp_path)
    wb = tmp_path / "CLASS.xlsx"
    pd.DataFrame({"Economy": ["X"], "Code": ["XXX"], "Region": ["R"], "Income group": ["Rich"],
                  "Lending category": [""]}).to_excel(wb, sheet_name="List of economies", index=False)  # fmt: skip
    with pytest.raises(ReaderError, match=r"List of economies'.*row 2, column 'Income group'.*'Rich'"):
        classification.read_wb(wb)
    with pytest.raises(ReaderError, match="no sheet 'GHG_totals_by_country'"):
        edgar.read_file(wb)
