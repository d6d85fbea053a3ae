"""coreduce report --scope world: the world report in Chinese and English."""

from typer.testing import CliRunner

from coreduce.cli.main import app
from coreduce.data.bundled import HERE as BUNDLED
from coreduce.report.world_figures import world_shapes


def test_world_report_in_chinese_and_english(tmp_path):
    runner = CliRunner()
    for lang, title in (("zh", "中国与全球南方"), ("en", "China beside the Global South")):
        out = tmp_path / lang
        args = ["report", "--scope", "world", "--panel", str(BUNDLED), "--out", str(out), "--lang", lang,
                "--format", "html,pdf"]  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        page = (out / "world-report.html").read_text(encoding="utf-8")
        assert title in page and page.count("<section") == 7 and page.count("data:image/png") == 5
        assert "11,350.5" in page and "11,711.8" in page  # both vintages named
        assert (out / "world-report.pdf").read_bytes()[:4] == b"%PDF"
        assert len(list((out / "tables").glob("world_*.csv"))) == 7
    assert "全球南方" in (tmp_path / "zh" / "world-report.html").read_text(encoding="utf-8")


def test_offline_world_boundaries_cover_the_large_emitters():
    shapes = world_shapes()
    assert {"CHN", "USA", "IND", "RUS", "FRA", "NOR", "BRA"} <= set(shapes["iso3"].dropna())


def test_unknown_scope_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["report", "--scope", "moon", "--out", str(tmp_path)])
    assert result.exit_code != 0 and "china or world" in result.output
