"""Read a file into a RawDocument, deciding its format from its bytes.

The extension is a hint only: a text file named ``.pdf`` is read as text (with a warning), a
PDF named ``.txt`` as a PDF. Each format has its reader (``pdf``, ``docx``, ``html``, ``image``,
``text``), and every file passes the guards (``guards``) first, here and nowhere else: its size,
a Word file's declared member sizes and its XML, an image's pixels, a text's length. Whatever
cannot be read raises ``IngestError`` with a type from a short fixed list, so a batch records it
and goes on.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from kehoach.models.records import RawDocument
from kehoach.normalizers.text import vietnamese_ratio
from kehoach.pipeline.readers import guards
from kehoach.pipeline.readers.cell_lines import cell_line_tables
from kehoach.pipeline.readers.limits import IngestError, Limits
from kehoach.pipeline.readers.pdf import MIN_VIETNAMESE_RATIO, read_pdf
from kehoach.pipeline.readers.sniff import BINARY_MAGIC, sniff
from kehoach.pipeline.readers.text import decode_text, markdown_tables, text_document


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: str | Path, ocr: bool = True, limits: Limits | None = None) -> RawDocument:
    path = Path(path)
    limits = limits or Limits.from_env()
    try:
        guards.check_size(path.stat().st_size, limits)  # before the file is read whole
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError("unreadable", f"cannot read file: {exc.strerror or exc}") from exc
    return read_bytes(data, str(path), ocr=ocr, limits=limits)


def read_bytes(data: bytes, path: str, ocr: bool = True, limits: Limits | None = None) -> RawDocument:
    digest = sha256_bytes(data)
    ext = Path(path).suffix.lower()
    if not data.strip():
        raise IngestError("empty", "file is empty" if not data else "file holds only white space")
    limits = limits or Limits.from_env()
    guards.check_size(len(data), limits)
    kind = sniff(data)
    if kind == "pdf":
        doc = read_pdf(data, path, digest, ocr, limits)
    elif kind == "docx":
        from kehoach.pipeline.readers.docx import read_docx

        guards.check_zip(data)
        guards.check_xml_members(data)
        doc = read_docx(data, path, digest)
    elif kind == "image":
        from kehoach.pipeline.readers.image import read_image

        doc = read_image(data, path, digest, ocr, limits)
    elif kind == "doc":
        raise IngestError("unsupported_format", "a legacy Word document (.doc): convert it to .docx first, "
                          "e.g. with LibreOffice: soffice --headless --convert-to docx FILE.doc")
    elif kind in ("zip", "ole"):
        raise IngestError("unsupported_format", f"content is {'a ZIP container' if kind == 'zip' else 'an OLE2 file'}"
                          " but not a Word document (.docx): spreadsheets and other Office files are not plans")
    else:
        for magic, what in BINARY_MAGIC.items():
            if data.startswith(magic):
                raise IngestError("unsupported_format", f"content is {what}, not a document kehoach reads")
        text, warnings = decode_text(data)
        # a page's markup is several times its text: its text is checked once converted
        guards.check_chars(text, limits, allowance=4 if kind == "html" else 1)
        if kind == "html":
            from kehoach.pipeline.readers.html import read_html

            doc = read_html(text, path, digest, len(data))
        else:
            doc = text_document(text, path, digest, len(data), ext)
        doc.warnings.extend(warnings)
    guards.check_chars(doc.text, limits)
    if kind != "pdf" and ext == ".pdf":
        doc.warnings.append(f"extension .pdf but the content is {doc.format}; read as {doc.format}")
    elif kind == "pdf" and ext != ".pdf":
        doc.warnings.append(f"extension {ext or '(none)'} but the content is a PDF")
    if doc.tables == [] and doc.is_markdown:
        doc.tables = markdown_tables(doc.text)
    if kind == "text":
        # a portal page converted with each table cell on a line of its own, in .md or .txt
        doc.tables = doc.tables + cell_line_tables(doc.text)
    _check_language(doc.text)
    return doc


def _check_language(text: str) -> None:
    sample = text[:50000]
    letters = sum(1 for c in sample if c.isalpha())
    if letters >= 200 and vietnamese_ratio(sample) < MIN_VIETNAMESE_RATIO:
        raise IngestError("not_vietnamese",
                          f"text does not look Vietnamese ({vietnamese_ratio(sample):.0%} of letters carry "
                          "Vietnamese diacritics; plans have 25–45%)")
