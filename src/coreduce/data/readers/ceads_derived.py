"""Energy-related provincial CO2 after 2019, derived here with the CEADs method from the CEADs energy inventories.

CEADs publishes sectoral provincial CO2 up to 2019 (``ceads_provinces``) and the energy inventories behind it up
to 2022 (``ceads_energy``). This reader recovers the CEADs factors from the 2011–2019 pairs and applies them to
the 2020–2022 activity (:mod:`coreduce.data.ceads_method`). It emits, for 30 provinces (Tibet is not covered by
CEADs and stays missing) and the years after the last published one, status ``derived``:

- ``co2_ceads_energy``: energy-related CO2 (the published years come from ``ceads_provinces``);
- ``co2_ceads_energy.fuel.<fuel>`` and ``co2_ceads_energy.sector.<sector>``: its 17 fuels and 47 sectors.

Process (cement) CO2 is not derived: no cited source for it after 2019 is at hand, so ``co2_ceads`` (the total)
ends in 2019. The out-of-sample validation of the method (calibrate 2011–2016, predict 2017–2019) is recorded in
the catalogue definition of every derived variable.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data import ceads_method
from coreduce.data.readers import ceads_energy, ceads_provinces
from coreduce.data.readers._base import Reader, ReaderOutput
from coreduce.data.readers._ceads import SOURCE_FIELDS
from coreduce.data.readers._common import output

SOURCE = "ceads_derived"
UNIT = "Mt"
CALIBRATION = range(2011, 2020)
VALIDATION = (range(2011, 2017), range(2017, 2020))
DERIVED = range(2020, 2023)
PUBLISHER = "coreduce, CEADs method applied to the CEADs provincial energy inventories"
CITATION = (
    "Method: Shan, Y. et al. (2018) China CO2 emission accounts 1997–2015, Sci. Data 5:170201, Eq. 1 (activity × "
    "NCV × carbon content × oxidation; power and heat include thermal-power and heating inputs; non-energy use "
    "excluded); factors recovered per sector and fuel from the CEADs 2011–2019 energy and CO2 inventories. "
    "Activity data: CEADs provincial energy inventories 2011–2022 (Xu, J. et al. (2024) China carbon emission "
    "accounts 2020–2021, Applied Energy), via upstream1119/statistical-modeling_CUC_PYH (commit f84c7b6)."
)


def read_inputs(root: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(combustion activity 2011–2022, published energy CO2 cells 2011–2019 without the process column)."""
    activity = ceads_method.combustion_activity(ceads_energy.read_energy(root))
    paths = ceads_provinces.files(root)
    cells = pd.concat([ceads_provinces.read_cells(paths[y], y) for y in CALIBRATION], ignore_index=True)
    return activity, cells[cells["fuel"] != "process"].reset_index(drop=True)


def validation(root: Path) -> ceads_method.Validation:
    """The out-of-sample validation on the public files: calibrate 2011–2016, predict 2017–2019."""
    activity, emissions = read_inputs(root)
    return ceads_method.validate(activity, emissions, *VALIDATION)


def _rows(cells: pd.DataFrame) -> pd.DataFrame:
    parts = [cells.groupby(["geo", "year"])["value"].sum().reset_index().assign(variable="co2_ceads_energy")]
    for part in ("fuel", "sector"):
        sums = cells.groupby(["geo", "year", part])["value"].sum().reset_index()
        parts.append(sums.assign(variable="co2_ceads_energy." + part + "." + sums.pop(part)))
    rows = pd.concat(parts, ignore_index=True)
    return rows.assign(unit=UNIT, source=SOURCE, status="derived")


def _catalogue(variables: list[str], check: ceads_method.Validation) -> list[dict[str, str]]:
    method = (
        f"; {DERIVED[0]}–{DERIVED[-1]} derived by coreduce with the CEADs method from the CEADs energy inventories, "
        f"factors per sector and fuel recovered from {CALIBRATION[0]}–{CALIBRATION[-1]} (out of sample, "
        f"calibrated 2011–2016, 2017–2019 province totals: median |error| {check.median_abs:.2f} %, "
        f"max {check.max_abs:.2f} %)"
    )
    rows = []
    for variable in variables:
        if variable == "co2_ceads_energy":
            definition = ceads_provinces.ENERGY_DEFINITION
        else:
            _, part, name = variable.split(".")
            definition = f"Energy-related CO2 (scope 1) of the {part} {name.replace('_', ' ')}"
        rows.append(
            dict(variable=variable, unit=UNIT, definition=definition + method, publisher=PUBLISHER, source=SOURCE)
        )
    return rows


def read(root: Path) -> ReaderOutput:
    """Derived energy-related CO2 for 2020–2022 (30 provinces), with the validation in the catalogue."""
    activity, emissions = read_inputs(root)
    check = ceads_method.validate(activity, emissions, *VALIDATION)
    factors = ceads_method.calibrate(activity, emissions, CALIBRATION)
    derived = ceads_method.apply_factors(activity[activity["year"].isin(DERIVED)], factors)
    rows = _rows(derived)
    source = {
        "source": SOURCE,
        "title": "Energy-related provincial CO2 2020–2022 derived with the CEADs method (30 provinces, no Tibet)",
        "files": ";".join(str(ceads_energy.path_of(Path(), y)) for y in ceads_energy.YEARS)
        + ";"
        + ";".join(str(ceads_provinces.FOLDER / p.name) for y, p in ceads_provinces.files(root).items() if y >= 2011),
        "publisher": PUBLISHER,
        "licence": SOURCE_FIELDS["licence"],
        "citation": CITATION,
    }
    return output([rows], _catalogue(sorted(rows["variable"].unique()), check), [source], origin=str(root))


READER = Reader(name=SOURCE, read=read)
