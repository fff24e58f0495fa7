"""Tables of every shape, each written as Markdown, HTML, Word and PDF: the same answers from each.

Budget tables with a unit note and merged headers, a cost estimate in full đồng, a target table
by year, a task matrix with deadline and product — the tables real plans put their numbers and
their 'who does what by when' in.
"""
from decimal import Decimal
from html import escape

import pytest

from kehoach.normalizers.deadlines import normalize_deadline
from kehoach.pipeline.extract import extract_path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

BUDGET = {
    "before": ["I. MỤC TIÊU", "Giảm nghèo bền vững.", "II. KINH PHÍ THỰC HIỆN", "Đơn vị tính: triệu đồng"],
    "header": [["STT", "Nội dung", "Tổng số", "Trong đó", ""], ["", "", "", "Ngân sách trung ương", "Ngân sách địa phương"]],
    "rows": [["", "Tổng cộng", "1.500", "1.200", "300"],
             ["1", "Dự án 1: Hỗ trợ đầu tư hạ tầng", "900", "800", "100"],
             ["2", "Dự án 4: Phát triển giáo dục nghề nghiệp", "600", "400", "200"]],
    "after": ["III. TỔ CHỨC THỰC HIỆN", "Các sở, ngành triển khai."],
}
COST = {
    "before": ["I. KINH PHÍ THỰC HIỆN", "Dự toán chi tiết (ĐVT: đồng)"],
    "header": [["TT", "Nội dung chi", "ĐVT", "Số lượng", "Đơn giá", "Thành tiền"]],
    "rows": [["1", "Chi hội nghị triển khai", "người", "50", "150.000", "7.500.000"],
             ["2", "Thuê xe đi giám sát", "ngày", "10", "1.500.000", "15.000.000"],
             ["", "Tổng cộng", "", "", "", "22.500.000"]],
    "after": ["II. TỔ CHỨC THỰC HIỆN", "Văn phòng triển khai."],
}
TARGETS = {
    "before": ["I. MỤC TIÊU", "Các chỉ tiêu chủ yếu như sau:"],
    "header": [["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025 (ước thực hiện)", "Kế hoạch 2026", "Năm 2030"]],
    "rows": [["1", "Tỷ lệ hộ nghèo", "%", "5,2", "4,5", "2"],
             ["2", "Số doanh nghiệp xuất khẩu", "doanh nghiệp", "120", "135", "200"]],
    "after": ["II. TỔ CHỨC THỰC HIỆN", "Các sở triển khai."],
}
TASKS = {
    "before": ["I. TỔ CHỨC THỰC HIỆN", "Phân công nhiệm vụ cụ thể tại phụ lục kèm theo."],
    "header": [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"]],
    "rows": [["1", "Xây dựng quy chế phối hợp", "Sở Tư pháp", "Các sở, ngành", "Quý IV/2026", "Quyết định của UBND tỉnh"],
             ["2", "Tổng hợp tình hình thực hiện", "Sở Nội vụ", "UBND cấp xã", "Hằng năm", "Báo cáo"]],
    "after": [],
}
HEAD = ["KẾ HOẠCH", "Thực hiện kế hoạch năm 2026"]


def as_md(spec):
    lines = HEAD + spec["before"]
    out = "\n\n".join(lines) + "\n\n"
    rows = spec["header"] + spec["rows"]
    out += "| " + " | ".join(rows[0]) + " |\n|" + "---|" * len(rows[0]) + "\n"
    out += "".join("| " + " | ".join(r) + " |\n" for r in rows[1:])
    return out + "\n" + "\n\n".join(spec["after"]) + "\n"


def as_html(spec):
    def row(cells, tag):
        out, k = [], 0
        while k < len(cells):  # an empty cell after a filled one in a header is its merged span
            span = 1
            while tag == "th" and k + span < len(cells) and cells[k + span] == "" and cells[k]:
                span += 1
            out.append(f'<{tag}{f" colspan={span}" if span > 1 else ""}>{escape(cells[k])}</{tag}>')
            k += span
        return "<tr>" + "".join(out) + "</tr>"
    body = "".join(f"<p>{escape(p)}</p>" for p in HEAD + spec["before"])
    table = "<table border=1>" + "".join(row(r, "th") for r in spec["header"]) + \
        "".join(row(r, "td") for r in spec["rows"]) + "</table>"
    tail = "".join(f"<p>{escape(p)}</p>" for p in spec["after"])
    return f"<!DOCTYPE html><html><body><nav>Trang chủ</nav>{body}{table}{tail}</body></html>"


def as_docx(spec, path):
    from docx import Document

    doc = Document()
    for p in HEAD + spec["before"]:
        doc.add_paragraph(p)
    rows = spec["header"] + spec["rows"]
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for i, r in enumerate(rows):
        for k, text in enumerate(r):
            table.cell(i, k).text = text
    for p in spec["after"]:
        doc.add_paragraph(p)
    doc.save(str(path))


def as_pdf(spec, path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.add_page()
    pdf.set_font("DejaVu", size=9)
    for p in HEAD + spec["before"]:
        pdf.multi_cell(0, 6, p, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(first_row_as_headings=False) as table:
        for r in spec["header"] + spec["rows"]:
            row = table.row()
            for text in r:
                row.cell(text)
    for p in spec["after"]:
        pdf.multi_cell(0, 6, p, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def render(spec, form, tmp_path):
    path = tmp_path / f"plan.{ {'md': 'md', 'html': 'html', 'docx': 'docx', 'pdf': 'pdf'}[form] }"
    if form == "md":
        path.write_text(as_md(spec), encoding="utf-8")
    elif form == "html":
        path.write_text(as_html(spec), encoding="utf-8")
    elif form == "docx":
        as_docx(spec, path)
    else:
        as_pdf(spec, path)
    rec = extract_path(path, include_text=True).record
    assert rec.error is None
    return rec


FORMS = ["md", "html", "docx", "pdf"]


@pytest.mark.parametrize("form", FORMS)
def test_a_budget_table_with_merged_headers(form, tmp_path):
    rec = render(BUDGET, form, tmp_path)
    got = [(int(a.value_million_vnd), a.funding_source, a.component) for a in rec.amounts]
    assert got == [(1500, "total", None), (1200, "central", None), (300, "local", None),
                   (900, "total", "Dự án 1"), (800, "central", "Dự án 1"), (100, "local", "Dự án 1"),
                   (600, "total", "Dự án 4"), (400, "central", "Dự án 4"), (200, "local", "Dự án 4")]
    assert [a.table_row for a in rec.amounts][:4] == ["Tổng cộng"] * 3 + ["Dự án 1: Hỗ trợ đầu tư hạ tầng"]
    assert rec.amounts[1].table_column == "Trong đó > Ngân sách trung ương"
    for a in rec.amounts:  # every cell points into the table's words
        assert rec.text[a.span[0]:a.span[1]] == a.raw
    assert rec.checks == []  # the rows add up to the total, and each row's sources to its total


@pytest.mark.parametrize("form", FORMS)
def test_a_cost_estimate_in_full_dong(form, tmp_path):
    rec = render(COST, form, tmp_path)
    got = [(a.value_million_vnd, a.table_column) for a in rec.amounts]
    assert got == [(Decimal("0.15"), "Đơn giá"), (Decimal("7.5"), "Thành tiền"), (Decimal("1.5"), "Đơn giá"),
                   (Decimal("15"), "Thành tiền"), (Decimal("22.5"), "Thành tiền")]
    assert rec.checks == []


def test_a_table_total_that_does_not_add_up_is_a_check(tmp_path):
    spec = dict(BUDGET, rows=[["", "Tổng cộng", "1.500", "1.200", "300"],
                              ["1", "Dự án 1", "900", "800", "100"], ["2", "Dự án 4", "610", "400", "200"]])
    rec = render(spec, "md", tmp_path)
    assert [(c.rule, c.difference) for c in rec.checks] == [("parts_sum", Decimal(-10)), ("parts_sum", Decimal(10))]


@pytest.mark.parametrize("form", FORMS)
def test_a_target_table_by_year(form, tmp_path):
    rec = render(TARGETS, form, tmp_path)
    got = [(t.indicator, t.target, t.unit, t.year, t.baseline, t.direction) for t in rec.targets]
    assert got == [("Tỷ lệ hộ nghèo", 4.5, "%", 2026, 5.2, "decrease"), ("Tỷ lệ hộ nghèo", 2.0, "%", 2030, 5.2, "decrease"),
                   ("Số doanh nghiệp xuất khẩu", 135.0, "doanh nghiệp", 2026, 120.0, "increase"),
                   ("Số doanh nghiệp xuất khẩu", 200.0, "doanh nghiệp", 2030, 120.0, "increase")]
    for t in rec.targets:
        assert rec.text[t.span[0]:t.span[1]] == t.raw


@pytest.mark.parametrize("form", FORMS)
def test_a_task_matrix_with_deadline_and_product(form, tmp_path):
    rec = render(TASKS, form, tmp_path)
    got = [(a.lead, a.coordinating, a.task, a.deadline, a.deadline_normalized, a.output) for a in rec.assignments]
    assert got == [("Sở Tư pháp", ["Các sở, ngành"], "Xây dựng quy chế phối hợp", "Quý IV/2026", "2026-Q4",
                    "Quyết định của UBND tỉnh"),
                   ("Sở Nội vụ", ["Ủy ban nhân dân cấp xã"], "Tổng hợp tình hình thực hiện", "Hằng năm",
                    "yearly", "Báo cáo")]


@pytest.mark.parametrize("text,expected", [
    ("Quý IV/2026", "2026-Q4"), ("quý 2 năm 2026", "2026-Q2"), ("Trước ngày 30/6/2026", "2026-06-30"),
    ("tháng 9/2026", "2026-09"), ("Năm 2027", "2027"), ("Thường xuyên", "continuous"), ("Hằng năm", "yearly"),
    ("Từ tháng 3 đến tháng 6/2026", "2026-06"), ("6 tháng đầu năm 2026", "2026-H1"), ("Theo chỉ đạo", None), ("", None),
])
def test_deadlines(text, expected):
    assert normalize_deadline(text) == expected


def test_the_row_number_column_under_a_column_number_row_is_no_money(tmp_path):
    # a header over a column-number row ('STT' over '(1)', Cà Mau's and Đắk Lắk's budget tables,
    # the capital-allocation decisions): the column's role comes from 'STT', not from '(1)'
    path = tmp_path / "plan.md"
    path.write_text("KẾ HOẠCH\nThử\n\nĐơn vị tính: triệu đồng\n\n"
                    "| STT | Nội dung | Tổng số |\n|---|---|---|\n| (1) | (2) | (3) |\n"
                    "| 1 | Dự án A | 1.200 |\n| 2 | Dự án B | 800 |\n", encoding="utf-8")
    rec = extract_path(path).record
    assert sorted(float(a.value_million_vnd) for a in rec.amounts) == [800.0, 1200.0]
