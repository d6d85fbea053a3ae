"""The regression spec file (TOML) read by ``coreduce regress``: model options and the conventions of its index.

Keys: outcome, system, years = [first, last], cluster, small_sample, grouping, heterogeneity,
effects = ["entity", "time"], tables [controls] and [mediators] (name = formula), [nqpf] (method, normalisation,
zero, epsilon), [costatus] (any key of :class:`~coreduce.analysis.conventions.ProvinceConventions`, e.g.
coupling_form, pollutant, prices), [bootstrap] (n, level, seed) and [spatial] (weights, durbin, correction,
draws). Errors name the file and the key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from coreduce.methods.econometrics import RegressionError

SPEC_KEYS = {
    "outcome": str,
    "system": str,
    "years": list,
    "cluster": str,
    "small_sample": str,
    "grouping": str,
    "heterogeneity": bool,
    "effects": list,
    "controls": dict,
    "mediators": dict,
    "nqpf": dict,
    "costatus": dict,
    "bootstrap": dict,
    "spatial": dict,
}
SPATIAL_KEYS = {"weights": str, "durbin": bool, "correction": str, "draws": int}
NQPF_KEYS = {"method": "nqpf_method", "normalisation": "normalisation", "zero": "zero_rule", "epsilon": "epsilon"}
"""Keys of the [nqpf] table → conventions keys."""


def _read(path: Path) -> dict:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegressionError(f"{path}: spec file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegressionError(f"{path}: not valid TOML ({exc})") from None
    unknown = sorted(set(raw) - set(SPEC_KEYS))
    if unknown:
        raise RegressionError(f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(SPEC_KEYS)}")
    for key, kind in SPEC_KEYS.items():
        if key in raw and not isinstance(raw[key], kind):
            raise RegressionError(f"{path}: {key} must be a {kind.__name__}, not {type(raw[key]).__name__}")
    return raw


def _conventions(path: Path, raw: dict) -> dict[str, object]:
    """The conventions mapping of the spec: system, grouping, years and the [nqpf] and [costatus] tables."""
    conventions: dict[str, object] = {k: raw[k] for k in ("system", "grouping") if k in raw}
    if "years" in raw:
        years = raw["years"]
        if len(years) != 2 or not all(isinstance(y, int) for y in years) or years[0] >= years[1]:
            raise RegressionError(f"{path}: years must be two years, first before last; got {years}")
        conventions.update(start=years[0], end=years[1])
    bad = sorted(set(raw.get("nqpf", {})) - set(NQPF_KEYS))
    if bad:
        raise RegressionError(f"{path}: table nqpf: unknown key(s) {', '.join(bad)}; allowed: {', '.join(NQPF_KEYS)}")
    conventions.update({NQPF_KEYS[k]: v for k, v in raw.get("nqpf", {}).items()})
    costatus = dict(raw.get("costatus", {}))
    if "boundary" in costatus:
        costatus["tapio_boundary"] = costatus.pop("boundary")
    return {**conventions, **costatus}


def _model(path: Path, raw: dict) -> dict[str, object]:
    out: dict[str, object] = {k: raw[k] for k in ("outcome", "cluster", "small_sample", "heterogeneity") if k in raw}
    if "effects" in raw:
        bad = sorted(set(raw["effects"]) - {"entity", "time"})
        if bad:
            raise RegressionError(f"{path}: effects may be 'entity' and 'time'; got {', '.join(map(str, bad))}")
        out["entity_effects"] = "entity" in raw["effects"]
        out["time_effects"] = "time" in raw["effects"]
    for key in ("controls", "mediators"):
        if key in raw:
            bad = [k for k, v in raw[key].items() if not isinstance(v, str)]
            if bad:
                raise RegressionError(f"{path}: table {key}: {', '.join(bad)} must be formulas (strings)")
            out[key] = dict(raw[key])
    boot = raw.get("bootstrap", {})
    bad = sorted(set(boot) - {"n", "level", "seed"})
    if bad:
        raise RegressionError(f"{path}: table bootstrap: unknown key(s) {', '.join(bad)}; allowed: n, level, seed")
    out.update({dst: boot[src] for src, dst in (("n", "n_boot"), ("level", "level"), ("seed", "seed")) if src in boot})
    return out


def _spatial(path: Path, raw: dict) -> dict[str, object] | None:
    if "spatial" not in raw:
        return None
    spatial = raw["spatial"]
    bad = sorted(set(spatial) - set(SPATIAL_KEYS))
    if bad:
        raise RegressionError(f"{path}: [spatial] unknown key(s) {', '.join(bad)}; allowed: {', '.join(SPATIAL_KEYS)}")
    for key, kind in SPATIAL_KEYS.items():
        if key in spatial and not isinstance(spatial[key], kind):
            raise RegressionError(f"{path}: table spatial: {key} must be a {kind.__name__}")
    return dict(spatial)


def load_spec(path) -> dict[str, object]:
    """Read a regression spec into ``{"model": keyword arguments of regress, "conventions": a mapping for
    ProvinceConventions.from_mapping, "spatial": options of spatial_regress or None}``."""
    path = Path(path)
    raw = _read(path)
    return {"model": _model(path, raw), "conventions": _conventions(path, raw), "spatial": _spatial(path, raw)}
