"""The README's Python API example runs as written on the bundled panel."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert blocks, "the Python API section has no python block"
    return "\n".join(blocks)


@pytest.mark.slow
def test_the_python_api_example_runs(bundled_panel, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(_example(), "README.md", "exec"), namespace)
    result = namespace["result"]
    assert type(result).__name__ == "TrendsResult" and result.convention("prices") == "constant"
    assert (tmp_path / "trends.xlsx").stat().st_size > 0
    out = capsys.readouterr().out
    assert "口径与约定" in out and "quadrant" in out
