import subprocess
import warnings

import pytest

from coreduce.report import build_report
from coreduce.report import pdf as pdf_module
from helpers.pdf import pdf_font_types


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _image_sizes(path) -> list[tuple[int, int]]:
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    return [(int(row[3]), int(row[4])) for row in rows if row[2] == "image"]


def test_chromium_pdf_renders_with_every_figure(small_report, chromium, poppler, tmp_path):
    assert small_report.pdf_engine == "chromium"
    path = small_report.files["pdf"]
    pages = _pages(path)
    assert pages >= 2
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == pages
    assert all(p.stat().st_size > 2000 for p in rendered)
    # the figures are printed from their SVGs, as vector graphics: no raster image the size of a figure
    assert all(width * height < 200_000 for width, height in _image_sizes(path))
    assert "<svg" not in small_report.files["html"].read_text(encoding="utf-8")  # the HTML keeps its PNGs


def test_without_chromium_the_pdf_is_composed_by_matplotlib(small_panel, poppler, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "find_chromium", lambda: None)
    with pytest.warns(pdf_module.ChromiumMissingWarning, match="apt-get install chromium"):
        result = build_report(small_panel, tmp_path, lang="en", formats=("html", "pdf"))
    assert result.pdf_engine == "matplotlib"
    # title page, then per section a text page, its figures and its table pages
    assert _pages(result.files["pdf"]) >= 1 + len(result.report.figures) + len(result.report.tables)


def test_asking_for_chromium_when_absent_is_an_error(small_panel, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "find_chromium", lambda: None)
    with pytest.raises(RuntimeError, match="apt-get install chromium"), warnings.catch_warnings():
        build_report(small_panel, tmp_path, lang="en", formats=("pdf",), pdf_engine="chromium")


def test_unknown_format_is_rejected(small_panel, tmp_path):
    with pytest.raises(ValueError, match="unknown report format"):
        build_report(small_panel, tmp_path, formats=("docx",))


def test_matplotlib_pdf_embeds_chinese_text_cleanly(small_panel, cjk_font, poppler, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "find_chromium", lambda: None)
    with pytest.warns(pdf_module.ChromiumMissingWarning) as record:
        result = build_report(small_panel, tmp_path, lang="zh", formats=("pdf",))
    assert [str(w.message) for w in record if "missing from font" in str(w.message)] == []  # "₂" falls back
    path = result.files["pdf"]
    command = ["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / "p")]
    render = subprocess.run(command, capture_output=True, text=True, check=False)
    assert render.returncode == 0 and render.stderr == ""  # no font-type mismatch or other syntax warning
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "减污降碳协同增效" in text


def test_matplotlib_pdf_embeds_truetype_fonts_not_type3(small_panel, truetype_cjk_font, poppler, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "find_chromium", lambda: None)
    with pytest.warns(pdf_module.ChromiumMissingWarning):
        result = build_report(small_panel, tmp_path, lang="zh", formats=("pdf",))
    fonts = pdf_font_types(result.files["pdf"])
    assert fonts and [f for f in fonts if f[1] == "Type 3"] == []
    assert any("WenQuanYi" in name for name, _ in fonts)


def test_chromium_pdf_embeds_truetype_fonts_not_type3(small_report, chromium, truetype_cjk_font, poppler):
    fonts = pdf_font_types(small_report.files["pdf"])
    assert fonts and [f for f in fonts if f[1] == "Type 3"] == []
    assert {kind for _, kind in fonts} <= {"CID TrueType", "TrueType"}
