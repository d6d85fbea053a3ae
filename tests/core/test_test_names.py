"""Test modules need distinct import names: a test folder without ``__init__.py`` is not a package, so pytest
imports each of its modules by its file name alone, and a second ``test_x.py`` in another such folder stops the
whole run with an import-file mismatch."""

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _import_name(path: Path) -> str:
    """The name pytest imports ``path`` under: its file name, prefixed by the packages it sits in."""
    parts = [path.stem]
    folder = path.parent
    while (folder / "__init__.py").exists():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


def test_no_two_test_modules_share_an_import_name():
    modules = sorted(TESTS.rglob("test_*.py"))
    names = Counter(_import_name(path) for path in modules)
    shared = {
        name: [str(p.relative_to(TESTS)) for p in modules if _import_name(p) == name]
        for name, count in names.items()
        if count > 1
    }
    assert not shared, f"test modules imported under the same name (rename one): {shared}"
