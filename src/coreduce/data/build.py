"""Build the canonical panel from the public files, and write the compact bundled copy shipped with coreduce.

:func:`build_panel` runs every reader of :data:`coreduce.data.readers.READERS` on the public data root,
checks the rows (:func:`coreduce.data.checks.check_panel`), applies the cited corrections found in
``<root>/corrections/*.csv`` where the checks flag the original value (:func:`coreduce.data.repair.
apply_corrections`), withholds the published components of a corrected aggregate, which share its defect
(:func:`coreduce.data.repair.withhold_components`), fills interior gaps of every series by linear interpolation
(:func:`coreduce.data.repair.interpolate`) and returns the panel with a log of everything it changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coreduce.data.checks import CheckReport, check_panel
from coreduce.data.panel import Panel
from coreduce.data.repair import (
    CORRECTION_COLUMNS,
    apply_corrections,
    interpolate,
    read_corrections,
    withhold_components,
)
from coreduce.data.schema import CATALOGUE_COLUMNS, KEY, SOURCES_COLUMNS
from coreduce.fileio import atomic_write

BUNDLED_DIR = Path(__file__).parent / "bundled"


class BuildError(RuntimeError):
    """A build that cannot complete: a reader failed, or two readers emit the same (geo, year, variable)."""


@dataclass(frozen=True)
class BuildResult:
    """The built panel, the checks on the rows as read (``report``) and after the repairs (``remaining``),
    the corrections applied and skipped, the values withheld (components of a corrected aggregate, with the
    value interpolation put in their place, if any) and the values filled by interpolation."""

    panel: Panel
    report: CheckReport
    remaining: CheckReport
    corrections: pd.DataFrame
    skipped_corrections: pd.DataFrame
    filled: pd.DataFrame
    readers: pd.DataFrame
    withheld: pd.DataFrame
    overrides: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(CORRECTION_COLUMNS)))

    def changes(self) -> pd.DataFrame:
        """Every published value the build replaced or removed (``CORRECTION_COLUMNS``): the cited corrections,
        then the withheld values, then the impossible values kept by the user's override; this is the
        ``corrections`` table of the store and of the bundled files."""
        parts = [f for f in (self.corrections, self.withheld, self.overrides) if len(f)]
        if not parts:
            return pd.DataFrame(columns=list(CORRECTION_COLUMNS))
        return pd.concat(parts, ignore_index=True).loc[:, list(CORRECTION_COLUMNS)]

    def log(self) -> str:
        """A plain-text account of the build: readers, corrections, interpolation and remaining findings."""
        lines = ["Readers:"]
        for r in self.readers.itertuples(index=False):
            lines.append(f"  {r.reader:<28} {r.rows:>8} rows  {r.variables:>4} variables")
        if len(self.overrides):
            lines.append(f"Impossible values kept by --allow-impossible (recorded as overrides): {len(self.overrides)}")
            lines += [f"  {c.variable} {c.geo} {c.year}: {c.old_value:g}" for c in self.overrides.itertuples()]
        lines.append(f"Corrections applied: {len(self.corrections)}")
        for c in self.corrections.itertuples(index=False):
            lines.append(f"  {c.variable} {c.geo} {c.year}: {c.old_value:g} → {c.new_value:g} ({c.source})")
        for c in self.skipped_corrections.itertuples(index=False):
            lines.append(f"  not applied: {c.variable} {c.geo} {c.year}: {c.reason}")
        lines.append(f"Values withheld (components of a corrected aggregate, no cited value): {len(self.withheld)}")
        for c in self.withheld.itertuples(index=False):
            new = "left missing" if pd.isna(c.new_value) else f"{c.new_value:g} interpolated"
            lines.append(f"  {c.variable} {c.geo} {c.year}: {c.old_value:g} → {new}")
        lines.append(f"Values filled by linear interpolation: {len(self.filled)}")
        if len(self.filled):
            by_var = self.filled.groupby("variable").size().sort_values(ascending=False)
            lines += [f"  {v:<40} {n:>5}" for v, n in by_var.items()]
        lines.append(self.remaining.summary(limit=0).replace("Panel checks:", "Findings after repairs:"))
        return "\n".join(lines)


def _first_rows(frames: list[pd.DataFrame], key: str, columns: Sequence[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=list(columns))
    frame = pd.concat([f.loc[:, list(columns)] for f in frames], ignore_index=True)
    return frame.drop_duplicates(key, keep="first").reset_index(drop=True)


def _scope(geos: set[str], years: tuple[int, int] | None = None) -> str:
    """``China``, ``provinces``, ``China and provinces`` or the codes, then the years, for an entry's coverage."""
    from coreduce.geo import NATIONAL_CODE, by_code

    provinces = set(by_code())
    has_nation, has_provinces = NATIONAL_CODE in geos, bool(geos & provinces)
    other = sorted(geos - provinces - {NATIONAL_CODE})
    parts = (["China"] if has_nation else []) + (["provinces"] if has_provinces else []) + other
    text = " and ".join(parts) if len(parts) <= 2 else ", ".join(parts)
    return text if years is None else f"{text} {years[0]}–{years[1]}"


def merge_catalogue(catalogues: Sequence[pd.DataFrame], rows: pd.DataFrame) -> pd.DataFrame:
    """One catalogue row per variable from the readers' catalogues.

    A variable that several readers emit (e.g. ``coal_share``: national from OWID, provincial from the Yumanlou
    panel) keeps every reader's definition and publisher, each labelled with the geographies it covers in
    ``rows`` (definitions also with their years: ``"China 1965–2024: … | provinces 2003–2022: …"``), and lists
    its sources separated by ``;``. Identical definitions and publishers are given once. Readers that disagree
    on the unit are an error naming both.
    """
    if not catalogues:
        return pd.DataFrame(columns=list(CATALOGUE_COLUMNS))
    frame = pd.concat([c.loc[:, list(CATALOGUE_COLUMNS)] for c in catalogues], ignore_index=True)
    frame = frame.drop_duplicates(["variable", "source"]).reset_index(drop=True)
    grouped = rows.groupby(["variable", "source"])
    geos = grouped["geo"].agg(set).to_dict()
    spans = {}
    if "year" in rows.columns:
        spans = {k: (int(v["min"]), int(v["max"])) for k, v in grouped["year"].agg(["min", "max"]).iterrows()}
    merged = []
    for variable, group in frame.groupby("variable", sort=False):
        if group["unit"].nunique() > 1:
            units = ", ".join(f"{u!r} ({s})" for u, s in zip(group["unit"], group["source"], strict=True))
            raise BuildError(f"readers disagree on the unit of {variable}: {units}")
        if len(group) == 1 or (group["definition"].nunique() == 1 and group["publisher"].nunique() == 1):
            first = group.iloc[0]
            merged.append({**first.to_dict(), "source": ";".join(group["source"])})
            continue
        scope = [_scope(geos.get((variable, s), set())) for s in group["source"]]
        spanned = [_scope(geos.get((variable, s), set()), spans.get((variable, s))) for s in group["source"]]
        merged.append(
            dict(
                variable=variable,
                unit=group["unit"].iloc[0],
                definition=" | ".join(f"{g}: {d}" for g, d in zip(spanned, group["definition"], strict=True)),
                publisher="; ".join(f"{p} ({g})" for g, p in zip(scope, group["publisher"], strict=True)),
                source=";".join(group["source"]),
            )
        )
    return pd.DataFrame(merged, columns=list(CATALOGUE_COLUMNS))


def _read_all(root: Path, readers: Sequence, progress: bool) -> tuple[list, list, list, list]:
    """Each reader's rows, catalogue and sources, and a count of what it read; a failing reader is named."""
    from rich.progress import track

    from coreduce.data.readers import ReaderError

    data, catalogues, sources, counts = [], [], [], []
    for reader in track(readers, description="Reading public files", disable=not progress, transient=True):
        try:
            out = reader.read(root)
        except ReaderError as exc:
            raise BuildError(f"reader {reader.name}: {exc}") from exc
        except Exception as exc:  # a defect in a reader: still say which one
            raise BuildError(f"reader {reader.name} failed: {type(exc).__name__}: {exc}") from exc
        data.append(out.data)
        catalogues.append(out.catalogue)
        sources.append(out.sources)
        counts.append(dict(reader=reader.name, rows=len(out.data), variables=out.data["variable"].nunique()))
    if not data:
        raise BuildError("no readers: coreduce.data.readers.READERS is empty")
    return data, catalogues, sources, counts


def _correct(rows: pd.DataFrame, files: list[Path], report, units: dict, root: Path):
    """The rows after each cited correction file in turn, with what each applied, skipped and cites."""
    applied, skipped, new_sources = [], [], []
    for path in files:
        result = apply_corrections(
            rows,
            read_corrections(path),
            report.flagged(),
            units=units,
            origin=str(path.relative_to(root)) if path.is_relative_to(root) else str(path),
        )
        rows = result.data
        applied.append(result.applied)
        skipped.append(result.skipped)
        new_sources.append(result.sources)
    return rows, applied, skipped, new_sources


def _note_refills(withheld: pd.DataFrame, filled: pd.DataFrame) -> None:
    """Say of each withheld component whether interpolation refilled it or it stays missing (in place)."""
    if not len(withheld):
        return
    refill = filled.set_index(list(KEY))["value"]
    keys = list(zip(withheld["geo"], withheld["year"], withheld["variable"], strict=True))
    withheld["new_value"] = [refill.get(k, float("nan")) for k in keys]
    withheld["note"] += [
        "; left missing" if pd.isna(v) else "; refilled by linear interpolation" for v in withheld["new_value"]
    ]


def build_panel(
    root: Path,
    progress: bool = True,
    readers: Sequence | None = None,
    corrections: Sequence[Path] | None = None,
    allow_impossible: bool = False,
) -> BuildResult:
    """Build the panel from the public data under ``root`` (see the module doc).

    ``readers`` defaults to :data:`coreduce.data.readers.READERS`; ``corrections`` to every CSV in
    ``root / "corrections"``. ``progress`` shows a progress bar over the readers. Impossible values left after
    the cited corrections (:mod:`coreduce.data.gate`) stop the build with a :class:`BuildError` naming the file,
    place, year and value, unless ``allow_impossible``, which keeps them and records each as an override.
    """
    from coreduce.data.readers import READERS

    root = Path(root)
    if not root.is_dir():
        raise BuildError(f"{root}: not a directory; expected the public data folder (shared/data)")
    data, catalogues, sources, counts = _read_all(root, READERS if readers is None else readers, progress)
    rows = pd.concat(data, ignore_index=True)
    catalogue = merge_catalogue(catalogues, rows)
    report = check_panel(rows, catalogue)
    dup = report.findings[report.findings["check"] == "duplicate"]
    if len(dup):
        first = dup.iloc[0]
        raise BuildError(
            f"{len(dup)} rows share a (geo, year, variable) key across readers, e.g. {first['variable']} "
            f"{first['geo']} {first['year']}; each series must come from one reader"
        )
    rows = rows.sort_values(list(KEY)).reset_index(drop=True)
    units = dict(zip(catalogue["variable"], catalogue["unit"], strict=True))
    files = sorted((root / "corrections").glob("*.csv")) if corrections is None else [Path(p) for p in corrections]
    published = rows
    rows, applied, skipped, new_sources = _correct(rows, files, report, units, root)
    applied_all = pd.concat(applied, ignore_index=True) if applied else pd.DataFrame(columns=CORRECTION_COLUMNS)
    rows, withheld = withhold_components(rows, applied_all, published)
    overrides = _gate(rows, units, sources, allow_impossible)
    rows, filled = interpolate(rows)
    _note_refills(withheld, filled)
    sources_frame = _first_rows(sources + new_sources, "source", SOURCES_COLUMNS)
    panel = Panel.from_frames(rows, catalogue, sources_frame)
    return BuildResult(
        panel=panel,
        report=report,
        remaining=check_panel(panel.data, catalogue),
        corrections=applied_all,
        skipped_corrections=pd.concat(skipped, ignore_index=True) if skipped else pd.DataFrame(),
        filled=filled,
        readers=pd.DataFrame(counts),
        withheld=withheld,
        overrides=overrides,
    )


def _gate(rows: pd.DataFrame, units: dict, sources: list[pd.DataFrame], allow: bool) -> pd.DataFrame:
    """:func:`coreduce.data.gate.gate` on the rows about to be stored, naming each value's files."""
    from coreduce.data.gate import ImpossibleValueError, gate

    files = {s: f for frame in sources for s, f in zip(frame["source"], frame["files"], strict=True)}
    try:
        return gate(rows, units, lambda r: files.get(rows_source(rows, r), "?"), allow=allow)
    except ImpossibleValueError as exc:
        raise BuildError(str(exc)) from exc


def rows_source(rows: pd.DataFrame, finding: pd.Series) -> str:
    """The source id of the row a finding is about."""
    at = (rows["geo"] == finding["geo"]) & (rows["year"] == finding["year"]) & (rows["variable"] == finding["variable"])
    return str(rows.loc[at, "source"].iloc[0]) if at.any() else ""


_README = """# Bundled panel (derived data)

These files are derived by coreduce from public data with

    coreduce data build --from ../shared/data --allow-impossible

They hold the harmonised canonical panel (long: geo, year, variable, value, unit, source, status), its
catalogue of variables and the sources of every series, and the log of every published value the build
changed (corrections.csv: the values replaced from a cited source, then the components of a corrected
aggregate that share its defect, withheld and refilled by interpolation). The raw public files are not part
of coreduce. Each value keeps its status: reported (as published), interpolated (linear interpolation inside
a series), corrected (replaced by a cited value) or derived. Values the plausibility checks flag but no cited
source corrects stay as published: `coreduce data check` lists them and `coreduce data show` marks them with !.

{n_rows} rows, {n_vars} variables, years {y0}–{y1}; status: {status}.

## Publishers

Every series names its original publisher; the licence of each source is in sources.csv.

{publishers}
"""


def write_bundled(
    panel: Panel, directory: Path = BUNDLED_DIR, corrections: pd.DataFrame | None = None
) -> dict[str, Path]:
    """Write the compact shipped panel into ``directory``: ``panel.parquet`` (zstd), ``catalogue.csv``,
    ``sources.csv``, ``corrections.csv`` and ``README.md``. Files are written to a temporary folder first and
    moved into place, so a failure leaves the previous files intact."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    corrections = pd.DataFrame(columns=CORRECTION_COLUMNS) if corrections is None else corrections
    data = panel.data.sort_values(["variable", "geo", "year"]).reset_index(drop=True)
    for column in ("geo", "variable", "unit", "source", "status"):
        data[column] = data[column].astype("category")
    status = ", ".join(f"{k} {v}" for k, v in panel.status_counts().items())
    publishers = "\n".join(
        f"- {r.publisher} — {r.title} ({r.licence})" for r in panel.sources.drop_duplicates("publisher").itertuples()
    )
    readme = _README.format(
        n_rows=len(data),
        n_vars=data["variable"].nunique(),
        y0=data["year"].min(),
        y1=data["year"].max(),
        status=status,
        publishers=publishers,
    )
    writers = {
        "panel.parquet": lambda p: data.to_parquet(p, index=False, compression="zstd", compression_level=19),
        "catalogue.csv": lambda p: panel.catalogue.to_csv(p, index=False),
        "sources.csv": lambda p: panel.sources.to_csv(p, index=False),
        "corrections.csv": lambda p: corrections.loc[:, list(CORRECTION_COLUMNS)].to_csv(p, index=False),
        "README.md": lambda p: p.write_text(readme, encoding="utf-8"),
    }
    with ExitStack() as stack:  # every file is written before any is renamed into place
        for name, write in writers.items():
            write(stack.enter_context(atomic_write(directory / name)))
    return {name: directory / name for name in writers}
