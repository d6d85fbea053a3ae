"""The DuckDB store: round trip, append rules, and atomic writes (a failed import leaves the store unchanged)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pandas.testing as pdt
import pytest

from coreduce.data import bundled_corrections, load_bundled
from coreduce.data.panel import Panel
from coreduce.data.schema import PanelSchemaError, validate_panel
from coreduce.data.store import Store, StoreError, default_store_path, seeded_store

from ._frames import catalogue, rows, small_panel, sources


def snapshot(store: Store) -> dict[str, pd.DataFrame]:
    return {t: store.table(t) for t in ("panel", "catalogue", "sources", "corrections")}


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for table in a:
        pdt.assert_frame_equal(a[table], b[table], check_dtype=False)


def pm25_rows(geo="110000", years=(2008, 2009)):
    return rows("pm25_grid", geo, {y: 60.0 + i for i, y in enumerate(years)}, unit="ug/m3", source="acag")


def test_default_path_from_environment(tmp_path, monkeypatch):
    assert default_store_path().name == "coreduce.duckdb"
    assert "coreduce-home" in str(default_store_path())  # the per-test COREDUCE_HOME
    monkeypatch.setenv("COREDUCE_STORE", str(tmp_path / "elsewhere.duckdb"))
    assert Store().path == tmp_path / "elsewhere.duckdb"


def test_write_and_read_panel_round_trip(tmp_path):
    panel = small_panel()
    store = Store(tmp_path / "s.duckdb")
    corrections = pd.DataFrame(
        [
            dict(
                geo="320000",
                year=2021,
                variable="gdp",
                old_value=21372.3,
                new_value=116364.2,
                source="Jiangsu PBS",
                note="n",
            )
        ]
    )
    store.write_panel(panel, corrections)
    back = Store(tmp_path / "s.duckdb").panel()
    expected = panel.data.sort_values(["geo", "year", "variable"]).reset_index(drop=True)
    pdt.assert_frame_equal(back.data, expected, check_dtype=False)
    assert back.unit_of("coal_share") == "fraction"
    pdt.assert_frame_equal(store.corrections(), corrections, check_dtype=False)
    info = store.info()
    assert info["rows"]["panel"] == len(panel.data) and info["years"] == (2008, 2011)
    assert info["status"] == {"reported": len(panel.data)}
    store.write_panel(Panel.from_frames(rows("gdp", "1", {2000: 1.0}), catalogue(("gdp", "1e8 CNY")), sources("s1")))
    assert store.info()["rows"] == {"panel": 1, "catalogue": 1, "sources": 1, "corrections": 0}


def test_read_panel_has_the_canonical_frame_and_checks_rows_written_around_the_store(tmp_path):
    """The read skips the row-by-row check the table's constraints make redundant: the frame is still exactly
    what validate_panel gives, and text the constraints let through (a blank geo, an unknown status, written
    with DuckDB directly) still fails with the rows named."""
    panel = small_panel()
    store = Store(tmp_path / "s.duckdb")
    store.write_panel(panel)
    expected = validate_panel(panel.data.sort_values(["geo", "year", "variable"]))
    pdt.assert_frame_equal(store.panel().data, expected)
    for column, bad, message in (
        ("geo", " ", "column 'geo' is empty"),
        ("status", "guessed", "column 'status' must be"),
    ):
        with duckdb.connect(str(store.path)) as con:
            first = "SELECT geo, year, variable FROM panel ORDER BY geo, year, variable LIMIT 1"
            con.execute(f"UPDATE panel SET {column} = ? WHERE (geo, year, variable) IN ({first})", [bad]).fetchall()
        with pytest.raises(PanelSchemaError, match=rf"s\.duckdb: {message}.* at rows \d"):
            store.panel()
        store.write_panel(panel)


def test_add_series_appends_and_refuses_existing_keys(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.write_panel(small_panel())
    cat, src = catalogue(("pm25_grid", "ug/m3")), sources("acag")
    assert store.add_series(pm25_rows(), cat, src) == 2
    before = snapshot(store)
    with pytest.raises(StoreError, match=r"1 row\(s\) already stored \(e.g. 110000 2009 pm25_grid\)"):
        store.add_series(pm25_rows(years=(2009, 2010)), cat, src)
    assert_same(before, snapshot(store))
    store.add_series(pm25_rows(years=(2009, 2010)).assign(value=1.0), cat, src, replace=True)
    pm = store.panel().series("pm25_grid")
    assert list(pm["year"]) == [2008, 2009, 2010] and list(pm["value"]) == [60.0, 1.0, 1.0]


def test_add_series_needs_catalogue_and_sources(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.write_panel(small_panel())
    before = snapshot(store)
    with pytest.raises(StoreError, match="no catalogue row for pm25_grid"):
        store.add_series(pm25_rows(), catalogue(), sources("acag"))
    with pytest.raises(StoreError, match="no sources row for acag"):
        store.add_series(pm25_rows(), catalogue(("pm25_grid", "ug/m3")), sources())
    with pytest.raises(PanelSchemaError, match="duplicate"):
        store.add_series(pd.concat([pm25_rows(), pm25_rows()]), catalogue(("pm25_grid", "ug/m3")), sources("acag"))
    with pytest.raises(PanelSchemaError, match="'value' is not a number"):
        store.add_series(pm25_rows().assign(value="high"), catalogue(("pm25_grid", "ug/m3")), sources("acag"))
    assert_same(before, snapshot(store))


def test_failure_half_way_leaves_store_as_it_was(tmp_path, monkeypatch):
    """Inject a crash after the panel rows are inserted and before the catalogue: nothing may remain."""
    store = Store(tmp_path / "s.duckdb")
    store.write_panel(small_panel())
    before = snapshot(store)
    original = Store._insert
    calls = []

    def crash_on_second(con, table, frame):
        calls.append(table)
        if len(calls) == 2:
            raise OSError("disk full (injected)")
        original(con, table, frame)

    monkeypatch.setattr(Store, "_insert", staticmethod(crash_on_second))
    with pytest.raises(OSError, match="injected"):
        store.write_panel(
            Panel.from_frames(rows("gdp", "1", {2000: 1.0}), catalogue(("gdp", "1e8 CNY")), sources("s1"))
        )
    assert calls[0] == "panel"
    assert_same(before, snapshot(store))
    calls.clear()
    with pytest.raises(OSError, match="injected"):
        store.add_series(pm25_rows(), catalogue(("pm25_grid", "ug/m3")), sources("acag"))
    assert_same(before, snapshot(store))
    monkeypatch.undo()
    assert_same(before, snapshot(Store(tmp_path / "s.duckdb")))  # and after reopening the file


def test_unknown_table_and_unopenable_file(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    with pytest.raises(StoreError, match="no table 'nope'"):
        store.table("nope")
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(junk)


@pytest.mark.slow
def test_seeded_store_starts_from_the_bundled_panel_and_keeps_added_series(tmp_path):
    path = tmp_path / "user.duckdb"
    store = seeded_store(path)
    bundled = load_bundled()
    stored = store.panel()
    assert len(stored.data) == len(bundled.data)
    assert stored.wide(["gdp"]).loc[("320000", 2021), "gdp"] == pytest.approx(116364.2)  # a cited correction
    assert len(store.corrections()) == len(bundled_corrections())
    store.add_series(pm25_rows(), catalogue(("pm25_grid", "ug/m3")), sources("acag"))
    again = seeded_store(path)  # not re-seeded: the added series stays
    assert len(again.panel().data) == len(bundled.data) + 2
    assert again.panel().wide(["pm25_grid"]).loc[("110000", 2009), "pm25_grid"] == 61.0


@pytest.mark.slow
def test_seeded_store_is_brought_up_to_date_when_the_bundled_panel_changes(tmp_path):
    path = tmp_path / "user.duckdb"
    store = seeded_store(path)
    current = store.seeded_from()
    assert current is not None and len(current) == 64
    store.add_series(pm25_rows(), catalogue(("pm25_grid", "ug/m3")), sources("acag"))
    # what an older coreduce would have left: another digest and an outdated bundled value
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE meta SET value = 'older' WHERE key = 'seeded_from'").fetchall()
        con.execute("UPDATE panel SET value = 1.0 WHERE geo = '320000' AND year = 2021 AND variable = 'gdp'").fetchall()
    refreshed = seeded_store(path)
    assert refreshed.seeded_from() == current
    panel = refreshed.panel()
    assert panel.wide(["gdp"]).loc[("320000", 2021), "gdp"] == pytest.approx(116364.2)
    assert panel.wide(["pm25_grid"]).loc[("110000", 2009), "pm25_grid"] == 61.0  # the user's series stays
    assert len(panel.data) == len(load_bundled().data) + 2
    assert len(refreshed.corrections()) == len(bundled_corrections())


def test_a_store_written_as_a_whole_is_never_reseeded(tmp_path):
    path = tmp_path / "built.duckdb"
    Store(path).write_panel(small_panel())  # e.g. coreduce data build --store
    store = seeded_store(path)
    assert store.seeded_from() is None
    assert_same(snapshot(store), snapshot(Store(path)))
    assert len(store.panel().data) == len(small_panel().data)
