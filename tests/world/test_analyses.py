"""World analyses on the bundled panel, checked against OWID's published columns and direct computations.

Published values are those of the OWID co2-data release of 2024-06-26 (Global Carbon Budget 2023; the values its
grapher shows for that release), read from ../shared/data/owid_full/owid-co2-data.parquet where a test needs many
of them and written out where a few suffice.
"""

import numpy as np
import pandas as pd
import pytest

from coreduce.analysis.world import (
    CumulativeConventions,
    DecouplingConventions,
    InequalityConventions,
    KayaConventions,
    PeriodConventions,
    cumulative,
    decoupling,
    inequality,
    kaya,
    position,
    trends,
)
from coreduce.analysis.world.kaya import FACTORS
from coreduce.geo.countries import AggregateError, UnknownCountryError
from coreduce.geo.country_groups import load_country_grouping


@pytest.fixture(scope="module")
def owid(shared_data):
    frame = pd.read_parquet(shared_data / "owid_full" / "owid-co2-data.parquet")
    return frame[frame["iso_code"].notna()].set_index(["iso_code", "year"])


@pytest.fixture(scope="module")
def trend(bundled_panel):
    return trends(bundled_panel, countries=("USA", "India", "Germany"))


def _at(result_table, group, year, column):
    row = result_table[(result_table["group"] == group) & (result_table["year"] == year)]
    return float(row[column].iloc[0])


def test_per_capita_and_per_gdp_equal_owid_grapher_values(trend):
    """OWID grapher (release 2024-06-26): co2_per_capita China 2022 = 7.964 t, United States 2022 = 14.871,
    India 2022 = 1.986, Germany 1990 = 13.233; co2_per_gdp China 2022 = 0.421 kg per int-$, China 1990 = 0.734;
    trade_co2 China 2022 = −1,040.811 Mt (net exporter of embodied CO2), United States 2022 = +563.985."""
    s = trend.series
    assert _at(s, "China", 2022, "co2_per_capita") == pytest.approx(7.964, abs=5e-4)
    assert _at(s, "United States of America", 2022, "co2_per_capita") == pytest.approx(14.871, abs=5e-4)
    assert _at(s, "India", 2022, "co2_per_capita") == pytest.approx(1.986, abs=5e-4)
    assert _at(s, "Germany", 1990, "co2_per_capita") == pytest.approx(13.233, abs=5e-4)
    assert _at(s, "China", 2022, "co2_per_gdp") == pytest.approx(0.421, abs=5e-4)
    assert _at(s, "China", 1990, "co2_per_gdp") == pytest.approx(0.734, abs=5e-4)
    assert _at(s, "China", 2022, "net_imported") == pytest.approx(-1040.811, abs=2e-3)
    assert _at(s, "United States of America", 2022, "net_imported") == pytest.approx(563.985, abs=2e-3)


def test_group_figures_are_ratios_of_sums_over_members_with_data(trend, owid):
    south = load_country_grouping().members("Global South")
    rows = owid.xs(2022, level="year")
    rows = rows[rows.index.isin(south)].dropna(subset=["co2", "population", "gdp"])
    expected = rows["co2"].sum() * 1e6 / rows["population"].sum()
    assert _at(trend.series, "Global South", 2022, "co2_per_capita") == pytest.approx(expected, rel=1e-9)
    assert _at(trend.series, "Global South", 2022, "n_members") == len(rows)
    named = {m.geo for m in trend.missing if "Global South" in dict(m.params)["group"]}
    assert {"SOM", "PRK"} & named  # members without GDP in the OWID panel are named, not dropped silently


def test_world_per_capita_with_bunkers_equals_owid_world_row(trend, owid):
    """OWID World 2022: co2 37,293.836 Mt, population 8,021,407,000, co2_per_capita 4.649 t. Σ countries (ISO
    countries and Kosovo, 8.692 Mt) leaves out international aviation (424.851 Mt) and shipping (595.232 Mt);
    adding them back gives the World row."""
    world_countries = _at(trend.series, "World", 2022, "co2")
    assert world_countries < 37293.836
    all_countries = owid.xs(2022, level="year")["co2"].sum() + 8.692
    assert all_countries + 424.851 + 595.232 == pytest.approx(37293.836, abs=0.01)
    assert (all_countries + 424.851 + 595.232) * 1e6 / 8.021407e9 == pytest.approx(4.649, abs=5e-4)


@pytest.mark.parametrize("group", ["China", "Global South", "Global North", "World"])
def test_kaya_effects_sum_to_the_change_exactly(bundled_panel, group):
    additive = kaya(bundled_panel).effects.set_index("group").loc[group]
    assert additive[list(FACTORS)].sum() == pytest.approx(additive["change"], abs=1e-9 * additive["co2_end"])
    members = kaya(bundled_panel, KayaConventions(level="members")).effects.set_index("group").loc[group]
    assert members[list(FACTORS)].sum() == pytest.approx(members["change"], abs=1e-9 * members["co2_end"])
    multi = kaya(bundled_panel, KayaConventions(form="multiplicative")).effects.set_index("group").loc[group]
    assert np.prod(multi[list(FACTORS)].to_numpy()) == pytest.approx(multi["co2_end"] / multi["co2_start"], rel=1e-12)


@pytest.mark.parametrize("iso3", ["CHN", "IND", "USA", "DEU"])
def test_kaya_of_a_country_equals_a_direct_computation_from_owid_columns(bundled_panel, owid, iso3):
    """ΔC_k = L(C_T, C_0) · ln(x_k,T / x_k,0) (Ang 2005, Table 1) from OWID's own population, gdp,
    primary_energy_consumption and co2 columns; the factors equal OWID's grapher ratios energy_per_gdp (kWh per
    int-$; China 2022 = 1.651) and co2_per_unit_energy (kg per kWh; China 2022 = 0.255)."""
    result = kaya(bundled_panel, KayaConventions(start=1990, end=2022), countries=(iso3,))
    name = [g for g in result.effects["group"] if g not in ("China", "Global South", "Global North", "World")]
    group = "China" if iso3 == "CHN" else name[0]
    effects = result.effects.set_index("group").loc[group]
    a, b = owid.loc[(iso3, 1990)], owid.loc[(iso3, 2022)]
    weight = (b["co2"] - a["co2"]) / np.log(b["co2"] / a["co2"])
    e0, e1 = a["primary_energy_consumption"], b["primary_energy_consumption"]
    direct = {
        "population": np.log(b["population"] / a["population"]),
        "gdp_per_capita": np.log((b["gdp"] / b["population"]) / (a["gdp"] / a["population"])),
        "energy_intensity": np.log((e1 / b["gdp"]) / (e0 / a["gdp"])),
        "carbon_intensity": np.log((b["co2"] / e1) / (a["co2"] / e0)),
    }
    for factor, log_ratio in direct.items():
        assert effects[factor] == pytest.approx(weight * log_ratio, rel=1e-5)
    factors = result.factors.set_index(["group", "year"]).loc[(group, 2022)]
    assert factors["energy_intensity"] * 1e9 == pytest.approx(b["energy_per_gdp"], abs=6e-4)
    assert factors["carbon_intensity"] == pytest.approx(b["co2_per_unit_energy"], abs=6e-4)
    if iso3 == "CHN":
        assert factors["energy_intensity"] * 1e9 == pytest.approx(1.651, abs=6e-4)
        assert factors["carbon_intensity"] == pytest.approx(0.255, abs=6e-4)


def test_decoupling_states(bundled_panel):
    """China 1990–2022: CO2 ×4.568 (2,484.855 → 11,350.538 Mt), GDP ×7.966 → e = 3.5679 / 6.9660 = 0.5122, weak
    decoupling; the Global North: CO2 fell while GDP grew → strong decoupling (Tapio 2005, Fig. 1)."""
    result = decoupling(bundled_panel, DecouplingConventions(start=1990, end=2022))
    states = result.states.set_index("group")
    assert states.loc["China", "elasticity"] == pytest.approx(3.567887 / 6.966040, rel=1e-5)
    assert states.loc["China", "state"] == "weak decoupling"
    assert states.loc["Global North", "state"] == "strong decoupling"
    assert set(result.countries["geo"]) >= {"CHN", "USA", "IND"} and result.convention("tapio_boundary") == "coupling"
    yearly = decoupling(bundled_panel, DecouplingConventions(start=2019, end=2021, pairs="yearly")).states
    assert yearly[yearly["group"] == "World"]["end"].tolist() == [2020, 2021]


def test_cumulative_emissions_and_shares_equal_owid(bundled_panel, owid):
    """OWID cumulative_co2 and share_global_cumulative_co2 for 2022 (cumulative since 1750, share of the World
    row): United States 426,941.344 Mt = 24.059 %, China 260,629.031 Mt = 14.687 %."""
    result = cumulative(bundled_panel, CumulativeConventions(since=(1750, 1850, 1990), end=2022))
    c = result.countries.set_index(["geo", "since"])
    assert c.loc[("USA", 1750), "cumulative"] == pytest.approx(426941.344, abs=0.05)
    assert c.loc[("USA", 1750), "share"] == pytest.approx(0.24059, abs=5e-6)
    assert c.loc[("CHN", 1750), "cumulative"] == pytest.approx(260629.031, abs=0.05)
    assert c.loc[("CHN", 1750), "share"] == pytest.approx(0.14687, abs=5e-6)
    for iso3 in ("GBR", "DEU", "IND", "JPN"):
        assert c.loc[(iso3, 1750), "cumulative"] == pytest.approx(owid.loc[(iso3, 2022), "cumulative_co2"], rel=1e-6)
    g = result.groups.set_index(["group", "since"])
    assert g.loc[("World", 1990), "share"] == 1.0
    south, north = g.loc[("Global South", 1850), "share"], g.loc[("Global North", 1850), "share"]
    assert 0.3 < south < 0.4 < 0.55 < north  # the North emitted most of the CO2 since 1850; bunkers are the rest
    assert result.convention("world_total") == "with_bunkers"


def test_dagum_gini_equals_the_ordinary_gini_and_decomposes_exactly(bundled_panel):
    """G = G_w + G_nb + G_t and G equals the Gini of PySAL's inequality package (a reference implementation);
    Theil T = between + within and equals PySAL's Theil."""
    from inequality.gini import Gini
    from inequality.theil import Theil

    from coreduce.analysis.world.inequality import per_capita

    conv = InequalityConventions(start=2000, end=2022)
    result = inequality(bundled_panel, conv)
    data = per_capita(bundled_panel, conv)
    data = data[data["geo"].isin(load_country_grouping().group_of())]
    for year in (2000, 2022):
        row = result.gini.set_index("year").loc[year]
        y = data.loc[data["year"] == year, "y"].to_numpy()
        assert row["G"] == pytest.approx(Gini(y).g, rel=1e-12)
        assert row["G_w"] + row["G_nb"] + row["G_t"] == pytest.approx(row["G"], rel=1e-12)
        assert row["theil"] == pytest.approx(Theil(y).T, rel=1e-10)
        assert row["theil_between"] + row["theil_within"] == pytest.approx(row["theil"], rel=1e-12)
    groups = result.groups[result.groups["year"] == 2022].set_index("group")
    assert list(groups.index) == ["Global South excl. China", "Global North", "China"] or set(groups.index) == {
        "Global South excl. China", "Global North", "China"}  # fmt: skip
    assert groups.loc["China", "gini"] == 0.0
    assert {m.geo for m in result.missing} >= {"TWN"}  # in no UN M49 group: named
    assert result.beta["beta"].iloc[0] < 0 and len(result.sigma) == 23


def test_china_position_in_the_global_south(bundled_panel, owid):
    result = position(bundled_panel, PeriodConventions(start=2022, end=2023))
    row = result.position.set_index(["measure", "year"]).loc[("co2_per_capita", 2022)]
    south = [m for m in load_country_grouping().members("Global South") if m != "CHN"]
    pool = owid.xs(2022, level="year")
    pool = pool[pool.index.isin(south)].dropna(subset=["co2", "population"])
    pool = pool[(pool["co2"] > 0) & (pool["population"] > 0)]
    per = pool["co2"] * 1e6 / pool["population"]
    assert row["china"] == pytest.approx(7.964, abs=5e-4)
    assert row["rank"] == pytest.approx((per < row["china"]).mean(), rel=1e-12)
    assert row["south_p50"] == pytest.approx(np.quantile(per, 0.5), rel=1e-12)


def test_bad_country_names(bundled_panel):
    with pytest.raises(UnknownCountryError, match="closest: India"):
        trends(bundled_panel, countries=("Indai",))
    with pytest.raises(AggregateError, match="aggregate"):
        kaya(bundled_panel, countries=("World",))


def test_every_result_records_vintage_grouping_and_china(bundled_panel):
    result = trends(bundled_panel, PeriodConventions(china="beside", start=2010, end=2022))
    assert result.convention("data_vintage") == "owid_2024"
    assert result.convention("country_grouping") == "un_m49_2020"
    assert result.convention("china_position") == "beside"
    assert "Global South excl. China" in set(result.series["group"])
    summary = result.summary("zh")
    assert "11,350.5" in summary and "11,711.8" in summary and "中国单列" in summary


def test_edgar_vintage_and_consumption_basis(bundled_panel):
    """EDGAR 2024 China CO2 2022 = 12,526.8 Mt (sum of its 8 sectors) against 11,350.5 Mt in OWID/GCB 2023: the
    vintage is a convention, named in the note. Consumption basis: OWID consumption_co2 China 2022 = 10,309.728 Mt
    → 7.234 t per person (OWID consumption_co2_per_capita 7.234)."""
    edgar = trends(bundled_panel, PeriodConventions(vintage="edgar_2024", start=2020))
    assert _at(edgar.series, "China", 2022, "co2") == pytest.approx(12526.83, abs=0.01)
    assert "12,526.8" in edgar.notes_text()[0] and "11,350.5" in edgar.notes_text()[0]
    assert _at(edgar.series, "China", 2022, "net_imported") == pytest.approx(-1040.811, abs=2e-3)  # OWID pair
    consumption = trends(bundled_panel, PeriodConventions(basis="consumption", start=2020))
    assert _at(consumption.series, "China", 2022, "co2_per_capita") == pytest.approx(7.234, abs=5e-4)
    with pytest.raises(ValueError, match="emissions_basis"):
        KayaConventions(basis="consumption")
    with pytest.raises(ValueError, match="data_vintage"):
        CumulativeConventions(vintage="edgar_2024")


def test_the_two_vintages_are_compared_country_by_country(bundled_panel):
    """China 2022: EDGAR 12,526.8 / OWID 11,350.5 = 1.1036 (PROVENANCE.md §11–12: EDGAR counts more process and
    fuel-exploitation CO2); Serbia is in OWID only (EDGAR gives Serbia and Montenegro together)."""
    from coreduce.analysis.world import crosscheck

    result = crosscheck(bundled_panel)
    china = result.countries.set_index("geo").loc["CHN"]
    assert china["ratio"] == pytest.approx(12526.826 / 11350.538, rel=1e-6) and not china["flagged"]
    assert result.countries["geo"].iloc[0] == "CHN"  # the largest absolute difference
    assert {"SRB", "XKX"} <= {m.geo for m in result.missing}
