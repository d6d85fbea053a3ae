"""Labels of the report in its language, from the message catalogues (:mod:`coreduce.i18n`), and the plain and
Unicode forms of figure labels."""

from __future__ import annotations

import re

from coreduce.i18n import message

PREFIXES = ("report", "label", "channel", "cluster", "dimension", "unit", "licence", "convention")
"""Catalogue prefixes a label key may start with; other keys are looked up under ``report.``."""


class Text:
    """Look up a label in one language: ``Text("zh")("fw.title")``."""

    def __init__(self, lang: str) -> None:
        if lang not in ("zh", "en"):
            raise ValueError(f"language must be 'zh' or 'en', not {lang!r}")
        self.lang = lang

    def __call__(self, key: str, /, **params) -> str:
        """The label ``report.<key>`` (or ``key`` itself when it starts with a catalogue prefix) in the report's
        language, with ``{name}`` fields filled from ``params``."""
        return message(key if key.split(".", 1)[0] in PREFIXES else f"report.{key}", self.lang, **params)

    def label(self, group: str, key: object) -> str:
        """The label ``report.<group>.<key>`` (e.g. ``report.column.annual_rate``), else ``key`` as text."""
        from coreduce.i18n import has_message

        ident = f"report.{group}.{key}"
        return message(ident, self.lang) if has_message(ident, self.lang) else str(key)

    def pick(self, zh: str, en: str) -> str:
        """One of two texts that come with the data (a province's or region's Chinese and English names)."""
        return zh if self.lang == "zh" else en


def plain(label: str) -> str:
    """A figure label without matplotlib mathtext, for tables and CSV: ``CO$_2$`` → ``CO2``, ``PM$_{2.5}$`` →
    ``PM2.5``, ``$10^4$`` → ``10^4``."""
    text = label.replace("$", "")
    text = re.sub(r"_\{([^}]*)\}", r"\1", text)
    text = re.sub(r"_(\w)", r"\1", text)
    return re.sub(r"\^\{([^}]*)\}", r"^\1", text)


SUBSCRIPTS = str.maketrans("0123456789.x", "₀₁₂₃₄₅₆₇₈₉.ₓ")
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def unicode_text(label: str) -> str:
    """A figure label for HTML text: mathtext sub- and superscripts as Unicode, ``CO$_2$`` → ``CO₂``,
    ``PM$_{2.5}$`` → ``PM₂.₅``, ``$10^4$`` → ``10⁴``; other ``$`` signs are dropped."""
    text = re.sub(r"_\{([0-9.x]+)\}|_([0-9x])", lambda m: (m.group(1) or m.group(2)).translate(SUBSCRIPTS), label)
    text = re.sub(r"\^\{?([0-9]+)\}?", lambda m: m.group(1).translate(SUPERSCRIPTS), text)
    return text.replace("$", "")
