"""Names publishers give: PM2.5 variables, coordinate names, products and years in file names, unit spellings."""

from __future__ import annotations

import re
from pathlib import Path

from coreduce.grid.errors import GridError

PM25_NAMES = ("GWRPM25", "PM25", "PM2.5", "pm25", "PM2_5", "pm2p5", "pm2_5")
"""Variable names taken as PM2.5, in order of preference (ACAG V5.GL, ACAG V4/V6, CHAP, others)."""

LAT_NAMES = ("lat", "latitude", "LAT", "Latitude", "y")
LON_NAMES = ("lon", "longitude", "LON", "Longitude", "x")
KINDS = ("mean", "flux", "amount")

_PRODUCTS = (
    (re.compile(r"V(\d)GL(\d\d)", re.I), "ACAG V{0}.GL.{1}"),
    (re.compile(r"V(\d)CH(\d\d)", re.I), "ACAG V{0}.CH.{1}"),
    (re.compile(r"CHAP_PM2\.5_\w+?_V(\d+)", re.I), "CHAP ChinaHighPM2.5 V{0}"),
    (re.compile(r"v(\d+\.\d+)_FT\d{4}", re.I), "EDGAR v{0}"),
    (re.compile(r"CEDS[-_](v?[\d_\-]+\d)", re.I), "CEDS {0}"),
)
_YEAR = re.compile(r"(?<!\d)((?:19[5-9]|20[0-9])\d)(?:0[1-9]|1[0-2])?(?!\d)")

_UNIT_ALIASES = {
    "tonnes": "t",
    "tonne": "t",
    "ton": "t",
    "tons": "t",
    "micrograms per cubic meter": "ug/m3",
    "micrograms/m3": "ug/m3",
    "ug/m^3": "ug/m3",
    "µg/m³": "ug/m3",
    "μg/m³": "ug/m3",
    "µg/m3": "ug/m3",
    "μg/m3": "ug/m3",
    "ug m-3": "ug/m3",
    "kg/m2/s": "kg m-2 s-1",
    "kg m^-2 s^-1": "kg m-2 s-1",
    "kg/(m2 s)": "kg m-2 s-1",
}


def normalise_unit(text: str | None) -> str:
    """A publisher's unit string in a spelling pint parses (UDUNITS ``kg m-2 s-1`` → ``kg * m**-2 * s**-1``).

    ``ug/m3`` stays as the panel's canonical spelling of µg/m³; an empty unit gives ``""``.
    """
    raw = " ".join(str(text or "").split())
    unit = _UNIT_ALIASES.get(raw.lower(), _UNIT_ALIASES.get(raw, raw))
    if unit in ("", "ug/m3", "t"):
        return unit
    tokens = []
    for token in unit.replace("*", " ").split():
        match = re.fullmatch(r"([A-Za-zµμ]+)\^?(-?\d+)", token)
        tokens.append(f"{match.group(1)}**{match.group(2)}" if match else token)
    return " * ".join(tokens)


def year_from_name(path: str | Path) -> int | None:
    """The first plausible year (1950–2099, optionally followed by a month) in a file name."""
    match = _YEAR.search(Path(path).name)
    return int(match.group(1)) if match else None


def product_of(path: str | Path, attrs: dict | None = None) -> str:
    """The product and version a file name (or its global attributes) declares, e.g. ``ACAG V5.GL.03``.

    Otherwise the file name without its year (``pm25_2015.tif`` → ``pm25``), so that the yearly files of one
    unnamed product form one group and share one coverage computation.
    """
    name = Path(path).name
    for pattern, template in _PRODUCTS:
        match = pattern.search(name)
        if match:
            return template.format(*match.groups())
    for key in ("product", "title", "source"):
        if attrs and attrs.get(key):
            return str(attrs[key])[:80]
    stem = re.sub(r"[_\-. ]+", "_", _YEAR.sub("", Path(path).stem)).strip("_")
    return stem or Path(path).suffix.lstrip(".").lower()


def kind_of(units: str, kind: str | None) -> str:
    """``kind`` checked, or from the units: mass per area per time is a ``flux``, anything else a ``mean``."""
    if kind is not None:
        if kind not in KINDS:
            raise GridError(f"kind must be one of {KINDS}, got {kind!r}")
        return kind
    compact = units.replace(" ", "")
    if "s**-1" in compact and "m**-2" in compact:
        return "flux"
    return "mean"
