import pandas as pd
import pytest

from coreduce.analysis.results import AnalysisResult, missing_frame, year_span


def _result() -> AnalysisResult:
    return AnalysisResult(
        title="CO2 intensity",
        table=pd.DataFrame({"year": [2008, 2009], "value": [2.3, 2.2]}),
        conventions={"gdp": "nominal"},
        sources=pd.DataFrame({"source": ["owid"], "publisher": ["Our World in Data"], "licence": ["CC BY 4.0"]}),
        missing=missing_frame([{"series": "pm25_aqli", "geo": "110000", "years": "2008", "reason": "no data"}]),
        notes=["vintage differs"],
        tables={"extra": pd.DataFrame({"a": [1]})},
    )


def test_summary_lists_conventions_missing_notes_sources():
    text = _result().summary()
    for expected in ("CO2 intensity", "gdp: nominal", "pm25_aqli [110000] 2008: no data", "vintage differs", "CC BY"):
        assert expected in text


def test_to_frame_returns_copies_and_named_tables():
    result = _result()
    frame = result.to_frame()
    frame.loc[0, "value"] = 99.0
    assert result.table.loc[0, "value"] == 2.3
    assert result.to_frame("extra").shape == (1, 1)
    with pytest.raises(KeyError, match="no table 'nope'"):
        result.to_frame("nope")


def test_html_repr_escapes_and_contains_tables():
    result = _result()
    result.conventions["a<b"] = "x"
    out = result._repr_html_()
    assert "a&lt;b" in out and "<table" in out


def test_year_span_compacts_runs():
    assert year_span([2003, 2001, 2002, 2007]) == "2001–2003, 2007"
    assert year_span([]) == ""


def test_write_csv_and_excel_atomically(tmp_path):
    result = _result()
    out = result.write(tmp_path / "sub" / "r.csv")
    assert pd.read_csv(out)["value"].tolist() == [2.3, 2.2]
    book = pd.read_excel(result.write(tmp_path / "r.xlsx"), sheet_name=None)
    assert {"result", "extra", "conventions", "missing", "notes", "sources"} <= set(book)
    assert book["conventions"].iloc[0].tolist() == ["gdp", "nominal"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        result.write(tmp_path / "r.json")
