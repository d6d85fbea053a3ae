"""Province boundaries from the real DataV file, and the polygon-file reader's errors."""

import json

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import box

from coreduce.geo import provinces
from coreduce.geo.boundaries import BoundaryError, province_boundaries, read_zones, zones_for


@pytest.fixture(scope="module")
def boundaries(shared_data):
    return province_boundaries(shared_data / "boundaries_datav" / "datav_provinces_34.geojson")


def test_31_mainland_provinces_in_gbt_order_all_valid(boundaries):
    assert list(boundaries.columns) == ["code", "name_en", "name_zh", "geometry", "valid", "repaired"]
    assert boundaries["code"].tolist() == [p.code for p in provinces()]
    assert boundaries["valid"].all()
    assert boundaries.geometry.is_valid.all()
    assert set(boundaries.geom_type) <= {"Polygon", "MultiPolygon"}
    # PROVENANCE §6: 19 of the 34 published geometries are invalid; some of them are TW/HK/MO.
    assert 10 <= boundaries["repaired"].sum() <= 19
    assert boundaries.crs.to_epsg() == 4326


@pytest.mark.parametrize(
    ("code", "official_km2", "tolerance"),
    [
        # Land areas published by the provincial governments (Beijing 16,410 km²; Xinjiang 1.6649 million;
        # Tibet 1.2284 million; Sichuan 486,000): the simplified DataV outlines must stay within a few percent.
        ("110000", 16_410, 0.01),
        ("650000", 1_664_900, 0.03),
        ("540000", 1_228_400, 0.03),
        ("510000", 486_000, 0.02),
    ],
)
def test_geodesic_areas_match_published_areas(boundaries, code, official_km2, tolerance):
    geometry = boundaries.set_index("code").geometry[code]
    area = abs(Geod(ellps="WGS84").geometry_area_perimeter(geometry)[0]) / 1e6
    assert area == pytest.approx(official_km2, rel=tolerance)


def test_hainan_south_china_sea_islands_kept_or_dropped(shared_data, boundaries):
    hainan = boundaries.set_index("code").geometry["460000"]
    assert hainan.bounds[1] < 4.0  # Zengmu Ansha region, ~3.8°N
    compact = province_boundaries(
        shared_data / "boundaries_datav" / "datav_provinces_34.geojson", south_china_sea=False
    ).set_index("code")
    assert compact.geometry["460000"].bounds[1] > 18.0
    assert compact.geometry["460000"].area < hainan.area
    assert compact.geometry["440000"].equals(boundaries.set_index("code").geometry["440000"])


def test_zones_for_provinces_uses_codes(shared_data):
    zones = zones_for("provinces")
    assert list(zones.columns) == ["zone", "name", "geometry"]
    assert zones["zone"].iloc[0] == "110000" and zones["name"].iloc[0] == "Beijing"


def _write_geojson(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


def _feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}


def test_missing_province_file_and_missing_adcode(tmp_path):
    with pytest.raises(BoundaryError, match="not found"):
        province_boundaries(tmp_path / "none.geojson")
    path = tmp_path / "no_adcode.geojson"
    _write_geojson(path, [_feature({"name": "x"}, SQUARE)])
    with pytest.raises(BoundaryError, match=r"no_adcode\.geojson: no 'adcode' property"):
        province_boundaries(path)
    _write_geojson(path, [_feature({"adcode": 110000}, SQUARE)])
    with pytest.raises(BoundaryError, match="no feature for province code"):
        province_boundaries(path)


def test_read_zones_reads_ids_and_repairs(tmp_path):
    path = tmp_path / "zones.gpkg"
    bowtie = gpd.GeoSeries.from_wkt(["POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"]).iloc[0]
    gpd.GeoDataFrame({"cid": ["a", "b"], "label": ["A", "B"]}, geometry=[box(0, 0, 1, 1), bowtie], crs=4326).to_file(
        path
    )
    zones = read_zones(path, "cid", name_column="label")
    assert zones["zone"].tolist() == ["a", "b"]
    assert zones["name"].tolist() == ["A", "B"]
    assert zones.geometry.is_valid.all()
    assert zones.geometry.iloc[1].area == pytest.approx(2.0)  # the bow tie's two triangles


@pytest.mark.parametrize(
    ("features", "id_column", "crs", "message"),
    [
        ([_feature({"cid": "a"}, SQUARE)], "code", True, r"no id column 'code'; columns are \['cid'\]"),
        ([_feature({"cid": "a"}, SQUARE), _feature({"cid": "a"}, SQUARE)], "cid", True, r"repeats id\(s\) \['a'\]"),
        ([_feature({"cid": None}, SQUARE)], "cid", True, "is empty at feature"),
        ([_feature({"cid": "p"}, {"type": "Point", "coordinates": [0, 0]})], "cid", True, "expected polygons"),
        ([_feature({"cid": "a"}, SQUARE)], "cid", False, "no coordinate reference system"),
    ],
)
def test_read_zones_bad_input(tmp_path, features, id_column, crs, message):
    path = tmp_path / "bad.gpkg"
    frame = gpd.GeoDataFrame.from_features(features, crs=4326 if crs else None)
    frame.to_file(path)
    with pytest.raises(BoundaryError, match=message) as err:
        read_zones(path, id_column)
    assert "bad.gpkg" in str(err.value)


def test_read_zones_unreadable_file(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BoundaryError, match=r"broken\.geojson: cannot be read"):
        read_zones(path, "id")
    with pytest.raises(BoundaryError, match="an id column is needed"):
        zones_for(path)


def test_cities_and_counties_need_a_file_with_codes(tmp_path):
    from coreduce.geo.boundaries import admin_zones

    path = tmp_path / "cities.geojson"
    _write_geojson(path, [_feature({"adcode": 130100, "name": "石家庄市"}, SQUARE)])
    zones = zones_for("cities", boundaries=path)
    assert zones["zone"].tolist() == ["130100"] and zones["name"].tolist() == ["石家庄市"]
    with pytest.raises(BoundaryError, match="cities boundaries are not bundled with coreduce; pass their polygon file"):
        zones_for("cities")
    _write_geojson(path, [_feature({"adcode": "Shijiazhuang"}, SQUARE), _feature({"adcode": "1301"}, SQUARE)])
    with pytest.raises(
        BoundaryError, match=r"cities\.geojson: cities need six-digit GB/T 2260 codes in column 'adcode'"
    ):
        zones_for("cities", boundaries=path)
    with pytest.raises(BoundaryError, match="level must be 'cities' or 'counties'"):
        admin_zones("towns", path)
