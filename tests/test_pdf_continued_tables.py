"""A table that runs on over pages of a PDF is one table (issue 17).

A browser that prints a long budget table breaks it at the page end, draws each part's borders as
rectangles and repeats the header (its <thead>) at the top of the next page. The parts are read as
one table, so the unit note and the column paths of the first page hold on the next ones and the
total is checked against all the rows. The plans are written as HTML and printed by headless
Chromium here, as the world makes such PDFs; the join itself has its case table.
"""
import shutil
import subprocess
from decimal import Decimal
from html import escape

import pytest

from kehoach.pipeline.extract import extract_path
from kehoach.pipeline.readers.pdf import PageTable, continuation, join_continued

HEADER = [["STT", "Danh mục dự án", "Tổng số", "Trong đó", None],
          [None, None, None, "Ngân sách trung ương", "Ngân sách tỉnh"]]
NUMBERS = ["1", "2", "3", "4", "5"]


def part(rows, page, **kw):
    return PageTable([["" if c is None else c for c in r] for r in rows], page, **kw)


def body(first, last):
    return [[str(i), f"Dự án số {i}", "1.100", "1.000", "100"] for i in range(first, last + 1)]


# (id, why, raw: the last table of one page and the first of the next, the header rows dropped or None)
JOIN_CASES = [
    ("header-repeated", "a browser repeats <thead> on each page: the repeat is left out",
     (part(HEADER + body(1, 3), 1), part(HEADER + body(4, 5), 2)), 2),
    ("header-not-repeated", "a word processor that does not repeat the header: the rows go on",
     (part(HEADER + body(1, 3), 1), part(body(4, 5), 2)), 0),
    ("column-numbers-repeated", "only the row numbering the columns is repeated: it is the header's key",
     (part(HEADER + [NUMBERS] + body(1, 3), 1), part([NUMBERS] + body(4, 5), 2)), 1),
    ("numbers-written-otherwise", "'(1) (2) (3)' on one page and '1 2 3' on the next are the same key",
     (part(HEADER + [[f"({n})" for n in NUMBERS]] + body(1, 3), 1), part([NUMBERS] + body(4, 5), 2)), 1),
    ("row-cut-by-the-page", "the rest of a row the page end cut: only its label's last words",
     (part(HEADER + body(1, 3), 1), part([["", "tại huyện", "", "", ""]] + body(4, 5), 2)), 0),
    ("last-row-alone", "a single row left for the next page",
     (part(HEADER + body(1, 3), 1), part(body(4, 4), 2)), 0),
    ("other-column-count", "a table of four columns after one of five is another table",
     (part(HEADER + body(1, 3), 1), part([r[:4] for r in body(4, 5)], 2)), None),
    ("own-caption", "a caption or unit note above the table at the top of the page starts a new table",
     (part(HEADER + body(1, 3), 1), part(HEADER + body(1, 2), 2, text_above=True)), None),
    ("text-after-the-first", "text below the first table ends it: the next page's table is another",
     (part(HEADER + body(1, 3), 1, text_below=True), part(body(4, 5), 2)), None),
    ("own-header", "a table with a header of its own, not the one before's",
     (part(HEADER + body(1, 3), 1), part([["TT", "Nội dung", "Năm 2026", "Năm 2027", "Năm 2028"]] + body(1, 2), 2)),
     None),
    ("own-column-numbers", "a table that numbers its columns where the one before did not",
     (part(HEADER + body(1, 3), 1), part([NUMBERS] + body(1, 2), 2)), None),
    ("page-skipped", "a table two pages on is not the continuation",
     (part(HEADER + body(1, 3), 1), part(body(4, 5), 3)), None),
    ("text-aligned", "tables found by aligned text alone are not joined: their edges are guesses",
     (part(HEADER + body(1, 3), 1, ruled=False), part(body(4, 5), 2, ruled=False)), None),
]


@pytest.mark.parametrize("raw,expected", [c[2:] for c in JOIN_CASES], ids=[c[0] for c in JOIN_CASES])
def test_which_tables_run_on(raw, expected):
    assert continuation(*raw) == expected


def test_a_table_over_three_pages_is_one():
    parts = [part(HEADER + body(1, 3), 1), part(HEADER + body(4, 6), 2), part(HEADER + body(7, 8), 3, text_below=True),
             part(HEADER + body(1, 2), 4)]
    joined = join_continued(parts)
    assert [(t.page, t.end_page, len(t.rows)) for t in joined] == [(1, 3, 10), (4, 4, 4)]
    assert [r[0] for r in joined[0].rows[2:]] == [str(i) for i in range(1, 9)]


# --- printed by Chromium ---------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
STYLE = "table {border-collapse: collapse; width: 100%} td, th {border: 1px solid black; padding: 2px}"
HEAD_ROWS = ('<tr><th rowspan=2>STT</th><th rowspan=2>Danh mục dự án</th><th rowspan=2>Tổng số</th>'
             '<th colspan=2>Trong đó</th></tr><tr><th>Ngân sách trung ương</th><th>Ngân sách tỉnh</th></tr>')


def projects(n):
    """n projects (central, provincial), each its own amounts so that a misplaced cell shows."""
    return [(i, 100 * (i % 47 + 1), 10 * (i % 13 + 1)) for i in range(1, n + 1)]


def vn(n):
    return f"{n:,}".replace(",", ".")


def table_html(rows, repeat_header=True, total_label="TỔNG SỐ"):
    central, local = sum(r[1] for r in rows), sum(r[2] for r in rows)
    cells = [("", total_label, central + local, central, local)] + \
        [(str(i), f"Dự án xây dựng công trình số {i} tại huyện", c + p, c, p) for i, c, p in rows]
    tbody = "".join(f"<tr><td>{n}</td><td>{escape(label)}</td><td>{vn(t)}</td><td>{vn(c)}</td><td>{vn(p)}</td></tr>"
                    for n, label, t, c, p in cells)
    head = f"<thead>{HEAD_ROWS}</thead><tbody>" if repeat_header else f"<tbody>{HEAD_ROWS}"
    return f"<table>{head}{tbody}</tbody></table>"


def plan_html(*tables):
    paras = "".join(f"<p>{p}</p>" for p in ("<b>KẾ HOẠCH</b>", "Đầu tư công năm 2026", "I. MỤC TIÊU",
                                             "Hoàn thành các dự án.", "II. KINH PHÍ THỰC HIỆN"))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{STYLE}</style></head><body>{paras}'
            + "".join(tables) + "<p>III. TỔ CHỨC THỰC HIỆN</p><p>Các sở, ngành triển khai.</p></body></html>")


def printed(html, tmp_path):
    src, pdf = tmp_path / "plan.html", tmp_path / "plan.pdf"
    src.write_text(html, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", str(src)],
                   check=True, capture_output=True, timeout=120)
    rec = extract_path(pdf, include_text=True).record
    assert rec.error is None
    return rec


def expected(rows):
    """(value, funding source) of the total row's cells, then each project's."""
    central, local = sum(r[1] for r in rows), sum(r[2] for r in rows)
    out = [(central + local, "total"), (central, "central"), (local, "local")]
    for _, c, p in rows:
        out += [(c + p, "total"), (c, "central"), (p, "local")]
    return out


@needs_chromium
@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "header-not-repeated"])
def test_a_budget_table_printed_over_pages_is_read_whole(repeat_header, tmp_path):
    rows = projects(60)
    rec = printed(plan_html('<p style="text-align:right">ĐVT: triệu đồng</p>', table_html(rows, repeat_header)),
                  tmp_path)
    assert [(int(a.value_million_vnd), a.funding_source) for a in rec.amounts] == expected(rows)
    pages = [a.page for a in rec.amounts]
    assert pages == sorted(pages) and set(pages) == {1, 2}  # the continuation's cells on their own page
    # the first page's column paths hold on the next
    assert {a.table_column for a in rec.amounts if a.page == 2} == \
        {"Tổng số", "Trong đó > Ngân sách trung ương", "Trong đó > Ngân sách tỉnh"}
    for a in rec.amounts:  # every cell points into its own words
        assert rec.text[a.span[0]:a.span[1]] == a.raw
        assert a.table_row == "TỔNG SỐ" or a.table_row.startswith("Dự án xây dựng công trình số ")
    assert rec.checks == []  # the total is the sum of all the pages' rows


PLACES = ["Tân Lập", "Hòa Bình", "Phú Mỹ", "An Khánh", "Đông Hải", "Bình Minh", "Thanh Sơn", "Lộc Hà", "Yên Thế",
          "Kim Sơn", "Vĩnh Phúc", "Quảng Lợi", "Hưng Đạo"]
WORKS = ["Trường mầm non", "Đường giao thông", "Trạm y tế", "Nhà văn hóa", "Kênh mương", "Cầu dân sinh", "Chợ"]


@needs_chromium
def test_a_table_over_four_pages_is_read_whole(tmp_path):
    rows = projects(130)
    html = plan_html('<p style="text-align:right">ĐVT: triệu đồng</p>', table_html(rows))
    for i, _, _ in rows:  # names as plans give them, not one line shape a page's edge could repeat
        html = html.replace(f">Dự án xây dựng công trình số {i} tại huyện<", f">{WORKS[i % 7]} xã {PLACES[i % 13]}<", 1)
    rec = printed(html, tmp_path)
    assert [(int(a.value_million_vnd), a.funding_source) for a in rec.amounts] == expected(rows)
    assert sorted({a.page for a in rec.amounts}) == [1, 2, 3, 4]
    assert rec.checks == []


@needs_chromium
def test_rows_a_page_edge_lost_take_no_other_rows_with_them(tmp_path):
    """Rows of one line shape ('31 Dự án … số 31 … 820 700 120') at the top and bottom of four pages
    are taken for running headers and footers and leave the text; the rows after them are still
    found where they stand, each with its own values."""
    rows = projects(130)
    rec = printed(plan_html('<p style="text-align:right">ĐVT: triệu đồng</p>', table_html(rows)), tmp_path)
    values = {f"Dự án xây dựng công trình số {i} tại huyện": [c + p, c, p] for i, c, p in rows}
    by_row = {}
    for a in rec.amounts:
        by_row.setdefault(a.table_row, []).append(int(a.value_million_vnd))
    lost = [label for label in values if label not in rec.text]
    assert len(lost) <= 8  # two rows at each page turn, at most
    assert {label: v for label, v in by_row.items() if label != "TỔNG SỐ"} == \
        {label: v for label, v in values.items() if label not in lost}


@needs_chromium
def test_a_new_table_on_the_next_page_stays_its_own(tmp_path):
    """A second table with its own caption and unit note ('ĐVT: tỷ đồng') at the top of the next page."""
    first, second = projects(20), [(i, 10 * i, i) for i in range(1, 4)]
    rec = printed(plan_html('<p style="text-align:right">ĐVT: triệu đồng</p>', table_html(first),
                            '<p style="page-break-before: always">Biểu 2. Vốn năm 2027</p>'
                            '<p style="text-align:right">ĐVT: tỷ đồng</p>', table_html(second, total_label="TỔNG CỘNG")),
                  tmp_path)
    got = [(a.value_million_vnd, a.page) for a in rec.amounts]
    assert got[:3 * 21] == [(Decimal(v), 1) for v, _ in expected(first)]
    assert got[3 * 21:] == [(Decimal(v) * 1000, 2) for v, _ in expected(second)]  # its own unit
    assert rec.checks == []


def test_text_layer_found_tables_stand_where_the_page_draws_them():
    """The backend's contract: each table's rows and its top and bottom in points, top to bottom."""
    from fpdf import FPDF

    from kehoach.pipeline.readers.pdf_backend import TextLayer

    pdf = FPDF()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    pdf.multi_cell(0, 6, "Đơn vị tính: triệu đồng", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(first_row_as_headings=False) as table:
        for r in (["Nội dung", "Kinh phí"], ["Dự án 1", "1.200"]):
            row = table.row()
            for c in r:
                row.cell(c)
    with TextLayer(bytes(pdf.output())) as layer:
        found = layer.found_tables(0)
        lines = layer.page(0).lines
    assert [t.rows for t in found] == [[["Nội dung", "Kinh phí"], ["Dự án 1", "1.200"]]]
    assert lines[0]["bottom"] <= found[0].top < found[0].bottom  # the note stands above it
