"""AQLI 2023 population-weighted annual PM2.5 for China and three city clusters, 1998–2021.

``aqli/aqli2023_china_regions_popweighted_pm25_1998_2021.csv`` (columns years, region,
pop_weighted_avg_pm2.5): regions ``China`` (→ geo ``100000``), ``BTH`` (Beijing–Tianjin–Hebei), ``YRD``
(Yangtze River Delta), ``PRD`` (Pearl River Delta), kept as geo codes. Emits ``pm25_aqli`` in µg/m³.
AQLI computes the means from ACAG/WashU satellite PM2.5 (V5.GL.03) weighted by LandScan population; the
file holds no provinces.
"""

from __future__ import annotations

from pathlib import Path

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import check_unique, long_rows, output, read_csv, to_number, years
from coreduce.geo import NATIONAL_CODE

FILE = Path("aqli/aqli2023_china_regions_popweighted_pm25_1998_2021.csv")
SOURCE = "aqli_2023"
REGIONS = {"China": NATIONAL_CODE, "BTH": "BTH", "YRD": "YRD", "PRD": "PRD"}
VALUE = "pop_weighted_avg_pm2.5"


def read_file(path: Path) -> ReaderOutput:
    origin = str(path)
    frame = read_csv(path, ["years", "region", VALUE], "the AQLI population-weighted PM2.5 file")
    region = frame["region"].str.strip()
    bad = ~region.isin(list(REGIONS))
    if bad.any():
        i = frame.index[bad.to_numpy().argmax()]
        raise ReaderError(
            f"{origin}: row {int(i) + 2}, column 'region': unknown region {frame.loc[i, 'region']!r}; "
            f"expected one of {', '.join(REGIONS)}"
        )
    frame = frame.assign(geo=region.map(REGIONS), year=years(frame["years"], origin, "years"))
    frame["value"] = to_number(frame[VALUE], origin, VALUE)
    check_unique(frame, ["geo", "year"], origin)
    catalogue = [
        {
            "variable": "pm25_aqli",
            "unit": "ug/m3",
            "definition": "Population-weighted annual mean PM2.5 concentration (satellite-derived); "
            "China and the BTH, YRD and PRD city clusters only",
            "publisher": "EPIC Air Quality Life Index (AQLI), from ACAG/WashU satellite PM2.5",
            "source": SOURCE,
        }
    ]
    source = {
        "source": SOURCE,
        "publisher": "Energy Policy Institute at the University of Chicago (EPIC), Air Quality Life Index",
        "title": "AQLI 2023 annual update, China: population-weighted PM2.5 1998–2021 (figure 6.1 data)",
        "licence": "none stated",
        "citation": (
            "Greenstone, M., Hasenkopf, C. and Lee, K. (2023) Air Quality Life Index 2023 Annual Update, EPIC; "
            "aqli-epic/annual.updates, archive/2023/annual.report/6.china/fig6.1/data.csv; PM2.5 from "
            "van Donkelaar et al. (2021) V5.GL.03"
        ),
        "files": str(FILE),
    }
    return output([long_rows(frame, "value", "pm25_aqli", "ug/m3", SOURCE)], catalogue, [source], origin=origin)


def read(root: Path) -> ReaderOutput:
    return read_file(root / FILE)


READER = Reader(name="aqli", read=read)
