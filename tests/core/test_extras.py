"""The optional extras: the modules the CLI names match pyproject.toml, and a command whose extra is missing says
which one to install instead of printing a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from coreduce.cli.extras import EXTRAS, missing_extra

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.match(r"[A-Za-z0-9_.\-]+", requirement).group(0).lower().replace("-", "_")


def test_the_modules_of_each_extra_are_the_distributions_pyproject_lists():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    for extra, modules in EXTRAS.items():
        assert {_name(r) for r in extras[extra]} == {m.lower() for m in modules}, extra
    assert extras["all"] == [f"coreduce[{','.join(EXTRAS)}]"]
    core = {_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    assert not core & {m.lower() for ms in EXTRAS.values() for m in ms}  # the core needs no extra


def test_the_message_prefers_the_extra_of_the_command():
    assert "[grid]" in missing_extra("geopandas.io", "grid")
    assert "[report]" in missing_extra("geopandas", "report")
    assert "[exchange]" in missing_extra("sqlalchemy.orm", "serve")
    assert missing_extra("numpy", "trends") is None  # a core module missing is a broken install: no advice


def test_a_command_without_its_extra_names_it(tmp_path):
    code = (
        "import sys; sys.modules['matplotlib'] = None; "
        "from coreduce.cli.main import main; "
        f"sys.argv = ['coreduce', 'report', '--out', {str(tmp_path)!r}]; main()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                          env={"COREDUCE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "COLUMNS": "200"})  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    assert "coreduce report needs matplotlib, which the optional extra [report] installs" in done.stderr
    assert 'pip install "coreduce[report]"' in done.stderr and "Traceback" not in done.stderr
