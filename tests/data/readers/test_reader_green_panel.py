"""Green patents and the provincial coal-share index: published sums, the panel's own copy, broken copies."""

from __future__ import annotations

import pandas as pd
import pytest

from coreduce.data.readers import ReaderError, green_panel

PANEL = str(green_panel.PANEL_FILE)
COAL = str(green_panel.COAL_FILE)


@pytest.fixture(scope="module")
def out(read_once):
    return read_once("green_panel")


def test_green_patent_sums(out):
    # PROVENANCE.md §10: national sums 2008 = 12,806 invention / 11,948 utility; 2022 = 169,222 / 159,645.
    sums = out.data.pivot_table(index="year", columns="variable", values="value", aggfunc="sum")
    assert sums.loc[2008, "green_patents_invention"] == 12_806
    assert sums.loc[2008, "green_patents_utility"] == 11_948
    assert sums.loc[2022, "green_patents_invention"] == 169_222
    assert sums.loc[2022, "green_patents_utility"] == 159_645
    patents = out.data[out.data["variable"].str.startswith("green_patents")]
    assert len(patents) == 2 * 31 * 24  # every province-year 2000–2023; pinyin Neimenggu and Xizang resolve
    tibet = patents[(patents["geo"] == "540000") & (patents["year"] == 2008)].set_index("variable")["value"]
    assert tibet["green_patents_invention"] == 0  # PROVENANCE.md: Xizang 0 in 2008; a zero is kept, not dropped


def test_coal_share_is_the_documented_index(out, shared_data):
    # PROVENANCE.md §10: Beijing 2008 = 0.24 → 2022 = 0.006; Hebei 0.72 → 0.50; Shanxi 0.69 → 0.46.
    coal = out.data[out.data["variable"] == "coal_share"].pivot_table(index="geo", columns="year", values="value")
    assert coal.shape == (30, 20)
    for geo, y2008, y2022 in (("110000", 0.24, 0.006), ("130000", 0.72, 0.50), ("140000", 0.69, 0.46)):
        assert coal.loc[geo, 2008] == pytest.approx(y2008, abs=0.005)
        assert coal.loc[geo, 2022] == pytest.approx(y2022, abs=0.005)
    definition = out.catalogue.set_index("variable").loc["coal_share", "definition"]
    assert "not the official" in definition
    # the panel file carries the same series as coal_share_pctg (a fraction despite the name)
    panel = pd.read_csv(shared_data / PANEL).dropna(subset=["coal_share_pctg"])
    assert len(panel) == 600
    assert panel["coal_share_pctg"].sum() == pytest.approx(coal.sum().sum(), rel=1e-6)


def test_unknown_pinyin_province(broken_csv):
    def edit(frame):
        frame.loc[0, "province"] = "Shanghia"
        return frame

    with pytest.raises(ReaderError, match=r"row 2, column 'province': unknown province 'Shanghia'"):
        green_panel.read(broken_csv(PANEL, edit))


def test_negative_count_and_text(broken_csv):
    def negative(frame):
        frame.loc[3, "green_utility_patents"] = "-4"
        return frame

    with pytest.raises(ReaderError, match=r"row 5, column 'green_utility_patents': a count cannot be negative"):
        green_panel.read(broken_csv(PANEL, negative))

    def text(frame):
        frame.loc[3, "green_invention_patents"] = "n.a."
        return frame

    with pytest.raises(ReaderError, match=r"'green_invention_patents' must hold numbers; found text at row 5"):
        green_panel.read(broken_csv(PANEL, text))


def test_coal_share_outside_0_1(broken_csv, shared_data):
    def edit(frame):
        frame.loc[2, green_panel.COAL_COLUMN] = "73.4"
        return frame

    root = broken_csv(COAL, edit)
    (root / PANEL).symlink_to(shared_data / PANEL)
    with pytest.raises(ReaderError, match=r"row 4, column '能源消费结构（煤炭占比）': 73.4 is not a share in 0–1"):
        green_panel.read(root)


def test_duplicate_and_missing_column(broken_csv):
    with pytest.raises(ReaderError, match=r"duplicate row for geo=310000, year=2000 at rows 2, 746"):
        green_panel.read(broken_csv(PANEL, lambda f: pd.concat([f, f.iloc[[0]]])))
    with pytest.raises(ReaderError, match=r"missing column\(s\) green_utility_patents"):
        green_panel.read(broken_csv(PANEL, lambda f: f.drop(columns=["green_utility_patents"])))
