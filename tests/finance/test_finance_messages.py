"""Every message a finance result uses exists in both catalogues and formats with its parameters."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from coreduce.finance.book import read_book
from coreduce.finance.regions import regions
from coreduce.finance.scenarios import load_scenario
from coreduce.finance.screen import screen
from coreduce.i18n import LANGUAGES, has_message, message
from coreduce.results import convention_value_text

DATA = Path(str(files("coreduce.finance") / "data"))


@pytest.fixture(scope="module")
def results(bundled_panel):
    book = read_book(DATA / "example_book.csv")
    return [regions(bundled_panel), screen(book, load_scenario(DATA / "scenarios" / "observed_2023.toml"))]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_titles_conventions_notes_and_missing_reasons_exist(results, lang):
    for result in results:
        assert has_message(result.title, lang)
        for record in result.conventions:
            assert has_message(record.message_id, lang), record.key
            convention_value_text(record, lang)
        for note in result.notes:
            assert has_message(note.key, lang), note.key
            assert "{" not in note.text(lang), note.key
        for missing in result.missing:
            assert "{" not in missing.reason_text(lang), missing.reason
        assert message(result.title, lang)
