"""Tables of scanned pages rebuilt on their grid (issue 17, item 2: pipeline/readers/ocr_tables.py).

Each case of ``tests/cases/ocr_tables.json`` is a table as plans print it (its rows from a real
plan), written as HTML, printed by headless Chromium and scanned at 200 dpi as the world scans:
grey JPEG pages with a slight turn and grain, bound by img2pdf. The grid is checked in the image
(rows, columns, merged cells), then the whole path — rules painted out, Tesseract, words into
cells — gives the table's rows, each cell pointing into its words in the text. The decision with
budget tables in ``fixtures/scan_tables/`` is read end to end against its answers.
"""
from __future__ import annotations

import json
import random
import shutil
from html import escape
from pathlib import Path

import pytest

from conftest import FIXTURES, case_params
from kehoach.normalizers.text import edit_distance
from kehoach.pipeline.readers import ocr, ocr_tables

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium is not installed")
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KEHOACH_OCR_CACHE", str(tmp_path / "ocr-cache"))


def _html(case: dict) -> str:
    from make_renderings import TABLE_CSS

    head = "".join("<tr>" + "".join(f"<th colspan={cs} rowspan={rs}>{escape(t)}</th>" for t, cs, rs in row) + "</tr>"
                   for row in case["header"])
    cols = "".join(f"<col style='width:{w}%'>" for w in case.get("widths", []))
    body = "".join("<tr>" + "".join(f"<td class=num>{escape(c)}</td>" if k > 1 else f"<td>{escape(c)}</td>"
                                    for k, c in enumerate(row)) + "</tr>" for row in case["rows"])
    space = f"<div style='height:{case['space_above_cm']}cm'></div>" if case.get("space_above_cm") else ""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{TABLE_CSS}</head><body>{space}"
            "<p>Biểu kèm theo Kế hoạch</p><p class=unit>ĐVT: triệu đồng</p>"
            f"<table class={case['style']}><colgroup>{cols}</colgroup><thead>{head}</thead><tbody>{body}</tbody></table>"
            "<p>Các sở, ngành tổ chức thực hiện.</p></body></html>")


_scans: dict[str, Path] = {}


def _scan(case: dict, tmp_path_factory) -> Path:
    from make_renderings import print_and_scan

    if case["id"] not in _scans:
        out = tmp_path_factory.mktemp("scans") / f"{case['id']}.scan.pdf"
        print_and_scan(_html(case), out, random.Random(case["id"]), quality=75, turn=1.0)
        _scans[case["id"]] = out
    return _scans[case["id"]]


def _page_grids(path: Path, index: int) -> list[ocr_tables.Grid]:
    """The grids of a page as the OCR path finds them: deskewed, rules found, columns prepared."""
    from PIL import Image

    doc = ocr._Document("pdf", path.read_bytes())
    try:
        image = doc.image(index)
    finally:
        doc.close()
    angle = ocr.deskew_angle(image)
    if abs(angle) >= 0.5:
        image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    h_rules, v_rules, mask, size = ocr_tables.find_rulings(image)
    _, grids = ocr_tables.prepare(image, mask, ocr_tables.find_grids(h_rules, v_rules, size))
    return grids


def _merged(grid: ocr_tables.Grid) -> list[list[int]]:
    cells: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r, row in enumerate(grid.owner):
        for c, own in enumerate(row):
            cells.setdefault(own, []).append((r, c))
    return sorted([min(p[0] for p in ps), min(p[1] for p in ps), max(p[0] for p in ps), max(p[1] for p in ps)]
                  for ps in cells.values() if len(ps) > 1)


GRID_CASES = [c for c in case_params("ocr_tables") if "grid" in c.values[0]]


@needs_chromium
@pytest.mark.parametrize("case", GRID_CASES)
def test_the_grid_is_found_in_the_image(case, tmp_path_factory):
    grids = _page_grids(_scan(case, tmp_path_factory), 0)
    assert len(grids) == 1
    grid = grids[0]
    assert (len(grid.ys) - 1, len(grid.xs) - 1) == (case["grid"]["rows"], case["grid"]["cols"])
    assert _merged(grid) == sorted(case["grid"]["merged"])


def _close(read: str, want: str, value: bool = False, number: bool = False) -> bool:
    """OCR's reading of a cell: a value must be exact; in a label a slip of a few characters
    ('(I+II+III)' read '(=I+In)') is allowed; a row number is compared without its points and
    specks ('1.1.1' read '11.1 `'), and may lose a stroke ('III' read 'II...'); 'H' is OCR's
    reading of 'II' (ocr._glyph_reading; not repaired inside tables yet)."""
    if value:
        return read == want
    if number:
        def bare(x: str) -> str:
            return "".join(ch for ch in x if ch.isalnum()).replace("H", "II")
        return edit_distance(bare(read), bare(want)) <= 1
    return edit_distance(read.lower(), want.lower()) <= max(2, len(want) // 6)


@needs_chromium
@needs_tesseract
@pytest.mark.parametrize("case", case_params("ocr_tables"))
def test_the_scanned_table_reads_as_its_rows(case, tmp_path_factory):
    from kehoach.pipeline.readers import read_document

    raw = read_document(_scan(case, tmp_path_factory))
    assert len(raw.tables) == 1  # a table over pages is one
    table = raw.tables[0]
    n_head = len(case["header"])
    header = [[c.text for c in row] for row in table.rows[:n_head]]
    if "expect_header" in case:
        for got, want in zip(header, case["expect_header"]):
            assert [bool(c) for c in got] == [bool(c) for c in want]
            assert all(_close(g, w) for g, w in zip(got, want) if w), (got, want)
    body = [[c.text for c in row] for row in table.rows[n_head:]]
    want = case["rows"]
    assert len(body) == len(want)
    for got, expected in zip(body, want):
        assert len(got) == len(expected)
        assert all(_close(g, w, value=k >= 2, number=k == 0) for k, (g, w) in enumerate(zip(got, expected))), \
            (got, expected)
    for row in table.rows:  # every cell points into its own words in the text
        for cell in row:
            if cell.text:
                assert raw.text[cell.start:cell.start + len(cell.text)] == cell.text
    if case["id"] == "over-pages":
        assert table.page == 1 and raw.page_starts[1] < table.rows[-1][-1].start


# --- the decision with budget tables, end to end -------------------------------------------

DECISION = FIXTURES / "scan_tables" / "qd_phan_bo_von_2026.scan.pdf"


@needs_tesseract
def test_a_scanned_budget_decision_gives_its_amounts():
    """Every money cell of the decision's two appendix tables (one over two pages with a merged
    header, one ruled by horizontal lines only) against the answers written with it."""
    from kehoach.pipeline.extract import extract_path

    rec = extract_path(DECISION, include_text=True).record
    gold = json.loads((FIXTURES / "scan_tables" / "gold" / "qd_phan_bo_von_2026.json").read_text(encoding="utf-8"))
    want = sorted(a["value_million_vnd"] for a in gold["amounts"])
    got = sorted(float(a.value_million_vnd) for a in rec.amounts)
    matched, pool = 0, list(got)
    for v in want:
        if v in pool:
            pool.remove(v)
            matched += 1
    precision, recall = matched / len(got), matched / len(want)
    assert 2 * precision * recall / (precision + recall) >= 0.90
    table_amounts = [a for a in rec.amounts if a.table_column]
    assert {a.page for a in table_amounts} == {2, 3}  # the appendix runs over two pages
    for a in table_amounts:  # each cell's span holds its words
        assert rec.text[a.span[0]:a.span[1]] == a.raw
    assert any(a.table_column == "Kế hoạch vốn năm 2026 > Tổng số > (4)" for a in table_amounts)


# --- the stages on their own (no Chromium, no Tesseract) -------------------------------------

def _rules_of_grid(xs, ys, missing_v=(), missing_h=()):
    """Rules of a grid drawn at ``xs`` × ``ys``, leaving out vertical segments (row, column
    boundary) and horizontal ones (row boundary, column) where cells are merged."""
    R = ocr_tables._Rule
    h = []
    for i, y in enumerate(ys):
        for j in range(len(xs) - 1):
            if (i, j) not in missing_h:
                h.append(R(xs[j], y - 1, xs[j + 1], y + 1))
    v = []
    for j, x in enumerate(xs):
        for i in range(len(ys) - 1):
            if (i, j) not in missing_v:
                v.append(R(x - 1, ys[i], x + 1, ys[i + 1]))
    return h, v


def test_missing_rules_merge_cells():
    # 'STT' over two header rows, 'Kế hoạch vốn năm 2026' over two columns (the decision's header)
    xs, ys = [100, 200, 800, 1100, 1400], [300, 360, 420, 480, 540]
    h, v = _rules_of_grid(xs, ys, missing_v={(0, 3)}, missing_h={(1, 0), (1, 1)})
    # the segments of one rule touch: joined as the image's connected components would be
    grids = ocr_tables.find_grids(h, v, (1654, 2339))
    assert len(grids) == 1
    assert (len(grids[0].ys) - 1, len(grids[0].xs) - 1) == (4, 4)
    assert _merged(grids[0]) == [[0, 0, 1, 0], [0, 1, 1, 1], [0, 2, 0, 3]]


def test_long_rules_alone_make_a_table_short_ones_do_not():
    R = ocr_tables._Rule
    rows = [R(200, y, 1500, y + 2) for y in (500, 560, 620, 680)]
    underline = [R(300, 200, 420, 202)]  # the line under the issuer's name
    grids = ocr_tables.find_grids(rows + underline, [], (1654, 2339))
    assert [(g.ruled, len(g.ys) - 1) for g in grids] == [(False, 3)]


def _data(words):
    """Tesseract's data for words given as (text, left, top, width, height, line)."""
    keys = ("text", "block_num", "par_num", "line_num", "left", "top", "width", "height", "conf")
    data = {k: [] for k in keys}
    for text, left, top, width, height, line in words:
        for k, val in zip(keys, (text, 1, 1, line, left, top, width, height, 95)):
            data[k].append(val)
    return data


def test_words_fall_in_their_cells_and_keep_their_places_in_the_text():
    xs, ys = [100, 200, 800, 1100], [300, 360, 460]
    grid = ocr_tables.find_grids(*_rules_of_grid(xs, ys), (1654, 2339))[0]
    data = _data([("ĐVT:", 900, 250, 60, 25, 1), ("triệu", 965, 250, 60, 25, 1), ("đồng", 1030, 250, 60, 25, 1),
                  ("STT", 120, 320, 50, 25, 2), ("Dự", 220, 320, 30, 25, 2), ("án", 255, 320, 30, 25, 2),
                  ("Vốn", 820, 320, 50, 25, 2),
                  ("1", 140, 370, 12, 25, 3), ("Trường", 220, 370, 90, 25, 3), ("mầm", 315, 370, 60, 25, 3),
                  ("non", 220, 410, 50, 25, 4),  # the label wraps
                  ("1", 820, 385, 12, 25, 3), ("291", 835, 385, 40, 25, 3), ("615", 880, 385, 40, 25, 3),
                  ("Các", 100, 500, 50, 25, 5), ("sở", 155, 500, 30, 25, 5)])
    text, _, tables = ocr._page_from_data(data, first_page=False, grids=[grid])
    assert text.split("\n") == ["ĐVT: triệu đồng", "STT Dự án Vốn", "1 Trường mầm non 1.291.615", "Các sở"]
    (table,) = tables
    assert table.rows == [["STT", "Dự án", "Vốn"], ["1", "Trường mầm non", "1.291.615"]]
    assert (table.text_above, table.text_below) == (True, True)
    for row, starts in zip(table.rows, table.starts):
        for cell, at in zip(row, starts):
            assert text[at:at + len(cell)] == cell


COLUMN_NUMBER_CASES = [
    ("read-right", ["(1)", "(2)", "(3)", "(4)"], ["(1)", "(2)", "(3)", "(4)"]),
    ("misread-digits", ["q)", "(2)", "@)", "(4)", "@®)", "(6)"], ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]),
    ("two-read-right", ["@)", "@)", "@)", "4)", "(@)", "(6)"], ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]),
    ("not-numbering", ["1", "Dự án", "3.000"], None),
    ("numbers-disagree", ["(1)", "(3)", "(2)"], None),
    ("an-empty-cell", ["(1)", "", "(3)"], None),
]


@pytest.mark.parametrize("row,expected", [c[1:] for c in COLUMN_NUMBER_CASES], ids=[c[0] for c in COLUMN_NUMBER_CASES])
def test_the_row_numbering_the_columns_is_put_back(row, expected):
    assert ocr_tables._column_numbers(row) == expected
