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


def _close(read: str, want: str, value: bool = False) -> bool:
    """OCR's reading of a cell: a value must be exact; in a label a slip of a few characters
    ('(I+II+III)' read '(=I+In)') is allowed, and a row number may be lost or lose its point (a
    lone '1' in a cell is often taken for a speck, '1.1' read '11')."""
    if value:
        return read == want
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
        assert all(_close(g, w, value=k >= 2) for k, (g, w) in enumerate(zip(got, expected))), (got, expected)
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
