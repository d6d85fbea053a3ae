"""A CBAM process from exchange activity records gives the same emissions as the hand-entered process."""

import dataclasses

import pytest

from coreduce.accounting import parse_activity
from coreduce.cbam.activity import process_from_activity
from coreduce.cbam.embedded import embedded_emissions
from helpers.cbam_samples import kiln

RECORDS = [
    {"activity_type": "fuel", "fuel": "hard_coal", "quantity": 350_000, "unit": "GJ", "year": 2023},
    {"activity_type": "fuel", "fuel": "natural_gas", "quantity": 10_000, "unit": "GJ", "year": 2023},
    {"activity_type": "electricity", "region": "320000", "year": 2023, "quantity": 9_000_000, "unit": "kWh"},
    {"activity_type": "freight", "mode": "hgv_diesel", "quantity": 1e6, "unit": "t*km"},
]
CALCINATION = {
    "name": "raw meal CaCO3",
    "kind": "process",
    "quantity": 120_000,
    "unit": "t",
    "emission_factor": 0.44,
    "factor_source": "IR (EU) 2018/2066 Annex VI Table 2: CaCO3 0.440 t CO2/t",
}


def test_process_from_activity_matches_the_hand_entered_kiln():
    activity = parse_activity(RECORDS)
    process, unmapped = process_from_activity(
        activity, process_id="kiln", cn="25231000", activity_level_t=100_000, route="A", process_streams=[CALCINATION]
    )
    assert unmapped == [4]  # the freight row is outside the CBAM boundary
    assert process.electricity_mwh == pytest.approx(9_000)
    inst = dataclasses.replace(kiln(), processes=(process,))
    result = embedded_emissions(
        [{"cn": "25231000", "country": "CN", "mass_t": 1, "process_id": "kiln"}], installation=inst
    )
    # same direct emissions as the hand-worked kiln: 52,800 + 31,542.06055 + 561 = 84,903.06055 t
    assert result.processes.iloc[0]["direct_t"] == pytest.approx(84_903.06055, rel=1e-9)
