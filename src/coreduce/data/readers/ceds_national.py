"""CEDS v_2021_02_05 national emissions of China (long file: em, country, units, year, value), 1990–2019.

Emits for geo ``100000``: ``so2_ceds`` (kt SO2), ``nox_ceds`` (kt, as NO2) and ``co2_ceds`` (converted from
kt to Mt). CEDS is a modelled inventory (MEIC-based for China), not the NBS/MEE statistical series.
"""

from __future__ import annotations

from pathlib import Path

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import check_unique, long_rows, output, read_csv, to_number, years
from coreduce.geo import NATIONAL_CODE

FILE = Path("ceds_v2021/ceds_v2021_02_05_china_SO2_NOx_CO2_1990_2019.csv")
SOURCE = "ceds_v2021"
COUNTRY = "chn"
POLLUTANTS = {  # em: (variable, publisher's unit label, canonical unit, what); the labels are all kilotonnes
    "SO2": ("so2_ceds", "ktSO2", "kt", "SO2 emissions"),
    "NOx": ("nox_ceds", "ktNO2", "kt", "NOx emissions, as NO2"),
    "CO2": ("co2_ceds", "ktCO2", "Mt", "CO2 emissions (fossil fuels, cement and other industrial processes)"),
}
PUBLISHER = "CEDS (Community Emissions Data System, PNNL/JGCRI)"


def read_file(path: Path) -> ReaderOutput:
    origin = str(path)
    frame = read_csv(path, ["em", "country", "units", "year", "value"], "the CEDS v2021 long file for China")
    for column, allowed in (("em", POLLUTANTS), ("country", {COUNTRY})):
        bad = ~frame[column].isin(list(allowed))
        if bad.any():
            row = int(frame.index[bad.to_numpy().argmax()]) + 2
            raise ReaderError(
                f"{origin}: row {row}, column {column!r}: unexpected {frame.loc[bad, column].iloc[0]!r}; "
                f"expected one of {', '.join(allowed)}"
            )
    expected_unit = frame["em"].map({k: v[1] for k, v in POLLUTANTS.items()})
    bad = frame["units"] != expected_unit
    if bad.any():
        i = frame.index[bad.to_numpy().argmax()]
        raise ReaderError(
            f"{origin}: row {int(i) + 2}, column 'units': {frame.loc[i, 'units']!r} for {frame.loc[i, 'em']}; "
            f"expected {expected_unit[i]!r}"
        )
    frame = frame.assign(geo=NATIONAL_CODE, year=years(frame["year"], origin, "year"))
    frame["value"] = to_number(frame["value"], origin, "value")
    check_unique(frame, ["em", "year"], origin)
    parts = [
        long_rows(frame[frame["em"] == em], "value", variable, unit, SOURCE, from_unit="kt")
        for em, (variable, _, unit, _) in POLLUTANTS.items()
    ]
    catalogue = [
        {"variable": variable, "unit": unit, "definition": f"{what}, CEDS modelled inventory",
         "publisher": PUBLISHER, "source": SOURCE}
        for variable, _, unit, what in POLLUTANTS.values()
    ]  # fmt: skip
    source = {
        "source": SOURCE,
        "publisher": PUBLISHER,
        "title": "CEDS v_2021_02_05 emissions by country (China), SO2, NOx, CO2",
        "licence": "CC BY 4.0",
        "citation": (
            "O'Rourke, P. R. et al. (2021) CEDS v_2021_02_05 Release Emission Data, Zenodo, doi:10.5281/zenodo.4509372"
        ),
        "files": str(FILE),
    }
    return output(parts, catalogue, [source], origin=origin)


def read(root: Path) -> ReaderOutput:
    return read_file(root / FILE)


READER = Reader(name="ceds_national", read=read)
