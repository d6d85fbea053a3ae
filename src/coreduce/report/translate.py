"""Chinese rendering of the English text the analyses record: convention names and values, notes and the reasons
of missing data.

The analyses (``coreduce.analysis.*``) write their metadata in English. The Chinese report translates it here, at
the report layer: a convention key by a fixed table, a value or note by the first known template that matches the
whole string (regular expression → Chinese format with the captured groups, which hold numbers, years and series
codes). Text no template knows is kept, marked ``〔英文原文〕`` so a reader sees it is untranslated rather than lost.
The English report uses the analyses' text unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from coreduce.report.i18n import Text

UNTRANSLATED = "〔英文原文〕"
"""Prefix of an English text that has no Chinese template."""

CONVENTION_KEYS: dict[str, str] = {
    "national CO2": "全国 CO2",
    "national GDP": "全国 GDP",
    "regional CO2": "区域 CO2",
    "intensity": "排放强度",
    "five-year plans": "五年规划",
    "intensity units": "强度单位",
    "average annual rate": "年均变化率",
    "grouping": "区域划分",
    "region totals": "区域合计",
    "pollutant": "污染物",
    "co-control": "协同控制坐标系",
    "Tapio boundary": "Tapio 脱钩边界",
    "pollution-reduction subsystem": "减污子系统",
    "carbon-reduction subsystem": "降碳子系统",
    "order-degree bounds": "有序度上下限",
    "coupling subsystem score": "耦合子系统得分",
    "coupling form": "耦合度形式",
    "coupling weights": "耦合权重",
    "synergy subsystem order": "协同子系统有序度",
    "synergy periods": "协同度时段",
    "regions and nation": "区域与全国",
    "method": "方法",
    "identity": "恒等式",
    "S (structure sector)": "S（结构部门）",
    "periods": "时段",
    "channels": "作用渠道",
    "effects unit": "效应单位",
    "indicator system": "指标体系",
    "weights": "权重",
    "scores": "得分",
    "normalisation": "标准化",
    "zero handling (entropy)": "零值处理（熵值法）",
    "prices": "价格口径",
    "regional score": "区域得分",
    "sample": "样本",
    "measure": "指标",
    "groups": "分组",
    "Gini": "基尼系数",
    "Theil": "泰尔指数",
    "kernel density": "核密度估计",
    "σ-convergence": "σ 收敛",
    "β-convergence": "β 收敛",
}
"""Convention name → Chinese. Names that are symbols or series codes (``CO2``, ``G``, ``E_coal``) stay as they are."""

PREFIXES = {"imbalance: ": "区域差异："}
"""Prefixes the report adds to the conventions of a second analysis shown in the same section."""

DIMENSIONS = {"technology": "技术进步", "industry": "产业升级", "energy": "能源革命"}
"""NQPF index dimensions (the indicator system's dimension codes) → the channels they stand for."""

CHANNELS = {
    "economic scale": "经济规模",
    "industrial upgrading": "产业升级",
    "technological progress": "技术进步",
    "energy revolution": "能源革命",
}
FACTORS = {
    "scale": "经济规模",
    "structure": "产业结构",
    "energy_intensity": "能源强度",
    "energy_mix": "能源结构",
    "emission_factor": "排放因子",
}
UNITS = {
    "fraction": "比例（0–1）",
    "percent": "%",
    "count": "件",
    "index": "指数",
    "person": "人",
    "1e4 person": "万人",
    "1e8 CNY": "亿元",
    "1e4 tce": "万吨标准煤",
    "1e8 kWh": "亿千瓦时",
    "CNY/person": "元/人",
}
"""Units of the coverage table in Chinese; pint-style units with symbols (``Mt``, ``kt``, ``TWh``) stay as they are."""
BANDWIDTHS = {"stata": "Stata 默认规则", "silverman": "Silverman 规则", "scott": "Scott 规则"}
CLUSTERS = {"BTH": "京津冀", "YRD": "长三角", "PRD": "珠三角"}
METHODS = {
    "entropy-topsis": "熵权-TOPSIS",
    "entropy": "熵值法",
    "topsis": "TOPSIS",
    "equal": "等权",
}
UNAVAILABLE_INDICATORS = {
    "labour productivity (GDP per employed person)": "劳动生产率（GDP / 就业人数）",
    "R&D personnel full-time equivalent and researchers per 10,000 employees": (
        "R&D 人员全时当量与每万名就业人员研究人员数"
    ),
    "human capital (higher-education enrolment, average years of schooling)": (
        "人力资本（高等教育在校生、平均受教育年限）"
    ),
    "digital economy (Internet broadband ports, e-commerce sales, software and information-service revenue)": (
        "数字经济（互联网宽带接入端口、电子商务销售额、软件和信息技术服务业收入）"
    ),
    "high-tech industry revenue share and strategic emerging industries": "高技术产业营业收入占比与战略性新兴产业",
    "technology-market turnover and industrial robot density": "技术市场成交额与工业机器人密度",
    "new-energy vehicle stock and charging infrastructure": "新能源汽车保有量与充电基础设施",
    "environmental protection and energy-saving expenditure": "节能环保支出",
}
UNAVAILABLE_REASONS = {
    "not in the panel": "面板中无此数据",
    "no provincial employment series in the panel": "面板中无省级就业人数序列",
}


def _region(name: str) -> str:
    from coreduce.geo import load_grouping

    return load_grouping("four_regions").labels_zh.get(name, name)


def _province(code_or_name: str) -> str:
    """A province's Chinese short name from its GB/T code or English name; unknown text unchanged."""
    from coreduce.geo import resolve

    try:
        return resolve(code_or_name.strip()).short_zh
    except (KeyError, ValueError, LookupError):
        return code_or_name.strip()


def _provinces(text: str) -> str:
    """``"Shandong, Jiangsu, Hebei and Hainan"`` or ``"110000, 420000"`` → ``"山东、江苏、河北、海南"``."""
    parts = re.split(r",\s*|\s+and\s+", text)
    return "、".join(_province(p) for p in parts if p.strip())


def _list(text: str, table: dict[str, str], sep: str = ", ") -> str:
    return "、".join(table.get(part.strip(), part.strip()) for part in text.split(sep))


def _dimensions(text: str) -> str:
    """``"technology (Technological progress), industry (…)"`` → ``"技术进步（technology）、产业升级（industry）"``."""
    found = re.findall(r"(\w+) \([^)]*\)", text)
    return "、".join(f"{DIMENSIONS.get(d, d)}（{d}）" for d in found)


def _groups(text: str) -> str:
    """``"East (10); Central (6)"`` → ``"东部（10）；中部（6）"``."""
    found = re.findall(r"([^;()]+?) \((\d+)\)", text)
    return "；".join(f"{_region(name.strip())}（{n}）" for name, n in found)


def _channels(text: str) -> str:
    """``"scale → economic scale; structure → industrial upgrading"`` →
    ``"经济规模 → 经济规模；产业结构 → 产业升级"``."""
    pairs = [part.split(" → ") for part in text.split("; ")]
    return "；".join(f"{FACTORS.get(a, a)} → {CHANNELS.get(b, b)}" for a, b in pairs)


Template = tuple[str, Callable[[re.Match], str]]


def _fmt(pattern: str) -> Callable[[re.Match], str]:
    return lambda m: pattern.format(*m.groups())


VALUES: list[Template] = [
    (r"(\w+) national series", _fmt("{0} 全国序列")),
    (r"sum over the (\d+) provinces of nominal (\w+) \((.+)\)", _fmt("{0} 个省份名义 {1} 之和（{2}）")),
    (r"sum over the (\d+) provinces of (\w+) \((.+)\)", _fmt("{0} 个省份 {1} 之和（{2}）")),
    (r"(\w+) summed over member provinces", _fmt("{0}，成员省份加总")),
    (r"(\w+) summed over provinces / member provinces", _fmt("{0}，全国为各省加总，区域为成员省份加总")),
    (r"ratio of sums \(Σ emissions ÷ Σ GDP\), nominal GDP", _fmt("总量之比（Σ排放 ÷ ΣGDP），名义 GDP")),
    (r"ratio of sums \(Σ emissions ÷ Σ GDP\), (.+)", _fmt("总量之比（Σ排放 ÷ ΣGDP），{0}")),
    (
        r"end year against the year before the plan's first year \(e\.g\. 13th: (\d{4}) vs (\d{4})\)",
        _fmt("末年对比规划首年的前一年（如“十三五”：{0} 年对比 {1} 年）"),
    ),
    (r"CO2 t / \(1e4 CNY\); SO2 and NOx kg / \(1e4 CNY\)", _fmt("CO2 吨/万元；SO2 与 NOx 千克/万元")),
    (r"geometric, (.+)", _fmt("几何平均，{0}")),
    (r"four_regions", _fmt("四大区域（four_regions）")),
    (r"formed only in years when every member has every series", _fmt("仅在全部成员省份各序列均有数据的年份合计")),
    (r"nominal (\w+) \((.+)\)", _fmt("名义 {0}（{1}）")),
    (
        r"x = −ΔP/P0, y = −ΔC/C0, Els = \(ΔP/P0\)/\(ΔC/C0\) \((.+)\)",
        _fmt("x = −ΔP/P0，y = −ΔC/C0，协同控制弹性 Els = (ΔP/P0)/(ΔC/C0)（{0}）"),
    ),
    (r"exact 0\.8 / 1\.2 counted as coupling", _fmt("恰为 0.8 / 1.2 时计为耦合（连接）")),
    (r"exact 0\.8 / 1\.2 counted as (.+)", _fmt("恰为 0.8 / 1.2 时计为 {0}")),
    (r"(\S+) and (\S+), negative indicators", _fmt("{0} 与 {1}，负向指标")),
    (
        r"min and max over the (\d+) provinces and the years (\S+) \(pooled\)",
        _fmt("{0} 个省份、{1} 年的最小值与最大值（混合样本）"),
    ),
    (r"equal-weight mean of the order degrees", _fmt("各有序度等权平均")),
    (r"standard", _fmt("标准形式")),
    (r"modified", _fmt("修正形式")),
    (r"equal \(α = (.+)\)", _fmt("等权（α = {0}）")),
    (r"geometric mean of the order degrees \((.+)\)", _fmt("各有序度的几何平均（{0}）")),
    (
        r"sums over member provinces \((\w+)\); formed only when all members have data",
        _fmt("成员省份加总（{0}）；仅当全部成员均有数据时合计"),
    ),
    (
        r"sums over member provinces \((\w+)\) with data in every year of the window; members without are left out "
        r"and listed under missing",
        _fmt("成员省份加总（{0}），只含时段内每年均有数据的省份；其余省份不计入，列于缺失数据表"),
    ),
    (
        r"LMDI-I additive \((.+?)\); zero values by the analytic limits \((.+)\)",
        _fmt("加和型 LMDI-I（{0}）；零值按解析极限处理（{1}）"),
    ),
    (
        r"LMDI-I multiplicative \((.+?)\); zero values by the analytic limits \((.+)\)",
        _fmt("乘积型 LMDI-I（{0}）；零值按解析极限处理（{1}）"),
    ),
    (r"(.+ → .+(?:; .+ → .+)*)", lambda m: _channels(m.group(1))),
    (
        r"(\w+) \(([\w.]+)\): (\d+) indicators in (.+)",
        lambda m: f"{m.group(1)}（{m.group(2)}）：{m.group(3)} 项指标，分属 {_dimensions(m.group(4))}",
    ),
    (r"(entropy-topsis|entropy|topsis)", lambda m: METHODS[m.group(1)]),
    (r"entropy weights over the pooled panel", _fmt("熵权，基于混合面板（全部省份-年份）")),
    (r"entropy weights year by year", _fmt("熵权，逐年计算")),
    (
        r"TOPSIS closeness \(dimension: TOPSIS on its indicators, weights renormalised\)",
        _fmt("TOPSIS 相对贴近度（维度得分：对该维度指标做 TOPSIS，权重重新归一）"),
    ),
    (r"min–max, pooled over all province-years", _fmt("极差（min–max）标准化，全部省份-年份混合")),
    (r"min–max, year by year", _fmt("极差（min–max）标准化，逐年")),
    (r"nominal \(ratios of nominal values\)", _fmt("名义价格（名义值之比）")),
    (r"unweighted mean of member provinces \((\w+)\)", _fmt("成员省份简单平均（{0}）")),
    (r"(\d+) provinces, (\S+), (\d+) complete province-years", _fmt("{0} 个省份，{1} 年，{2} 个完整省份-年份")),
    (r"(\d+) provinces, (\S+)", _fmt("{0} 个省份，{1} 年")),
    (r"overall", _fmt("综合得分（overall）")),
    (r"(\w+): ((?:[^;()]+ \(\d+\)(?:; )?)+)", lambda m: f"{m.group(1)}：{_groups(m.group(2))}"),
    (
        r"Dagum \((\d+)\) decomposition G = G_w \+ G_nb \+ G_t; sums of \|differences\| by sorting, O\(n log n\)",
        _fmt("Dagum（{0}）分解 G = G_w + G_nb + G_t；差值绝对值之和经排序计算，O(n log n)"),
    ),
    (r"Theil T with between/within decomposition", _fmt("泰尔 T 指数，分解为组间与组内")),
    (
        r"kernel (\w+), bandwidth (\w+) \((.+?), quartiles as Stata's summarize, detail\); (\d+) points from "
        r"min − h to max \+ h each year",
        lambda m: (
            f"核函数 {m.group(1).capitalize()}，带宽规则 {BANDWIDTHS.get(m.group(2), m.group(2))}"
            f"（{m.group(3)}，四分位数与 Stata summarize, detail 相同）；"
            f"每年在 min − h 至 max + h 之间取 {m.group(4)} 个点"
        ),
    ),
    (
        r"coefficient of variation \(sd with ddof = 1\) and sd of logs by year",
        _fmt("逐年变异系数（标准差取 ddof = 1）与对数标准差"),
    ),
    (
        r"ln\(y_t\+T / y_t\) on ln y_t, T = (\d+); absolute: pooled OLS with a constant; conditional: two-way fixed "
        r"effects; errors clustered by province; λ = −ln\(1\+β\)/T",
        _fmt(
            "ln(y_t+T / y_t) 对 ln y_t 回归，T = {0}；绝对收敛：含常数项的混合 OLS；条件收敛：双向固定效应；"
            "标准误按省份聚类；λ = −ln(1+β)/T"
        ),
    ),
]
"""Convention values: (regular expression matching the whole value, its Chinese rendering)."""

NOTES: list[Template] = [
    (
        r"National CO2 intensity (\d{4}): ([\d.]+) t per 10\^4 yuan here vs ([\d.]+) in the paper \(([-+\d.]+) %\); "
        r"at this GDP the paper's value implies ([\d,]+) Mt of CO2 against ([\d,]+) Mt in (\w+)\.",
        _fmt(
            "{0} 年全国 CO2 排放强度：本报告 {1} 吨/万元，论文 {2}（差异 {3}%）；按本报告的 GDP，"
            "论文数值对应 CO2 排放 {4} Mt，而 {6} 为 {5} Mt。"
        ),
    ),
    (
        r"Average annual change (\S+): ([-+\d.]+) % here vs ([-+\d.]+) % from the paper's (\S+) → (\S+) "
        r"\(printed as a ([\d.]+) % fall a year\)\.",
        _fmt("{0} 年均变化：本报告 {1}%，按论文 {3} → {4} 推算为 {2}%（论文记为年均下降 {5}%）。"),
    ),
    (
        r"The gap is one of data vintage: the paper does not state its CO2 source or GDP vintage; here CO2 is (\w+) "
        r"\(GCB (\d{4}) release, which revised China's recent years\) and GDP is the sum of provincial GDP "
        r"\(initial-release (\S+) values for (.+?), later vintages elsewhere\), so the (\d{4}) values agree within "
        r"([\d.]+) % while the (\d{4}) values differ by a few per cent\.",
        lambda m: (
            f"差异来自数据版本：论文未说明其 CO2 来源与 GDP 版本；本报告 CO2 取 {m.group(1)}（GCB {m.group(2)} 版，"
            f"修订了中国近年数据），GDP 为各省 GDP 之和（{_provinces(m.group(4))} {m.group(3)} 年取初步核算值，"
            f"其他省份取后续修订值），因此 {m.group(5)} 年数值相差在 {m.group(6)}% 以内，"
            f"{m.group(7)} 年则相差数个百分点。"
        ),
    ),
    (
        r"(\w+) has a definitional break in (\d{4}) \(new environmental statistics system; the national sum falls "
        r"from ([\d.]+) to ([\d.]+) Mt\): changes across (\S+) mix the break with real reductions\.",
        _fmt(
            "{0} 在 {1} 年口径变化（环境统计新制度；全国合计由 {2} Mt 降至 {3} Mt）："
            "{4} 的变化混合了口径变化与实际减排。"
        ),
    ),
    (
        r"(\w+) for China ends in (\d{4}): its rate is over (\S+)\.",
        _fmt("{0} 全国序列止于 {1} 年：其变化率按 {2} 计算。"),
    ),
    (
        r"Regional and national values are built from provincial sums, so they are consistent with the provinces but "
        r"may differ from separately published national inventories\.",
        _fmt("区域与全国数值由各省加总得到，与各省数据一致，但可能不同于单独发布的全国清单。"),
    ),
    (
        r"The standard coupling degree stays close to 1 whenever the two subsystem scores are similar, so D mostly "
        r"follows T \((.+?)\); coupling_form='modified' spreads C over \[0, 1\]\.",
        _fmt(
            "两子系统得分相近时，标准耦合度 C 接近 1，协调度 D 主要随 T 变化（{0}）；"
            "coupling_form='modified'（修正形式）使 C 分布于 [0, 1]。"
        ),
    ),
    (
        r"GDP is nominal: its growth includes inflation, so Tapio elasticities are lower \(decoupling looks "
        r"stronger\) than at constant prices; prices='constant' needs a deflator for every year used\.",
        _fmt(
            "GDP 为名义值：其增长包含通货膨胀，因此 Tapio 弹性低于按不变价计算的结果（脱钩显得更强）；"
            "prices='constant'（不变价）需要所用每一年的平减指数。"
        ),
    ),
    (
        r"Structure \(S/G\) and energy intensity \(E/S\) share the secondary value added: read them together\.",
        _fmt("产业结构（S/G）与能源强度（E/S）共用第二产业增加值：两者应合并解读。"),
    ),
    (
        r"G and S are nominal: the scale effect includes inflation and the energy-intensity effect offsets it; "
        r"prices='constant' separates real growth where the deflator covers the years\.",
        _fmt(
            "G 与 S 为名义值：规模效应包含通货膨胀，能源强度效应部分抵消之；在平减指数覆盖的年份，"
            "prices='constant'（不变价）可分离出实际增长。"
        ),
    ),
    (
        r"indicator not available: (.+): ([^:]+)",
        lambda m: (
            f"指标不可用：{UNAVAILABLE_INDICATORS.get(m.group(1), UNTRANSLATED + m.group(1))}："
            f"{UNAVAILABLE_REASONS.get(m.group(2), UNTRANSLATED + m.group(2))}"
        ),
    ),
]
"""Notes of the analyses: (regular expression matching the whole note, its Chinese rendering)."""

LICENCES: list[Template] = [
    (r"none stated", _fmt("未声明")),
    (r"none stated \((.+)\)", _fmt("未声明（{0}）")),
    (r"official statistics \(public\)", _fmt("官方统计（公开）")),
]
"""Licence cells the project itself wrote; publishers' own licence names (``CC BY 4.0``) and terms quoted in
parentheses stay as the publishers wrote them, like the titles and citations of the sources table."""

REASONS: list[Template] = [
    (r"not in panel", _fmt("面板中无此数据")),
    (
        r"PM2\.5 exists only for China and the BTH/YRD/PRD clusters \(AQLI\); no provincial series",
        _fmt("PM2.5 仅有全国及京津冀、长三角、珠三角城市群序列（AQLI）；无省级序列"),
    ),
    (r"left out of the region \(incomplete data\): (.+)", lambda m: f"数据不全，未计入合计：{_provinces(m.group(1))}"),
    (
        r"decomposition not possible: a factor is missing or zero in one of the two years",
        _fmt("无法分解：某一因素在两个年份之一缺失或为零"),
    ),
    (r"absent; needed by (.+)", lambda m: f"缺失；计算 {m.group(1).replace(', ', '、')} 需要此序列"),
]
"""Reasons in an analysis' ``missing`` table: (regular expression matching the whole reason, Chinese)."""


OMISSIONS: list[Template] = [
    (r"the panel has no series (.+)", lambda m: f"面板中没有序列 {m.group(1).replace(', ', '、')}"),
    (r"the analysis module (\S+) is not available in this installation", _fmt("本安装中没有分析模块 {0}")),
    (
        r"(\S+): indicator '(\w+)' \((.+)\) needs variable\(s\) (.+) that the panel does not have",
        lambda m: (
            f"{m.group(1)}：指标 {m.group(2)}（{m.group(3)}）需要面板中没有的变量 {m.group(4).replace(', ', '、')}"
        ),
    ),
]
"""Why a section or part of it could not be built (each of several reasons joined by ``"; "`` on its own)."""


def has_english(text: str) -> bool:
    """Whether ``text`` holds an English word: three or more lower-case letters that are not a series code
    (``co2_ceds``, ``nqpf_default.toml``); capitalised names (``Dagum``, ``Stata``) and acronyms do not count."""
    for token in re.findall(r"[A-Za-z0-9_./'\-]+", text):
        if "_" in token or re.search(r"\d", token):
            continue
        if any(re.fullmatch(r"[a-z]{3,}(?:-[a-z]+)*\.?", part) for part in token.split("/")):
            return True
    return False


def render(text: str, templates: list[Template]) -> str:
    """The Chinese rendering of ``text`` by the first template matching all of it; text without English words
    as is; otherwise the English text marked :data:`UNTRANSLATED`."""
    text = str(text)
    for pattern, make in templates:
        match = re.fullmatch(pattern, text)
        if match:
            return make(match)
    return UNTRANSLATED + text if has_english(text) else text


def convention_key(key: str) -> str:
    for prefix, zh in PREFIXES.items():
        if key.startswith(prefix):
            return zh + convention_key(key.removeprefix(prefix))
    if key in CONVENTION_KEYS:
        return CONVENTION_KEYS[key]
    return UNTRANSLATED + key if has_english(key) else key


def conventions(values: dict, t: Text) -> dict:
    """A section's conventions in the report's language (English unchanged)."""
    if t.lang != "zh":
        return dict(values)
    return {convention_key(str(k)): render(str(v), VALUES) for k, v in values.items()}


def notes(values: list[str], t: Text) -> list[str]:
    """A section's notes in the report's language (English unchanged)."""
    return list(values) if t.lang != "zh" else [render(n, NOTES) for n in values]


def reason(text: str, t: Text) -> str:
    """A missing-data reason in the report's language (English unchanged)."""
    return text if t.lang != "zh" else render(text, REASONS)


def omission(text: str, t: Text) -> str:
    """Why a section was omitted, in the report's language (English unchanged)."""
    if t.lang != "zh":
        return text
    return "；".join(render(part, OMISSIONS) for part in str(text).split("; "))


def unit(text: str, t: Text) -> str:
    """A unit of the coverage table in the report's language."""
    return UNITS.get(text, text) if t.lang == "zh" else text


def licence(text: str, t: Text) -> str:
    """A licence cell in the report's language: the project's own wording translated, a licence name as is."""
    if t.lang != "zh":
        return text
    for pattern, make in LICENCES:
        match = re.fullmatch(pattern, str(text))
        if match:
            return make(match)
    return text


def section(built, t: Text):
    """A built section with its conventions and notes in the report's language."""
    if t.lang != "zh":
        return built
    return replace(built, conventions=conventions(built.conventions, t), notes=notes(built.notes, t))
