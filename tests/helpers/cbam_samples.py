"""Sample installations for the CBAM tests: a clinker kiln and a two-process steel works."""

import dataclasses

from coreduce.cbam.model import Installation


def kiln(**process) -> Installation:
    """A grey-clinker kiln in Jiangsu (GB/T 2260 code 320000), monitoring period 2023."""
    base = {
        "process_id": "kiln",
        "cn": "25231000",
        "route": "A",
        "activity_level_t": 100_000,
        "source_streams": [
            # stoichiometric factor of CaCO3 (44.01 / 100.09 = 0.440 t CO2/t), IR (EU) 2018/2066 Annex VI
            {
                "name": "raw meal CaCO3",
                "kind": "process",
                "quantity": 120_000,
                "unit": "t",
                "emission_factor": 0.44,
                "factor_source": "IR (EU) 2018/2066 Annex VI Table 2: CaCO3 0.440 t CO2/t",
            },
            {"name": "coal", "kind": "fuel", "quantity": 350_000, "unit": "GJ", "fuel": "hard_coal"},
            {"name": "natural gas", "kind": "fuel", "quantity": 10_000, "unit": "GJ", "fuel": "natural_gas"},
        ],
        "electricity_mwh": 9_000,
    }
    base.update(process)
    return Installation.from_mapping(
        {
            "installation_id": "js-cement",
            "name": "Jiangsu cement works",
            "country": "CN",
            "region": "320000",
            "period": {"start": "2023-01-01", "end": "2023-12-31"},
            "processes": [base],
        }
    )


def steelworks(precursor_from_supplier: bool = True) -> Installation:
    """Blast furnace (pig iron) feeding a converter (semi-finished steel); a ferro-manganese precursor is bought."""
    femn = {"cn": "72021120", "mass_t": 10, "supplier_footprint_id": "urn:pact:femn-2023"}
    femn |= {"see_direct": 1.5, "see_indirect": 0.3} if precursor_from_supplier else {"country": "CN"}
    return Installation.from_mapping(
        {
            "installation_id": "hb-steel",
            "name": "Hebei steel works",
            "country": "CN",
            "region": "130000",
            "period": {"start": "2023-01-01", "end": "2023-12-31"},
            "processes": [
                {
                    "process_id": "bf",
                    "cn": "72011011",
                    "activity_level_t": 1_000,
                    "source_streams": [
                        {"name": "coke", "kind": "fuel", "quantity": 400, "unit": "t", "fuel": "coal_coke"},
                        {"name": "gas", "kind": "fuel", "quantity": 2_000, "unit": "GJ", "fuel": "natural_gas"},
                    ],
                    "electricity_mwh": 100,
                    "electricity_factor": 0.6,
                    "electricity_evidence": "PPA 2023-017",
                },
                {
                    "process_id": "bof",
                    "cn": "72071111",
                    "route": "C",
                    "activity_level_t": 1_000,
                    "source_streams": [
                        {"name": "gas", "kind": "fuel", "quantity": 500, "unit": "GJ", "fuel": "natural_gas"}
                    ],
                    "electricity_mwh": 50,
                    "electricity_factor": 0.6,
                    "electricity_evidence": "PPA 2023-017",
                    "precursors": [{"cn": "72011011", "mass_t": 950, "from_process": "bf"}, femn],
                },
            ],
        }
    )


def as_mapping(inst: Installation) -> dict:
    data = dataclasses.asdict(inst)
    data["period"] = {"start": str(inst.period.start), "end": str(inst.period.end)}
    for p in data["processes"]:
        for pre in p["precursors"]:
            for key in [k for k, v in pre.items() if v in ("", None)]:
                del pre[key]
        for s in p["source_streams"]:
            for key in [k for k, v in s.items() if v in ("", None)]:
                del s[key]
    return data


def assert_process_and_see(result, direct_t: float, indirect_t: float, see_direct: float, see_indirect: float) -> None:
    """The first process's attributed emissions (t) and the first line's specific embedded emissions (t / t)."""
    import pytest

    p = result.processes.iloc[0]
    assert p["direct_t"] == pytest.approx(direct_t, rel=1e-9)
    assert p["attributed_indirect_t"] == pytest.approx(indirect_t, rel=1e-9)
    line = result.goods.iloc[0]
    assert line["see_direct"] == pytest.approx(see_direct, rel=1e-9)
    assert line["see_indirect"] == pytest.approx(see_indirect, rel=1e-9)
