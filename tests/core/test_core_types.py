"""The typed core: conventions validated once, results as typed records, text from both catalogues."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest

from coreduce.conventions import ConventionError, Conventions, option, year_between
from coreduce.fileio import OutputPathError, atomic_write
from coreduce.i18n import LANGUAGES, UnknownMessageError, catalogue, message
from coreduce.results import Missing, Note, Result, year_span


@dataclass(frozen=True)
class _Prices(Conventions):
    prices: str = option("nominal", allowed=("nominal", "constant"), source="test")
    base_year: int = option(2010, check=year_between(1978, 2030))

    def check(self) -> None:
        if self.prices == "nominal" and self.base_year != 2010:
            raise ConventionError("base_year", self.base_year, "2010 when prices are nominal")


@dataclass(kw_only=True)
class _Example(Result):
    main = "series"
    series: pd.DataFrame
    extra: pd.DataFrame


def test_conventions_validate_values_and_combinations():
    assert _Prices().to_dict() == {"prices": "nominal", "base_year": 2010}
    with pytest.raises(ConventionError, match=r"'prices' = 'real'.*'nominal', 'constant'"):
        _Prices(prices="real")
    with pytest.raises(ConventionError, match="a year from 1978 to 2030"):
        _Prices(prices="constant", base_year=1900)
    with pytest.raises(ConventionError, match="when prices are nominal"):
        _Prices(base_year=2015)
    assert _Prices().replace(prices="constant", base_year=2015).base_year == 2015
    with pytest.raises(ConventionError, match="one of the keys prices, base_year"):
        _Prices.from_mapping({"price": "constant"})


def test_result_tables_records_and_write(tmp_path):
    series = pd.DataFrame({"value": [0.1, 0.2]}, index=pd.Index([2020, 2021], name="year"))
    result = _Example(
        series=series,
        extra=pd.DataFrame({"a": [1]}),
        conventions=_Prices(prices="constant", base_year=2015).records(),
        notes=(Note.of("label.notes"),),
        missing=(Missing.of("co2", "540000", year_span([2020, 2021, 2023]), "label.missing"),),
    )
    assert list(result.tables()) == ["series", "extra"]
    assert result.convention("base_year") == 2015
    assert result.missing[0].years == "2020–2021, 2023"
    assert "资料来源" in result.summary(lang="zh")
    out = result.write(tmp_path / "r.xlsx")
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"series", "extra", "conventions", "missing", "notes", "sources"}
    assert result.write(tmp_path / "r.csv").read_text().splitlines()[1] == "2020,0.1"


def test_catalogues_hold_the_same_keys_in_both_languages():
    zh, en = (set(catalogue(lang)) for lang in LANGUAGES)
    assert zh == en, f"only zh: {sorted(zh - en)[:20]}; only en: {sorted(en - zh)[:20]}"
    with pytest.raises(UnknownMessageError):
        message("no.such.key", "zh")


def test_atomic_write_leaves_old_file_on_error_and_refuses_links(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target) as tmp:
        tmp.write_text("new")
        raise RuntimeError("boom")
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(OutputPathError, match="symbolic link"), atomic_write(tmp_path / "link"):
        pass
    with pytest.raises(OutputPathError, match="directory"), atomic_write(tmp_path):
        pass
