"""Co-reduction status of provinces, regions and the nation.

For every unit (31 provinces, the regions of a grouping, China = Σ provinces):

* co-control between ``start`` and ``end`` and year by year: reduction rates of the pollutant and CO2,
  the quadrant of the co-control coordinate system and the co-control elasticity (``methods.cocontrol``),
  for the second pollutant (``nox``) too (columns ``…_<nox>``, table ``yearly_<nox>``);
  Tapio decoupling of CO2 and of the pollutant from GDP over the whole window (``methods.decoupling``);
* coupling coordination of two subsystems, year by year (``methods.coupling``):
  pollution reduction = order degrees of SO2 intensity and NOx intensity (both negative indicators),
  carbon reduction = order degrees of CO2 intensity and CO2 per person (both negative);
  a subsystem's score is the equal-weight mean of its order degrees;
* composite-system synergy of the same two subsystems between the ends of each period
  (``methods.synergy``, subsystem order by geometric mean as in Meng & Han 2000).

Order degrees use bounds pooled over all provinces and years of the window (min and max), so regional and
national values (ratios of sums, i.e. weighted means of their members) stay within the bounds.

GDP enters the intensities and the Tapio elasticities at nominal prices by default; ``prices="constant"``
deflates it with the national deflator rebased to ``base_year`` (nominal GDP growth includes inflation and so
makes decoupling look stronger).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from coreduce.analysis._aggregate import gaps, group_sums, price_factor, province_codes, resolve_grouping, wide
from coreduce.analysis.results import AnalysisResult, missing_frame
from coreduce.data.panel import Panel
from coreduce.geo import NATIONAL_CODE, Grouping
from coreduce.methods.cocontrol import cocontrol, cocontrol_panel
from coreduce.methods.coupling import coupling_coordination
from coreduce.methods.decoupling import tapio
from coreduce.methods.synergy import order_degree, subsystem_order, synergy_degree

CARBON_INDICATORS = ("co2_intensity", "co2_per_capita")


def _default_periods(start: int, end: int) -> list[tuple[int, int]]:
    """The five-year-plan periods (year before start → end year) that lie inside the window, else the window."""
    spans = [(b, b + 5) for b in (2005, 2010, 2015, 2020) if start <= b and b + 5 <= end]
    return spans or [(start, end)]


def costatus(
    panel: Panel,
    start: int = 2008,
    end: int = 2022,
    *,
    grouping: str | Grouping = "four_regions",
    pollutant: str = "so2_ceds",
    nox: str | None = "nox_ceds",
    co2: str = "co2_ceds",
    gdp: str = "gdp",
    population: str = "population",
    periods: Sequence[tuple[int, int]] | None = None,
    coupling_form: str = "standard",
    boundary: str = "coupling",
    membership: str = "all",
    prices: str = "nominal",
    base_year: int = 2015,
    deflator: str = "gdp_deflator",
) -> AnalysisResult:
    """Co-control, decoupling, coupling coordination and synergy of pollution and carbon reduction.

    ``pollutant`` is the pollutant of the co-control measures and the first order parameter of the
    pollution-reduction subsystem; ``nox`` the second (``None``, or a series the panel lacks, leaves the
    subsystem with one parameter, which is recorded in the conventions and under missing). ``prices``:
    GDP at ``"nominal"`` or ``"constant"`` prices of ``base_year`` (national ``deflator``).
    """
    if end <= start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    groups = resolve_grouping(grouping)
    missing: list[dict] = []
    if nox is not None and (nox == pollutant or nox not in panel.variables):
        if nox != pollutant:
            missing.append(
                {
                    "series": nox,
                    "geo": "all",
                    "years": f"{start}–{end}",
                    "reason": "not in panel: the pollution-reduction subsystem uses the pollutant only",
                }
            )
        nox = None
    pollution_params = [pollutant, *([nox] if nox else [])]
    variables = list(dict.fromkeys([*pollution_params, co2, gdp, population]))
    panel.require([*variables, *([deflator] if prices == "constant" else [])])
    real, absent, gdp_rule = price_factor(
        panel, start, end, prices=prices, base_year=base_year, deflator=deflator, gdp=gdp
    )
    missing += absent
    periods = list(periods) if periods is not None else _default_periods(start, end)
    for a, b in periods:
        if not (start <= a < b <= end):
            raise ValueError(f"period {a}–{b} must lie inside {start}–{end} with its start before its end")

    provincial = wide(panel, variables, province_codes(), start, end)
    missing += gaps(provincial)
    regional, absent = group_sums(provincial, groups.groups, membership=membership)
    missing += absent
    national, absent = group_sums(provincial, {NATIONAL_CODE: province_codes()}, membership=membership)
    missing += absent
    levels = {
        **{c: "province" for c in province_codes()},
        **{g: "region" for g in groups.groups},
        NATIONAL_CODE: "nation",
    }
    frame = pd.concat([provincial, regional, national])
    frame[gdp] = frame[gdp] * real.reindex(frame.index.get_level_values("year")).to_numpy()

    # indicators (units cancel in every measure below except the printed intensities; pooled bounds)
    ind = pd.DataFrame(index=frame.index)
    for var in pollution_params:
        ind[f"{var}_intensity"] = frame[var] / frame[gdp]
    subsystems = {"pollution": tuple(f"{v}_intensity" for v in pollution_params), "carbon": CARBON_INDICATORS}
    ind["co2_intensity"] = frame[co2] / frame[gdp]
    ind["co2_per_capita"] = frame[co2] / frame[population]
    prov = ind.loc[ind.index.get_level_values("geo").isin(province_codes())]
    lower, upper = prov.min().to_numpy(), prov.max().to_numpy()
    u = pd.DataFrame(
        order_degree(ind.to_numpy(), lower=lower, upper=upper, positive=[False] * ind.shape[1]),
        index=ind.index,
        columns=ind.columns,
    )
    scores = pd.DataFrame(
        {name: subsystem_order(u[list(cols)].to_numpy(), combine="weighted") for name, cols in subsystems.items()},
        index=ind.index,
    )
    coupling = coupling_coordination(scores, form=coupling_form)
    coupling = pd.concat([scores, coupling], axis=1).reset_index()
    coupling.insert(0, "level", coupling["geo"].map(levels))

    # co-control and decoupling over the whole window
    first, last = frame.xs(start, level="year"), frame.xs(end, level="year")
    window = cocontrol(first[pollutant], last[pollutant], first[co2], last[co2])
    carbon = tapio(first[co2], last[co2], first[gdp], last[gdp], boundary=boundary)
    dirty = tapio(first[pollutant], last[pollutant], first[gdp], last[gdp], boundary=boundary)
    window["tapio_co2"] = carbon["state"]
    window["tapio_co2_elasticity"] = carbon["elasticity"]
    window[f"tapio_{pollutant}"] = dirty["state"]
    if nox:
        second = cocontrol(first[nox], last[nox], first[co2], last[co2])
        for column in ("reduction_pollutant", "elasticity", "quadrant", "label_zh"):
            window[f"{column.replace('_pollutant', '')}_{nox}"] = second[column]
    window = window.reset_index()
    window.insert(0, "level", window["geo"].map(levels))
    window.insert(2, "start", start)
    window.insert(3, "end", end)

    yearly = cocontrol_panel(frame, pollutant=pollutant, co2=co2)
    yearly.insert(0, "level", yearly["geo"].map(levels))
    more = {}
    if nox:
        more["yearly_" + nox] = cocontrol_panel(frame, pollutant=nox, co2=co2)
        more["yearly_" + nox].insert(0, "level", more["yearly_" + nox]["geo"].map(levels))

    # synergy between the ends of each period (subsystem order = geometric mean of order degrees)
    order = pd.DataFrame(
        {name: subsystem_order(u[list(cols)].to_numpy()) for name, cols in subsystems.items()}, index=u.index
    )
    syn_rows = []
    for a, b in periods:
        u0, u1 = order.xs(a, level="year"), order.xs(b, level="year").reindex(order.xs(a, level="year").index)
        values = synergy_degree(u0.to_numpy(), u1.to_numpy())
        part = pd.DataFrame(
            {
                "geo": u0.index,
                "start": a,
                "end": b,
                "pollution_u0": u0["pollution"].to_numpy(),
                "pollution_u1": u1["pollution"].to_numpy(),
                "carbon_u0": u0["carbon"].to_numpy(),
                "carbon_u1": u1["carbon"].to_numpy(),
                "synergy": values,
            }
        )
        syn_rows.append(part)
    synergy = pd.concat(syn_rows, ignore_index=True)
    synergy.insert(0, "level", synergy["geo"].map(levels))

    bounds = pd.DataFrame({"indicator": ind.columns, "lower": lower, "upper": upper, "direction": "negative"})
    return AnalysisResult(
        title=f"Co-reduction status {start}–{end}: {pollutant} and {co2}",
        table=window,
        conventions={
            "pollutant": pollutant,
            "CO2": co2,
            "GDP": gdp_rule,
            "co-control": "x = −ΔP/P0, y = −ΔC/C0, Els = (ΔP/P0)/(ΔC/C0) (Mao et al. 2012)",
            "Tapio boundary": f"exact 0.8 / 1.2 counted as {boundary}",
            "pollution-reduction subsystem": " and ".join(f"{v}/{gdp}" for v in pollution_params)
            + ", negative indicators",
            "carbon-reduction subsystem": f"{co2}/{gdp} and {co2}/{population}, negative indicators",
            "order-degree bounds": f"min and max over the 31 provinces and the years {start}–{end} (pooled)",
            "coupling subsystem score": "equal-weight mean of the order degrees",
            "coupling form": coupling_form,
            "coupling weights": "equal (α = 0.5, 0.5)",
            "synergy subsystem order": "geometric mean of the order degrees (Meng & Han 2000)",
            "synergy periods": ", ".join(f"{a}→{b}" for a, b in periods),
            "regions and nation": f"sums over member provinces ({groups.name}); "
            + (
                "formed only when all members have data"
                if membership == "all"
                else "members lacking data in any year are left out (listed under missing)"
            ),
        },
        sources=panel.attribution([*variables, *([deflator] if prices == "constant" else [])]),
        missing=missing_frame(missing),
        notes=[
            "Regional and national values are built from provincial sums, so they are consistent with the provinces "
            "but may differ from separately published national inventories.",
            *(
                [
                    "The standard coupling degree stays close to 1 whenever the two subsystem scores are similar, "
                    "so D mostly follows T (Wang et al. 2021); coupling_form='modified' spreads C over [0, 1]."
                ]
                if coupling_form == "standard"
                else []
            ),
            *(
                [
                    "GDP is nominal: its growth includes inflation, so Tapio elasticities are lower (decoupling looks "
                    "stronger) than at constant prices; prices='constant' needs a deflator for every year used."
                ]
                if prices == "nominal"
                else []
            ),
        ],
        tables={"yearly": yearly, **more, "coupling": coupling, "synergy": synergy, "bounds": bounds},
    )
