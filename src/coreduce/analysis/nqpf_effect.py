"""The estimated effect of NQPF on pollution–carbon coupling coordination, how robust it is, and why the coupling
coordination degree saturates.

Estimate: the two-way fixed-effects model of :func:`coreduce.analysis.regress.regress` (province and year effects,
controls ``ln_gdp_pc`` and ``ln_population``, errors clustered by province, Stata's small-sample factor; column
(2) of its table), ``D_it = β·NQPF_it + γ'X_it + μ_i + λ_t + ε_it``. The result reports β whatever its sign: a
negative β is a finding against the papers' hypothesis, not an error.

Robustness (each row changes one thing against the baseline): the provincial CO2 series of the outcome
(:data:`~coreduce.analysis.co2_series.PROVINCIAL_CO2`), the window (2011–2019: reported CEADs and before
COVID-19; 2015–2022), the NQPF indicator system (``long``), the clustering (province and year; robust) and the
construction of D (the modified coupling degree of Wang et al. 2021; log bounds of the order degrees).

Saturation: the count of provinces in the top band (优质协调, D > 0.9) in the last year under each combination of
``coupling_bounds`` (pooled, yearly, log) and ``coupling_form`` (standard, modified), with the medians of C, T and
D, and the skewness of each order parameter with its largest value's share of the median. Linear min–max bounds
set by a few extreme provinces put every other province near an order degree of 1 (more so as intensities fall
over the window), and the standard C stays near 1 whenever the two subsystems are alike, so D ≈ √T is high almost
everywhere: the table shows how much each choice contributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from coreduce.analysis._aggregate import province_codes, read_inputs
from coreduce.analysis._shared import shared_results
from coreduce.analysis.co2_series import PROVINCIAL_CO2
from coreduce.analysis.conventions import COUPLING_BOUNDS, COUPLING_FORMS, ProvinceConventions
from coreduce.conventions import Convention
from coreduce.data.panel import MissingSeriesError, Panel
from coreduce.results import Missing, Note, Result

TOP_BAND = 10
"""Band of 优质协调 (high-quality coordination), D > 0.9."""
CONTROLS = ["ln_gdp_pc", "ln_population"]


@dataclass(kw_only=True)
class NqpfEffectResult(Result):
    """β of NQPF on coupling coordination under each specification (main table ``estimates``) and the
    saturation of the coupling coordination degree."""

    title: ClassVar[str] = "result.nqpf_effect"
    main: ClassVar[str] = "estimates"

    estimates: pd.DataFrame
    """One row per specification: spec, changed, value, coef, std_err, p_value, ci_low, ci_high, nobs,
    provinces, first_year, last_year."""
    saturation: pd.DataFrame
    """One row per bounds × form: provinces in the top band in the last year, provinces with D, medians."""
    indicators: pd.DataFrame
    """Skewness of each order parameter over the provinces and years, and its largest value ÷ its median."""


def _specifications(panel: Panel, c: ProvinceConventions) -> list[tuple[str, str, dict, dict]]:
    """(key, what changed, convention changes, regress options) of the baseline and each robustness check."""
    specs = [("baseline", "", {}, {})]
    specs += [("co2", s, {"co2": s}, {}) for s in PROVINCIAL_CO2 if s != c.co2 and s in panel.variables]
    specs += [("window", f"{a}–{b}", {"start": a, "end": b}, {}) for a, b in ((2011, 2019), (2015, 2022))]
    specs += [("system", s, {"system": s}, {}) for s in ("long",) if s != c.system]
    specs += [("cluster", k, {}, {"cluster": k}) for k in ("two-way", "robust")]
    specs += [("coupling_form", "modified", {"coupling_form": "modified"}, {})] if c.coupling_form != "modified" else []
    specs += [("coupling_bounds", "log", {"coupling_bounds": "log"}, {})] if c.coupling_bounds != "log" else []
    return specs


def _estimate(panel: Panel, c: ProvinceConventions, options: dict) -> dict:
    """β of NQPF in column (2) of :func:`~coreduce.analysis.regress.regress`'s table (with the controls), fitted
    alone: the table's column (1) and its layout are not needed here."""
    from coreduce.analysis.regress import regression_data
    from coreduce.methods.econometrics import panel_fe

    data = regression_data(panel, c, mediators={})
    fit = panel_fe(data.frame, data.outcome, ["nqpf", *data.controls], **options)
    coef, std_err = float(fit.params["nqpf"]), float(fit.std_errors["nqpf"])
    used = data.frame.reset_index().dropna(subset=["nqpf", "coupling", *CONTROLS])
    half = 1.959963984540054 * std_err  # normal 97.5 % quantile, as the table's stars
    return {
        "coef": coef,
        "std_err": std_err,
        "p_value": float(fit.pvalues["nqpf"]),
        "ci_low": coef - half,
        "ci_high": coef + half,
        "nobs": len(used),
        "provinces": used["geo"].nunique(),
        "first_year": int(used["year"].min()),
        "last_year": int(used["year"].max()),
    }


def _estimates(panel: Panel, c: ProvinceConventions) -> tuple[pd.DataFrame, list[Missing]]:
    from coreduce.methods.econometrics import RegressionError  # scipy.stats: only where the models run

    rows, missing = [], []
    for key, value, changes, options in _specifications(panel, c):
        try:
            numbers = _estimate(panel, c.replace(**changes), options)
        except (RegressionError, MissingSeriesError, ValueError) as exc:
            missing.append(
                Missing.of("nqpf → coupling", "provinces", value or key, "missing.spec_failed", error=str(exc))
            )
            continue
        rows.append({"spec": key, "changed": value, **numbers})
    return pd.DataFrame(rows), missing


def _saturation(panel: Panel, c: ProvinceConventions) -> tuple[pd.DataFrame, list[Missing]]:
    """Top-band count and medians of C, T, D in the last year (and D in the first) per bounds × form; a
    combination the panel does not allow (e.g. a year whose provinces all share one value) is recorded."""
    from coreduce.analysis.costatus import costatus

    rows, missing = [], []
    for bounds in COUPLING_BOUNDS:
        for form in COUPLING_FORMS:
            try:
                coupling = costatus(
                    panel, c.replace(coupling_bounds=bounds, coupling_form=form), coupling_only=True
                ).coupling
            except ValueError as exc:
                missing.append(
                    Missing.of("coupling", "provinces", f"{bounds}, {form}", "missing.spec_failed", error=str(exc))
                )
                continue
            prov = coupling[coupling["level"] == "province"]
            last, first = prov[prov["year"] == c.end], prov[prov["year"] == c.start]
            rows.append(
                {
                    "coupling_bounds": bounds,
                    "coupling_form": form,
                    "top_band": int((last["grade"] == TOP_BAND).sum()),
                    "provinces": int(last["D"].notna().sum()),
                    "median_C": float(last["C"].median()),
                    "median_T": float(last["T"].median()),
                    "median_D": float(last["D"].median()),
                    "median_D_first": float(first["D"].median()),
                }
            )
    return pd.DataFrame(rows), missing


def _indicators(panel: Panel, c: ProvinceConventions) -> pd.DataFrame:
    """Skewness and max ÷ median of the four order parameters over the provinces and years of the window."""
    data = read_inputs(panel, c, [c.pollutant, c.nox, c.co2, c.gdp, c.population]).provincial
    data = data[data.index.get_level_values("geo").isin(province_codes())]
    ind = {
        f"{c.pollutant}_intensity": data[c.pollutant] / data[c.gdp],
        f"{c.nox}_intensity": data[c.nox] / data[c.gdp],
        "co2_intensity": data[c.co2] / data[c.gdp],
        "co2_per_capita": data[c.co2] / data[c.population],
    }
    rows = []
    for name, values in ind.items():
        values = values.dropna()
        geo, year = values.idxmax()
        rows.append(
            {
                "indicator": name,
                "skewness": float(values.skew()),
                "max_over_median": float(values.max() / values.median()),
                "max_geo": geo,
                "max_year": int(year),
            }
        )
    return pd.DataFrame(rows)


def nqpf_effect(panel: Panel, conventions: ProvinceConventions | None = None) -> NqpfEffectResult:
    """β of NQPF on the coupling coordination degree (baseline and robustness checks) and the saturation table."""
    c = conventions or ProvinceConventions()
    with shared_results():  # the specifications share the NQPF index and co-reduction status they have in common
        estimates, missing = _estimates(panel, c)
        saturation, absent = _saturation(panel, c)
    missing += absent
    notes = []
    if not estimates.empty:
        base = estimates.iloc[0]
        negative = int((estimates["coef"] < 0).sum())
        notes.append(
            Note.of(
                "note.effect.finding",
                coef=round(float(base["coef"]), 4),
                se=round(float(base["std_err"]), 4),
                p=round(float(base["p_value"]), 3),
                negative=negative,
                total=len(estimates),
                significant=int(((estimates["coef"] > 0) & (estimates["p_value"] < 0.1)).sum()),
            )
        )
    if saturation.empty:
        raise ValueError("no combination of coupling bounds and form can be computed on this panel")
    default = saturation[
        (saturation["coupling_bounds"] == c.coupling_bounds) & (saturation["coupling_form"] == c.coupling_form)
    ]
    pooled = (default if not default.empty else saturation).iloc[0]
    least = saturation.loc[saturation["top_band"].idxmin()]
    notes.append(
        Note.of(
            "note.effect.saturation",
            chosen=f"{pooled['coupling_bounds']}, {pooled['coupling_form']}",
            top=int(pooled["top_band"]),
            provinces=int(pooled["provinces"]),
            end=c.end,
            bounds=str(least["coupling_bounds"]),
            form=str(least["coupling_form"]),
            least=int(least["top_band"]),
        )
    )
    return NqpfEffectResult(
        estimates=estimates,
        saturation=saturation,
        indicators=_indicators(panel, c),
        conventions=(
            *c.used("start", "end", "co2", "pollutant", "nox", "system", "coupling_form", "coupling_bounds"),
            Convention("regress_effects", "two_way"),
            Convention("regress_controls", tuple(CONTROLS)),
        ),
        notes=tuple(notes),
        missing=tuple(missing),
        sources=panel.attribution([c.co2, c.pollutant, c.nox, c.gdp, c.population]),
    )
