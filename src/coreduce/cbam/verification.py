"""Reference values checked against the Official Journal, and the corrections the Journal made since.

``oj_checks.csv`` holds values as printed in the Official Journal, each with its document and place:

- IR (EU) 2025/2621 (OJ L, 2025/2621, 31.12.2025 — "OJ L 2025/2621" in the ``verification`` column), Annex I and
  Annex IV, read from the text of the Journal's PDF (page numbers of that text): the tables "China" and "Other
  countries and territories" every row (rows the parsing missed typed from that text; China's cement,
  fertilisers, aluminium, hydrogen and iron and steel up to 7207 11 11 also read by eye in IR 2026/1740, same
  values), the other tables as described below;
- IR (EU) 2026/1740 (OJ L, 2026/1740, 31.7.2026), which replaced Annexes I and IV of IR 2025/2621 from 1 January
  2026, read in its EUR-Lex HTML, for the rows the first reading missed and the rows it corrected;
- IR (EU) 2025/2620 (OJ L, 2025/2620, 22.12.2025), Annex point 5.3: the whole benchmark table (2,465 values).

Copies read (public, EU reuse policy): the PDF text of IR 2025/2621 in github.com/Ajishpradeep/CarbonPass @e1e0584
(data/cbam_official/legal/, sha256 fd0f51cc…); the EUR-Lex HTML of IR 2026/1740 in github.com/kk873807/MatDataHub
@9cd3247 (data/cbam_official/32026R1740.html, sha256 d9b6c633…); the EUR-Lex table of IR 2025/2620 captured
verbatim in github.com/themisiqco/themisiq @7599535 (docs/cbam-2620-benchmarks-raw.csv).

A row of a shipped table is verified when every value printed there equals the transcription's (a printed "–" or
"N/A" is a missing value) and the production route agrees; its ``verification`` column then names the document
and place. A row whose values agree but whose route differs stays unverified and says so. ``oj_corrections.csv``
holds cited values that replace the transcription's: IR 2026/1740 corrected the Annex IV values of CN 7616 99 10
and 7616 99 90 (recital 13), the "Other countries" value of 7226 20 00 (recital 7) and route indicators (recital
2); and the transcription dropped the compound route indicators "(C)/(F)" and "(E)/(H)" that IR 2025/2621 prints
for CN 7227, 7228 30, 7228 50, 7228 70, 7229, 7304 39 and 7304 59 (157 country rows, 5 Annex IV rows, each with its
page). They are applied before the check, and the row's verification names the correction (text columns too:
Tunisia's four rows printed under CN 7615 10 10 to 7615 20 00, which IR 2026/1740 prints, same values, under
7616 10 00, 7616 91 00, 7616 99 10 and 7616 99 90, recital 11). A row whose change was not read would be listed
with ``printed`` = "not read" and stay unverified, saying so; none is left. Taiwan's stainless steel (7218 to
7223, recital 7) and Angola's agglomerated iron ore (2601 12 00, recital 8) were read: IR 2026/1740 prints "–"
where IR 2025/2621 printed 8.63 to 10 t / t and the "other countries" 0.617, so the "other countries" value now
applies to them.

The other countries' tables were read in the same text of IR 2025/2621 by machine (rows matched by country, CN
code and rank within the code; 10,711 rows whose three printed values equal the transcription's); a second reading
of that text aligned the 127 rows the first could not (a table name broken over two lines, "–" printed one per
line, a sector heading glued to a row such as "(K)Hydrogen 10% mark-up" or "Aluminium7601"); two rows were matched
by hand (Hong Kong's grey clinker, whose white-clinker row the transcription lacks; the Dominican Republic's
ferro-nickel, whose route column prints "N/A"), and it restored South Korea's "(C)/(F)" for 7228 30 and 7228 50.
Every default value is then verified.

``oj_defaults_added.csv`` holds the eight values IR 2026/1740 added (recital 9), read in its tables, and the one
table of IR 2025/2621 the transcription lacks (Equatorial Guinea, hydrogen, p. 655; found by the second reading);
they are added to the default values (:func:`add_defaults`) and checked like the others.

Route indicators corrected by IR 2026/1740 (recital 2) beyond the rows named above: the tables were searched for
rows whose route disagrees with the other countries' for the same code (empty where most print one, or the
reverse), and those rows read in IR 2026/1740: Kuwait's aluminium (no route → (L), 24 rows), Brazil's tubes and
pipes 7304 to 7307 (routes shifted by one row in IR 2025/2621, 19 rows corrected), North Macedonia's iron and
steel, read whole (no route → (E), (H) or (E)/(H), 141 rows), 7307 19 90 of Bosnia and Herzegovina, Iran and New
Zealand (no route → (C)) and South Korea's white clinker and white hydraulic cement (no route → (B)). Other
tables were not compared with IR 2026/1740 row by row.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

CHECKS_FILE = "oj_checks.csv"
CORRECTIONS_FILE = "oj_corrections.csv"
GOODS_ADDED_FILE = "oj_goods_added.csv"
DEFAULTS_ADDED_FILE = "oj_defaults_added.csv"
KEYS = {
    "defaults": ["iso2", "cn", "occurrence"],
    "precursors": ["cn", "occurrence"],
    "benchmarks": ["cn", "column", "route", "from_year"],
}
VALUES = {
    "defaults": {"direct": "direct", "indirect": "indirect", "total": "total"},
    "precursors": {"value": "highest"},
    "benchmarks": {"value": "benchmark"},
}


def _data_file(name: str) -> Path:
    return Path(str(resources.files("coreduce.cbam.data"))) / name


def _keyed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` with the join keys of ``table`` as text (``occurrence``: the row's rank within its CN code)."""
    out = frame.copy()
    if "occurrence" in KEYS[table]:
        group = ["iso2", "cn"] if table == "defaults" else ["cn"]
        out["occurrence"] = out.groupby(group).cumcount()
    for key in KEYS[table]:
        out[key] = out[key].astype(str)
    return out


def apply_corrections(tables: dict[str, pd.DataFrame], markup) -> dict[str, pd.DataFrame]:
    """Replace transcribed values by the cited corrections of ``oj_corrections.csv`` and recompute the mark-ups
    (``markup(sector, year)`` × the corrected total); refuses a correction whose transcribed value is not found."""
    fixes = pd.read_csv(_data_file(CORRECTIONS_FILE), dtype=str, keep_default_na=False)
    for fix in fixes.itertuples():
        table = tables[fix.table]
        keyed = _keyed(table, fix.table)
        hit = (keyed["cn"] == fix.cn) & (keyed["occurrence"] == fix.occurrence)
        if fix.table == "defaults":
            hit &= keyed["iso2"] == fix.iso2
        text = fix.column in ("route", "cn", "description")
        found = table.loc[hit, fix.column].iloc[0] if hit.sum() == 1 else None
        if found is None or (found != fix.transcribed if text else not np.isclose(found, float(fix.transcribed))):
            raise ValueError(
                f"{CORRECTIONS_FILE}: {fix.table} {fix.iso2} {fix.cn} {fix.column} is not {fix.transcribed}"
            )
        dash = fix.corrected == "–"  # the Journal now prints no value: the "other countries" value applies
        value = fix.corrected if text else np.nan if dash else float(fix.corrected)
        table.loc[hit, fix.column] = value
        if dash and f"{fix.column}_status" in table.columns:
            table.loc[hit, f"{fix.column}_status"] = "dash"
        if fix.column in ("total", "highest"):
            sector = table.loc[hit, "sector"].iloc[0]
            for year in (2026, 2027, 2028):
                table.loc[hit, f"markup_{year}"] = round(value * markup(sector, year), 3)
        before = table["correction"].fillna("") if "correction" in table.columns else pd.Series("", index=table.index)
        note = f"{fix.column} {fix.transcribed or 'none'} → {fix.corrected or 'none'}: {fix.source}, {fix.place}"
        table.loc[hit, "correction"] = (before[hit] + "; " + note).str.lstrip("; ")
    return tables


def add_goods(goods: pd.DataFrame) -> pd.DataFrame:
    """The goods list with the CN codes of ``oj_goods_added.csv``: codes of the current Combined Nomenclature that
    IR 2025/2621 prints (urea 3102 10 12 / 15 / 19, which split 3102 10 10) under a heading Annex I of Regulation
    (EU) 2023/956 covers whole (3102) but that the report structure's list predates; each takes the sector,
    category and gases of the code it splits (``like``) and names its source in ``added_from``."""
    added = pd.read_csv(_data_file(GOODS_ADDED_FILE), dtype=str, keep_default_na=False)
    template = goods.set_index("cn")
    rows = (
        template.loc[added["like"]]
        .reset_index(drop=True)
        .assign(cn=added["cn"], description=added["description"], added_from=added["source"] + ", " + added["place"])
    )
    return pd.concat([goods.assign(added_from=""), rows], ignore_index=True)


def add_defaults(defaults: pd.DataFrame, markup) -> pd.DataFrame:
    """The default values with the rows of ``oj_defaults_added.csv``, as printed (an empty indirect value is a
    printed "N/A"): the values IR 2026/1740 added to Annex I (recital 9: omitted by transcription mistakes, so the
    "other countries" value, higher or equal, applied instead) — Albania 7202 41, Gabon and Liberia 2804 10 00,
    Guatemala and New Caledonia 7202 60 00, Zambia 7202 11, Zimbabwe 7202 11 and 7202 41 — and Equatorial Guinea's
    hydrogen, a table IR 2025/2621 prints (p. 655) that the transcription lacks. Mark-ups are ``markup(sector, year)``
    × the total; each row is checked like the others against its printed values."""
    added = pd.read_csv(_data_file(DEFAULTS_ADDED_FILE), dtype=str, keep_default_na=False)
    rows = added[["country", "iso2", "sector", "cn", "route", "description"]].copy()
    for column in ("direct", "indirect", "total"):
        text = added[column]
        rows[column] = pd.to_numeric(text.where(text.ne(""))).astype(float)
        rows[f"{column}_status"] = np.where(text.eq(""), "not_applicable", "reported")
    for year in (2026, 2027, 2028):
        rows[f"markup_{year}"] = np.round(rows["total"].to_numpy() * markup(rows["sector"], year), 3)
    rows = rows.assign(check="", verified=False)
    duplicate = rows.merge(defaults[["iso2", "cn"]], on=["iso2", "cn"])
    if not duplicate.empty:
        raise ValueError(
            f"{DEFAULTS_ADDED_FILE}: {duplicate.iloc[0]['iso2']} {duplicate.iloc[0]['cn']} already has a row"
        )
    return pd.concat([defaults, rows[defaults.columns.intersection(rows.columns)]], ignore_index=True)


def _added_checks() -> pd.DataFrame:
    """Check rows (as in ``oj_checks.csv``) for the rows of ``oj_defaults_added.csv``."""
    added = pd.read_csv(_data_file(DEFAULTS_ADDED_FILE), dtype=str, keep_default_na=False)
    return added.assign(table="defaults", occurrence="0", column="", from_year="", value="")


def _same(printed: pd.Series, shipped: pd.Series) -> np.ndarray:
    a = pd.to_numeric(printed, errors="coerce").to_numpy(float)
    b = shipped.to_numpy(float)
    return (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=0, atol=1e-9)


def mark_verified(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` with ``verified`` and ``verification`` set from the printed values of ``oj_checks.csv``."""
    checks = pd.read_csv(_data_file(CHECKS_FILE), dtype=str, keep_default_na=False)
    checks = pd.concat([checks, _added_checks()[checks.columns]], ignore_index=True)
    renames = VALUES[table] if table == "benchmarks" else {"route": "oj_route", **VALUES[table]}
    checks = checks[checks["table"] == table].rename(columns=renames)
    checks = checks.rename(columns={v: f"oj_{v}" for v in VALUES[table].values()})
    keyed = _keyed(frame, table)
    merged = keyed.merge(checks, on=KEYS[table], how="left", validate="one_to_one")
    found = merged["source"].fillna("").ne("").to_numpy()
    same = np.ones(len(merged), dtype=bool)
    for column in VALUES[table].values():
        same &= _same(merged[f"oj_{column}"], merged[column])
    route_ok = np.ones(len(merged), dtype=bool)
    if table != "benchmarks":
        route_ok = merged["oj_route"].fillna("").to_numpy() == merged["route"].to_numpy()
    place = merged["source"].fillna("") + ", " + merged["place"].fillna("")
    out = frame.copy()
    out["verified"] = found & same & route_ok
    changed = merged["printed"].fillna("").eq("not read").to_numpy()
    out["verified"] &= ~changed
    out["verification"] = np.select(
        [~found, changed, same & route_ok, same],
        [
            "",
            "changed by " + place + "; the new value was not read here",
            place,
            "route (" + merged.get("oj_route", merged["route"]).fillna("").replace("", "none") + ") in " + place,
        ],
        "differs from " + place + ": printed " + merged["printed"].fillna(""),
    )
    if "correction" in frame.columns:
        fixed = frame["correction"].fillna("").ne("").to_numpy()
        out.loc[fixed, "verification"] = "corrected " + frame.loc[fixed, "correction"]
        out = out.drop(columns="correction")
    return out
