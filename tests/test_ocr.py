"""OCR of scanned pages: per-page decisions, Tesseract's Vietnamese model, provenance, cache."""
import shutil

import pypdfium2 as pdfium
import pytest

from kehoach.pipeline.readers import ocr
from kehoach.pipeline.extract import extract_path
from kehoach.pipeline.readers.pdf import page_needs_ocr
from conftest import FIXTURES, case_params

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="tesseract is not installed (make test installs it)")
SCANS = FIXTURES / "scan"


@pytest.fixture(autouse=True)
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KEHOACH_OCR_CACHE", str(tmp_path / "ocr-cache"))


def pages_of(src, indices, dest):
    """A PDF of some pages of ``src`` (tests OCR one or two pages, not whole plans)."""
    pdf, out = pdfium.PdfDocument(str(src)), pdfium.PdfDocument.new()
    out.import_pages(pdf, indices)
    out.save(str(dest))
    return dest


@pytest.mark.parametrize("case", case_params("ocr"))
def test_repairs_of_tesseract_slips(case):
    assert ocr.repair_ocr_text(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", case_params("ocr", "page_decisions"))
def test_which_pages_go_to_ocr(case):
    assert page_needs_ocr(case["text"] * 3) == case["reason"]


@needs_tesseract
def test_a_scanned_budget_page(tmp_path):
    pdf = pages_of(SCANS / "000_1998f8f499f4cb06.scan.pdf", [3, 4], tmp_path / "budget.pdf")
    rec = extract_path(pdf, include_text=True).record
    assert rec.error is None and rec.source.ocr
    assert [m.method for m in rec.source.page_methods] == ["tesseract", "tesseract"]
    assert all(m.confidence and m.confidence > 80 for m in rec.source.page_methods)
    values = {int(a.value_million_vnd) for a in rec.amounts}
    assert {1291615, 187480, 102121, 1002015, 92583, 94897} <= values
    iv = next(s for s in rec.sections if s.label == "IV")
    assert (iv.kind, iv.level) == ("budget", 1) and iv.pages == [1, 2]
    for a in rec.amounts:
        assert rec.text[a.span[0]:a.span[1]] == a.raw and a.page in (1, 2)


@needs_tesseract
def test_mixed_pdf_keeps_good_text_pages(tmp_path):
    text_pdf = pdfium.PdfDocument(str(FIXTURES / "pdf" / "003_2d714dcfa58f43ab.pdf"))
    scan = pdfium.PdfDocument(str(SCANS / "003_2d714dcfa58f43ab.scan.pdf"))
    out = pdfium.PdfDocument.new()
    out.import_pages(text_pdf, [0])
    out.import_pages(scan, [1])
    out.save(str(tmp_path / "mixed.pdf"))
    rec = extract_path(tmp_path / "mixed.pdf").record
    assert [m.method for m in rec.source.page_methods] == ["text", "tesseract"]
    assert rec.source.page_methods[1].reason == "no text layer"
    assert rec.metadata.issuer == "Ủy ban nhân dân huyện Bạch Thông"
    assert any(s.label == "II" and s.kind == "objectives" for s in rec.sections)


@needs_tesseract
def test_ocr_results_are_cached_by_content_and_page(tmp_path, monkeypatch):
    pdf = pages_of(SCANS / "001_1b7a66c9567192c6.scan.pdf", [0], tmp_path / "one.pdf")
    data = pdf.read_bytes()
    first = ocr.ocr_pages(data, "sha-of-one", [1], workers=1)
    assert "KẾ HOẠCH" in first[1].text

    def no_tesseract(args):
        raise AssertionError("OCR ran again")
    monkeypatch.setattr(ocr, "_ocr_one", no_tesseract)
    again = ocr.ocr_pages(data, "sha-of-one", [1], workers=1)
    assert again[1] == first[1]
    with pytest.raises(AssertionError):
        ocr.ocr_pages(data, "another-document", [1], workers=1)


def test_without_tesseract_a_scan_is_reported_not_lost(tmp_path, monkeypatch):
    def missing():
        raise ocr.OcrUnavailable("tesseract is not installed")
    monkeypatch.setattr(ocr, "tesseract_version", missing)
    pdf = pages_of(SCANS / "002_bd045705af8ce7bb.scan.pdf", [0], tmp_path / "scan.pdf")
    rec = extract_path(pdf).record
    assert rec.error.type == "needs_ocr" and "tesseract is not installed" in rec.error.message
    rec = extract_path(pdf, ocr=False).record
    assert rec.error.type == "needs_ocr"


def _tesseract_data(rows: list[tuple[int, list[tuple[int, str]]]], height: int = 30) -> dict:
    """Tesseract's image_to_data for words at (top, [(left, text) …]) rows, one OCR line a row,
    each word 20 px a letter wide — as a page scanned at 200 dpi gives them."""
    data = {k: [] for k in ("text", "block_num", "par_num", "line_num", "left", "top", "width", "height", "conf")}
    for n, (top, words) in enumerate(rows):
        for left, text in words:
            for k, v in (("text", text), ("block_num", 1), ("par_num", 1), ("line_num", n), ("left", left),
                         ("top", top), ("width", 20 * len(text)), ("height", height), ("conf", 95)):
                data[k].append(v)
    return data


def _line(top: int, *cells: tuple[int, str]) -> tuple[int, list[tuple[int, str]]]:
    """A row whose cells start at the given x, their words 25 px a letter apart."""
    words = []
    for x, text in cells:
        for w in text.split():
            words.append((x, w))
            x += 20 * len(w) + 12
    return top, words


def test_a_two_column_header_is_read_column_by_column():
    # OCR's lines of a header set in a two-column table: issuer | motto, number | place and date
    data = _tesseract_data([
        _line(100, (150, "ỦY BAN NHÂN DÂN"), (1000, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        _line(140, (150, "HUYỆN BẠCH THÔNG"), (1050, "Độc lập - Tự do - Hạnh phúc")),
        _line(200, (150, "Số: /KH-UBND"), (1000, "Bạch Thông, ngày tháng 3 năm 2023")),
        _line(300, (700, "KẾ HOẠCH")),
    ])
    text, _ = ocr._lines_from_data(data, first_page=True)
    assert text.split("\n") == ["ỦY BAN NHÂN DÂN", "HUYỆN BẠCH THÔNG", "Số: /KH-UBND",
                                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                "Bạch Thông, ngày tháng 3 năm 2023", "KẾ HOẠCH"]


def test_a_signature_beside_the_recipients_keeps_the_signer_name():
    # 'Nơi nhận' list on the left, the signer on the right; a stamp adds a speck, and OCR joins
    # a recipient line with the signer's name line
    body = "Trên đây là Kế hoạch thực hiện công tác giảm nghèo năm 2023 trên địa bàn huyện"
    data = _tesseract_data([
        _line(60, (150, body)),
        _line(100, (150, "Nơi nhận:"), (1000, "TM. ỦY BAN NHÂN DÂN")),
        _line(140, (150, "- Sở Lao động;"), (1050, "KT. CHỦ TỊCH"), (1600, "Š")),
        _line(180, (150, "- TT Huyện ủy;"), (1040, "PHÓ CHỦ TỊCH")),
        _line(260, (150, "- Lưu: VT."), (1040, "Nguyễn Duy Luân")),
    ])
    text, _ = ocr._lines_from_data(data, first_page=False)
    lines = text.split("\n")
    assert lines[:5] == [body, "Nơi nhận:", "- Sở Lao động;", "- TT Huyện ủy;", "- Lưu: VT."]
    assert [x.removesuffix(" Š") for x in lines[5:8]] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert "Nguyễn Duy Luân" in lines[8:]


def test_columns_are_read_apart_only_in_the_header_and_the_signature():
    # two columns further down a page (a table, a form) keep OCR's own line order
    rows = [_line(100 + 40 * i, (150, f"Dòng {i} trái"), (1000, f"Dòng {i} phải")) for i in range(3)]
    data = _tesseract_data([_line(60, (150, "Nội dung văn bản dài chạy hết chiều ngang trang giấy in"))] * 12 + rows)
    text, _ = ocr._lines_from_data(data, first_page=False)
    assert text.split("\n")[-3:] == ["Dòng 0 trái Dòng 0 phải", "Dòng 1 trái Dòng 1 phải", "Dòng 2 trái Dòng 2 phải"]
