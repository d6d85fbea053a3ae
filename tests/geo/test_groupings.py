import pytest

from coreduce.geo import GroupingError, load_grouping


def test_four_regions_match_design():
    grouping = load_grouping()
    sizes = {g: len(m) for g, m in grouping.groups.items()}
    assert sizes == {"East": 10, "Central": 6, "West": 12, "Northeast": 3}
    assert grouping.group_of()["460000"] == "East"  # Hainan
    assert grouping.group_of()["150000"] == "West"  # Inner Mongolia


def test_three_belts_cover_all():
    grouping = load_grouping("three_belts")
    assert sum(len(m) for m in grouping.groups.values()) == 31


def test_user_csv_grouping(tmp_path):
    from coreduce.geo import provinces

    path = tmp_path / "halves.csv"
    lines = ["province,group"] + [f"{p.name_en},{'A' if i < 15 else 'B'}" for i, p in enumerate(provinces())]
    path.write_text("\n".join(lines), encoding="utf-8")
    grouping = load_grouping(path)
    assert [len(v) for v in grouping.groups.values()] == [15, 16]


def test_user_grouping_missing_province_is_named(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[groups.A]\nmembers = ["Beijing", "Tianjin"]\n', encoding="utf-8")
    with pytest.raises(GroupingError, match=r"provinces in no group: .*Hebei"):
        load_grouping(path)


def test_user_grouping_province_twice_is_named(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("province,group\nBeijing,A\n北京,B\n", encoding="utf-8")
    with pytest.raises(GroupingError, match="'北京' is in both 'A' and 'B'"):
        load_grouping(path)
