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
