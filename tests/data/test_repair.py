"""Corrections from a cited file, only where the checks flag the value; linear interpolation inside a series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coreduce.data.checks import check_panel
from coreduce.data.repair import (
    CorrectionError,
    apply_corrections,
    interpolate,
    read_corrections,
    withhold_components,
)

from ._frames import rows
from .test_checks import yearbook_rows


def test_cited_gdp_corrections_apply_exactly_where_flagged(shared_data):
    data = yearbook_rows(shared_data)
    report = check_panel(data)
    corrections = read_corrections(shared_data / "corrections" / "provincial_gdp_2021_2022.csv")
    assert set(corrections["variable"]) == {"gdp"}  # the file's gdp_nominal is the canonical gdp
    result = apply_corrections(data, corrections, report.flagged(), units={"gdp": "1e8 CNY"})
    assert len(result.applied) == 8 and result.skipped.empty
    jiangsu = result.data[
        (result.data["geo"] == "320000") & (result.data["year"] == 2021) & (result.data["variable"] == "gdp")
    ].iloc[0]
    # Jiangsu Provincial Bureau of Statistics, 2021 communiqué: GDP 116,364.2 ×10^8 yuan
    assert jiangsu["value"] == pytest.approx(116364.2)
    assert jiangsu["status"] == "corrected"
    assert jiangsu["source"] in set(result.sources["source"])
    cited = result.sources.set_index("source").loc[jiangsu["source"]]
    assert cited["publisher"] == "Jiangsu Provincial Bureau of Statistics"
    row = result.applied[(result.applied["geo"] == "320000") & (result.applied["year"] == 2021)].iloc[0]
    assert row["old_value"] == pytest.approx(21372.3) and "communique" in row["source"]
    untouched = result.data[result.data["status"] == "reported"]
    assert len(untouched) == len(data) - 8
    # after the repair the GDP series pass the checks
    assert check_panel(result.data).findings.query("variable == 'gdp'").empty


def test_correction_not_applied_when_unflagged_or_value_differs(tmp_path):
    data = rows("gdp", "320000", {2019: 98656.8, 2020: 102807.7, 2021: 116000.0, 2022: 122000.0})
    path = tmp_path / "c.csv"
    pd.DataFrame(
        [
            dict(
                province_code="320000",
                year=2021,
                variable="gdp_nominal",
                value=116364.2,
                unit="1e8 CNY",
                replaces_value=116000.0,
                source="Jiangsu PBS, 2021 communique",
                note="n",
            ),
            dict(
                province_code="江苏",
                year=2022,
                variable="gdp_nominal",
                value=122875.6,
                unit="1e8 CNY",
                replaces_value=22464.4,
                source="Jiangsu PBS, 2022 communique",
                note="n",
            ),
        ]
    ).to_csv(path, index=False)
    corrections = read_corrections(path)
    result = apply_corrections(data, corrections, check_panel(data).flagged())
    assert result.applied.empty
    reasons = list(result.skipped["reason"])
    assert "do not flag" in reasons[0]
    assert "is not the value 22464.4" in reasons[1]
    assert (result.data["status"] == "reported").all()


def test_bad_correction_files(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("province_code,year,variable,value\n320000,2021,gdp,1\n")
    with pytest.raises(CorrectionError, match="missing column"):
        read_corrections(path)
    header = "province_code,year,variable,value,unit,replaces_value,source,note\n"
    path.write_text(header + "320000,2021,gdp,lots,1e8 CNY,1,cite,n\n")
    with pytest.raises(CorrectionError, match=r"line 2, column value: expected a number, got 'lots'"):
        read_corrections(path)
    path.write_text(header + "Atlantis,2021,gdp,1,1e8 CNY,1,cite,n\n")
    with pytest.raises(CorrectionError, match="line 2, column province_code"):
        read_corrections(path)
    path.write_text(header + "320000,2021,gdp,1,1e8 CNY,1,,n\n")
    with pytest.raises(CorrectionError, match="must cite its source"):
        read_corrections(path)
    path.write_text(header + "320000,2021,gdp,1,1e4 CNY,1,cite,n\n")
    with pytest.raises(CorrectionError, match="'1e4 CNY' but the panel's gdp is in '1e8 CNY'"):
        apply_corrections(
            rows("gdp", "320000", {2021: 1.0}),
            read_corrections(path),
            rows("gdp", "320000", {}),
            units={"gdp": "1e8 CNY"},
        )


def test_interpolation_fills_interior_gaps_only():
    data = pd.concat(
        [
            rows("gdp", "110000", {2008: 10.0, 2009: None, 2011: 40.0, 2012: 50.0}),  # NaN 2009, absent 2010
            rows("gdp", "310000", {2010: 5.0, 2011: 6.0}),
        ],
        ignore_index=True,
    )
    out, filled = interpolate(data)
    assert list(zip(filled["geo"], filled["year"], strict=True)) == [("110000", 2009), ("110000", 2010)]
    # v(t) = v0 + (t - t0)(v1 - v0)/(t1 - t0) between 2008 (10) and 2011 (40)
    np.testing.assert_allclose(filled["value"], [20.0, 30.0])
    assert set(filled["status"]) == {"interpolated"}
    assert out["value"].notna().all() and len(out) == 7
    assert set(out[out["geo"] == "310000"]["year"]) == {2010, 2011}  # nothing outside the observed range
    assert list(out[out["year"] == 2009]["status"]) == ["interpolated"]


def test_extrapolation_only_when_asked():
    data = rows("gdp", "310000", {2010: 5.0, 2011: 6.0})
    _, none = interpolate(data, years=(2008, 2013))
    assert none.empty
    _, filled = interpolate(data, extrapolate=True, years=(2008, 2013))
    assert list(filled["year"]) == [2008, 2009, 2012, 2013]
    np.testing.assert_allclose(filled["value"], [5.0, 5.0, 6.0, 6.0])  # nearest value, never a trend
    with pytest.raises(ValueError, match="years="):
        interpolate(data, extrapolate=True)


def test_no_interpolation_across_a_statistical_break():
    data = rows("so2_nbs", "110000", {2014: 10.0, 2017: 2.0, 2018: 1.8, 2020: 1.0}, unit="kt")
    _, filled = interpolate(data)
    assert list(filled["year"]) == [2019]  # 2015–2016 straddle the 2016 break and stay missing
    _, filled = interpolate(data, breaks=[])
    assert list(filled["year"]) == [2015, 2016, 2019]


def test_components_of_a_corrected_aggregate_are_withheld_then_interpolated():
    """Jiangsu 2021 as in the yearbook panel: GDP, secondary and tertiary value added all a fifth of the true
    values, va_primary derived as the difference; a cited GDP correction withholds the three components of the
    same source row (and nothing from another source or another year)."""
    years = {2020: (102807.7, 44631.3, 53638.9), 2021: (21372.3, 9669.8, 10083.5), 2023: (128222.2, 56909.7, 66236.7)}
    data = pd.concat(
        [
            rows("gdp", "320000", {y: g for y, (g, _, _) in years.items()}, source="yb"),
            rows("va_secondary", "320000", {y: s for y, (_, s, _) in years.items()}, source="yb"),
            rows("va_tertiary", "320000", {y: t for y, (_, _, t) in years.items()}, source="yb"),
            rows("va_primary", "320000", {y: g - s - t for y, (g, s, t) in years.items()}, source="yb"),
            rows("va_secondary", "310000", {2021: 10355.3}, source="yb"),  # another province: untouched
        ],
        ignore_index=True,
    )
    applied = pd.DataFrame(
        [
            dict(
                geo="320000",
                year=2021,
                variable="gdp",
                old_value=21372.3,
                new_value=116364.2,
                source="Jiangsu",
                note="n",
            )
        ]
    )
    corrected = data.copy()
    corrected.loc[(corrected["variable"] == "gdp") & (corrected["year"] == 2021), ["value", "source"]] = [
        116364.2,
        "correction:jiangsu",
    ]
    kept, withheld = withhold_components(corrected, applied, data)
    assert sorted(withheld["variable"]) == ["va_primary", "va_secondary", "va_tertiary"]
    assert set(withheld["year"]) == {2021} and set(withheld["geo"]) == {"320000"}
    assert withheld.set_index("variable").loc["va_secondary", "old_value"] == 9669.8
    assert withheld["new_value"].isna().all() and withheld["source"].str.contains("component of gdp").all()
    assert len(kept) == len(data) - 3
    assert ((kept["geo"] == "310000") & (kept["variable"] == "va_secondary")).sum() == 1
    _, new = interpolate(kept)
    new = new[new["year"] == 2021]  # (2022 is absent from these frames and filled too)
    assert set(new["variable"]) == set(withheld["variable"])
    assert (new["status"] == "interpolated").all()
    # 2021 lies between 2020 and 2023: one third of the way along the line
    secondary = new.set_index("variable").loc["va_secondary", "value"]
    assert secondary == pytest.approx(44631.3 + (56909.7 - 44631.3) / 3)


def test_nothing_withheld_without_corrections_or_components():
    data = rows("gdp", "320000", {2020: 1.0, 2021: 2.0})
    empty = pd.DataFrame(columns=["geo", "year", "variable", "old_value", "new_value", "source", "note"])
    kept, withheld = withhold_components(data, empty, data)
    assert withheld.empty and len(kept) == 2
    applied = pd.DataFrame(
        [dict(geo="320000", year=2021, variable="so2_nbs", old_value=1, new_value=2, source="x", note="")]
    )
    kept, withheld = withhold_components(data, applied, data)
    assert withheld.empty and len(kept) == 2
