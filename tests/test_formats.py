"""Plans as they arrive: Word files, web pages, saved portal copies, page images, legacy encodings.

Every input here is made the way the world makes it — a Word file with automatic numbering and
a header table, a portal page with menus, a Windows-1258 text file, a TCVN3 PDF text layer —
written from scratch in the test.
"""
import io
import json
import shutil

import pytest

from kehoach.normalizers import encodings
from kehoach.pipeline.extract import extract_path, extract_raw
from kehoach.pipeline.readers import Limits, read_bytes
from conftest import CASES, FIXTURES, case_params

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


# --- legacy encodings ------------------------------------------------------------------------

@pytest.mark.parametrize("case", case_params("encodings", "bytes"))
def test_legacy_bytes(case):
    found = encodings.decode_legacy_bytes(bytes.fromhex(case["bytes_hex"]))
    assert found is not None and (found.encoding, found.text) == (case["encoding"], case["expected"])


@pytest.mark.parametrize("case", case_params("encodings", "mojibake"))
def test_mojibake(case):
    found = encodings.repair_mojibake(case["text"])
    if case["encoding"] is None:
        assert found is None
    else:
        assert (found.encoding, found.text) == (case["encoding"], case["expected"])


PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM\nSố: 12/KH-UBND\nQuảng Nam, ngày 5 tháng 3 năm 2023\nKẾ HOẠCH\n"
        "Thực hiện giảm nghèo năm 2023\nI. MỤC TIÊU\nGiảm tỷ lệ hộ nghèo của các huyện và các xã trên địa bàn tỉnh.\n"
        "II. KINH PHÍ THỰC HIỆN\nTổng kinh phí là 300 triệu đồng.\n")


@pytest.mark.parametrize("encoding", ["cp1258", "tcvn3", "vni"])
def test_a_text_file_in_a_legacy_encoding_is_converted(encoding):
    data = _encode(PLAN if encoding != "tcvn3" else PLAN.lower(), encoding)
    rec = extract_raw(read_bytes(data, "plan.txt"))
    assert rec.error is None
    assert any("legacy" in w and "converted" in w for w in rec.warnings)
    assert [int(a.value_million_vnd) for a in rec.amounts] == [300]
    if encoding != "tcvn3":  # TCVN3 has no capitals with tone marks: the header reads in lower case
        assert rec.metadata.issuer == "Ủy ban nhân dân tỉnh Quảng Nam" and rec.metadata.doc_number == "12/KH-UBND"


def _encode(text: str, encoding: str) -> bytes:
    import unicodedata

    cat = json.loads((CASES.parent.parent / "catalogs" / "encodings.json").read_text(encoding="utf-8"))
    if encoding == "cp1258":
        out = b""
        for c in text:
            try:
                out += c.encode("cp1258")
            except UnicodeEncodeError:
                d = unicodedata.normalize("NFD", c)
                tones = "".join(m for m in d if m in "\u0300\u0301\u0303\u0309\u0323")
                base = unicodedata.normalize("NFC", "".join(m for m in d if m not in tones))
                out += base.encode("cp1258") + tones.encode("cp1258")
        return out
    table = {v: (chr(int(k, 16)) if encoding == "tcvn3" else k)
             for k, v in cat["tcvn3" if encoding == "tcvn3" else "vni"].items()}
    return "".join(table.get(c, c) for c in text).encode("latin-1")


def test_a_tcvn3_pdf_text_layer_is_converted(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)  # a core font writes the legacy bytes as Latin-1, as .VnTime PDFs read
    for line in _encode(PLAN.lower(), "tcvn3").decode("latin-1").splitlines():
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "old.pdf"))
    rec = extract_path(tmp_path / "old.pdf", include_text=True).record
    assert rec.error is None and "giảm tỷ lệ hộ nghèo của các huyện" in rec.text
    assert any("TCVN3" in w for w in rec.warnings)
    assert [int(a.value_million_vnd) for a in rec.amounts] == [300]


def test_text_that_stays_foreign_is_an_error(tmp_path):
    p = tmp_path / "sjis.txt"
    p.write_bytes(("計画の予算と実施の報告。" * 40).encode("shift_jis"))
    rec = extract_path(p).record
    assert rec.error.type == "encoding" and "TCVN3, VNI nor Windows-1258" in rec.error.message


# --- Word ------------------------------------------------------------------------------------

def _word_plan(path):
    """A plan as an office writes it in Word: header table, bold title over two paragraphs,
    headings numbered by Word's own lists, a task table."""
    from docx import Document
    from word_lists import add_list, number

    doc = Document()
    add_list(doc, 77, [("upperRoman", "%1.", 1), ("decimal", "%2.", 1)])

    def para(text, level=None, bold=False):
        p = doc.add_paragraph()
        p.add_run(text).bold = bold  # bold=False writes <w:b w:val="0"/>: not bold
        if level is not None:
            number(p, 77, level)
        return p

    table = doc.add_table(rows=3, cols=2)
    for (r, c), text in {(0, 0): "ỦY BAN NHÂN DÂN", (1, 0): "HUYỆN BẠCH THÔNG", (2, 0): "Số: 108/KH-UBND",
                         (0, 1): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (1, 1): "Độc lập - Tự do - Hạnh phúc",
                         (2, 1): "Bạch Thông, ngày 5 tháng 5 năm 2023"}.items():
        table.cell(r, c).paragraphs[0].add_run(text)
    para("KẾ HOẠCH", bold=True)
    para("Thực hiện công tác giảm nghèo năm 2023", bold=True)
    para("trên địa bàn huyện Bạch Thông", bold=True)
    para("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;")
    para("MỤC TIÊU", 0, True)
    para("Mục tiêu chung", 1, True)
    para("Giảm tỷ lệ hộ nghèo từ 3% trở lên.")
    para("Mục tiêu cụ thể", 1, True)
    para("Phấn đấu giảm 175 hộ nghèo.")
    para("TỔ CHỨC THỰC HIỆN", 0, True)
    para("Phân công nhiệm vụ như sau:")
    tasks = doc.add_table(rows=2, cols=3)
    for c, text in enumerate(["Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp"]):
        tasks.cell(0, c).paragraphs[0].add_run(text)
    for c, text in enumerate(["Triển khai Dự án 4", "Phòng LĐ-TB&XH", "UBND các xã, thị trấn"]):
        tasks.cell(1, c).paragraphs[0].add_run(text)
    doc.save(str(path))


def test_a_word_file_keeps_words_numbering_its_header_table_and_its_tables(tmp_path):
    _word_plan(tmp_path / "plan.docx")
    rec = extract_path(tmp_path / "plan.docx", include_text=True).record
    assert rec.error is None and rec.source.format == "docx"
    assert [(s.level, s.label, s.heading, s.kind) for s in rec.sections if s.label] == [
        (1, "I", "MỤC TIÊU", "objectives"), (2, "1", "Mục tiêu chung", "objectives"),
        (2, "2", "Mục tiêu cụ thể", "objectives"), (1, "II", "TỔ CHỨC THỰC HIỆN", "organization")]
    m = rec.metadata
    assert (m.issuer, m.doc_number, m.district) == ("Ủy ban nhân dân huyện Bạch Thông", "108/KH-UBND", "Bạch Thông")
    assert (m.issue_date.year, m.issue_date.month, m.issue_date.day) == (2023, 5, 5)
    assert m.title == "Thực hiện công tác giảm nghèo năm 2023 trên địa bàn huyện Bạch Thông"
    assert [(a.lead, a.coordinating) for a in rec.assignments] == [
        ("Phòng Lao động - Thương binh và Xã hội", ["Ủy ban nhân dân các xã, thị trấn"])]
    assert [r.number for r in rec.legal_refs] == ["90/QĐ-TTg"]
    assert "**Giảm tỷ lệ" not in rec.text  # a run with bold switched off is not bold


def test_a_legacy_word_file_names_the_conversion(tmp_path):
    p = tmp_path / "plan.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "WordDocument".encode("utf-16-le"))
    rec = extract_path(p).record
    assert rec.error.type == "unsupported_format" and "LibreOffice" in rec.error.message
    assert rec.source.format == "doc"


# --- web pages and saved portal copies -------------------------------------------------------

PORTAL = """<!DOCTYPE html><html><head><title>Kế hoạch 45/KH-UBND</title><style>p{margin:0}</style></head><body>
<div class="top-bar"><a href="/">Trang chủ</a> | <a href="/login">Đăng nhập</a></div>
<nav><ul><li>Văn bản mới</li><li>Văn bản UBND</li></ul></nav>
<form class="search"><input placeholder="Tìm kiếm"></form>
<table class="doc-info"><tr><td>Số hiệu:</td><td>45/KH-UBND</td><td>Loại văn bản:</td><td>Kế hoạch</td></tr>
<tr><td>Nơi ban hành:</td><td>Tỉnh Quảng Nam</td><td>Người ký:</td><td>Trần Văn Tân</td></tr>
<tr><td>Ngày ban hành:</td><td>05/03/2023</td><td>Tình trạng:</td><td>Đang cập nhật</td></tr></table>
<div class="content">
<p align="center"><b>KẾ HOẠCH</b></p><p align="center"><b>Hỗ trợ giảm nghèo năm 2023</b></p>
<p><b>I. MỤC TIÊU</b></p><p>Giảm tỷ lệ hộ nghèo 3%.</p>
<p><b>II. KINH PHÍ THỰC HIỆN</b></p><p>Đơn vị tính: triệu đồng</p>
<table border="1"><tr><th>Nội dung</th><th>Tổng số</th><th>Ngân sách trung ương</th></tr>
<tr><td>Dự án 1</td><td>1.200</td><td>1.000</td></tr><tr><td>Dự án 2</td><td>800</td><td>700</td></tr></table>
<p>Ủy ban nhân dân tỉnh Quảng Nam ban hành kế hoạch này.</p>
</div>
<div class="related"><h3>Văn bản liên quan</h3><ul><li>Quyết định 90/QĐ-TTg năm 2022</li></ul></div>
<footer>Bản quyền © Cổng thông tin</footer></body></html>"""


def test_a_portal_page_drops_its_furniture_keeps_its_tables_and_fills_what_the_plan_leaves_out(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(PORTAL, encoding="utf-8")
    rec = extract_path(p, include_text=True).record
    assert rec.error is None and rec.source.format == "html"
    assert "Đăng nhập" not in rec.text and "Văn bản liên quan" not in rec.text and "Bản quyền" not in rec.text
    assert [(s.label, s.kind) for s in rec.sections if s.label] == [("I", "objectives"), ("II", "budget")]
    assert sorted(int(a.value_million_vnd) for a in rec.amounts) == [700, 800, 1000, 1200]
    m = rec.metadata
    # the plan has no header: number, date and signer come from the portal's block, and say so
    assert (m.doc_number, m.signer.name) == ("45/KH-UBND", "Trần Văn Tân")
    assert (m.issue_date.year, m.issue_date.month, m.issue_date.day) == (2023, 3, 5)
    assert sorted(m.from_wrapper) == ["doc_number", "issue_date", "signer"]
    assert m.title == "Hỗ trợ giảm nghèo năm 2023"


def test_the_portal_block_never_overrides_the_plans_own_header():
    text = ("Số hiệu: 99/KH-UBND\nNgày ban hành: 01/01/2020\nNgười ký: Lê Văn A\n\n"
            "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM\nSố: 12/KH-UBND\nQuảng Nam, ngày 5 tháng 3 năm 2023\nKẾ HOẠCH\n"
            "Giảm nghèo năm 2023\nI. MỤC TIÊU\nGiảm nghèo.\n")
    rec = extract_raw(read_bytes(text.encode(), "saved.txt"))
    m = rec.metadata
    assert (m.doc_number, m.issue_date.year, m.issuer) == ("12/KH-UBND", 2023, "Ủy ban nhân dân tỉnh Quảng Nam")
    assert "doc_number" not in m.from_wrapper and "issue_date" not in m.from_wrapper


@pytest.mark.parametrize("folder", ["html", "wrapped", "docx"])
def test_renderings_of_the_seeds_read_like_the_seeds(folder, extracted):
    """The committed renderings (fixtures/make_renderings.py) give the seed's metadata and sections."""
    for seed in sorted((FIXTURES / "seeds").glob("*.txt")):
        other = next((FIXTURES / folder).glob(seed.stem + ".*"))
        a, b = extracted(seed), extracted(other)
        assert b.error is None
        assert a.metadata.model_dump(exclude={"from_wrapper"}) == b.metadata.model_dump(exclude={"from_wrapper"}), other.name
        assert [(s.level, s.label, s.kind) for s in a.sections if s.label] == \
               [(s.level, s.label, s.kind) for s in b.sections if s.label], other.name
        assert sorted(x.value_million_vnd for x in a.amounts) == sorted(x.value_million_vnd for x in b.amounts)


# --- scans and images ------------------------------------------------------------------------

def _scanned_page(dpi=200, angle=0.8, seed=3):
    """Page 1 of a seed's text PDF as a scanner sees it: grey, turned a little, dusty, JPEG."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument(str(FIXTURES / "pdf" / "003_2d714dcfa58f43ab.pdf"))
    img = pdf[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=250)
    arr = np.asarray(img, dtype=np.int16)
    gen = np.random.default_rng(seed)
    arr = arr + gen.normal(0, 6, arr.shape)
    dust = gen.random(arr.shape) < 0.0015
    arr[dust] = 60
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=55, dpi=(dpi, dpi))
    return buf.getvalue(), img


def _blank_page(dpi=200):
    import numpy as np
    from PIL import Image

    gen = np.random.default_rng(5)
    arr = np.full((int(11.69 * dpi), int(8.27 * dpi)), 247, np.uint8)
    dust = gen.random(arr.shape) < 0.0015
    arr[dust] = 80
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=50, dpi=(dpi, dpi))
    return buf.getvalue()


def test_the_resolution_of_an_img2pdf_scan_is_found(tmp_path):
    import img2pdf

    from kehoach.pipeline.readers import ocr

    jpeg, _ = _scanned_page()
    data = img2pdf.convert([jpeg])
    ocr._open_document("pdf", data)
    try:
        image = ocr._open.image(0)
    finally:
        ocr._open.close()
    # rendered at the image's own 200 dpi (an A4 page: 1654 px across), not at the 300 dpi default
    assert abs(image.width - 1654) <= 4


@needs_tesseract
def test_a_scan_made_the_common_way_is_read(tmp_path, monkeypatch):
    import img2pdf

    monkeypatch.setenv("KEHOACH_OCR_CACHE", str(tmp_path / "cache"))
    jpeg, _ = _scanned_page()
    (tmp_path / "scan.pdf").write_bytes(img2pdf.convert([jpeg, _blank_page()]))
    rec = extract_path(tmp_path / "scan.pdf").record
    assert rec.error is None
    assert [m.method for m in rec.source.page_methods] == ["tesseract", "blank"]
    assert rec.metadata.issuer == "Ủy ban nhân dân huyện Bạch Thông"
    assert [r.number for r in rec.legal_refs][:2] == ["90/QĐ-TTg", "108/KH-UBND"]
    assert any("blank pages" in w for w in rec.warnings)


@needs_tesseract
def test_page_images_and_a_multipage_tiff_go_through_ocr(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setenv("KEHOACH_OCR_CACHE", str(tmp_path / "cache"))
    _, page = _scanned_page()
    page.save(tmp_path / "page.png", dpi=(200, 200))
    blank = Image.open(io.BytesIO(_blank_page()))
    page.save(tmp_path / "scan.tif", save_all=True, append_images=[blank], dpi=(200, 200), compression="tiff_lzw")
    png = extract_path(tmp_path / "page.png").record
    tif = extract_path(tmp_path / "scan.tif").record
    for rec in (png, tif):
        assert rec.error is None and rec.source.format == "image" and rec.source.ocr
        assert rec.metadata.issuer == "Ủy ban nhân dân huyện Bạch Thông"
    assert (png.source.pages, tif.source.pages) == (1, 2)
    assert [m.method for m in tif.source.page_methods] == ["tesseract", "blank"]


def test_a_pdf_of_blank_pages_is_not_sent_to_tesseract(tmp_path, monkeypatch):
    import img2pdf

    from kehoach.pipeline.readers import ocr

    monkeypatch.setenv("KEHOACH_OCR_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(ocr, "tesseract_version", lambda: "test")
    (tmp_path / "blank.pdf").write_bytes(img2pdf.convert([_blank_page(100)] * 40))
    rec = extract_path(tmp_path / "blank.pdf").record
    assert rec.error.type == "no_text" and rec.error.message == "all 40 pages are blank: nothing to read"


def test_per_document_limits_end_a_document_with_a_clear_error(tmp_path, monkeypatch):
    import img2pdf

    from kehoach.pipeline.readers import ocr
    from kehoach.pipeline.readers import Limits

    monkeypatch.setattr(ocr, "tesseract_version", lambda: "test")
    (tmp_path / "long.pdf").write_bytes(img2pdf.convert([_blank_page(50)] * 30))
    rec = extract_path(tmp_path / "long.pdf", limits=Limits(max_pages=20)).record
    assert rec.error.type == "too_many_pages" and rec.error.message.startswith("30 pages, more than the limit of 20")
    monkeypatch.setenv("KEHOACH_OCR_CACHE", str(tmp_path / "cache"))
    rec = extract_path(tmp_path / "long.pdf", limits=Limits(max_seconds=0)).record
    assert rec.error.type == "timeout" and "KEHOACH_MAX_SECONDS" in rec.error.message


def test_tesseract_is_stopped_at_the_documents_deadline(tmp_path, monkeypatch):
    """pytesseract kills Tesseract after its timeout and raises; the page becomes the document's
    ``timeout``, not an internal error."""
    import img2pdf
    import pytesseract

    from kehoach.pipeline.readers import ocr

    seen = []

    def slow_tesseract(image, **kwargs):
        seen.append(kwargs.get("timeout"))
        raise RuntimeError("Tesseract process timeout")

    monkeypatch.setenv("KEHOACH_OCR_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv(ocr.OCR_WORKERS_ENV, "1")  # in this process, where the stand-in is
    monkeypatch.setattr(ocr, "tesseract_version", lambda: "test")
    monkeypatch.setattr(ocr._Document, "is_blank", lambda self, index: False)
    monkeypatch.setattr(pytesseract, "image_to_data", slow_tesseract)
    (tmp_path / "scan.pdf").write_bytes(img2pdf.convert([_blank_page(100)] * 2))
    rec = extract_path(tmp_path / "scan.pdf", limits=Limits(max_seconds=30)).record
    assert rec.error.type == "timeout" and "Tesseract stopped on page 1" in rec.error.message
    assert seen and 1 <= seen[0] <= 30  # given what was left of the document's 30 s
