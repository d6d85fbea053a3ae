"""Regression tables: economists' layout of the Grunfeld fixed-effects results, and each output format."""

import re

import pandas as pd
import pytest

from coreduce.analysis.tables import RegressionTable, stars
from coreduce.methods.econometrics import panel_fe


@pytest.fixture(scope="module")
def table() -> RegressionTable:
    import statsmodels.api as sm

    data = sm.datasets.grunfeld.load_pandas().data
    data = data[data["firm"] != "American Steel"].assign(year=lambda d: d["year"].astype(int))
    data = data.set_index(["firm", "year"])
    one = panel_fe(data, "invest", ["value", "capital"], time_effects=False)
    two = panel_fe(data, "invest", ["value", "capital"])
    return RegressionTable(
        [one, two], labels={"value": "market_value"}, title="Grunfeld investment", notes=["Baltagi (2005) data."]
    )


def test_star_thresholds_are_strict():
    assert [stars(p) for p in (0.2, 0.1, 0.099, 0.05, 0.049, 0.01, 0.0099)] == ["", "", "*", "*", "**", "**", "***"]
    assert stars(float("nan")) == ""


def test_frame_layout(table):
    frame = table.to_frame()
    assert list(frame.columns) == ["(1)", "(2)"]
    assert list(frame.index) == [
        "",
        "market_value",
        "",
        "capital",
        "",
        "Entity FE",
        "Year FE",
        "Observations",
        "R² (within)",
        "Clusters",
    ]
    # Stata `xtreg invest mvalue kstock, fe vce(robust)`: 0.1101238 (0.0151945), 0.3100653 (0.0527518); both p < 0.01.
    assert frame.iloc[1, 0] == "0.110***" and frame.iloc[2, 0] == "(0.015)"
    assert frame.iloc[3, 0] == "0.310***" and frame.iloc[4, 0] == "(0.053)"
    assert frame.loc["Entity FE"].tolist() == ["Yes", "Yes"] and frame.loc["Year FE"].tolist() == ["No", "Yes"]
    assert frame.loc["Observations"].tolist() == ["200", "200"]
    assert frame.loc["R² (within)", "(1)"] == "0.767"
    assert frame.iloc[0].tolist() == ["invest", "invest"]
    numbers = table.numbers()
    assert numbers.loc[numbers["variable"] == "value", "coef"].iloc[0] == pytest.approx(0.1101238, abs=5e-7)


def test_latex_rows_have_one_cell_per_column(table):
    tex = table.to_latex()
    assert tex.startswith(r"\begin{tabular}{lcc}") and tex.endswith(r"\end{tabular}")
    body = [line for line in tex.splitlines() if line.endswith(r"\\") and not line.startswith(r"\multicolumn")]
    assert all(line.count("&") == 2 for line in body)
    assert r"market\_value & 0.110$^{***}$" in tex
    assert "$R^2$ (within)" in tex and tex.count(r"\midrule") == 2


def test_html_parses_to_the_same_cells(table):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(table.to_html(), "html.parser")
    rows = soup.find("tbody").find_all("tr")
    frame = table.to_frame()
    assert len(rows) == len(frame) - 1
    first = [c.get_text() for c in rows[0].find_all(["th", "td"])]
    assert first == ["market_value", *frame.iloc[1].tolist()]
    assert "clustered by entity" in soup.find("tfoot").get_text()
    assert soup.find("caption").get_text() == "Grunfeld investment"


def test_rtf_is_a_well_formed_word_table(table):
    rtf = table.to_rtf()
    assert rtf.startswith(r"{\rtf1")
    unescaped = re.sub(r"\\[{}\\]", "", rtf)
    depth = 0
    for ch in unescaped:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    n_rows = len(table.to_frame()) + 1
    assert rtf.count(r"\row") == n_rows and rtf.count(r"\cell ") + rtf.count(r"\cell\row") >= n_rows
    assert len(re.findall(r"\\cell(?!x)", rtf)) == n_rows * 3
    assert r"R\u178?" in rtf  # R² as an RTF Unicode escape


@pytest.mark.parametrize("suffix", [".csv", ".tex", ".html", ".rtf", ".txt"])
def test_write_every_format(table, tmp_path, suffix):
    path = table.write(tmp_path / f"out{suffix}")
    text = path.read_text(encoding="utf-8")
    assert "0.110" in text
    assert [p.name for p in tmp_path.iterdir()] == [f"out{suffix}"]
    if suffix == ".csv":
        assert pd.read_csv(path, index_col=0).shape == (10, 2)


def test_bad_table_inputs(table, tmp_path):
    with pytest.raises(ValueError, match=r"not \.docx"):
        table.write(tmp_path / "out.docx")
    with pytest.raises(ValueError, match="at least one model"):
        RegressionTable([])
    with pytest.raises(ValueError, match="extra row 'Controls' has 1 entries for 2 models"):
        RegressionTable(table.models, extra_rows={"Controls": ["Yes"]})
