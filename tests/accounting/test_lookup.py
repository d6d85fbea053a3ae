"""One factor with its source: the public API that domains call without the exchange's HTTP or database.

Numbers are those printed in the source files (named beside each), as in test_accounting.py.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from coreduce.accounting import (
    AccountingError,
    ActivityError,
    account,
    load_factor_library,
    lookup_factor,
    parse_activity,
)


@pytest.fixture(scope="module")
def library():
    return load_factor_library()


def test_coal_co2_per_tonne_through_the_heat_content(library):
    # CEDS CO2_base_EF.xlsx: hard coal 93.87517970731849 kg/GJ × China fraction oxidised 0.96 = 90.120 kg/GJ;
    # per tonne through the yearbook's raw-coal NCV 20,908 kJ/kg (20.908 GJ/t) = 1,884.23 kg CO2/t.
    f = lookup_factor(library, "co2", activity_type="fuel", fuel="hard_coal", sector="power", unit="t", year=2020)
    assert f.factor_id == "ceds:hard_coal/*/*:*:co2"
    assert f.value == pytest.approx(93.87517970731849 * 0.96, rel=1e-7)
    assert f.unit == "kg/GJ"
    assert f.kg_per_unit == pytest.approx(93.87517970731849 * 0.96 * 20.908, rel=1e-7)
    assert f.publisher.startswith("Community Emissions Data System (CEDS)")
    assert f.licence == "CC BY 4.0"
    assert f.verified and f.status == "derived"


def test_grid_factor_and_its_unverified_copollutant(library):
    # MEE/NBS 2022 East China grid 0.5617 kg CO2/kWh = 561.7 kg per MWh; SO2 at the MEIC power ratio
    # 1.83047 / 3619.19 (Zheng et al. 2018, Fig. 3), marked unverified.
    co2 = lookup_factor(library, "co2", activity_type="electricity", region="east", year=2022, unit="MWh")
    assert co2.kg_per_unit == pytest.approx(561.7, rel=1e-9)
    assert co2.factor_id == "grid:east/2022:east:co2" and co2.year == 2022 and co2.verified
    so2 = lookup_factor(library, "so2", activity_type="electricity", region="east", year=2022, unit="MWh")
    assert so2.kg_per_unit == pytest.approx(561.7 * 1.83047 / 3619.19, rel=1e-6)
    assert not so2.verified and so2.status == "derived"


def test_lookup_makes_the_same_choice_as_the_co_accounting(library):
    record = {"activity_type": "fuel", "fuel": "hard_coal", "sector": "power", "technology": "old", "year": 2015}
    frame = account(parse_activity([{**record, "quantity": 1, "unit": "GJ"}]), library)
    for pol, row in frame.set_index("pollutant").iterrows():
        f = lookup_factor(library, pol, unit="GJ", **record)
        assert (f.factor_id, f.kg_per_unit) == (row["factor_id"], pytest.approx(row["emission"], rel=1e-12))


def test_bad_lookups_name_the_field(library):
    with pytest.raises(ActivityError, match="field 'unit'"):
        lookup_factor(library, "co2", activity_type="fuel", fuel="hard_coal", unit="parsecs")
    with pytest.raises(AccountingError, match="field 'fuel'"):
        lookup_factor(library, "co2", activity_type="fuel", fuel="unobtainium", unit="t")
    with pytest.raises(AccountingError, match="unknown pollutant"):
        lookup_factor(library, "mercury", activity_type="fuel", fuel="hard_coal", unit="t")


def test_the_layer_needs_neither_http_nor_a_database():
    code = (
        "import sys, coreduce.accounting as a; a.load_factor_library();"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('fastapi', 'sqlalchemy', 'starlette', 'httpx')"
        " or m.startswith('coreduce.exchange')]; print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
