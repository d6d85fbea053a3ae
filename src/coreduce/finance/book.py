"""A loan or bond book from CSV or xlsx, checked row by row before any number is computed.

One row per loan or bond. Required columns: ``loan_id``, ``borrower``, ``sector`` (a GB/T 4754-2017 division,
two digits), ``province`` (any name :func:`coreduce.geo.code_of` knows), ``exposure`` and ``outstanding``
(CNY, ≥ 0). What is known about the borrower (optional columns, empty when unknown):

============================ ==========================================================================
``listed``                   1 if the borrower is listed (PCAF then attributes by EVIC), else 0
``evic``                     enterprise value including cash, CNY (listed borrowers)
``equity_plus_debt``         total equity + debt, CNY (unlisted borrowers)
``emissions``                scope 1 + 2 emissions, t CO2e a year; ``emissions_verified`` 1 if audited
``production``               annual output in the unit of the sector pathway (e.g. MWh, t of cement)
``revenue``, ``ebitda``      CNY a year
``eu_exports``               tonnes a year exported to the EU of a CBAM good (``cn_code``: its 8-digit CN
                             code, required with exports; ``cbam_route``: its production route letter of
                             IR (EU) 2025/2621, optional)
``so2``, ``nox``             reported emissions of the same activity, t a year
``fuel``, ``fuel_quantity``  the main fuel burned (a factor-library fuel, e.g. ``hard_coal``), how much a year
``fuel_unit``                and in what unit (``t``, ``GJ``, ``m3`` …): CO2, SO2, NOx by the factor library
``company_id``               the borrower's company on the exchange (a link; not used in the numbers)
============================ ==========================================================================

Errors name the file, the row (as a spreadsheet shows it) and the column: an unknown sector code, a negative
amount, text in a number column, a borrower with an amount but no attribution base (neither EVIC nor total
equity + debt), duplicate loan ids.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from coreduce.cbam.reference import load_reference
from coreduce.geo import UnknownProvinceError, code_of

REQUIRED = ("loan_id", "borrower", "sector", "province", "exposure", "outstanding")
NUMBERS = ("exposure", "outstanding", "evic", "equity_plus_debt", "emissions", "production", "revenue", "ebitda",
           "eu_exports", "so2", "nox", "fuel_quantity")  # fmt: skip
FLAGS = ("listed", "emissions_verified")
TEXT = ("cn_code", "cbam_route", "company_id", "fuel", "fuel_unit")
MAX_ROWS = 2_000_000


class BookError(ValueError):
    """A book row that cannot be screened; the message names file, row and column and what was expected."""


@cache
def sectors() -> pd.DataFrame:
    """GB/T 4754-2017 divisions: code (two digits), name_en, name_zh, sda_sector (pathway sector or empty)."""
    with (files("coreduce.finance") / "data" / "sectors.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False).set_index("code")


def _raw(path: Path) -> tuple[pd.DataFrame, int]:
    if not path.is_file():
        raise BookError(f"{path}: book file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    elif suffix == ".xlsx":
        frame = pd.read_excel(path, dtype=str, engine="calamine")
    else:
        raise BookError(f"{path}: a book is a .csv or .xlsx file")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, 2


def _fail(origin: str, frame: pd.DataFrame, bad: pd.Series, column: str, expected: str, offset: int):
    i = frame.index[bad.to_numpy().argmax()]
    value = frame.loc[i, column] if column in frame else ""
    more = f" ({int(bad.sum()) - 1} more rows)" if bad.sum() > 1 else ""
    raise BookError(f"{origin}: row {int(i) + offset}, column {column!r}: {value!r} — expected {expected}{more}")


def _numbers(frame: pd.DataFrame, origin: str, offset: int) -> None:
    for column in NUMBERS:
        if column not in frame:
            frame[column] = np.nan
            continue
        text = frame[column].astype("string").str.strip().str.replace(",", "", regex=False)
        number = pd.to_numeric(text, errors="coerce")
        _bad = number.isna() & text.notna() & (text != "")
        if _bad.any():
            _fail(origin, frame, _bad, column, "a number", offset)
        if (number < 0).any():
            _fail(origin, frame, (number < 0).fillna(False), column, "a number ≥ 0", offset)
        frame[column] = number.astype(float)
    for column in FLAGS:
        text = frame[column].astype("string").str.strip().str.lower() if column in frame else None
        if text is None:
            frame[column] = False
            continue
        known = text.isin(["1", "0", "true", "false", "yes", "no"]) | text.isna()
        if not known.all():
            _fail(origin, frame, ~known, column, "1/0, true/false or empty", offset)
        frame[column] = text.isin(["1", "true", "yes"]).to_numpy()


def _cbam_goods(frame: pd.DataFrame, origin: str, offset: int) -> None:
    """A borrower exporting to the EU names an 8-digit CN code of a CBAM good (Annex I of Regulation 2023/956)."""
    exporting = frame["eu_exports"] > 0
    if not exporting.any():
        return
    code = frame["cn_code"].str.replace(" ", "", regex=False)
    known = code.isin(set(load_reference().goods["cn"])).fillna(False)
    frame["cn_code"] = code
    if (exporting & ~known).any():
        _fail(origin, frame, exporting & ~known, "cn_code",
              "the 8-digit CN code of a CBAM good (Annex I of Regulation (EU) 2023/956) for a borrower with "
              "eu_exports", offset)  # fmt: skip


def read_book(path: str | Path) -> pd.DataFrame:
    """The checked book: one row per loan, columns as documented, ``geo`` and ``sda_sector`` added."""
    path = Path(path)
    origin = str(path)
    frame, offset = _raw(path)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise BookError(f"{origin}: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}")
    if len(frame) > MAX_ROWS:
        raise BookError(f"{origin}: {len(frame)} rows; at most {MAX_ROWS:,} loans per book")
    if frame.empty:
        raise BookError(f"{origin}: the book has a header but no loans")
    return check_book(frame, origin, offset)


def check_book(frame: pd.DataFrame, origin: str = "book", offset: int = 2) -> pd.DataFrame:
    """Check and type a book frame (text cells as read); see :func:`read_book`."""
    frame = frame.copy()
    for column in ("loan_id", "borrower"):
        empty = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        if empty.any():
            _fail(origin, frame, empty, column, "a non-empty identifier", offset)
    dup = frame["loan_id"].duplicated(keep=False)
    if dup.any():
        _fail(origin, frame, dup, "loan_id", "a loan id used once", offset)
    codes = frame["sector"].astype("string").str.strip().str.zfill(2)
    unknown = ~codes.isin(sectors().index)
    if unknown.any():
        _fail(origin, frame, unknown.fillna(True), "sector", "a GB/T 4754-2017 division code (01–97)", offset)
    frame["sector"] = codes.astype(str)
    geo = {}
    for name in frame["province"].dropna().unique():
        try:
            geo[name] = code_of(str(name).strip())
        except UnknownProvinceError:
            _fail(origin, frame, frame["province"] == name, "province", "a province of China", offset)
    if frame["province"].isna().any():
        _fail(origin, frame, frame["province"].isna(), "province", "a province of China", offset)
    frame["geo"] = frame["province"].map(geo)
    _numbers(frame, origin, offset)
    for column in ("exposure", "outstanding"):
        if frame[column].isna().any():
            _fail(origin, frame, frame[column].isna(), column, "an amount ≥ 0 (CNY)", offset)
    has_amount = (frame["outstanding"] > 0) | (frame["exposure"] > 0)
    no_base = has_amount & ~(frame["evic"] > 0) & ~(frame["equity_plus_debt"] > 0)
    if no_base.any():
        _fail(origin, frame, no_base, "equity_plus_debt",
              "an attribution base: EVIC (listed) or total equity + debt (unlisted), > 0, for a borrower with "
              "an amount", offset)  # fmt: skip
    for column in TEXT:
        frame[column] = frame[column].astype("string") if column in frame else pd.NA
    has_fuel = frame["fuel"].notna()
    for column in ("fuel_quantity", "fuel_unit"):
        lacking = has_fuel & frame[column].isna()
        if lacking.any():
            _fail(origin, frame, lacking, column, "a value for a borrower with a fuel", offset)
    _cbam_goods(frame, origin, offset)
    frame["sda_sector"] = frame["sector"].map(sectors()["sda_sector"]).replace("", pd.NA)
    frame.index = pd.RangeIndex(len(frame))
    return frame
