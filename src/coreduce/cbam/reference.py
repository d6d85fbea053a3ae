"""CBAM reference data: goods list, default values, precursor defaults, benchmarks and EU ETS prices.

The raw files live in ``shared/data`` (``PROVENANCE.md`` §14 and §16); :func:`build_reference` reads them, checks
them and writes the compact tables shipped in ``coreduce/cbam/data`` (with the Apache-2.0 licence and NOTICE of
the transcription, which must travel with the data); :func:`load_reference` reads the shipped tables.

Sources (all transcribed by a third party, opencbam 0.1.0; every value carries ``verified`` and ``verification``:
rows whose printed values were read in the Official Journal are verified and name the document and place, see
:mod:`coreduce.cbam.verification`; the others stay unverified):

- **default values**: Commission Implementing Regulation (EU) 2025/2621, Annex I — per country of origin, CN code
  and production route: direct, indirect, total (t CO2e / t) and the total with the mark-up of 2026, 2027, 2028.
  "DASH" (no value printed) and "NA" (indirect not applicable) are kept as ``status`` and a missing value.
- **precursor defaults**: IR (EU) 2025/2621, Annex IV — the highest default value over all origins, for a
  precursor whose origin is unknown.
- **benchmarks**: IR (EU) 2025/2620, Annex — CBAM benchmarks, column A (goods with actual values) and column B
  (goods with default values); where two values are printed, indicator (1) is "to be used for production years
  2026-27" and (2) "for production years 2028-30" (Annex point 5.3): ``from_year`` 2026 and 2028. (The first
  reading of the transcription took (2) as 2027 onwards; corrected from that legend.) No value is printed for
  production years after 2030: the 2028-30 value is carried on (an assumption until the Commission updates it).
- **goods**: the 569 CN codes of the EU CBAM report structure v23.00, sheet "CL CBAMGoods" (Annex I of
  Regulation (EU) 2023/956), plus the three urea codes of the current nomenclature that IR 2025/2621 prints
  (``added_from`` names the source; :func:`coreduce.cbam.verification.add_goods`).
- **EU ETS price**: annual average EUA price 2005–2023 (ICAP 2005–2008, ECB 2009–2023), EUR / t.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from coreduce.cbam.verification import add_defaults, add_goods, apply_corrections, mark_verified
from coreduce.fileio import atomic_write
from coreduce.paths import shared_data_dir

RAW_DIR = "cbam_opencbam"
ETS_FILE = "eu_ets_price/eua_annual_price_2005_2023.csv"
M49_FILE = "country_class/un_m49_country_codes_datahub_2020-10.csv"
NOTICE_FILES = ("NOTICE.txt", "LICENSE-Apache-2.0.txt")
OTHER = "ZZ"
"""Country key of the regulation's fallback row "Other Countries and Territories"."""
COUNTRY_ALIASES = {
    "Myanmar/Burma": "MM",
    "Türkiye": "TR",
    "United Kingdom": "GB",
    "United States": "US",
    "Other Countries and Territories": OTHER,
}
TRANSCRIPTION = (
    "opencbam 0.1.0 (IA Climate Ops), Apache-2.0; transcribed from the Official Journal; default-value, precursor and "
    "benchmark rows read in the Journal carry verified = True and the document and page (coreduce.cbam.verification)"
)
SOURCES = {
    "defaults": "Commission Implementing Regulation (EU) 2025/2621, Annex I (default values, definitive period)",
    "precursors": "Commission Implementing Regulation (EU) 2025/2621, Annex IV (highest default value)",
    "benchmarks": "Commission Implementing Regulation (EU) 2025/2620, Annex (CBAM benchmarks, columns A and B)",
    "goods": "EU CBAM report structure v23.00, sheet CL CBAMGoods (Annex I of Regulation (EU) 2023/956)",
    "ets": "EUA annual average price: ICAP 2005-2008, ECB data warehouse 2009-2023 (PROVENANCE.md §16)",
}
DEFAULT_COLUMNS = ["country", "iso2", "sector", "cn", "route", "description", "direct", "indirect", "total"]
MARKUP_YEARS = (2026, 2027, 2028)


class ReferenceError(ValueError):
    """A CBAM reference file that does not hold what the reader expects (names file, row and column)."""


def cn_digits(code: object) -> str:
    """A CN code as digits only: ``"2523 10 00"`` → ``"25231000"``, ``"7601"`` → ``"7601"``."""
    return "".join(ch for ch in str(code) if ch.isdigit())


def _number(series: pd.Series, origin: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(float values, status) of a printed column: numbers → ``reported``; DASH / NA / empty → NaN."""
    text = series.fillna("").astype(str).str.strip()
    status = np.where(text.eq("DASH"), "dash", np.where(text.isin(["NA", ""]), "not_applicable", "reported"))
    values = pd.to_numeric(text.where(status == "reported"), errors="coerce")
    bad = (status == "reported") & values.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ReferenceError(f"{origin}: line {series.index[i] + 2}, column {column!r}: {text.iloc[i]!r} is no number")
    return values.to_numpy(dtype=float), status


def _country_codes(root: Path) -> dict[str, str]:
    m49 = pd.read_csv(root / M49_FILE, dtype=str, keep_default_na=False)
    index: dict[str, str] = {}
    for column in ("CLDR display name", "UNTERM English Short", "official_name_en"):
        for name, code in zip(m49[column], m49["ISO3166-1-Alpha-2"], strict=True):
            if name.strip() and code.strip():
                index.setdefault(name.strip().lower(), code.strip())
    return index


def read_defaults(root: Path) -> pd.DataFrame:
    """IR 2025/2621 Annex I as a tidy frame: one row per country × CN code × route, values in t CO2e / t."""
    path = root / RAW_DIR / "default_values_2621_annex_i.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    need = ["country", "sector", "cn_code", "description", "route", "direct", "indirect", "total"]
    need += [f"markup_{y}" for y in MARKUP_YEARS]
    if missing := [c for c in need if c not in raw.columns]:
        raise ReferenceError(f"{path}: missing column(s) {', '.join(missing)}")
    codes = _country_codes(root)
    iso = [COUNTRY_ALIASES.get(n) or codes.get(n.strip().lower(), "") for n in raw["country"]]
    if unknown := sorted({n for n, c in zip(raw["country"], iso, strict=True) if not c}):
        raise ReferenceError(f"{path}, column 'country': no ISO 3166 code for {unknown}")
    out = pd.DataFrame(
        {
            "country": raw["country"],
            "iso2": iso,
            "sector": raw["sector"].str.strip(),
            "cn": raw["cn_code"].map(cn_digits),
            "route": raw["route"].str.strip(),
            "description": raw["description"].str.strip(),
        }
    )
    for column in ("direct", "indirect", "total", *(f"markup_{y}" for y in MARKUP_YEARS)):
        values, status = _number(raw[column], str(path), column)
        out[column] = values
        if column in ("direct", "indirect", "total"):
            out[f"{column}_status"] = status
    out["check"] = _markup_check(out)
    out["verified"] = False
    return out


def markup_factor(sector: pd.Series | str, year: int) -> np.ndarray | float:
    """The mark-up of IR 2025/2621 on a default value: ×1.10 / 1.20 / 1.30 in 2026 / 2027 / 2028 onwards, but ×1.01
    for fertilisers (read off the Annex I columns; every row with a total obeys it to the third decimal)."""
    step = {2026: 0.10, 2027: 0.20, 2028: 0.30}[min(max(year, 2026), 2028)]
    fertiliser = np.asarray(pd.Series(sector).str.lower().str.startswith("fertili"))
    factor = np.where(fertiliser, 1.01, 1.0 + step)
    return float(factor[0]) if isinstance(sector, str) else factor


def _markup_check(frame: pd.DataFrame) -> np.ndarray:
    """``""`` where each printed mark-up equals total × factor (±0.0015), else ``"markup_inconsistent"`` (e.g. the
    Albania white Portland cement row, whose direct/indirect/total appear shifted into the mark-up columns)."""
    bad = np.zeros(len(frame), dtype=bool)
    for year in MARKUP_YEARS:
        expected = np.round(frame["total"].to_numpy() * markup_factor(frame["sector"], year), 3)
        printed = frame[f"markup_{year}"].to_numpy()
        bad |= np.isnan(expected) & ~np.isnan(printed)
        bad |= ~np.isnan(expected) & ~(np.abs(printed - expected) <= 0.0015)
    return np.where(bad, "markup_inconsistent", "")


def read_precursors(root: Path) -> pd.DataFrame:
    """IR 2025/2621 Annex IV: the highest default value per CN code and route, with the mark-ups."""
    path = root / RAW_DIR / "annex_iv_precursor_defaults_2621.json"
    raw = pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    out = pd.DataFrame(
        {
            "sector": raw["sector"],
            "cn": raw["cn_code"].map(cn_digits),
            "route": raw["route"].fillna(""),
            "description": raw["description"],
        }
    )
    for column in ("highest", *(f"markup_{y}" for y in MARKUP_YEARS)):
        out[column] = _number(raw[column], str(path), column)[0]
    out["verified"] = False
    return out


def read_benchmarks(root: Path) -> pd.DataFrame:
    """IR 2025/2620: one row per CN code × route × column (A/B) × period (first year it applies)."""
    path = root / RAW_DIR / "benchmarks_2620.json"
    rows = []
    for i, entry in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        for column in ("a", "b"):
            for value in entry[f"column_{column}"]:
                period = {None: 2026, "1": 2026, "2": 2028}.get(value["year"])
                if period is None:
                    raise ReferenceError(f"{path}: entry {i}, column_{column}.year: {value['year']!r}; expected 1 or 2")
                rows.append(
                    {
                        "sector": entry["sector"],
                        "cn": cn_digits(entry["cn_code"]),
                        "route": value["route"] or "",
                        "column": column.upper(),
                        "from_year": period,
                        "benchmark": float(value["value"]),
                        "description": entry["description"],
                    }
                )
    out = pd.DataFrame(rows)
    out["verified"] = False
    return out


def read_goods(root: Path) -> pd.DataFrame:
    """The 569 CBAM goods (8-digit CN code, sector, aggregated goods category, greenhouse gas, description)."""
    path = root / RAW_DIR / "cbam_goods_cn.json"
    goods = pd.DataFrame(json.loads(path.read_text(encoding="utf-8"))["goods"])
    bad = ~goods["cn"].astype(str).str.fullmatch(r"\d{8}")
    if bad.any():
        raise ReferenceError(f"{path}: goods[{int(np.flatnonzero(bad)[0])}].cn is not an 8-digit CN code")
    return goods[["cn", "family", "sector", "category", "ghg", "description"]].astype(str)


def read_ets_prices(root: Path) -> pd.DataFrame:
    """Annual average EU ETS allowance price (EUR / t CO2), 2005–2023; 2007 = 0.0 as published (phase-I collapse)."""
    path = root / ETS_FILE
    raw = pd.read_csv(path)
    if list(raw.columns) != ["year", "eua_price_eur_per_t"]:
        raise ReferenceError(f"{path}: expected columns year, eua_price_eur_per_t; found {list(raw.columns)}")
    return raw.rename(columns={"eua_price_eur_per_t": "price_eur"}).astype({"year": int, "price_eur": float})


TABLES = {
    "defaults": read_defaults,
    "precursors": read_precursors,
    "benchmarks": read_benchmarks,
    "goods": read_goods,
    "ets_prices": read_ets_prices,
}


def build_reference(root: str | Path | None = None, out: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Read the raw files under ``root`` (default: shared/data), write the compact tables and the notices to
    ``out`` (default: the package's data folder) atomically, and return the tables."""
    root = Path(root) if root else shared_data_dir()
    out = Path(out) if out else _data_dir()
    tables = apply_corrections({name: read(root) for name, read in TABLES.items()}, markup_factor)
    tables["goods"] = add_goods(tables["goods"])
    tables["defaults"] = add_defaults(tables["defaults"], markup_factor)
    for name in ("defaults", "precursors", "benchmarks"):
        tables[name] = mark_verified(tables[name], name)
    for name, frame in tables.items():
        with atomic_write(out / f"{name}.csv") as tmp:
            frame.to_csv(tmp, index=False, float_format="%.6g")
    for notice in NOTICE_FILES:
        with atomic_write(out / notice) as tmp:
            shutil.copyfile(root / RAW_DIR / notice, tmp)
    return tables


def _data_dir() -> Path:
    return Path(str(resources.files("coreduce.cbam.data")))


@dataclass(frozen=True)
class CbamReference:
    """The CBAM reference tables and the notice that travels with them."""

    defaults: pd.DataFrame
    precursors: pd.DataFrame
    benchmarks: pd.DataFrame
    goods: pd.DataFrame
    ets_prices: pd.DataFrame
    notice: str

    def sources(self) -> pd.DataFrame:
        """Source rows (``source``, ``publisher``, ``licence``) for results that use these tables."""
        rows = [
            {"source": f"cbam_{key}", "publisher": text, "licence": "EU reuse policy (Decision 2011/833/EU)"}
            for key, text in SOURCES.items()
            if key != "ets"
        ]
        rows = [{**row, "licence": row["licence"] + "; transcription " + TRANSCRIPTION} for row in rows]
        rows.append({"source": "eu_ets_price", "publisher": SOURCES["ets"], "licence": "none stated (public averages)"})
        return pd.DataFrame(rows)


@cache
def _read_tables(folder: str) -> dict[str, pd.DataFrame]:
    path = Path(folder)
    text = dict.fromkeys(
        (
            "cn",
            "route",
            "iso2",
            "country",
            "description",
            "sector",
            "family",
            "category",
            "check",
            "verification",
            "added_from",
        ),
        str,
    )
    tables = {}
    for name in TABLES:
        file = path / f"{name}.csv"
        if not file.is_file():
            raise ReferenceError(f"{file}: CBAM reference table missing; run coreduce.cbam.reference.build_reference()")
        frame = pd.read_csv(file, dtype=text, keep_default_na=False, na_values=[""])  # "NA" is Namibia
        for column in set(text) & set(frame.columns):
            frame[column] = frame[column].fillna("")
        if "verified" in frame.columns:
            frame["verified"] = frame["verified"].astype(str).eq("True")
        tables[name] = frame
    return tables


def load_reference(folder: str | Path | None = None) -> CbamReference:
    """The shipped reference tables (or those in ``folder``); missing values (DASH, NA) are NaN."""
    folder = Path(folder) if folder else _data_dir()
    tables = {name: frame.copy() for name, frame in _read_tables(str(folder)).items()}
    notice = "\n\n".join((folder / name).read_text(encoding="utf-8") for name in NOTICE_FILES)
    return CbamReference(notice=notice, **tables)
