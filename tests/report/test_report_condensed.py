"""Long tables condensed to the analysis window (the CSV keeps them whole) and caveats beside fragile
statistics: few units, β-convergence half-lives under a year, a saturated grading scale."""

import math

import pandas as pd

from coreduce.report.caveats import beta_caveats, saturation_caveat
from coreduce.report.i18n import Text
from coreduce.report.sections.common import clip_years, missing_table
from coreduce.results import Missing


def test_clip_years_keeps_only_the_window():
    assert clip_years("1990–2005, 2010", (2008, 2022)) == "2010"
    assert clip_years("2000–2012, 2020–2023", (2008, 2022)) == "2008–2012, 2020–2022"
    assert clip_years("1997–2007", (2008, 2022)) == ""
    assert clip_years("2015", (2008, 2022)) == "2015"
    assert clip_years("every year", (2008, 2022)) == "every year"  # not a year list: kept as is


class _Result:
    def __init__(self, missing):
        self.missing = missing


def test_missing_table_shows_the_window_and_keeps_every_record_for_the_csv():
    t = Text("zh")
    result = _Result(
        (
            Missing.of("rd_expenditure", "110000", "1990–2009", "missing.value_missing"),
            Missing.of("patents_green", "120000", "1995–2005", "missing.value_missing"),
        )
    )
    table = missing_table(result, "table_x_missing", t, window=(2008, 2022))
    shown = table.frame.to_dict("records")
    assert len(shown) == 1 and "2008–2009" in shown[0].values()
    assert len(table.full) == 2 and "1995–2005" in table.full.to_numpy().ravel()
    assert "2008–2022" in table.caption and "tables/table_x_missing.csv" in table.caption
    outside = _Result((Missing.of("patents_green", "120000", "1995–2005", "missing.value_missing"),))
    assert missing_table(outside, "k", t, window=(2008, 2022)) is None


def test_northeast_half_life_under_a_year_and_its_three_provinces_get_caveats():
    # the Northeast's β-convergence half-life of 0.507 years (3 provinces) that the report printed bare
    beta = pd.DataFrame(
        {
            "region": ["All", "Northeast", "East"],
            "form": ["absolute", "absolute", "absolute"],
            "half_life": [6.2, 0.507, math.nan],
        }
    )
    t = Text("en")
    notes = beta_caveats(beta, {"East": 10, "Central": 6, "West": 12, "Northeast": 3}, {"Northeast": "Northeast"}, t)
    assert len(notes) == 2
    assert any("only 3 provinces" in n for n in notes) and any("0.507 years" in n for n in notes)
    assert beta["note"].tolist() == ["", "only 3 units, half-life under 1 year", ""]


def test_saturated_grading_scale_is_flagged():
    t = Text("zh")
    assert saturation_caveat(pd.Series(["优质协调"] * 26 + ["良好协调"] * 5), 2022, t) is not None
    assert "84%" in saturation_caveat(pd.Series(["优质协调"] * 26 + ["良好协调"] * 5), 2022, t)
    assert saturation_caveat(pd.Series(["a"] * 16 + ["b"] * 15), 2022, t) is None


def test_sources_table_shows_one_row_per_publisher_with_short_citations():
    from coreduce.report.sections import methods

    full = pd.DataFrame(
        {
            "source": ["a", "correction:x_2021", "correction:x_2022", "b"],
            "publisher": ["P", "X bureau", "X bureau", "Q"],
            "title": ["t", "X 2021", "X 2022", "u"],
            "licence": ["CC BY 4.0", "official", "official", "CC BY 4.0"],
            "citation": ["c" * 400, "cx1", "cx2", "d"],
        }
    )
    shown = methods.sources_shown(full)
    assert shown["source"].tolist() == ["a", "correction:x_2021, correction:x_2022", "b"]
    assert shown["title"].tolist() == ["t", "X 2021; X 2022", "u"]
    assert len(shown["citation"][0]) <= methods.CITATION_SHOWN


def test_conventions_table_shows_what_sections_share_and_where_values_differ():
    from coreduce.report.sections import methods

    t = Text("en")
    full = pd.DataFrame(
        {
            "section": ["Trends", "Trends", "Status", "Status", "Drivers", "Drivers"],
            "convention": ["Start year", "CO2 series", "Start year", "Coupling form", "Start year", "CO2 series"],
            "value": ["2008", "co2_ceads", "2008", "standard", "2008", "co2_ceds"],
        }
    )
    shown = methods.shared_conventions(full, t)
    assert shown.to_dict("records") == [
        {"section": "Trends, Status, Drivers", "convention": "Start year", "value": "2008"},
        {"section": "Trends", "convention": "CO2 series", "value": "co2_ceads"},  # differs between sections
        {"section": "Drivers", "convention": "CO2 series", "value": "co2_ceds"},
    ]
