"""Green-finance reform and innovation pilot zones (绿色金融改革创新试验区), each with its State Council / PBoC
document: the first batch of June 2017 (Zhejiang, Jiangxi, Guangdong, Guizhou, Xinjiang), Gansu's Lanzhou New
Area (approved December 2019) and Chongqing (银发〔2022〕180号, August 2022). A pilot covers part of a province
(a city or new area), except Chongqing; a province-level design treats the whole province from that year, which
dilutes the effect and is stated with every result.
"""

from __future__ import annotations

from importlib.resources import files

import pandas as pd

from coreduce.geo import code_of

TIMINGS = ("document_year", "first_full_year")


def pilot_zones() -> pd.DataFrame:
    """The pilot-zone table: province, geo (GB/T 2260), zone, first_year, document, issued, citation."""
    with (files("coreduce.finance") / "data" / "pilot_zones.csv").open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype={"first_year": int})
    return table.assign(geo=table["province"].map(code_of))


def first_treated_year(timing: str = "document_year") -> pd.Series:
    """geo → first treated year: the document's year, or the year after (``first_full_year``)."""
    if timing not in TIMINGS:
        raise ValueError(f"pilot timing must be one of {', '.join(TIMINGS)}; got {timing!r}")
    table = pilot_zones()
    shift = 1 if timing == "first_full_year" else 0
    return pd.Series((table["first_year"] + shift).to_numpy(), index=table["geo"].to_numpy(), name="first_year")
