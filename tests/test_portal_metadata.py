"""Metadata of pages captured from legal portals (tests/cases/portal_metadata.json; the pages in
fixtures/real/portal/, their addresses in its README)."""
import pytest

from kehoach.extractors.metadata import _page_number, _portal_values
from kehoach.pipeline.extract import extract_path, extract_text
from conftest import ROOT, case_params


def _check(meta, expect: dict) -> None:
    """Each field the case names, compared with what was extracted."""
    for field, want in expect.items():
        got = getattr(meta, field)
        if field == "issue_date":
            got = None if got is None else [got.year, got.month, got.day]
        elif field == "period":
            got = None if got is None else [got.start, got.end]
        elif field == "signer":
            got = None if got is None or got.name is None else [got.name, got.title]
        assert got == want, field


@pytest.mark.parametrize("case", case_params("portal_metadata", "pages"))
def test_a_captured_page(case):
    rec = extract_path(ROOT / case["file"]).record
    assert rec.error is None
    _check(rec.metadata, case["expect"])


@pytest.mark.parametrize("case", case_params("portal_metadata", "documents"))
def test_page_text(case):
    _check(extract_text(case["raw"], fmt=case.get("fmt", "txt")).metadata, case["expect"])


@pytest.mark.parametrize("case", case_params("portal_metadata", "portal_block"))
def test_the_portal_block(case):
    assert _portal_values(case["lines"]) == case["values"]


@pytest.mark.parametrize("case", case_params("portal_metadata", "page_number"))
def test_the_page_names_the_number(case):
    assert _page_number(case["lines"]) == case["number"]


def test_the_block_s_signer_is_not_claimed_where_the_header_is_there():
    """The block's 'Người ký' is the site's record: a page showing the plan's header but not its
    end (an excerpt) has no signer (dev gold p01, p03, p05 say so)."""
    text = ("Số hiệu: 51/KH-UBND Loại văn bản: Kế hoạch\nNơi ban hành: Tỉnh Lạng Sơn Người ký: Dương Xuân Huyên\n"
            "Ngày ban hành: 01/03/2024 Ngày hiệu lực: Đã biết\n\nỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\n-------\n\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\nSố: 51/KH-UBND\n\n"
            "Lạng Sơn, ngày 01 tháng 03 năm 2024\n\nKẾ HOẠCH\n\nTHỰC HIỆN CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO "
            "BỀN VỮNG NĂM 2024 TRÊN ĐỊA BÀN TỈNH LẠNG SƠN\n\n"
            "Căn cứ Nghị quyết số 24/2021/QH15 ngày 28/7/2021 của Quốc hội;\n")
    m = extract_text(text).metadata
    assert (m.issuer, m.doc_number, m.signer, m.from_wrapper) == (
        "Ủy ban nhân dân tỉnh Lạng Sơn", "51/KH-UBND", None, [])
