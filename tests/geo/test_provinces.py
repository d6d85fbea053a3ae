import pytest

from coreduce.geo import NATIONAL_CODE, UnknownProvinceError, provinces, resolve


def test_thirty_one_provinces_with_unique_codes():
    rows = provinces()
    assert len(rows) == 31
    assert len({p.code for p in rows}) == 31
    assert len({p.iso for p in rows}) == 31
    assert NATIONAL_CODE not in {p.code for p in rows}


@pytest.mark.parametrize(
    "name",
    [
        "内蒙古自治区",
        "内蒙古",
        "Inner Mongolia",
        "Nei Mongol",
        "Neimenggu",
        "CN-NM",
        "cn-nm",
        "150000",
        150000,
        "CN-15",
    ],
)
def test_variants_resolve_to_inner_mongolia(name):
    assert resolve(name).code == "150000"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Shanxi", "140000"),
        ("Shaanxi", "610000"),
        ("陕西省", "610000"),
        ("山西", "140000"),
        ("Xizang", "540000"),
        ("西藏自治区", "540000"),
        ("Xinjiang Uygur", "650000"),
        ("Ningxia Hui", "640000"),
        ("黑龙江", "230000"),
        ("广西壮族自治区", "450000"),
        ("北京市", "110000"),
        ("Chongqing", "500000"),
    ],
)
def test_names_from_the_publishers(name, code):
    assert resolve(name).code == code


def test_unknown_name_lists_closest_matches():
    with pytest.raises(UnknownProvinceError, match=r"'Shanxii'.*closest: .*Shanxi"):
        resolve("Shanxii")
