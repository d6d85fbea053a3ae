"""The analyses the explorer offers, each the same function the CLI command of that name calls.

Nothing is computed here: a page names an analysis (``trends``, ``synergy``, ``decompose``, ``nqpf``,
``imbalance``) and a few conventions (window, CO2 series, grouping); the analysis runs on the embedded store's
panel with :class:`~coreduce.analysis.conventions.ProvinceConventions` built from them, and the page shows the
typed result as it is (main table, conventions, missing data, notes, sources). Results are kept per process
for each set of conventions, so a second visit is a lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from coreduce.analysis.conventions import ProvinceConventions
from coreduce.conventions import ConventionError
from coreduce.results import Result
from coreduce.web.choices import choices_from
from coreduce.web.explorer import SelectionError, index

CHOICES = ("start", "end", "co2", "grouping")
"""The conventions a visitor may set from the page (the rest keep their defaults, listed on the page)."""


@dataclass(frozen=True)
class Analysis:
    """An analysis offered by the explorer: its CLI name, the message id of its title and how to run it."""

    name: str
    title: str
    run: Callable[..., Result]


def _trends(panel, c):
    from coreduce.analysis.trends import trends

    return trends(panel, c)


def _synergy(panel, c):
    from coreduce.analysis.costatus import costatus

    return costatus(panel, c)


def _decompose(panel, c):
    from coreduce.analysis.drivers import drivers

    return drivers(panel, c)


def _nqpf(panel, c):
    from coreduce.analysis.nqpf import nqpf_index

    return nqpf_index(panel, c)


def _imbalance(panel, c):
    from coreduce.analysis.imbalance import regional_imbalance

    return regional_imbalance(panel, c)


ANALYSES = {
    a.name: a
    for a in (
        Analysis("trends", "result.trends", _trends),
        Analysis("synergy", "result.costatus", _synergy),
        Analysis("decompose", "result.drivers", _decompose),
        Analysis("nqpf", "result.nqpf", _nqpf),
        Analysis("imbalance", "result.imbalance", _imbalance),
    )
}


def conventions_from(query: Mapping[str, str]) -> ProvinceConventions:
    """The conventions a page asks for: defaults, with the :data:`CHOICES` given (years as integers).

    Raises :class:`SelectionError` naming the field and what it expects."""
    chosen = choices_from(query, CHOICES, SelectionError)
    try:
        return ProvinceConventions.from_mapping(chosen)
    except (ConventionError, ValueError) as exc:
        raise SelectionError(str(exc)) from None


@lru_cache(maxsize=32)
def result(name: str, conventions: ProvinceConventions) -> Result:
    """The result of analysis ``name`` under ``conventions`` on the embedded store's panel (kept per process).

    Raises :class:`SelectionError` for an unknown analysis or an analysis the data cannot answer."""
    if name not in ANALYSES:
        raise SelectionError(f"analysis: expected one of {', '.join(ANALYSES)}, not {name!r}")
    try:
        return ANALYSES[name].run(index().panel, conventions)
    except (LookupError, ValueError) as exc:
        raise SelectionError(f"{name}: {exc}") from None
