"""Read a file into a RawDocument, deciding its format from its bytes.

The extension is a hint only: a text file named ``.pdf`` is read as text (with a warning), a
PDF named ``.txt`` as a PDF. Each format has its reader (``read_pdf``, ``read_docx``,
``read_html``, ``read_image``); text in a legacy Vietnamese encoding is converted
(``normalizers.encodings``). Whatever cannot be read raises ``IngestError`` with a type from a
short fixed list, so a batch records it and goes on.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import regex

from kehoach.models.records import RawDocument, Table, TableCell
from kehoach.pipeline.cell_lines import cell_line_tables
from kehoach.normalizers.encodings import decode_legacy_bytes, repair_mojibake
from kehoach.normalizers.text import vietnamese_ratio
from kehoach.pipeline.read_pdf import MIN_VIETNAMESE_RATIO, read_pdf
from kehoach.pipeline.reading import IngestError, Limits

TEXT_EXTENSIONS = {".txt", ".text"}
MARKDOWN_EXTENSIONS = {".md", ".markdown"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# .doc is taken so that a legacy Word file gets a record saying how to convert it
SUPPORTED_EXTENSIONS = ({".pdf", ".docx", ".doc"} | TEXT_EXTENSIONS | MARKDOWN_EXTENSIONS | HTML_EXTENSIONS
                        | IMAGE_EXTENSIONS)

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_BINARY_MAGIC = {
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}
_MD_SIGNALS = regex.compile(r"^(?:#{1,6}\s|\*\*[^*].*\*\*\s*$|\|.*\|\s*$)", regex.MULTILINE)
_HTML_START = regex.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                            regex.IGNORECASE | regex.DOTALL)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: str | Path, ocr: bool = True, limits: Limits | None = None) -> RawDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError("unreadable", f"cannot read file: {exc.strerror or exc}") from exc
    return read_bytes(data, str(path), ocr=ocr, limits=limits)


def sniff(data: bytes) -> str:
    """The format the bytes are: pdf, docx, doc, image, html or text (by content, not name)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc" if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data else "ole"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if _HTML_START.match(data[:4096]):
        return "html"
    return "text"


def read_bytes(data: bytes, path: str, ocr: bool = True, limits: Limits | None = None) -> RawDocument:
    digest = sha256_bytes(data)
    ext = Path(path).suffix.lower()
    if not data.strip():
        raise IngestError("empty", "file is empty" if not data else "file holds only white space")
    kind = sniff(data)
    limits = limits or Limits.from_env()
    if kind == "pdf":
        doc = read_pdf(data, path, digest, ocr, limits)
    elif kind == "docx":
        from kehoach.pipeline.read_docx import read_docx

        doc = read_docx(data, path, digest)
    elif kind == "image":
        from kehoach.pipeline.read_image import read_image

        doc = read_image(data, path, digest, ocr, limits)
    elif kind == "doc":
        raise IngestError("unsupported_format", "a legacy Word document (.doc): convert it to .docx first, "
                          "e.g. with LibreOffice: soffice --headless --convert-to docx FILE.doc")
    elif kind in ("zip", "ole"):
        raise IngestError("unsupported_format", f"content is {'a ZIP container' if kind == 'zip' else 'an OLE2 file'}"
                          " but not a Word document (.docx): spreadsheets and other Office files are not plans")
    else:
        for magic, what in _BINARY_MAGIC.items():
            if data.startswith(magic):
                raise IngestError("unsupported_format", f"content is {what}, not a document kehoach reads")
        text, warning = _decode_text(data)
        if kind == "html":
            from kehoach.pipeline.read_html import read_html

            doc = read_html(text, path, digest, len(data))
        else:
            doc = _text_document(text, path, digest, len(data), ext)
        if warning:
            doc.warnings.append(warning)
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


def _text_document(text: str, path: str, digest: str, size: int, ext: str) -> RawDocument:
    # converters write Markdown into .txt files too: the content decides
    md = ext in MARKDOWN_EXTENSIONS or len(_MD_SIGNALS.findall(text[:20000])) >= 3
    return RawDocument(path=path, sha256=digest, format="md" if md else "txt", size_bytes=size, text=text)


_PIPE_ROW = regex.compile(r"^[ \t]*\|.*\|[ \t]*$", regex.MULTILINE)
_PIPE_RULE = regex.compile(r"^[\s|:\-]+$")


def markdown_tables(text: str) -> list[Table]:
    """Pipe tables of a Markdown text, with each cell's source offset."""
    tables: list[Table] = []
    rows: list[list[TableCell]] = []
    last_end = -2
    for m in _PIPE_ROW.finditer(text):
        if m.start() != last_end + 1 and rows:
            tables.append(Table(rows))
            rows = []
        last_end = m.end()
        line = m.group(0)
        if _PIPE_RULE.match(line):
            continue
        cells, pos = [], m.start()
        for part in line.split("|")[1:-1] if line.strip().endswith("|") else line.split("|")[1:]:
            pos = text.index("|", pos) + 1
            stripped = part.strip().strip("*_").strip()
            offset = text.find(stripped, pos) if stripped else pos
            cells.append(TableCell(stripped, offset))
        rows.append(cells)
    if rows:
        tables.append(Table(rows))
    return [t for t in tables if len(t.rows) >= 2]


def _decode_text(data: bytes) -> tuple[str, str | None]:
    """The text of ``data`` and, when it had to be converted from a legacy encoding, a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _lines(data.decode("utf-16")), None
        except UnicodeDecodeError as exc:
            raise IngestError("encoding", f"invalid UTF-16 text at byte {exc.start}") from exc
    if b"\x00" in data[:8192]:
        raise IngestError("unsupported_format", "binary content (NUL bytes): not a document kehoach reads")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        controls = sum(1 for b in data[:4096] if b < 9 or 13 < b < 32)
        if controls > 8:
            raise IngestError("unsupported_format", "binary content: not a document kehoach reads") from exc
        legacy = decode_legacy_bytes(data)
        if legacy is None:
            raise IngestError(
                "encoding",
                f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}), and neither "
                "TCVN3, VNI nor Windows-1258 gives Vietnamese text") from exc
        return _lines(legacy.text), f"text in the legacy {_NAMES[legacy.encoding]} encoding, converted to Unicode"
    # UTF-8 that spells legacy bytes as Latin-1 letters ('Uû ban nh©n d©n'): copied from an old file
    fixed = repair_mojibake(text)
    if fixed is not None:
        return _lines(fixed.text), f"text typed in {_NAMES[fixed.encoding]} (read as Latin-1), converted to Unicode"
    return _lines(text), None


_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "cp1258": "Windows-1258"}


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_language(text: str) -> None:
    sample = text[:50000]
    letters = sum(1 for c in sample if c.isalpha())
    if letters >= 200 and vietnamese_ratio(sample) < MIN_VIETNAMESE_RATIO:
        raise IngestError("not_vietnamese",
                          f"text does not look Vietnamese ({vietnamese_ratio(sample):.0%} of letters carry "
                          "Vietnamese diacritics; plans have 25–45%)")
