"""Every message key the province analyses and the report use exists in both catalogues and formats.

Keys are collected from the results of every analysis on the bundled panel (titles, conventions, categorical
values, notes, missing-data reasons with their parameters) and from the literal ``message("…")`` calls of the
report and the analyses' catalogue prefixes (channels, clusters, dimensions, units, licences).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coreduce.analysis.conventions import ProvinceConventions
from coreduce.i18n import LANGUAGES, catalogue, has_message, message

FILE = re.compile(r"\.(css|html|j2|pdf|png|svg|csv|xlsx|toml)$")
"""Literal file names (``report.html``) that look like message keys."""
SRC = Path(__file__).resolve().parents[2] / "src" / "coreduce"


def _results(panel):
    from coreduce.analysis.costatus import costatus
    from coreduce.analysis.drivers import drivers
    from coreduce.analysis.imbalance import regional_imbalance
    from coreduce.analysis.obstacles import obstacles
    from coreduce.analysis.regress import regress
    from coreduce.analysis.sectors import sector_drivers
    from coreduce.analysis.trends import trends

    c = ProvinceConventions()
    constant = c.replace(prices="constant", end=2019)
    yield trends(panel, c)
    yield trends(panel, constant)
    yield costatus(panel, c)
    yield drivers(panel, c)
    yield sector_drivers(panel)
    yield obstacles(panel, c)
    yield regional_imbalance(panel, c.replace(bootstrap=20))
    yield regional_imbalance(panel, c.replace(measure="co2_ceds / gdp"))
    yield regress(panel, c, n_boot=99)


@pytest.mark.slow
def test_every_key_of_every_analysis_result_is_in_both_catalogues(bundled_panel):
    used = set()
    for result in _results(bundled_panel):
        used.add(result.title)
        for record in result.conventions:
            used.add(record.message_id)
            assert has_message(record.message_id, "en"), record.key
        for lang in LANGUAGES:
            result.conventions_frame(lang)  # categorical values resolve in each language
            for note in result.notes:
                assert note.text(lang), note.key
            for missing in result.missing:
                assert missing.reason_text(lang), missing.reason
        used |= {n.key for n in result.notes} | {m.reason for m in result.missing}
    for lang in LANGUAGES:
        absent = sorted(k for k in used if k not in catalogue(lang))
        assert not absent, f"{lang} catalogue lacks {absent}"


def test_every_literal_message_key_of_the_report_and_analyses_is_in_both_catalogues():
    from coreduce.report.i18n import PREFIXES

    prefixes = "report|label|result|note|missing|convention|channel|cluster|dimension|unit|licence|nqpf\\.unavailable"
    literal = re.compile(rf"""["']((?:{prefixes})\.[\w.\-]+)["']""")
    label = re.compile(r"""\bt\(\s*f?["']([\w.\-]+)["']""")  # report labels: t("section.label") → report.section.label
    keys = set()
    for folder in ("analysis", "report", "cli"):
        for path in (SRC / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            keys |= set(literal.findall(text))
            if folder == "report":
                found = label.findall(text)
                keys |= {k if k.split(".", 1)[0] in PREFIXES else f"report.{k}" for k in found if "{" not in k}
    assert len(keys) > 100
    for lang in LANGUAGES:
        absent = sorted(k for k in keys if k not in catalogue(lang) and not FILE.search(k))
        assert not absent, f"{lang} catalogue lacks {absent}"


def test_labels_built_from_codes_exist_in_both_catalogues():
    from coreduce.analysis.drivers import CHANNELS
    from coreduce.analysis.sectors import SECTOR_CHANNELS
    from coreduce.analysis.trends import CLUSTERS

    keys = {"channel." + c.replace(" ", "_") for c in {*CHANNELS.values(), *SECTOR_CHANNELS.values()}}
    keys |= {f"cluster.{c}" for c in CLUSTERS} | {f"dimension.{d}" for d in ("technology", "industry", "energy")}
    for lang in LANGUAGES:
        assert all(message(k, lang) for k in keys)


def test_no_message_key_is_defined_twice_in_a_catalogue():
    for lang in LANGUAGES:
        text = (SRC / "locale" / lang / "LC_MESSAGES" / "coreduce.po").read_text(encoding="utf-8")
        ids = re.findall(r'^msgid "(.+)"$', text, re.MULTILINE)
        twice = sorted({i for i in ids if ids.count(i) > 1})
        assert not twice, f"{lang}: defined twice: {twice}"
