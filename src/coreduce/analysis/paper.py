"""The trends beside the figures they are read against: the source paper's national CO2 intensity (2.325 t per
10^4 yuan in 2008, 1.001 in 2022, "a 5.8 % fall a year") and the officially reported constant-price change of
national CO2 intensity 2005–2014 (−33.8 %). Numbers only; the texts are catalogue notes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.analysis.conventions import ProvinceConventions
from coreduce.methods.intensity import average_annual_rate
from coreduce.results import Note

PAPER_NATIONAL_CO2_INTENSITY = {2008: 2.325, 2022: 1.001}
"""The paper's national CO2 intensity (t per 10^4 yuan) and its stated fall of 5.8 % a year."""
OFFICIAL_CO2_INTENSITY_CHANGE = {(2005, 2014): -0.338}
"""National CO2 intensity change at constant prices as officially reported: 2014 against 2005, −33.8 %
(stated by the Premier at the meeting of the National Leading Group on Climate Change, Energy Saving and
Emission Reduction, 12 June 2015; reported e.g. at http://tanjiaoyi.com/article-10863-1.html)."""
PAPER_COLUMNS = ["measure", "year", "here", "paper", "difference_pct"]


def paper_table(overview: pd.DataFrame) -> pd.DataFrame:
    """The national CO2 intensity (t per 10^4 yuan) in the paper's years and its average annual rate (%) here
    beside the paper's 2.325 (2008), 1.001 (2022) and 2.325 → 1.001; ``difference_pct`` = here ÷ paper − 1 (%),
    not formed for the rate (compared by its points)."""
    row = overview[(overview["level"] == "nation") & (overview["indicator"] == "co2_intensity")]
    if row.empty:
        return pd.DataFrame(columns=PAPER_COLUMNS)
    row = row.iloc[0]
    here = {int(row["start_year"]): row["start"], int(row["end_year"]): row["end"]}
    rows = [
        ("co2_intensity", str(year), here.get(year, np.nan), paper)
        for year, paper in PAPER_NATIONAL_CO2_INTENSITY.items()
    ]
    first, last = min(PAPER_NATIONAL_CO2_INTENSITY), max(PAPER_NATIONAL_CO2_INTENSITY)
    paper_rate = (
        float(
            average_annual_rate(PAPER_NATIONAL_CO2_INTENSITY[first], PAPER_NATIONAL_CO2_INTENSITY[last], last - first)
        )
        * 100
    )
    rate = row["annual_rate"] * 100 if (row["start_year"], row["end_year"]) == (first, last) else np.nan
    rows.append(("annual_rate_pct", f"{first}–{last}", rate, paper_rate))
    frame = pd.DataFrame(rows, columns=PAPER_COLUMNS[:-1])
    frame["difference_pct"] = (frame["here"] / frame["paper"] - 1) * 100
    frame.loc[frame.index[-1], "difference_pct"] = np.nan
    return frame


def official_notes(long: pd.DataFrame) -> list[Note]:
    """The constant-price national CO2 intensity next to officially reported changes."""
    series = long[(long["level"] == "nation") & (long["indicator"] == "co2_intensity")].set_index("year")["value"]
    notes = []
    for (y0, y1), official in OFFICIAL_CO2_INTENSITY_CHANGE.items():
        if np.isfinite(series.get(y0, np.nan)) and np.isfinite(series.get(y1, np.nan)):
            here = series[y1] / series[y0] - 1
            notes.append(
                Note.of("note.trends.official_change", y0=y0, y1=y1, here=float(here) * 100, official=official * 100)
            )
    return notes


def paper_notes(
    c: ProvinceConventions, overview: pd.DataFrame, national_co2: pd.Series, national_gdp: pd.Series, to_t: float
) -> list[Note]:
    """The national CO2 intensity next to the paper's 2.325 (2008), 1.001 (2022) and 5.8 % a year."""
    row = overview[(overview["level"] == "nation") & (overview["indicator"] == "co2_intensity")]
    if row.empty:
        return []
    row = row.iloc[0]
    notes = []
    for year, value in ((row["start_year"], row["start"]), (row["end_year"], row["end"])):
        if year in PAPER_NATIONAL_CO2_INTENSITY and np.isfinite(value):
            paper = PAPER_NATIONAL_CO2_INTENSITY[year]
            notes.append(
                Note.of(
                    "note.trends.paper_intensity",
                    year=int(year),
                    here=float(value),
                    paper=paper,
                    difference=float((value / paper - 1) * 100),
                    implied=float(paper * national_gdp.get(year, np.nan) / to_t),
                    actual=float(national_co2.get(year, np.nan)),
                    series=c.national_co2,
                )
            )
    if (row["start_year"], row["end_year"]) == (2008, 2022) and np.isfinite(row["annual_rate"]):
        paper_rate = float(average_annual_rate(2.325, 1.001, 14))
        notes.append(Note.of("note.trends.paper_rate", here=float(row["annual_rate"]) * 100, paper=paper_rate * 100))
        notes.append(Note.of("note.trends.data_vintage", series=c.national_co2))
    return notes
