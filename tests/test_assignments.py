import pytest

from kehoach.normalizers.agencies import canonical_name
from kehoach.pipeline.extract import extract_text
from conftest import case_params, cases


@pytest.mark.parametrize("case", case_params("agencies"))
def test_canonical_agency_names(case):
    assert canonical_name(case["surface"]) == case["canonical"]


PLAN = """KẾ HOẠCH
Thử nghiệm
III. NỘI DUNG
1. Dự án 2: Đa dạng hóa sinh kế
a) Mục tiêu
Hỗ trợ đa dạng hóa sinh kế.
b) Phân công thực hiện
- Phòng Lao động - Thương binh và Xã hội: Chủ trì, phối hợp với các đơn vị có liên quan và UBND các xã, thị trấn hướng dẫn thực hiện.
- UBND các xã, thị trấn; các cơ sở giáo dục nghề nghiệp: Tổ chức triển khai thực hiện.
2. Dự án 3: Hỗ trợ phát triển sản xuất
2.1. Tiểu dự án 2: Cải thiện dinh dưỡng
Đơn vị thực hiện: Phòng NN&PTNT chủ trì phối hợp với Trung tâm Y tế huyện tổ chức thực hiện.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính: Chủ trì tham mưu phân bổ kinh phí sự nghiệp.
2. Phòng Văn hoá - Thông tin
Chủ trì triển khai tiểu dự án 1 thuộc dự án 6 và Dự án 7.
3. Đề nghị Ủy ban Mặt trận Tổ quốc huyện và các tổ chức chính trị - xã hội
Giám sát, phản biện xã hội.
"""


def test_assignments_from_components_and_the_organisation_section():
    rec = extract_text(PLAN)
    got = [(a.component, a.lead, a.coordinating) for a in rec.assignments]
    assert got == [
        ("Dự án 2", "Phòng Lao động - Thương binh và Xã hội",
         ["các đơn vị có liên quan", "Ủy ban nhân dân các xã, thị trấn"]),
        ("Dự án 2", "Ủy ban nhân dân các xã, thị trấn", []),
        ("Dự án 2", "các cơ sở giáo dục nghề nghiệp", []),
        ("Dự án 3 > Tiểu dự án 2", "Phòng Nông nghiệp và Phát triển nông thôn", ["Trung tâm Y tế huyện"]),
        (None, "Sở Tài chính", []),
        ("Dự án 6 > Tiểu dự án 1", "Phòng Văn hóa - Thông tin", []),
        ("Dự án 7", "Phòng Văn hóa - Thông tin", []),
        (None, "Ủy ban Mặt trận Tổ quốc huyện và các tổ chức chính trị - xã hội", []),
    ]
    tasks = {a.lead: a.task for a in rec.assignments}
    assert tasks["Sở Tài chính"] == "tham mưu phân bổ kinh phí sự nghiệp"  # the role words are not the duty
    # spans point into the normalised text, at the line that makes the assignment
    spanned = [rec.text[a.span[0]:a.span[1]] for a in rec.assignments]
    assert spanned[0].startswith("Phòng Lao động - Thương binh và Xã hội: Chủ trì, phối hợp")
    assert spanned[3].startswith("Phòng NN&PTNT chủ trì phối hợp với Trung tâm Y tế huyện")
    assert spanned[4] == "1. Sở Tài chính: Chủ trì tham mưu phân bổ kinh phí sự nghiệp."  # the whole item


TABLE_PLAN = """# KẾ HOẠCH

Thực hiện giảm nghèo năm 2023

## III. NỘI DUNG

Phân công nhiệm vụ cụ thể như sau:

| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
|---|---|---|---|
| 1 | Triển khai Dự án 2: đa dạng hóa sinh kế | Phòng NN&PTNT | Phòng LĐ-TB&XH; UBND các xã, thị trấn |
| 2 | Tiểu dự án 2 thuộc Dự án 3: cải thiện dinh dưỡng | Trung tâm Y tế huyện | Các ngành liên quan |
| 3 | Tuyên truyền về giảm nghèo | Phòng Văn hoá - Thông tin |  |
"""


def test_assignments_from_a_task_table():
    rec = extract_text(TABLE_PLAN, fmt="md")
    got = [(a.component, a.lead, a.coordinating) for a in rec.assignments]
    assert got == [
        ("Dự án 2", "Phòng Nông nghiệp và Phát triển nông thôn",
         ["Phòng Lao động - Thương binh và Xã hội", "Ủy ban nhân dân các xã, thị trấn"]),
        ("Dự án 3 > Tiểu dự án 2", "Trung tâm Y tế huyện", ["Các ngành liên quan"]),
        (None, "Phòng Văn hóa - Thông tin", []),
    ]
    first = rec.assignments[0]
    assert rec.text is not None and "Phòng NN&PTNT" in rec.text[first.span[0]:first.span[1]]
    assert first.task == "Triển khai Dự án 2: đa dạng hóa sinh kế"


def test_assignments_from_a_task_table_in_a_pdf(tmp_path):
    from fpdf import FPDF

    from kehoach.pipeline.extract import extract_path

    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    pdf = FPDF()
    pdf.add_font("DejaVu", "", font)
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    for line in ["KẾ HOẠCH", "Thực hiện giảm nghèo năm 2023", "I. TỔ CHỨC THỰC HIỆN",
                 "Phân công nhiệm vụ như sau (cơ quan chủ trì và phối hợp):"]:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    rows = [["Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp"],
            ["Triển khai Dự án 4", "Phòng LĐ-TB&XH", "UBND các xã, thị trấn"],
            ["Thẩm định dự toán", "Phòng Tài chính - Kế hoạch", ""]]
    with pdf.table(first_row_as_headings=False) as table:
        for r in rows:
            row = table.row()
            for cell in r:
                row.cell(cell)
    pdf.output(str(tmp_path / "table.pdf"))
    rec = extract_path(tmp_path / "table.pdf").record
    got = [(a.component, a.lead) for a in rec.assignments]
    assert ("Dự án 4", "Phòng Lao động - Thương binh và Xã hội") in got
    assert (None, "Phòng Tài chính - Kế hoạch") in got
    assert all(a.page == 1 for a in rec.assignments)


ORG = "KẾ HOẠCH\nThử nghiệm\nIV. {section}\n1. {item}\n2. Phòng Nội vụ: Theo dõi, tổng hợp.\n"


def _assignment_case(case):
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_assignment_case(c) for c in cases("assignments")])
def test_assignment_items(case):
    rec = extract_text(ORG.format(item=case["item"], section=case.get("section", "TỔ CHỨC THỰC HIỆN")))
    first = [a for a in rec.assignments if a.lead != "Phòng Nội vụ"]
    if "expect" in case:
        assert [[a.lead, a.coordinating, a.task] for a in first] == case["expect"]
    else:
        assert [[a.lead, a.coordinating] for a in first] == case["expect_leads"]
    if "section" not in case:  # the organisation section's run-in agency item next to it is kept
        assert [(a.lead, a.task) for a in rec.assignments if a.lead == "Phòng Nội vụ"] == [("Phòng Nội vụ", "Theo dõi, tổng hợp")]
    for a in rec.assignments:  # every assignment's span holds its lead's words
        assert rec.text[a.span[0]:a.span[1]].strip()


# Joint leads, labelled duty lines and agency-by-agency sections outside the organisation
# section: shapes seen in Sơn La QĐ 254, Bắc Ninh KH 141, Cần Thơ KH 165, Sơn La QĐ 2954.
PARTIES = [
    {"id": "joint-lead-split", "why": "two bodies named with their capitals share one duty (issue 16, shape 4)",
     "raw": "Sở Tài chính và Ủy ban nhân dân các xã, phường", "parties": ["Sở Tài chính", "Ủy ban nhân dân các xã, phường"]},
    {"id": "three-bodies-by-comma", "why": "'Đoàn Thanh niên …, Hội Nông dân tỉnh, Hiệp hội Doanh nghiệp tỉnh' (Sơn La QĐ 2954)",
     "raw": "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh, Hội Nông dân tỉnh, Hiệp hội Doanh nghiệp tỉnh",
     "parties": ["Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh", "Hội Nông dân tỉnh", "Hiệp hội Doanh nghiệp tỉnh"]},
    {"id": "heads-by-semicolon", "why": "'Thủ trưởng …; Chủ tịch UBND …' (Sơn La QĐ 254, II.7)",
     "raw": "Thủ trưởng các sở, ban, ngành trực thuộc UBND tỉnh; Chủ tịch UBND các huyện, thành phố",
     "parties": ["Thủ trưởng các sở, ban, ngành trực thuộc UBND tỉnh", "Chủ tịch UBND các huyện, thành phố"]},
    {"id": "collective-stays-one", "why": "a collective in lower case joined by 'và' is one party (Đồng Nai KH 179, VI.18)",
     "raw": "Mặt trận Tổ quốc Việt Nam tỉnh Đồng Nai và các tổ chức chính trị - xã hội",
     "parties": ["Mặt trận Tổ quốc Việt Nam tỉnh Đồng Nai và các tổ chức chính trị - xã hội"]},
    {"id": "name-with-va-stays-one", "why": "'và' inside a department's name is no split (every plan)",
     "raw": "Sở Văn hóa, Thể thao và Du lịch", "parties": ["Sở Văn hóa, Thể thao và Du lịch"]},
    {"id": "office-of-council-and-committee", "why": "'Văn phòng HĐND và UBND' is one office (district plans)",
     "raw": "Văn phòng HĐND và UBND huyện", "parties": ["Văn phòng HĐND và UBND huyện"]},
]


@pytest.mark.parametrize("case", PARTIES, ids=[c["id"] for c in PARTIES])
def test_split_parties(case):
    from kehoach.normalizers.agencies import split_parties
    assert split_parties(case["raw"]) == case["parties"]


def test_labelled_duty_lines_under_a_task():
    text = ("KẾ HOẠCH\nThử\nIII. NHIỆM VỤ, GIẢI PHÁP\n1. Kiện toàn đội ngũ cán bộ xây dựng pháp luật\n"
            "- Thường xuyên rà soát, kiện toàn đội ngũ.\nĐơn vị chủ trì thực hiện: Các Sở, ngành, đơn vị, UBND cấp xã.\n"
            "Đơn vị phối hợp: Sở Nội vụ, Sở Tư pháp.\nThời gian thực hiện: Thường xuyên.\n"
            "2. Tổ chức hội nghị\nĐơn vị chủ trì: Sở Tư pháp.\nThời gian thực hiện: Năm 2026.\n")
    got = [(a.lead, a.coordinating, a.deadline, a.task) for a in extract_text(text).assignments]
    assert got == [
        ("Các Sở, ngành, đơn vị", ["Sở Nội vụ", "Sở Tư pháp"], "Thường xuyên",
         "Kiện toàn đội ngũ cán bộ xây dựng pháp luật"),
        ("Ủy ban nhân dân cấp xã", ["Sở Nội vụ", "Sở Tư pháp"], "Thường xuyên",
         "Kiện toàn đội ngũ cán bộ xây dựng pháp luật"),
        ("Sở Tư pháp", [], "Năm 2026", "Tổ chức hội nghị"),
    ]


def test_a_content_section_of_agencies_assigns_like_the_organisation_section():
    text = ("KẾ HOẠCH\nThử\nII. NỘI DUNG THỰC HIỆN\n1. Sở Y tế\na) Chủ trì tổ chức triển khai kế hoạch.\n"
            "2. Sở Tài chính\nTham mưu bố trí kinh phí.\n3. Sở Giáo dục và Đào tạo\nLồng ghép giáo dục dân số.\n"
            "III. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế\nTheo dõi, đôn đốc.\n")
    got = [a.lead for a in extract_text(text).assignments]
    assert got == ["Sở Y tế", "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Y tế"]


def test_a_table_cell_lists_bodies_not_the_pieces_of_a_name():
    # 'Sở Văn hóa, Thể thao và Du lịch' is one department; a repeated header row is no party
    # (Đồng Nai KH 179 appendix; Đắk Lắk nhu yếu phẩm 9.)
    from kehoach.extractors.assignments.names import _split_agencies
    assert _split_agencies("Sở Văn hóa, Thể thao và Du lịch; Sở Y tế") == ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]
    assert _split_agencies("Báo và Phát thanh, Truyền hình Đồng Nai") == ["Báo và Phát thanh, Truyền hình Đồng Nai"]
    assert _split_agencies("Sở Tài chính, Sở Nội vụ") == ["Sở Tài chính", "Sở Nội vụ"]
    assert _split_agencies("Đơn vị thực hiện") == []


def test_headings_of_work_are_not_bodies():
    # 'Phòng chống sốt xuất huyết' (Đắk Lắk môi trường sau lũ) opens with 'Phòng' but is no office
    from kehoach.extractors.assignments.names import _agency_like
    assert not _agency_like("Phòng chống sốt xuất huyết, Zika, viêm não Nhật Bản")
    assert not _agency_like("Giám sát dịch bệnh")
    assert _agency_like("Phòng Y tế")
