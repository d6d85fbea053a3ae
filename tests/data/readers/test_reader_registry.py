"""All readers together: the contract the build pipeline relies on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coreduce.data.panel import Panel
from coreduce.data.readers import READERS, Reader, ReaderOutput, reader
from coreduce.data.schema import CATALOGUE_COLUMNS, SOURCES_COLUMNS, validate_panel
from coreduce.units import parse_unit

NAMES = [
    "ceads_provinces",
    "ceads_derived",
    "ceads_national",
    "yearbook_panel",
    "owid",
    "ceds_national",
    "ceds_provincial",
    "aqli",
    "nbs_national_gdp",
    "nbs_provincial_gdp",
    "techme",
    "green_panel",
    "classification",
    "owid_world",
    "edgar",
    "green_finance",
]

CANONICAL = [  # the variables the methods and analyses are promised
    "gdp", "va_primary", "va_secondary", "va_tertiary", "va_industry", "population", "gdp_deflator", "energy_total",
    "electricity_generation", "electricity_nonfossil", "electricity_hydro", "coal_share", "co2_ceads",
    "co2_apparent", "co2_gcb", "co2_ceds", "so2_nbs", "so2_ceds", "nox_ceds", "bc_ceds", "oc_ceds", "pm25_aqli",
    "rd_expenditure", "rd_intensity", "patents_applied", "patents_granted", "patents_granted_invention",
    "green_patents_invention", "green_patents_utility", "co2_ceads_energy",
]  # fmt: skip


@pytest.fixture(scope="module")
def outputs(read_once) -> dict[str, ReaderOutput]:
    return {name: read_once(name) for name in NAMES}


def test_registry_order_and_lookup():
    assert [r.name for r in READERS] == NAMES
    assert all(isinstance(r, Reader) for r in READERS)
    with pytest.raises(KeyError, match="no reader 'nbs'; known readers: ceads_provinces"):
        reader("nbs")


def test_outputs_follow_the_schema(outputs):
    for name, out in outputs.items():
        assert list(out.catalogue.columns) == list(CATALOGUE_COLUMNS), name
        assert list(out.sources.columns) == list(SOURCES_COLUMNS), name
        validate_panel(out.data, origin=name)
        assert np.isfinite(out.data["value"]).all(), name
        assert set(out.data["status"]) <= {"reported", "derived"}, name
        assert set(out.data["variable"]) == set(out.catalogue["variable"]), name
        assert set(out.data["source"]) == set(out.sources["source"]), name


def test_all_readers_together_make_one_panel(outputs):
    data = pd.concat([o.data for o in outputs.values()], ignore_index=True)
    catalogue = pd.concat([o.catalogue for o in outputs.values()], ignore_index=True)
    sources = pd.concat([o.sources for o in outputs.values()], ignore_index=True)
    validate_panel(data)  # no (geo, year, variable) is emitted by two readers
    assert not sources["source"].duplicated().any()
    units = catalogue.groupby("variable")["unit"].nunique()
    assert (units == 1).all(), units[units > 1]  # a variable has one unit whichever reader emits it
    panel = Panel.from_frames(data, catalogue.drop_duplicates("variable"), sources)
    panel.require(CANONICAL)
    assert panel.unit_of("so2_nbs") == "kt" and panel.unit_of("co2_ceds") == "Mt"


def test_attribution_is_complete(outputs, shared_data):
    for out in outputs.values():
        for row in out.sources.itertuples():
            assert row.publisher.strip() and row.licence.strip() and row.citation.strip() and row.title.strip()
            for file in row.files.split(";"):
                assert (shared_data / file).is_file(), file
        assert out.catalogue["publisher"].str.strip().astype(bool).all()
        for unit in out.catalogue["unit"].unique():
            parse_unit(unit)
    sources = pd.concat([o.sources for o in outputs.values()]).set_index("source")
    licences = sources["licence"].to_dict()
    assert licences["owid_co2"] == "CC BY 4.0" and licences["aqli_2023"] == "none stated"


def test_no_provincial_pm25_or_nbs_nox(outputs):
    data = pd.concat([o.data for o in outputs.values()], ignore_index=True)
    pm25 = data[data["variable"] == "pm25_aqli"]
    assert set(pm25["geo"]) == {"100000", "BTH", "YRD", "PRD"}
    assert not data["variable"].isin(["nox_nbs", "pm25"]).any()
