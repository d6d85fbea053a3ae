"""R&D expenditure, R&D intensity and domestic patents by province (China Statistical Yearbook on Science and
Technology, transcribed in the R package ``techme``), 2010–2023.

Four long files (province, year, chn_block4, value, units, variables, province_clean); provinces are read from
``province_clean`` (the package's OCR typos fixed) and 全国 is China (``100000``):

- ``RDActivity.csv``, 合计 (R&D经费内部支出, 万元) → ``rd_expenditure`` [1e8 CNY];
- ``RDIntense.csv``, RD强度 (%) → ``rd_intensity`` [percent of GDP];
- ``RDPatentAccept.csv``, 合计 → ``patents_applied`` [count] (国内专利申请受理数);
- ``RDPatentAuthority.csv``, 合计 → ``patents_granted``, 发明 → ``patents_granted_invention`` [count].
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import (
    NATIONAL_NAMES,
    check_unique,
    long_rows,
    output,
    read_csv,
    to_geo,
    to_number,
    years,
)

FOLDER = Path("techme_rd_patents")
SOURCE = "techme"
UNITS = {"万元": "1e4 CNY", "亿元": "1e8 CNY", "%": "percent", "件": "count"}
"""The publisher's unit labels and their pint spelling."""
PUBLISHER = "NBS/MOST (China Statistical Yearbook on Science and Technology)"
PATENTS = "CNIPA via NBS/MOST (China Statistical Yearbook on Science and Technology)"


class Series(NamedTuple):
    file: str
    block: str
    variable: str
    unit: str
    definition: str
    publisher: str


SERIES = (
    Series("RDActivity.csv", "合计", "rd_expenditure", "1e8 CNY",
           "Intramural expenditure on R&D (R&D经费内部支出), current prices", PUBLISHER),
    Series("RDIntense.csv", "RD强度", "rd_intensity", "percent",
           "R&D intensity: R&D expenditure as a share of GDP (GDP as published in the yearbook)", PUBLISHER),
    Series("RDPatentAccept.csv", "合计", "patents_applied", "count",
           "Domestic patent applications accepted (国内专利申请受理数), all types", PATENTS),
    Series("RDPatentAuthority.csv", "合计", "patents_granted", "count",
           "Domestic patents granted (国内专利授权数), all types", PATENTS),
    Series("RDPatentAuthority.csv", "发明", "patents_granted_invention", "count",
           "Domestic invention patents granted (国内发明专利授权数)", PATENTS),
)  # fmt: skip

COLUMNS = ["province_clean", "year", "chn_block4", "value", "units"]


def read_table(path: Path) -> pd.DataFrame:
    """One techme file: geo, year, block, value (float) and pint unit, checked for duplicates and units."""
    origin = str(path)
    frame = read_csv(path, COLUMNS, "a techme long table (province_clean, year, chn_block4, value, units)")
    unknown = ~frame["units"].isin(list(UNITS))
    if unknown.any():
        i = frame.index[unknown.to_numpy().argmax()]
        raise ReaderError(
            f"{origin}: row {int(i) + 2}, column 'units': unknown unit {frame.loc[i, 'units']!r}; "
            f"expected one of {', '.join(UNITS)}"
        )
    frame = frame.assign(
        geo=to_geo(frame["province_clean"], origin, "province_clean", extra=NATIONAL_NAMES),
        year=years(frame["year"], origin, "year"),
        unit=frame["units"].map(UNITS),
    )
    frame["value"] = to_number(frame["value"], origin, "value")
    check_unique(frame, ["geo", "year", "chn_block4"], origin)
    return frame


def read(root: Path) -> ReaderOutput:
    tables: dict[str, pd.DataFrame] = {}
    parts = []
    for s in SERIES:
        if s.file not in tables:
            tables[s.file] = read_table(root / FOLDER / s.file)
        rows = tables[s.file][tables[s.file]["chn_block4"] == s.block]
        if rows.empty:
            raise ReaderError(f"{root / FOLDER / s.file}: column 'chn_block4': no rows for {s.block!r}")
        units = rows["unit"].unique()
        if len(units) != 1:
            raise ReaderError(f"{root / FOLDER / s.file}: {s.block!r} rows mix the units {', '.join(units)}")
        parts.append(long_rows(rows, "value", s.variable, s.unit, SOURCE, from_unit=units[0]))
    catalogue = [
        {"variable": s.variable, "unit": s.unit, "definition": s.definition, "publisher": s.publisher, "source": SOURCE}
        for s in SERIES
    ]
    source = {
        "source": SOURCE,
        "publisher": "NBS and MOST, China Statistical Yearbook on Science and Technology (transcribed by huhuaping)",
        "title": "R&D expenditure, R&D intensity and domestic patents by province, 2010–2023",
        "licence": "MIT (techme package); underlying NBS data",
        "citation": (
            "National Bureau of Statistics and Ministry of Science and Technology, China Statistical Yearbook on "
            "Science and Technology; huhuaping/techme R package, data/RDActivity.rda, RDIntense.rda, "
            "RDPatentAccept.rda, RDPatentAuthority.rda"
        ),
        "files": ";".join(str(FOLDER / f) for f in dict.fromkeys(s.file for s in SERIES)),
    }
    return output(parts, catalogue, [source], origin=str(root / FOLDER))


READER = Reader(name="techme", read=read)
