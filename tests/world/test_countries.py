"""Countries, aggregates and country groupings (coreduce.geo.countries, coreduce.geo.country_groups)."""

from pathlib import Path

import pandas as pd
import pytest

from coreduce.geo.countries import (
    AggregateError,
    UnknownCountryError,
    by_iso3,
    countries,
    country_name,
    is_aggregate,
    iso3_of,
    resolve_country,
)
from coreduce.geo.country_groups import CountryGroupingError, load_country_grouping

GEO = Path(__file__).resolve().parents[2] / "src" / "coreduce" / "geo"


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("China", "CHN"), ("中国", "CHN"), ("156", "CHN"), (156, "CHN"), ("chn", "CHN"),
        ("Côte d'Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"), ("Korea, Rep.", "KOR"), ("South Korea", "KOR"),
        ("Türkiye", "TUR"), ("Turkey", "TUR"), ("Viet Nam", "VNM"), ("Vietnam", "VNM"), ("Russia", "RUS"),
        ("United States", "USA"), ("美利坚合众国", "USA"), ("Kosovo", "XKX"), ("Taiwan", "TWN"), ("004", "AFG"),
    ],
)  # fmt: skip
def test_names_of_every_publisher_resolve(name, iso3):
    assert iso3_of(name) == iso3


def test_unknown_country_lists_closest_matches():
    with pytest.raises(UnknownCountryError, match="closest: China"):
        resolve_country("Chnia")
    with pytest.raises(UnknownCountryError, match="United States"):
        resolve_country("Untied States")


@pytest.mark.parametrize("name", ["World", "Africa", "High-income countries", "owid:world", "International shipping",
                                  "GLOBAL TOTAL", "Upper middle income", "wb:WLD"])  # fmt: skip
def test_aggregates_are_never_countries(name):
    assert is_aggregate(name)
    with pytest.raises(AggregateError, match="aggregate"):
        resolve_country(name)


def test_country_table_counts_match_the_classifications():
    """UN M49 2020: 182 developing, 66 developed (Sark, which has no ISO code, is the 66th);
    World Bank FY2025: 26 low, 51 lower-middle, 54 upper-middle, 86 high income (World Bank, "World Bank country
    and lending groups", FY2025 counts)."""
    table = pd.DataFrame([c.__dict__ for c in countries()])
    assert table["iso3"].is_unique
    assert (table["un_class"] == "developing").sum() == 182
    assert (table["un_class"] == "developed").sum() == 65
    assert table["wb_income"].value_counts().drop("").to_dict() == {"H": 86, "UM": 54, "LM": 51, "L": 26}
    china = by_iso3()["CHN"]
    assert (china.m49, china.name_zh, china.un_class, china.wb_income, china.wb_region) == (
        "156", "中国", "developing", "UM", "East Asia & Pacific")  # fmt: skip
    assert by_iso3()["TWN"].un_class == ""  # not in M49: stays unclassified
    assert country_name("CHN", "zh") == "中国" and country_name("owid:world") == "World"


def test_shipped_tables_equal_what_the_reader_makes(shared_data, tmp_path):
    from coreduce.data.readers.classification import write_geo_tables

    write_geo_tables(shared_data, tmp_path)
    for name in ("countries.csv", "country_aggregates.csv"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (GEO / name).read_text(encoding="utf-8")


def test_global_south_default_and_china_beside():
    south = load_country_grouping()
    assert {g: len(m) for g, m in south.groups.items()} == {"Global South": 182, "Global North": 65}
    assert south.group_of()["CHN"] == "Global South" and south.china == "inside"
    beside = load_country_grouping(china="beside")
    assert list(beside.groups) == ["China", "Global South excl. China", "Global North"]
    assert len(beside.members("Global South excl. China")) == 181 and beside.china == "beside"
    assert beside.label("Global South excl. China", "zh") == "全球南方（不含中国）"
    assert set(south.unassigned()) == {"ATA", "CHI", "TWN", "XKX"}


def test_builtin_groupings():
    income = load_country_grouping("wb_income")
    assert income.group_of()["CHN"] == "Upper middle income" and income.group_of()["IND"] == "Lower middle income"
    region = load_country_grouping("wb_region")
    assert len(region.groups) == 7 and region.group_of()["CHN"] == "East Asia & Pacific"
    brics = load_country_grouping("brics_2024")
    assert set(brics.members("BRICS")) == {"BRA", "RUS", "IND", "CHN", "ZAF", "EGY", "ETH", "IRN", "ARE"}


def test_user_groupings_are_validated(tmp_path):
    good = tmp_path / "g.toml"
    good.write_text('[groups.A]\nmembers = ["China", "India"]\n[groups.B]\nmembers = ["USA"]\n', encoding="utf-8")
    assert load_country_grouping(good).groups == {"A": ("CHN", "IND"), "B": ("USA",)}
    twice = tmp_path / "twice.toml"
    twice.write_text('[groups.A]\nmembers = ["China"]\n[groups.B]\nmembers = ["中国"]\n', encoding="utf-8")
    with pytest.raises(CountryGroupingError, match="in both 'A' and 'B'"):
        load_country_grouping(twice)
    aggregate = tmp_path / "agg.csv"
    aggregate.write_text("country,group\nChina,A\nWorld,B\n", encoding="utf-8")
    with pytest.raises(CountryGroupingError, match=r"row 3, column 'country'.*aggregate"):
        load_country_grouping(aggregate)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("country,group\nBrasil,A\n", encoding="utf-8")
    with pytest.raises(CountryGroupingError, match="closest: Brazil"):
        load_country_grouping(unknown)
    with pytest.raises(CountryGroupingError, match="built-in"):
        load_country_grouping("nowhere")
