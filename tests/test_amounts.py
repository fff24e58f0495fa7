from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from kehoach.normalizers.numbers import format_vn, parse_number
from kehoach.pipeline.extract import extract_text
from kehoach.extractors.amounts import extract_amounts
from conftest import alone, case_params

HEAD = "KẾ HOẠCH\nThử nghiệm\nIV. KINH PHÍ THỰC HIỆN\n"


def _money(v: Decimal) -> str:
    return str(v.normalize()) if v != v.to_integral_value() else str(int(v))


@pytest.mark.parametrize("case", case_params("amounts", "values"))
def test_money_values(case):
    doc = alone(case["text"], kind="budget")
    amounts, _ = extract_amounts(doc.nt, doc.sections)
    assert [_money(a.value_million_vnd) for a in amounts] == case["values"]
    assert [a.raw for a in amounts] == case["raw"]
    assert all(doc.nt.text[a.span[0]:a.span[1]] == a.raw for a in amounts)


# attributes come from the headings around an amount: these cases run the whole chain
@pytest.mark.parametrize("case", case_params("amounts", "attributes"))
def test_money_attributes(case):
    rec = extract_text("KẾ HOẠCH\nThử nghiệm\n" + case["text"])
    got = [[str(int(a.value_million_vnd)), a.kind, a.funding_source, a.capital_type, a.component] for a in rec.amounts]
    assert got == case["amounts"]


def test_provenance():
    text = HEAD + "Tổng kinh phí là 1.291.615 triệu đồng.\n"
    rec = extract_text(text)
    (a,) = rec.amounts
    assert text[a.span[0]:a.span[1]] == a.raw == "1.291.615 triệu đồng"
    assert a.section == rec.sections[0].id


UNITS = {"triệu đồng": Decimal(1), "tỷ đồng": Decimal(1000), "nghìn đồng": Decimal("0.001"),
         "đồng": Decimal("0.000001")}


@settings(max_examples=150, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999"), places=2, allow_nan=False),
       st.sampled_from(sorted(UNITS)))
def test_money_parsing_inverts_vietnamese_formatting(value, unit):
    if unit == "đồng":
        value = (value.to_integral_value() + 1) * 1000  # whole đồng, at least a thousand
    written = format_vn(value)
    assert parse_number(written) == value
    (a,) = extract_text(HEAD + f"Kinh phí hỗ trợ là {written} {unit}.\n").amounts
    assert a.value_million_vnd == value * UNITS[unit]
    assert a.raw.startswith(written)


def test_checks_flag_mismatches_and_only_them():
    text = ("KẾ HOẠCH\nThử nghiệm\nIV. KINH PHÍ THỰC HIỆN\n"
            "1. Tổng kinh phí là 300 triệu đồng (ngân sách trung ương: 200 triệu đồng, ngân sách địa phương: 90 triệu đồng).\n"
            "2. Vốn lồng ghép là 50 triệu đồng (vốn đầu tư phát triển: 20 triệu đồng, vốn sự nghiệp: 30 triệu đồng).\n"
            "3. Vốn huy động là 1.000 triệu đồng (vốn đầu tư phát triển: 400 triệu đồng, vốn sự nghiệp: 601 triệu đồng).\n")
    checks = extract_text(text).checks
    assert [(c.rule, c.severity, c.difference) for c in checks] == [
        ("parts_sum", "warning", Decimal(10)), ("parts_sum", "info", Decimal(-1))]
    first = checks[0]
    assert text[first.spans[0][0]:first.spans[0][1]] == "300 triệu đồng"
    assert text[first.spans[1][0]:first.spans[1][1]].startswith("200 triệu đồng")


def test_component_totals_against_the_plan_total():
    text = ("KẾ HOẠCH\nThử nghiệm\nIII. NHU CẦU VỐN\nTổng nhu cầu vốn: 100 triệu đồng.\n"
            "IV. NỘI DUNG VÀ KINH PHÍ\n1. Dự án 1: A\nNhu cầu vốn: 60 triệu đồng.\n"
            "2. Dự án 2: B\nNhu cầu vốn: 50 triệu đồng.\n")
    checks = extract_text(text).checks
    assert [(c.rule, c.difference) for c in checks] == [("component_sum", Decimal(-10))]
    ok = text.replace("50 triệu", "40 triệu")
    assert extract_text(ok).checks == []


def test_a_plan_without_money_has_no_amounts():
    text = "KẾ HOẠCH\nThử nghiệm\nI. MỤC TIÊU\nGiảm tỷ lệ hộ nghèo 3 tỷ lệ; 17 tỉnh; 2 triệu người.\n"
    assert extract_text(text).amounts == []


def test_cells_of_a_table_under_a_unit_declaration_are_money():
    text = ("KẾ HOẠCH\nThử nghiệm\nIV. KINH PHÍ THỰC HIỆN\nNhu cầu kinh phí (Đơn vị tính: triệu đồng)\n"
            "STT Nội dung Tổng số Ngân sách trung ương Ngân sách địa phương\n"
            "1 Dự án 1 233.300 206.000 27.300\n2 Dự án 2 88.000 80.000 8.000\n"
            "Tổng cộng 321.300 286.000 35.300\nV. TỔ CHỨC THỰC HIỆN\n"
            "Năm 2023 các đơn vị triển khai 12 nhiệm vụ theo Kế hoạch số 15/KH-UBND ngày 12/3/2023.\n")
    got = [(int(a.value_million_vnd), a.component, a.funding_source) for a in extract_text(text).amounts]
    assert got == [(233300, "Dự án 1", "total"), (206000, "Dự án 1", "central"), (27300, "Dự án 1", "local"),
                   (88000, "Dự án 2", "total"), (80000, "Dự án 2", "central"), (8000, "Dự án 2", "local"),
                   (321300, None, "total"), (286000, None, "central"), (35300, None, "local")]
    md = ("# KẾ HOẠCH\n\nThử nghiệm\n\n## IV. KINH PHÍ\n\nĐơn vị tính: tỷ đồng\n\n| Nội dung | Kinh phí |\n|---|---|\n"
          "| Dự án 4 | 1,5 |\n| Dự án 6 | 12,5 |\n\n## V. TỔ CHỨC THỰC HIỆN\n\nNội dung.\n")
    assert [(a.value_million_vnd, a.component) for a in extract_text(md, fmt="md").amounts] == [
        (Decimal("1500"), "Dự án 4"), (Decimal("12500"), "Dự án 6")]
