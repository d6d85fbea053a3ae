import warnings

import matplotlib
import pytest

from coreduce.report import fonts
from coreduce.report.figures.framework import framework_figure


def test_cjk_font_found_and_used_for_chinese(cjk_font):
    choice = fonts.resolve_language("zh")
    assert choice.lang == "zh"
    assert choice.families[0] == cjk_font
    assert choice.note is None


def test_chinese_labels_render_without_missing_glyphs(cjk_font, tmp_path):
    # matplotlib warns "Glyph … missing from font(s)" for every character it draws as a box (tofu)
    choice = fonts.resolve_language("zh")
    with matplotlib.rc_context(fonts.rc_params(choice)), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = framework_figure("zh")
        figure.figure.savefig(tmp_path / "fw.png")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    texts = [t.get_text() for t in figure.figure.axes[0].texts]
    assert "新质生产力" in texts and "技术进步" in texts and "能源革命" in texts


def test_without_cjk_font_chinese_falls_back_to_english_with_warning(monkeypatch):
    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    with pytest.warns(fonts.NoCJKFontWarning, match="fonts-noto-cjk"):
        choice = fonts.resolve_language("zh")
    assert choice.lang == "en"
    assert "English" in choice.note


def test_english_needs_no_cjk_font(monkeypatch):
    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fonts.resolve_language("en").lang == "en"


def test_unknown_language_is_rejected():
    with pytest.raises(ValueError, match="'zh' or 'en'"):
        fonts.resolve_language("fr")
