"""The layer rule of DESIGN.md, checked on the source: data flows one way, and methods stay pure.

Layers, lowest first (a package may import only from its own layer and the layers before it):

0. core — ``paths``, ``fileio``, ``i18n``, ``conventions``, ``results``, ``units`` and the package root
   (``__version__``): no domain knowledge; ``geo`` needs ``paths`` to find the boundary file, so core comes
   before geography.
1. ``geo`` — provinces, countries, groupings, boundaries.
2. ``data`` — readers, the canonical panel, the store.
3. ``grid`` — gridded products aggregated to zones; it feeds the panel (``to_store``), so it sits on the data
   side, above ``data`` and below everything that analyses.
4. ``methods`` and ``indicators`` (the NQPF indicator-system definitions the analyses evaluate).
5. ``accounting`` — the factor library and co-accounting.
6. ``analysis`` — named analyses with typed results.
7. domains — ``cbam``, ``market``, ``finance``, ``world``/``countries``.
8. ``exchange`` — the supply-chain platform.
9. ``report``.
10. ``web``.
11. ``cli`` and ``__main__``.

Methods are pure functions: besides the layer order they import nothing from ``data``, ``grid``,
``accounting``, ``analysis``, the domains, ``exchange``, ``report``, ``web`` or ``cli``. Imports are read with
:mod:`ast` (``import``/``from`` statements anywhere in a module, and ``importlib.import_module`` with a
constant name), so imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import coreduce

SOURCE = Path(coreduce.__file__).parent
LAYERS = [
    {"paths", "fileio", "i18n", "conventions", "results", "units", "__version__", "locale"},
    {"geo"},
    {"data"},
    {"grid"},
    {"methods", "indicators"},
    {"accounting"},
    {"analysis"},
    {"cbam", "market", "finance", "world", "countries"},
    {"exchange"},
    {"report"},
    {"web"},
    {"cli", "__main__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
PURE = "methods"
NOT_FOR_METHODS = {"data", "grid", "accounting", "analysis", "cbam", "market", "finance", "world", "countries"}
NOT_FOR_METHODS |= {"exchange", "report", "web", "cli"}

KNOWN: dict[tuple[str, str], str] = {}
"""Violations that exist today, each with its reason (remove an entry once it is fixed)."""


def _package(module: str) -> str | None:
    parts = module.split(".")
    return (parts[1] if len(parts) > 1 else "__version__") if parts[0] == "coreduce" else None


def _is_import_module(node: ast.AST) -> bool:
    """``importlib.import_module("<constant>")`` or ``import_module("<constant>")``."""
    if not isinstance(node, ast.Call) or getattr(node.func, "attr", getattr(node.func, "id", "")) != "import_module":
        return False
    return bool(node.args) and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)


def _imported(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "coreduce":
                found |= {f"coreduce.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
        elif _is_import_module(node):
            found.add(node.args[0].value)
    return found


def violations() -> set[tuple[str, str]]:
    """(module path under src/coreduce, imported package) for every import against the rule."""
    found = set()
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        own = relative.parts[0].removesuffix(".py") if len(relative.parts) > 1 else relative.stem
        if own == "__init__":
            continue
        for module in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            other = _package(module)
            if other is None or other == own:
                continue
            upward = RANK[other] > RANK[own]
            impure = own == PURE and other in NOT_FOR_METHODS
            if upward or impure:
                found.add((relative.as_posix(), other))
    return found


def test_every_package_has_a_layer():
    packages = {p.name for p in SOURCE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in SOURCE.glob("*.py") if p.stem != "__init__"}
    assert (packages | modules) - set(RANK) == set()


def test_nothing_imports_a_later_layer_and_methods_stay_pure():
    found = violations()
    new = sorted(found - set(KNOWN))
    assert not new, f"imports against the layer rule (module, package imported): {new}"


def test_the_checker_sees_function_level_and_importlib_imports():
    tree = ast.parse(
        "def f():\n    from coreduce.report import build\n"
        "import importlib\nimportlib.import_module('coreduce.analysis.trends')\nfrom coreduce import __version__\n"
    )
    assert {_package(m) for m in _imported(tree)} == {"report", "analysis", "__version__", None}
