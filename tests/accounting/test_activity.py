"""Activity parsing: good rows in CSV and JSON, and bad rows named by row number and field."""

from __future__ import annotations

import json

import pytest

from coreduce.accounting import ActivityError, load_factor_library, parse_activity


@pytest.fixture(scope="module")
def library():
    return load_factor_library()


def _problems(source, **kw) -> list[str]:
    with pytest.raises(ActivityError) as info:
        parse_activity(source, origin="upload.csv", **kw)
    assert str(info.value).startswith("upload.csv: ")
    return info.value.problems


def test_csv_and_json_give_the_same_rows(tmp_path):
    csv_text = 'activity_type,fuel,sector,quantity,unit,product\nfuel,Hard_Coal,power,"1,000",GJ,cement\n'
    records = [
        {
            "activity_type": "fuel",
            "fuel": "hard_coal",
            "sector": "power",
            "quantity": 1000,
            "unit": "GJ",
            "product": "cement",
        }
    ]
    a = parse_activity(csv_text, origin="a.csv")
    b = parse_activity(json.dumps(records), origin="a.json")
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"activities": records}))
    c = parse_activity(path, origin="file")
    for frame in (a, b, c):
        row = frame.iloc[0]
        assert (row["fuel"], row["sector"], row["technology"], row["quantity"], row["unit"], row["product"]) == (
            "hard_coal",
            "power",
            "*",
            1000.0,
            "GJ",
            "cement",
        )
    assert a["row"].tolist() == [2] and b["row"].tolist() == [1]  # CSV line / JSON record number


def test_malformed_csv_rows_are_named_by_line():
    text = "activity_type,fuel,quantity,unit\nfuel,hard_coal,1,GJ\nfuel,hard_coal,1,GJ,extra\nfuel,coal\n"
    problems = _problems(text)
    assert problems == [
        "line 3: malformed row: 5 fields, the header has 4",
        "line 4: malformed row: 2 fields, the header has 4",
    ]


def test_bad_fields_are_all_reported():
    text = (
        "activity_type,fuel,region,year,mode,quantity,unit\n"
        "fuel,hard_coal,,,,-5,GJ\n"  # negative
        "fuel,hard_coal,,,,5,furlongs_per_fortnight\n"  # unknown unit
        "electricity,,east,2022,,5,t\n"  # wrong dimension
        "freight,,,,,ten,t*km\n"  # not a number; mode missing
        "boat,,,,,1,t\n"  # unknown activity type
        "electricity,,east,20x2,,1,MWh\n"  # bad year
    )
    problems = _problems(text)
    assert "line 2, field 'quantity': '-5' is negative; expected a quantity ≥ 0" in problems
    assert any(p.startswith("line 3, field 'unit': unknown unit 'furlongs_per_fortnight'") for p in problems)
    assert any(
        p.startswith("line 4, field 'unit': 't' is [mass]; electricity quantities need [energy]") for p in problems
    )
    assert "line 5, field 'mode': required for freight rows" in problems
    assert "line 5, field 'quantity': 'ten' is not a number" in problems
    assert any(p.startswith("line 6, field 'activity_type': 'boat'") for p in problems)
    assert any(p.startswith("line 7, field 'year': '20x2' is not a year") for p in problems)


def test_unknown_factors_name_the_field(library):
    text = (
        "activity_type,fuel,sector,region,year,mode,quantity,unit\n"
        "fuel,unobtainium,,,,,1,GJ\n"
        "fuel,coal,spaceflight,,,,1,GJ\n"
        "electricity,,,atlantis,2022,,1,MWh\n"
        "freight,,,,,teleport,1,t*km\n"
        "fuel,hard_coal,,,,,1,m**3\n"
    )
    problems = _problems(text, library=library)
    assert problems[0].startswith("line 2, field 'fuel': no fuel factor for 'unobtainium'")
    assert problems[1].startswith("line 3, field 'sector': no factor for 'spaceflight' with fuel 'coal'")
    assert problems[2].startswith("line 4, field 'region': no electricity factor for 'atlantis' (known: central, east,")
    assert problems[3].startswith("line 5, field 'mode': no freight factor for 'teleport'")
    assert problems[4].startswith("line 6, field 'unit': 'm**3' does not convert with the factor units")


def test_json_errors():
    assert _problems('[{"activity_type": "fuel"')[0].startswith("line 1, column")
    assert _problems('{"rows": 3}') == ["JSON must be a list of objects (or {'activities': [...]})"]
    assert _problems("") == ["empty CSV: expected a header line"]
    assert _problems([{"activity_type": "fuel", "fuel": "coal", "quantity": None, "unit": "GJ"}]) == [
        "record 1, field 'quantity': None is not a number"
    ]
