"""The full Our World in Data CO2 panel (owid/co2-data release of 2024-06-26: Global Carbon Budget 2023, Energy
Institute 2024, Maddison GDP, UN WPP population), every country and every OWID aggregate row.

``owid_full/owid-co2-data.parquet`` → geo = ISO alpha-3 code for countries (Kosovo, which has no ISO code in the
file, → ``XKX``); every other row is an aggregate and gets an ``owid:`` code (:func:`coreduce.data.readers.
classification.owid_aggregate_code`, e.g. ``owid:world``, ``owid:international_shipping``), so aggregates never
mix with countries. Variables carry the suffix ``_owid`` because this vintage differs from the GCB-2024 China
series ``co2_gcb`` (China 2022: 11,350.5 Mt here, 11,712 Mt there).

Emitted: territorial CO2 from fossil fuels and industry (from 1750, for cumulative emissions), its coal, oil and
gas parts (from 1990), consumption-based CO2 (1990–2022), population, GDP (PPP, 2011 international dollars),
primary energy and GHG excluding land use (from 1970, the years the Kaya, per-capita and decoupling analyses use;
earlier GDP and population are sparse benchmark years). The other columns are OWID's own ratios, shares and
cumulative sums of these, or series no analysis uses, and are left out to keep the shipped panel small. Net
CO2 imported in trade is not read: it is consumption − territorial by definition and is derived where used.
"""

from __future__ import annotations

from pathlib import Path

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import long_rows, output, require_columns, require_file
from coreduce.data.readers.classification import OWID_COUNTRIES, owid_aggregate_code

FILE = Path("owid_full/owid-co2-data.parquet")
SOURCE = "owid_co2_2024"
FIRST_CO2, FIRST_FUEL, FIRST_OTHER = 1750, 1990, 1970
PUBLISHER_CO2 = "Global Carbon Project (Global Carbon Budget 2023), via Our World in Data"
# OWID column → (variable, unit, first year, definition, publisher)
COLUMNS = {
    "co2": ("co2_owid", "Mt", FIRST_CO2,
            "Annual CO2 emissions from fossil fuels and industry (territorial; land use excluded)", PUBLISHER_CO2),
    "coal_co2": ("co2_owid.fuel.coal", "Mt", FIRST_FUEL, "Territorial CO2 from coal", PUBLISHER_CO2),
    "oil_co2": ("co2_owid.fuel.oil", "Mt", FIRST_FUEL, "Territorial CO2 from oil", PUBLISHER_CO2),
    "gas_co2": ("co2_owid.fuel.gas", "Mt", FIRST_FUEL, "Territorial CO2 from gas", PUBLISHER_CO2),
    "consumption_co2": ("co2_consumption_owid", "Mt", FIRST_OTHER,
                        "Consumption-based CO2 (territorial + CO2 embodied in imports − in exports)", PUBLISHER_CO2),
    "population": ("population_owid", "person", FIRST_OTHER, "Population",
                   "UN World Population Prospects 2022 and HYDE, via Our World in Data"),
    "gdp": ("gdp_ppp_owid", "intl_dollar", FIRST_OTHER,
            "GDP at purchasing power parity, international dollars of 2011", "Maddison Project Database 2020, via "
            "Our World in Data"),
    "primary_energy_consumption": ("primary_energy_owid", "TWh", FIRST_OTHER,
                                   "Primary energy consumption (substitution method)",
                                   "Energy Institute Statistical Review 2024; EIA, via Our World in Data"),
    "total_ghg_excluding_lucf": ("ghg_owid", "Mt", FIRST_OTHER,
                                 "Greenhouse gas emissions excluding land use, Mt CO2-equivalent (GWP100)",
                                 "Jones et al. (2024), via Our World in Data"),
}  # fmt: skip


def read_file(path: Path) -> ReaderOutput:
    import pyarrow.parquet as pq

    require_file(path, "the OWID CO2 panel (owid-co2-data.parquet)")
    try:
        frame = pq.read_table(path).to_pandas()
    except Exception as exc:  # pyarrow raises its own types for a corrupt file
        raise ReaderError(f"{path}: not a readable Parquet file ({exc}); expected owid-co2-data.parquet") from exc
    require_columns(frame, ["country", "year", "iso_code", *COLUMNS], str(path))
    iso = frame["iso_code"].where(frame["iso_code"].notna(), frame["country"].map(OWID_COUNTRIES))
    codes = {name: owid_aggregate_code(name) for name in frame.loc[iso.isna(), "country"].unique()}
    frame["geo"] = iso.fillna(frame["country"].map(codes))
    dup = frame.duplicated(["geo", "year"], keep=False)
    if dup.any():
        first = frame.loc[dup].iloc[0]
        raise ReaderError(f"{path}: two rows for {first['country']!r} in {first['year']}")
    parts = []
    for column, (variable, unit, first_year, _, _) in COLUMNS.items():
        rows = frame.loc[frame["year"] >= first_year, ["geo", "year", column]]
        parts.append(long_rows(rows, column, variable, unit, SOURCE))
    catalogue = [
        {"variable": v, "unit": u, "definition": d, "publisher": p, "source": SOURCE}
        for v, u, _, d, p in COLUMNS.values()
    ]
    source = {
        "source": SOURCE,
        "publisher": "Our World in Data (data from the Global Carbon Project, Energy Institute, Maddison Project, "
        "UN WPP)",
        "title": "OWID CO2 and greenhouse gas emissions dataset, release of 2024-06-26 (Global Carbon Budget 2023), "
        "all countries and OWID aggregates",
        "licence": "CC BY 4.0",
        "citation": "Friedlingstein, P. et al. (2023) Global Carbon Budget 2023, Earth Syst. Sci. Data 15: 5301–5369; "
        "Our World in Data, owid/co2-data (via PythonCharmers/PythonCharmersData, commit 1c251ac)",
        "files": str(FILE),
    }
    return output(parts, catalogue, [source], origin=str(path))


def read(root: Path) -> ReaderOutput:
    return read_file(root / FILE)


READER = Reader(name="owid_world", read=read)
