"""Green patents and a provincial coal-share index from Yumanlou/carbon_emission_finance, 2000–2023.

- ``yumanlou_green_panel/final_data.1.3.4_did.csv``: one row per province (pinyin: ``Neimenggu``, ``Xizang``) and
  year; only the raw columns ``green_invention_patents`` and ``green_utility_patents`` are read (counts) →
  ``green_patents_invention``, ``green_patents_utility``. The file's other columns are the author's model
  constructs and are not read.
- ``yumanlou_green_panel/energystruct.csv``: 省份 (short Chinese names), year, 能源消费结构（煤炭占比） →
  ``coal_share`` [fraction] for 30 provinces, 2003–2022. An index-like share computed by the repository author
  from energy balances (method undocumented), lower than the official coal share for coal-heavy provinces.
"""

from __future__ import annotations

from pathlib import Path

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import check_unique, long_rows, output, read_csv, to_geo, to_number, years

FOLDER = Path("yumanlou_green_panel")
PANEL_FILE = FOLDER / "final_data.1.3.4_did.csv"
COAL_FILE = FOLDER / "energystruct.csv"
SOURCE = "yumanlou_green_panel"
COAL_COLUMN = "能源消费结构（煤炭占比）"
PATENTS = {
    "green_invention_patents": ("green_patents_invention", "Green invention patents (WIPO IPC green inventory)"),
    "green_utility_patents": ("green_patents_utility", "Green utility-model patents (WIPO IPC green inventory)"),
}


def read_patents(path: Path) -> list:
    origin = str(path)
    frame = read_csv(path, ["province", "year", *PATENTS], "the Yumanlou green-finance panel (final_data)")
    frame = frame.assign(geo=to_geo(frame["province"], origin, "province"), year=years(frame["year"], origin, "year"))
    check_unique(frame, ["geo", "year"], origin)
    parts = []
    for column, (variable, _) in PATENTS.items():
        frame[column] = to_number(frame[column], origin, column)
        if (frame[column] < 0).any():
            i = frame.index[(frame[column] < 0).to_numpy().argmax()]
            raise ReaderError(f"{origin}: row {int(i) + 2}, column {column!r}: a count cannot be negative")
        parts.append(long_rows(frame, column, variable, "count", SOURCE))
    return parts


def read_coal(path: Path):
    origin = str(path)
    frame = read_csv(path, ["省份", "year", COAL_COLUMN], "the Yumanlou energy-structure file (energystruct.csv)")
    frame = frame.assign(geo=to_geo(frame["省份"], origin, "省份"), year=years(frame["year"], origin, "year"))
    check_unique(frame, ["geo", "year"], origin)
    frame["share"] = to_number(frame[COAL_COLUMN], origin, COAL_COLUMN)
    outside = ~frame["share"].between(0, 1) & frame["share"].notna()
    if outside.any():
        i = frame.index[outside.to_numpy().argmax()]
        raise ReaderError(
            f"{origin}: row {int(i) + 2}, column {COAL_COLUMN!r}: {frame.loc[i, 'share']:g} is not a share in 0–1"
        )
    return long_rows(frame, "share", "coal_share", "fraction", SOURCE)


PUBLISHER = "Compiled by Yumanlou (carbon_emission_finance), secondary source"
CATALOGUE = [
    *(
        {"variable": variable, "unit": "count", "source": SOURCE, "publisher": PUBLISHER + "; likely CNRDS/CSMAR",
         "definition": f"{what}, by province; source database not documented (applications by applicant "
                       "province most likely)"}
        for variable, what in PATENTS.values()
    ),
    {"variable": "coal_share", "unit": "fraction", "source": SOURCE,
     "publisher": PUBLISHER + "; from China Energy Statistical Yearbook energy balances",
     "definition": "Coal share of energy consumption by province: an index-like share computed by the compiler "
                   "(method undocumented), not the official coal share of primary energy; 30 provinces, no Tibet"},
]  # fmt: skip


def read(root: Path) -> ReaderOutput:
    parts = [*read_patents(root / PANEL_FILE), read_coal(root / COAL_FILE)]
    source = {
        "source": SOURCE,
        "publisher": PUBLISHER,
        "title": "Provincial green-finance panel 2000–2023 (final_data.1.3.4_did.csv) and energy structure",
        "licence": "none stated",
        "citation": "Yumanlou, carbon_emission_finance, data/final_data.1.3.4_did.csv and data/energystruct.csv "
        "(commit 39fb8f1)",
        "files": f"{PANEL_FILE};{COAL_FILE}",
    }
    return output(parts, CATALOGUE, [source], origin=str(root / FOLDER))


READER = Reader(name="green_panel", read=read)
