"""Fonts for report figures: find a CJK font for Chinese labels, or fall back to English with a warning.

Journals ask for PDFs whose fonts are embedded as TrueType/OpenType (Type 42 / CID TrueType), not Type 3.
Both PDF engines embed a TrueType-flavoured font (``glyf`` outlines) that way, but a CFF-flavoured OpenType face
such as Noto Sans CJK only as Type 3 (Chromium/Skia draws each glyph as a Type 3 procedure; matplotlib's Type 42
writer would misdeclare it). So TrueType CJK faces come first: WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``,
GPL-2 with font embedding exception), then the Noto CJK faces (``fonts-noto-cjk``) as a fallback that renders
well but embeds as Type 3. matplotlib finds them through its font manager. A report in Chinese drawn without
any CJK font would show empty boxes ("tofu") for every Chinese character, so :func:`resolve_language` switches
such a report to English and says why.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

# TrueType-flavoured faces first (embeddable as Type 42), then Simplified-Chinese CFF faces; JP/TC faces of the
# same collections render Simplified Chinese too.
CJK_FAMILIES = (
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "AR PL UMing CN",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
)

INSTALL_HINT = "apt-get install fonts-wqy-zenhei fonts-noto-cjk"


class NoCJKFontWarning(UserWarning):
    """Chinese labels were asked for but no font with Chinese glyphs is installed."""


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or None.

    Looks at matplotlib's font list first; if the cache predates a font installation, the system font folders
    are scanned and the CJK files found there are added to the font manager.
    """
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((family for family in CJK_FAMILIES if family in names), None)

    family = known()
    if family is None:
        for path in font_manager.findSystemFonts():
            lower = path.lower()
            if any(key in lower for key in ("cjk", "wqy", "uming", "simhei", "msyh", "pingfang", "sourcehan")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        family = known()
    if family is not None:
        _register_missing_weights(family)
    return family


def _register_missing_weights(family: str) -> None:
    """Make a single-weight face (WenQuanYi Zen Hei is "medium", 500, only) the regular and bold face of its
    family too, so that matplotlib draws it for normal and bold text without logging a "Failed to find font
    weight" warning for every label (bold text stays medium, as matplotlib would draw it anyway)."""
    import dataclasses

    from matplotlib import font_manager

    entries = [f for f in font_manager.fontManager.ttflist if f.name == family and f.style == "normal"]
    weights = {w if isinstance(w, int) else font_manager.weight_dict.get(w, 400) for w in (f.weight for f in entries)}
    for weight in (400, 700):
        if entries and weight not in weights:
            font_manager.fontManager.ttflist.append(dataclasses.replace(entries[0], weight=weight))


@lru_cache(maxsize=8)
def is_truetype(family: str) -> bool:
    """Whether the file matplotlib uses for ``family`` has TrueType (``glyf``) outlines, so that a PDF can embed
    it as Type 42 / CID TrueType; CFF-flavoured OpenType (``CFF ``) cannot be."""
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    path = font_manager.findfont(family, fallback_to_default=False)
    with TTFont(path, fontNumber=0, lazy=True) as font:
        return "glyf" in font


@dataclass(frozen=True)
class FontChoice:
    """The language the report is drawn in, and the font families matplotlib should use."""

    lang: str
    families: tuple[str, ...]
    note: str | None = None
    """Why the requested language was changed, when it was."""

    @property
    def pdf_fonttype(self) -> int:
        """42 (TrueType embedded) when every family drawn is TrueType-flavoured, else 3."""
        return 42 if all(is_truetype(family) for family in self.families) else 3


def resolve_language(lang: str) -> FontChoice:
    """Choose fonts for ``lang`` (``zh`` or ``en``); ``zh`` without a CJK font falls back to ``en`` and warns."""
    if lang not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', not {lang!r}")
    family = find_cjk_font()
    if lang == "zh" and family is None:
        note = f"no font with Chinese glyphs is installed ({INSTALL_HINT}); labels are drawn in English"
        warnings.warn(note, NoCJKFontWarning, stacklevel=2)
        return FontChoice("en", ("DejaVu Sans",), note)
    families = (family, "DejaVu Sans") if family else ("DejaVu Sans",)
    # In English a CJK font stays second in line so that province names in Chinese still render.
    if lang == "en" and family:
        families = ("DejaVu Sans", family)
    return FontChoice(lang, families)


def rc_params(choice: FontChoice) -> dict[str, object]:
    """matplotlib settings for report figures drawn with ``choice`` (use with ``matplotlib.rc_context``)."""
    return {
        # concrete families, not the generic "sans-serif": matplotlib falls back glyph by glyph only along an
        # explicit family list (e.g. to DejaVu Sans for "₂", which the CJK faces lack)
        "font.family": list(choice.families),
        "font.sans-serif": list(choice.families),
        "axes.unicode_minus": False,  # CJK fonts often lack U+2212; use a hyphen-minus
        "svg.fonttype": "path",  # SVG text as outlines: the file renders the same without the font
        # Type 42 (TrueType embedded) for TrueType faces; Type 3 only for a CFF-flavoured CJK fallback (Noto CJK)
        "pdf.fonttype": choice.pdf_fonttype,
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 11,
        "axes.labelsize": 9,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
    }
