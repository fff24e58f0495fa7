"""Bad input gives an error record with a clear type and message, never a crash or a lost file."""
import json
import subprocess
import sys

import pytest
from fpdf import FPDF

from kehoach.pipeline.extract import extract_path
from conftest import FIXTURES, SEED_PDFS

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _encrypted_pdf(path):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Ke hoach giam ngheo nam 2023")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.output(str(path))


def _image_only_pdf(path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    pdf.output(str(path))


BAD = {
    "empty.pdf": (b"", "empty"),
    "blank.txt": (b"   \n\n  ", "empty"),
    "junk.pdf": (bytes(range(256)) * 40, "unsupported_format"),
    "photo.pdf": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "corrupt_image"),
    "sjis.txt": (("計画の予算と実施の報告。" * 30).encode("shift_jis"), "encoding"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "WordDocument".encode("utf-16-le") + b"\x00" * 50,
                "unsupported_format"),
    "sheet.docx": (b"PK\x03\x04" + b"\x00" * 60, "unsupported_format"),
    "english.txt": (("The committee shall publish the annual budget report and the audit findings. " * 20).encode(), "not_vietnamese"),
    "broken.pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF", "corrupt_pdf"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_bytes(tmp_path, name):
    data, expected = BAD[name]
    p = tmp_path / name
    p.write_bytes(data)
    rec = extract_path(p).record
    assert rec.error is not None and rec.error.type == expected
    assert rec.error.message and "\n" not in rec.error.message
    assert rec.source.path == str(p) and rec.source.size_bytes == len(data)
    assert rec.sections == [] and rec.legal_refs == []


def test_truncated_pdf(tmp_path):
    data = SEED_PDFS[0].read_bytes()
    p = tmp_path / "truncated.pdf"
    p.write_bytes(data[: len(data) // 3])
    rec = extract_path(p).record
    # a PDF cut before its cross-reference table: reported as damaged, with the parser's reason
    assert rec.error is not None and rec.error.type == "corrupt_pdf"
    assert rec.error.message.startswith("PDF cannot be parsed")
    assert rec.source.size_bytes == len(data) // 3 and rec.sections == []


def test_encrypted_pdf(tmp_path):
    p = tmp_path / "locked.pdf"
    _encrypted_pdf(p)
    rec = extract_path(p).record
    assert rec.error is not None and rec.error.type == "encrypted"


def test_a_pdf_of_pictures_without_words(tmp_path):
    import shutil

    p = tmp_path / "scan.pdf"
    _image_only_pdf(p)
    rec = extract_path(p).record
    # read by OCR when Tesseract is there (and found empty), else reported as needing OCR
    assert rec.error is not None
    assert rec.error.type == ("no_text" if shutil.which("tesseract") else "needs_ocr")
    assert extract_path(p, ocr=False).record.error.type == "needs_ocr"


def test_text_file_named_pdf_is_read_as_text(tmp_path):
    p = tmp_path / "plan.pdf"
    p.write_bytes((FIXTURES / "seeds" / "000_1998f8f499f4cb06.txt").read_bytes())
    rec = extract_path(p).record
    assert rec.error is None and rec.source.format == "txt"
    assert "extension .pdf but the content is txt; read as txt" in rec.warnings
    assert rec.metadata.issuer == "Ủy ban nhân dân tỉnh Quảng Nam"


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_bytes(SEED_PDFS[1].read_bytes())
    rec = extract_path(p).record
    assert rec.error is None and rec.source.format == "pdf" and rec.source.pages > 1


def test_batch_goes_on_and_reports(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a_empty.pdf").write_bytes(b"")
    (inbox / "b_plan.txt").write_bytes((FIXTURES / "seeds" / "001_1b7a66c9567192c6.txt").read_bytes())
    (inbox / "c_junk.pdf").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "kehoach.cli", "extract", str(inbox), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["source"]["path"].rsplit("/", 1)[1] for x in lines] == ["a_empty.pdf", "b_plan.txt", "c_junk.pdf"]
    assert [x["error"]["type"] if x["error"] else None for x in lines] == ["empty", None, "unsupported_format"]
    assert "3 documents" in proc.stderr and "2 failed" in proc.stderr
    assert "a_empty.pdf: empty" in proc.stderr
