"""Caveats printed beside fragile statistics: estimates that rest on few units, β-convergence half-lives under a
year, and grading scales on which (almost) every province falls in one band.

These are reading aids, not new numbers: each compares a value the analysis returned with a threshold stated
here, and the report prints the sentence next to the table (the table's note column) and in the section notes.
"""

from __future__ import annotations

import math

import pandas as pd

from coreduce.report.i18n import Text

FEW_UNITS = 5
"""Fewer provinces than this in a group: a regression or inequality statistic of the group rests on few units
(e.g. the Northeast, 3 provinces)."""
SHORT_HALF_LIFE = 1.0
"""Years: a β-convergence half-life below this means gaps halve within one year of annual data, which says more
about a small sample or the specification than about an adjustment speed."""
SATURATED_SHARE = 0.8
"""Share of provinces in one band of a grading scale above which the scale no longer tells provinces apart."""


def beta_caveats(beta: pd.DataFrame, sizes: dict[str, int], names: dict[str, str], t: Text) -> list[str]:
    """Caveats of the β-convergence rows (columns ``region``, ``form``, ``half_life``): few provinces in the
    region (``sizes``: region → number of provinces; ``All`` is the sum), half-lives under a year. ``names`` maps
    a region code to the name shown. The table's ``note`` column gets the short form of each row's caveats."""
    notes: dict[str, None] = {}
    marks = []
    total = sum(sizes.values())
    for row in beta.itertuples(index=False):
        place = names.get(row.region, row.region)
        units = total if row.region == "All" else sizes.get(row.region, total)
        short = []
        if units < FEW_UNITS:
            notes[t("caveat.few_units", place=place, n=units)] = None
            short.append(t("caveat.few_units_mark", n=units))
        half_life = getattr(row, "half_life", math.nan)
        if isinstance(half_life, float) and not math.isnan(half_life) and half_life < SHORT_HALF_LIFE:
            form = t.label("beta_form", row.form)
            notes[t("caveat.short_half_life", place=place, form=form, half_life=f"{half_life:.3f}")] = None
            short.append(t("caveat.short_half_life_mark"))
        marks.append(t("sep.list_sep").join(short))
    existing = beta["note"].fillna("").astype(str) if "note" in beta.columns else pd.Series("", index=beta.index)
    beta["note"] = [" ".join(x for x in (old, new) if x) for old, new in zip(existing, marks, strict=True)]
    return list(notes)


def saturation_caveat(grades: pd.Series, year: int, t: Text) -> str | None:
    """A caveat when at least :data:`SATURATED_SHARE` of the provinces share one band of a grading scale in
    ``year`` (``grades``: one band label per province), else None."""
    grades = grades.dropna()
    if grades.empty:
        return None
    counts = grades.value_counts()
    share = counts.iloc[0] / len(grades)
    if share < SATURATED_SHARE:
        return None
    return t("caveat.saturated", year=year, share=f"{share * 100:.0f}", grade=counts.index[0], n=len(grades))
