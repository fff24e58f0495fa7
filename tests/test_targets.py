import pytest

from pathlib import Path

from kehoach.pipeline.extract import extract_path, extract_text
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


# Goal tables that also name the body answering for each goal: a table with a lead column is a
# task table (one assignment a row), and where its label column is 'Chỉ tiêu' its rows are goals
# too — value cells where it has value columns (QĐ 2629/QĐ-TTg 2025: 'TT | Chỉ tiêu | Đơn vị |
# Kết quả | Cơ quan chủ trì theo dõi, đánh giá'), else the goal sentence in each row's indicator
# cell (Bắc Ninh KH 144's appendix: 'TT | Chỉ tiêu | Chủ trì').
BAC_NINH_KH144_APPENDIX = """KẾ HOẠCH
Phát triển kinh tế số và xã hội số

PHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ SỐ, XÃ HỘI SỐ ĐẾN NĂM 2030

|
**TT**
|
**Chỉ tiêu**
|
**Chủ trì**
|
|
|
**I. Kinh
tế số**
|
|
|
1
|
Kinh tế số chiếm 45% GRDP tỉnh.
|
Sở Tài chính
|
|
3
|
Tỷ lệ doanh nghiệp vừa và nhỏ
địa phương ứng dụng công nghệ số đạt 60%
|
Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu
|
|
4
|
Tỷ lệ doanh nghiệp có hoạt động
đổi mới sáng tạo đạt tối thiểu 40%
|
Sở Khoa học và Công nghệ
|
"""


def test_goal_sentences_in_the_rows_of_a_table_with_a_lead_column():
    rec = extract_text(BAC_NINH_KH144_APPENDIX)
    got = [(t.target, t.unit, rec.text[t.span[0]:t.span[1]].endswith(("45%", "60%", "40%"))) for t in rec.targets]
    assert got == [(45.0, "%", True), (60.0, "%", True), (40.0, "%", True)]
    assert [a.lead for a in rec.assignments] == ["Sở Tài chính", "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ"]


def test_value_cells_of_a_goal_table_with_a_lead_column():
    path = Path(__file__).parent.parent / "fixtures" / "real" / "ttg-qd2629-chi-tieu-chuyen-doi-so-2025.md"
    rec = extract_path(path, include_text=True).record
    tabled = [t for t in rec.targets if t.indicator.startswith("Tỉ lệ dịch vụ công trực tuyến toàn trình")]
    assert [(t.target, t.unit, t.raw) for t in tabled][:1] == [(100.0, "%", "100%")]
    assert rec.text[tabled[0].span[0]:tabled[0].span[1]] == "100%"
    leads = {a.lead for a in rec.assignments}
    assert {"Văn phòng Chính phủ", "Bộ Khoa học và Công nghệ", "Bộ Công an", "Bộ Nội vụ"} <= leads
