"""The CBAM reference tables: shipped tables equal a fresh build from shared/data; spot checks of published values."""

import numpy as np
import pandas as pd
import pytest

from coreduce.cbam.defaults import counts_indirect, default_value, goods_table, precursor_default
from coreduce.cbam.model import CbamInputError
from coreduce.cbam.reference import build_reference, load_reference, markup_factor


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def test_shipped_tables_equal_a_fresh_build_from_the_public_files(shared_data, tmp_path):
    built = build_reference(shared_data, tmp_path)
    fresh, shipped = load_reference(tmp_path), load_reference()
    for name in built:
        pd.testing.assert_frame_equal(getattr(fresh, name), getattr(shipped, name), check_dtype=False)
    assert "Apache License" in shipped.notice and "Decision 2011/833/EU" in shipped.notice


def test_sizes_match_the_provenance_description(ref):
    # PROVENANCE.md §14: 11,391 rows, 119 countries incl. "Other Countries and Territories", 569 goods, 260 precursors;
    # + the 8 rows IR 2026/1740 added (recital 9), two of them for origins without a table before (Liberia, New
    # Caledonia), + Equatorial Guinea's table (IR 2025/2621 p. 655), which the transcription lacks
    assert len(ref.defaults) == 11391 + 8 + 1
    assert ref.defaults["iso2"].nunique() == 119 + 3
    assert len(ref.goods) == 569 + 3 and ref.goods["cn"].str.fullmatch(r"\d{8}").all()  # + urea 3102 10 12/15/19
    assert (ref.goods["added_from"] != "").sum() == 3
    # every benchmark value equals IR 2025/2620 Annex point 5.3 as printed (2,465 values)
    assert ref.benchmarks["verified"].all() and len(ref.benchmarks) == 2465
    assert ref.precursors["verified"].all()  # Annex IV, every row (two of them as corrected by IR 2026/1740)
    assert len(ref.precursors) == 260
    assert (ref.defaults["direct_status"] == "dash").sum() > 0
    # verified where the values were read in the Official Journal: China and "Other countries" by hand, every row;
    # the other tables by a machine reading of the same text, with the corrections and additions of IR 2026/1740
    assert ref.defaults["verified"].all()
    assert (
        ref.defaults["verification"]
        .str.startswith(("OJ L 2025/2621, Annex I, table", "OJ L 2026/1740", "corrected"))
        .all()
    )


def test_china_default_values_as_printed_in_annex_i(ref):
    # IR (EU) 2025/2621 Annex I, China rows (t CO2e/t: direct, indirect, total, total with the 2026 mark-up) as
    # transcribed in PROVENANCE.md §14 checks: grey clinker 1.35 + 0.04 = 1.39 (2026: 1.529); ammonia 4.17 + 0.19
    # = 4.36 (2026: 4.404, ×1.01); hydrogen 26.64 (direct only; 2026: 29.304).
    table = goods_table(ref, "25231000", "CN")
    grey = table[table["description"] == "Grey clinker"].iloc[0]
    assert (grey["direct"], grey["indirect"], grey["total"], grey["total_with_markup"]) == (1.35, 0.04, 1.39, 1.529)
    ammonia = goods_table(ref, "28141000", "CN").iloc[0]
    assert (ammonia["direct"], ammonia["indirect"], ammonia["total"], ammonia["total_with_markup"]) == (
        4.17,
        0.19,
        4.36,
        4.404,
    )
    hydrogen = goods_table(ref, "28041000", "CN").iloc[0]
    assert hydrogen["direct"] == 26.64 and np.isnan(hydrogen["indirect"]) and hydrogen["total_with_markup"] == 29.304
    assert not bool(hydrogen["indirect_counted"])


def test_albania_and_algeria_values_match_the_published_examples(ref):
    # steelradar.com, "The EU committee has approved the new carbon emission values for CBAM" (2025): grey
    # clinker from Albania 0.87 t CO2/t rising to 1.131 by 2028; grey Portland cement from Algeria 1.30 → 1.69.
    albania = goods_table(ref, "25231000", "AL", year=2028)
    grey = albania[albania["description"] == "Grey clinker"].iloc[0]
    assert grey["total"] == 0.87 and grey["total_with_markup"] == 1.131
    algeria = goods_table(ref, "25232900", "DZ", year=2028).iloc[0]
    assert algeria["total"] == 1.30 and algeria["total_with_markup"] == 1.69


def test_markup_rule_and_inconsistent_rows_are_flagged(ref):
    assert markup_factor("Cement", 2026) == pytest.approx(1.10)
    assert markup_factor("Fertilisers", 2030) == pytest.approx(1.01)
    assert markup_factor("Iron and steel", 2031) == pytest.approx(1.30)  # 2028 onwards
    flagged = ref.defaults[ref.defaults["check"] != ""]
    # Albania white Portland cement: direct/indirect/total shifted into the mark-up columns in the transcription
    assert ("AL", "25232100") in set(zip(flagged["iso2"], flagged["cn"], strict=True))
    value = default_value(ref, "25232100", "AL")
    assert value.used_country == "ZZ" and value.fallback == "dash_or_inconsistent"


def test_longest_cn_prefix_and_routes(ref):
    # China unwrought aluminium is printed under the 4-digit code 7601 (route K)
    value = default_value(ref, "76011010", "CN", "K")
    assert value.cn == "76011010" and value.direct == 3.0 and value.route == "K"
    with pytest.raises(CbamInputError, match="route"):
        default_value(ref, "25231000", "CN")  # grey (A) and white (B) clinker differ
    assert precursor_default(ref, "7201")[0] == 7.92  # Annex IV highest value, pig iron


def test_which_goods_count_indirect_emissions():
    # Art. 7(1) and Annex II of Regulation (EU) 2023/956; Annex I of IR 2025/2621 prints "NA" for exactly these
    assert counts_indirect("cement") and counts_indirect("fertilisers")
    assert not any(counts_indirect(s) for s in ("iron_steel", "Iron and steel", "aluminium", "hydrogen"))
    assert counts_indirect("aluminium", "all_goods")


def test_na_indirect_column_coincides_with_annex_ii_sectors(ref):
    na = ref.defaults[ref.defaults["indirect_status"] == "not_applicable"]
    reported = ref.defaults[ref.defaults["indirect_status"] == "reported"]
    assert set(na["sector"]) == {"Iron and steel", "Aluminium", "Hydrogen"}
    assert set(reported["sector"]) <= {"Cement", "Fertilisers", "Iron and steel"}
