"""Bond/SPEW black and organic carbon per mass of fuel (East Asia), as processed by CEDS."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.accounting.builders._rows import row
from coreduce.accounting.builders.ceds import CEDS_LICENCE
from coreduce.accounting.builders.gains import PM25_SECTOR

BOND_PUB = "SPEW database (Bond et al. 2007, ver. 2016-02-27) as processed by CEDS"
BOND_CITE = "Bond et al. 2007, Global Biogeochem. Cycles 21, GB2018; CEDS CD.{BC,OC}_bond_EF_region.csv (East Asia)"


def bond(root: Path) -> list[dict]:
    """Bond/SPEW BC and OC per mass of fuel (East Asia), latest year, for the CEDS sector of each library sector."""
    frame = pd.read_csv(root / "ceds" / "bond_spew_bc_oc_ef_east_asia_by_sector_fuel_1850-2010.csv")
    sector_of = {ceds: lib for lib, ceds in PM25_SECTOR.items()}
    frame = frame[frame["sector"].isin(sector_of)].dropna(subset=["ef_kt_per_kt_fuel"])
    latest = frame.loc[frame.groupby(["em", "fuel", "sector"])["year"].idxmax()]
    rows = []
    for rec in latest.to_dict("records"):
        rows.append(
            row(
                source="bond",
                activity_type="fuel",
                fuel=rec["fuel"],
                sector=sector_of[rec["sector"]],
                region="east_asia",
                year=int(rec["year"]),
                pollutant=rec["em"].lower(),
                value=rec["ef_kt_per_kt_fuel"] * 1000.0,
                unit="kg/t",
                publisher=BOND_PUB,
                licence=CEDS_LICENCE,
                citation=f"{BOND_CITE}; {rec['sector']} / {rec['fuel']} / {rec['year']}",
                note=f"{rec['ef_kt_per_kt_fuel']:.6g} kt/kt fuel × 1000 = kg/t; Bond region East Asia, not China only",
            )
        )
    return rows
