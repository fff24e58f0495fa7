"""Indicator keys: one series whatever the wording, near misses apart (tests/cases/indicators.json)."""
import json

import pytest

from conftest import ROOT
from kehoach.normalizers.indicators import catalog, indicator_key

CASES = json.loads((ROOT / "tests" / "cases" / "indicators.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['key']}:{(c['indicator'] or c['context'])[:40]}")
def test_indicator_key(case):
    assert indicator_key(case["indicator"], case["unit"], case["context"], case["has_baseline"]) == case["key"]


def test_every_catalog_key_has_a_real_plan_in_the_case_table():
    keys = set(catalog())
    assert len(keys) >= 30
    covered = {c["key"] for c in CASES}
    assert keys - covered == set()
    assert sum(1 for c in CASES if c["key"] is None) >= 8
    # from more than one plan, and every source a plan of the shared set, the fixtures or a cited repository
    sources = {c["source"] for c in CASES}
    assert len(sources) >= 10
    for s in sources:
        assert s.startswith("github:") or (ROOT / s).exists(), s


def test_change_keys_and_units_are_consistent():
    cat = catalog()
    for entry in cat.values():
        assert entry.direction in ("increase", "decrease")
        if entry.change_key:
            assert cat[entry.change_key].kind == "change"


def test_wording_does_not_split_a_series():
    # the issue's own examples: one key, the near-poor apart
    same = ["tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều", "Tỷ lệ hộ nghèo (theo chuẩn đa chiều)", "tỷ lệ hộ nghèo đa chiều",
            "Tỷ lệ hộ nghèo"]
    assert {indicator_key(t, "%", t + " còn ") for t in same} == {"ty_le_ho_ngheo"}
    assert indicator_key("giảm tỷ lệ hộ nghèo đa chiều bình quân", "%/năm") == "muc_giam_ty_le_ho_ngheo"
    assert indicator_key("tỷ lệ hộ cận nghèo", "%") == "ty_le_ho_can_ngheo"
