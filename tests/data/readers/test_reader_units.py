"""The unit registry: the field's units parse and convert by the published definitions."""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from coreduce.units import UnitError, convert, factor, parse_unit


def test_coal_equivalent_follows_the_iea_definition():
    # IEA/OECD/Eurostat Energy Statistics Manual (2005), Annex 3: 1 toe = 41.868 GJ = 11.63 MWh, 1 tce = 0.7 toe.
    assert factor("tce", "GJ") == pytest.approx(0.7 * 41.868)
    assert factor("1e4 tce", "MWh") == pytest.approx(1e4 * 0.7 * 11.63)


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("1e4 t", "kt", 10.0),  # 万吨 → kt
        ("kt", "Mt", 1e-3),  # pint's default reads kt as the knot; here it is a kilotonne
        ("t", "Mt", 1e-6),
        ("1e4 CNY", "1e8 CNY", 1e-4),  # 万元 → 亿元
        ("1e8 CNY", "CNY", 1e8),
        ("1e4 person", "person", 1e4),
        ("fraction", "percent", 100.0),
        ("µg/m³", "ug/m**3", 1.0),
        ("1e8 kWh", "TWh", 0.1),
    ],
)
def test_scaled_units_convert(source, target, expected):
    assert factor(source, target) == pytest.approx(expected)


def test_convert_keeps_missing_values_and_the_index():
    values = pd.Series([1.5, np.nan], index=[7, 9])
    out = convert(values, "Mt", "kt")
    assert out.index.tolist() == [7, 9]
    assert out.iloc[0] == pytest.approx(1500.0)
    assert np.isnan(out.iloc[1])
    assert convert([1, 2], "1e4 t", "kt").tolist() == [10.0, 20.0]


@pytest.mark.parametrize(
    ("source", "target", "fragment"),
    [
        ("kt", "TWh", "cannot convert 'kt' to 'TWh'"),
        ("CNY", "kt", "cannot convert"),
        ("index", "percent", "cannot convert"),
        ("furlongs_per_yuan", "kt", "does not parse"),
        ("", "kt", "empty unit"),
    ],
)
def test_bad_units_are_named(source, target, fragment):
    with pytest.raises(UnitError, match=fragment):
        factor(source, target)


@pytest.mark.parametrize(
    ("text", "base_value", "dimensions"),
    [
        # base units: CNY, person, joule (kg m² s⁻²), kg, m; 1 tce = 0.7 toe = 0.7 × 41.868 GJ (IEA manual, above)
        ("1e8 CNY", 1e8, {"[currency]": 1}),
        ("1e4 person", 1e4, {"[population]": 1}),
        ("1e4 tce", 1e4 * 29.3076e9, {"[mass]": 1, "[length]": 2, "[time]": -2}),
        ("1e8 kWh", 1e8 * 3.6e6, {"[mass]": 1, "[length]": 2, "[time]": -2}),
        ("TWh", 3.6e15, {"[mass]": 1, "[length]": 2, "[time]": -2}),
        ("Mt", 1e9, {"[mass]": 1}),
        ("kt", 1e6, {"[mass]": 1}),
        ("1e4 t", 1e7, {"[mass]": 1}),
        ("ug/m3", 1e-9, {"[mass]": 1, "[length]": -3}),
        ("1e8 m3", 1e8, {"[length]": 3}),
        ("fraction", 1.0, {}),
        ("percent", 0.01, {}),
        ("count", 1.0, {}),
        ("index", 1.0, {"[index_number]": 1}),
        ("CNY/person", 1.0, {"[currency]": 1, "[population]": -1}),
    ],
)
def test_every_catalogue_unit_parses_to_its_size_and_dimension(text, base_value, dimensions):
    quantity = parse_unit(text)
    assert quantity.to_base_units().magnitude == pytest.approx(base_value, rel=1e-12)
    assert dict(quantity.dimensionality) == dimensions


def test_statistical_spellings_of_volumes():
    assert factor("ug/m3", "mg/m**3") == pytest.approx(1e-3)
    assert factor("1e8 m3", "m**3") == pytest.approx(1e8)
    assert factor("km2", "m**2") == pytest.approx(1e6)
    assert factor("1e4 tce", "tce") == pytest.approx(1e4)  # "1e4" is not mistaken for a volume


def test_a_factor_pint_computed_is_read_back_by_a_later_process_without_pint(tmp_path):
    env = {**os.environ, "COREDUCE_HOME": str(tmp_path / "home")}
    code = (
        "import sys; from coreduce.units import factor; "
        "print(repr(factor('(Mt) / (1e8 CNY)', 't / (1e4 CNY)')), 'pint' in sys.modules)"
    )

    def run() -> list[str]:
        return subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.split()

    assert run() == ["100.0", "True"]  # 1 Mt / 1e8 CNY = 1e6 t / 1e4 (1e4 CNY) = 100 t per 1e4 CNY
    assert run() == ["100.0", "False"]
    (kept,) = (tmp_path / "home" / "cache").glob("unit-factors-*.json")
    kept.write_text("not json", encoding="utf-8")  # an unreadable file is ignored and rewritten
    assert run() == ["100.0", "True"]
    assert run() == ["100.0", "False"]
