import pytest

from kehoach.pipeline.extract import extract_text
from kehoach.extractors.amounts import extract_amounts
from kehoach.extractors.targets import extract_targets
from conftest import alone, case_params


@pytest.mark.parametrize("case", case_params("targets"))
def test_targets(case):
    doc = alone(case["text"], kind="objectives", heading="Mục tiêu cụ thể đến năm 2025")
    _, mentions = extract_amounts(doc.nt, doc.sections)
    targets = extract_targets(doc.nt, doc.sections, mentions, [])
    got = [[t.target, t.target_max, t.unit, t.baseline, t.comparator, t.direction] for t in targets]
    assert got == case["targets"]
    assert [t.raw for t in targets] == case["raw"]
    assert all(doc.nt.text[t.span[0]:t.span[1]] == t.raw for t in targets)


def test_the_year_of_a_target_comes_from_its_heading():
    rec = extract_text("KẾ HOẠCH\nThử nghiệm\nI. MỤC TIÊU\n2. Mục tiêu cụ thể đến năm 2025\n"
                       "Tỷ lệ hộ nghèo đa chiều giảm từ 6-7%/năm; có ít nhất một thành viên có việc làm.\n")
    assert [(t.target, t.year) for t in rec.targets] == [(6.0, 2025), (1.0, 2025)]


def test_targets_need_an_objective_or_a_goal_word():
    text = ("KẾ HOẠCH\nThử nghiệm\nIII. NỘI DUNG\n1. Dự án 2\nĐã hỗ trợ 25 lớp cho 875 lao động; bố trí "
            "tối thiểu bằng 50% mức vốn.\nTriển khai tối thiểu 08 mô hình, dự án đa dạng hóa sinh kế.\n")
    got = [(t.target, t.unit, t.comparator) for t in extract_text(text).targets]
    assert got == [(8.0, "mô hình, dự án", "ge")]


@pytest.mark.parametrize("case", case_params("goal_sentences"))
def test_goal_sentences(case):
    rec = extract_text("KẾ HOẠCH\nThử nghiệm\nIII. NỘI DUNG\n1. Nhiệm vụ\n" + case["raw"] + "\n")
    assert [[t.target, t.unit, t.year] for t in rec.targets] == case["values"]


def test_a_content_heading_that_states_a_quantity_is_a_goal():
    # Lào Cai KH 134 II.2, II.4: the numbered headings of NỘI DUNG are its goals, in digits
    text = ("KẾ HOẠCH\nThử nghiệm\nII. NỘI DUNG\n1. Tập trung phát triển bền vững các khu công nghiệp\nNội dung.\n"
            "2. Thành lập mới khoảng trên 500ha các khu, cụm công nghiệp\n- Sở Công Thương chủ trì.\n"
            "3. Hoàn thành di dời 01 khu công nghiệp và 02 cụm công nghiệp\nNội dung.\n"
            "4. Phát triển làng một sản phẩm\nNội dung.\n")
    got = [(t.target, t.unit) for t in extract_text(text).targets]
    assert got == [(500.0, "ha"), (1.0, "khu công nghiệp"), (2.0, "cụm công nghiệp")]
