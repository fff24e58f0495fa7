"""Contract tests of every call kehoach makes of pdfplumber and pypdfium2 (pipeline/readers/pdf_backend.py).

An upgrade of either library that changes what these calls return fails here, by name, instead
of quietly costing the output its structure.
"""
import pytest

from kehoach.pipeline.readers.pdf_backend import PdfError, Raster, TextLayer
from conftest import FIXTURES

TEXT_PDF = FIXTURES / "pdf" / "003_2d714dcfa58f43ab.pdf"
SCAN_PDF = FIXTURES / "img2pdf" / "003_2d714dcfa58f43ab.img2pdf.pdf"


def test_text_layer_lines_carry_text_position_and_fonts():
    with TextLayer(TEXT_PDF.read_bytes()) as pdf:
        assert pdf.page_count == 10
        page = pdf.page(0)
        assert page.warning is None and 500 < page.width < 700  # A4 in points
        first = page.lines[0]
        assert {"text", "x0", "x1", "chars"} <= set(first)
        assert first["x0"] < first["x1"] and first["chars"][0]["text"] == first["text"][0]
        assert "fontname" in first["chars"][0] and "DejaVu" in first["chars"][0]["fontname"]
        assert "ỦY BAN NHÂN DÂN" in page.text
        bold = [ln for ln in page.lines if all("Bold" in c["fontname"] for c in ln["chars"] if c["text"].strip())]
        assert bold  # the fixture sets its headings in bold: the layout stage reads that


def test_text_layer_tables_are_rows_of_cell_texts():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    with pdf.table(first_row_as_headings=False) as table:
        for r in (["Nội dung", "Kinh phí"], ["Dự án 1", "1.200"]):
            row = table.row()
            for c in r:
                row.cell(c)
    with TextLayer(bytes(pdf.output())) as layer:
        assert layer.tables(0) == [[["Nội dung", "Kinh phí"], ["Dự án 1", "1.200"]]]


def test_raster_renders_at_the_asked_resolution_and_finds_a_scans_own():
    with Raster(SCAN_PDF.read_bytes()) as pdf:
        assert len(pdf) == 12
        assert pdf.native_dpi(0) == pytest.approx(200, abs=1)
        image = pdf.render(0, 100)
        assert image.mode == "L" and abs(image.width - 827) <= 2  # A4 at 100 dpi
    with Raster(TEXT_PDF.read_bytes()) as pdf:
        assert pdf.native_dpi(0) is None  # no image on a text page


@pytest.mark.parametrize("data,type_", [
    (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF", "corrupt_pdf"),
    (TEXT_PDF.read_bytes()[:4000], "corrupt_pdf"),
])
def test_bad_files_raise_the_contracts_error_types(data, type_):
    with pytest.raises(PdfError) as err:
        TextLayer(data)
    assert err.value.type == type_ and err.value.message


def test_an_encrypted_file_is_encrypted():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Ke hoach")
    pdf.set_encryption(owner_password="o", user_password="secret")
    with pytest.raises(PdfError) as err:
        TextLayer(bytes(pdf.output()))
    assert err.value.type == "encrypted"


def test_a_library_bug_is_not_a_bad_file(monkeypatch):
    """Anything but the libraries' own errors for bad files propagates: it is a bug to see."""
    import pdfplumber

    def broken(*args, **kwargs):
        raise AttributeError("'Page' object has no attribute 'extract_text_lines'")
    monkeypatch.setattr(pdfplumber, "open", broken)
    with pytest.raises(AttributeError):
        TextLayer(TEXT_PDF.read_bytes())
    from kehoach.pipeline.extract import extract_path

    rec = extract_path(TEXT_PDF).record
    assert rec.error.type == "internal_error" and "AttributeError" in rec.error.message


def test_a_damaged_page_loses_itself_with_a_warning_not_the_document(monkeypatch):
    import pdfplumber.page
    from pdfminer.psexceptions import PSEOF

    from kehoach.pipeline.readers.pdf import read_pdf

    original = pdfplumber.page.Page.extract_text_lines

    def lines(self, *args, **kwargs):
        if self.page_number == 2:
            raise PSEOF("Unexpected EOF")
        return original(self, *args, **kwargs)
    monkeypatch.setattr(pdfplumber.page.Page, "extract_text_lines", lines)
    raw = read_pdf(TEXT_PDF.read_bytes(), "x.pdf", "sha", ocr=False)
    assert "page 2: text layer unreadable (PSEOF)" in raw.warnings
    assert raw.page_methods[1] == {"page": 2, "method": "text", "reason": "no text layer"}
    assert raw.pages_needing_ocr == [2] and "ỦY BAN NHÂN DÂN" in raw.text
