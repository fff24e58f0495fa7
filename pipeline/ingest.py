"""Read a file into a RawDocument, deciding its format from its bytes.

The extension is a hint only: a text file named ``.pdf`` is read as text (with a warning),
a PDF named ``.txt`` as a PDF. Whatever cannot be read raises ``IngestError`` with a type
from a short fixed list, so a batch records it and goes on.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import regex

from kehoach.normalizers.text import vietnamese_ratio
from kehoach.models.records import RawDocument, Table, TableCell

# pdfminer logs every recoverable syntax problem of a damaged file as a warning
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)

TEXT_EXTENSIONS = {".txt", ".text"}
MARKDOWN_EXTENSIONS = {".md", ".markdown"}
SUPPORTED_EXTENSIONS = {".pdf"} | TEXT_EXTENSIONS | MARKDOWN_EXTENSIONS

# A page whose text layer has fewer letters than this is treated as an image.
MIN_PAGE_LETTERS = 25
MIN_VIETNAMESE_RATIO = 0.08

_BINARY_MAGIC = {
    b"PK\x03\x04": "a ZIP container (DOCX/XLSX/ODT?)",
    b"\xd0\xcf\x11\xe0": "an OLE2 file (DOC/XLS?)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"{\\rtf": "an RTF document",
    b"\x1f\x8b": "a gzip archive",
}
_MD_SIGNALS = regex.compile(r"^(?:#{1,6}\s|\*\*[^*].*\*\*\s*$|\|.*\|\s*$)", regex.MULTILINE)


class IngestError(Exception):
    """A file that cannot be read; ``type`` is one of the error types of the contract notes."""

    def __init__(self, type_: str, message: str):
        super().__init__(message)
        self.type = type_
        self.message = message


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: str | Path, ocr: bool = True) -> RawDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError("unreadable", f"cannot read file: {exc.strerror or exc}") from exc
    return read_bytes(data, str(path), ocr=ocr)


def read_bytes(data: bytes, path: str, ocr: bool = True) -> RawDocument:
    digest = sha256_bytes(data)
    ext = Path(path).suffix.lower()
    if not data.strip():
        raise IngestError("empty", "file is empty" if not data else "file holds only white space")
    head = data[:1024]
    if b"%PDF-" in head:
        doc = _read_pdf(data, path, digest, ocr)
        if ext != ".pdf":
            doc.warnings.append(f"extension {ext or '(none)'} but the content is a PDF")
        return doc
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise IngestError("unsupported_format", f"content is {what}, not a PDF, text or Markdown file")
    text = _decode_text(data)
    # converters write Markdown into .txt files too: the content decides
    if ext in MARKDOWN_EXTENSIONS or len(_MD_SIGNALS.findall(text[:20000])) >= 3:
        fmt = "md"
    else:
        fmt = "txt"
    doc = RawDocument(path=path, sha256=digest, format=fmt, size_bytes=len(data), text=text,
                      tables=markdown_tables(text) if fmt == "md" else [])
    if ext == ".pdf":
        doc.warnings.append("extension .pdf but the content is plain text; read as text")
    _check_language(text)
    return doc


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


def _pdf_tables(page, page_no: int, page_text: str) -> list[Table]:
    """Tables of a page that assigns tasks ('chủ trì' in a column): pdfplumber's table finder."""
    from kehoach.normalizers.text import match_key

    if "chủ trì" not in match_key(page_text):
        return []
    out = []
    for raw in page.extract_tables() or []:
        rows = []
        for raw_row in raw:
            row = []
            for cell in raw_row:
                text = " ".join((cell or "").split())
                first = (cell or "").strip().split("\n")[0].strip()
                at = page_text.find(first) if first else -1
                row.append(TableCell(text, at))  # within the page; made absolute once pages are joined
            rows.append(row)
        if len(rows) >= 2:
            out.append(Table(rows, page_no))
    return out


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError as exc:
            raise IngestError("encoding", f"invalid UTF-16 text at byte {exc.start}") from exc
    if b"\x00" in data[:8192]:
        raise IngestError("unsupported_format", "binary content (NUL bytes): not a PDF, text or Markdown file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        controls = sum(1 for b in data[:4096] if b < 9 or 13 < b < 32)
        if controls > 8:
            raise IngestError("unsupported_format", "binary content: not a PDF, text or Markdown file") from exc
        raise IngestError(
            "encoding",
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert legacy encodings (TCVN3, VNI, Windows-1258) to UTF-8 first",
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_language(text: str) -> None:
    sample = text[:50000]
    letters = sum(1 for c in sample if c.isalpha())
    if letters >= 200 and vietnamese_ratio(sample) < MIN_VIETNAMESE_RATIO:
        raise IngestError("not_vietnamese",
                          f"text does not look Vietnamese ({vietnamese_ratio(sample):.0%} of letters carry "
                          "Vietnamese diacritics; plans have 25–45%)")


def _page_text(lines: list[dict], offset: int, layout: dict[int, tuple[bool, float]]) -> str:
    """The page's text, one line per text line, recording each line's weight and reach."""
    if not lines:
        return ""
    left = min(ln["x0"] for ln in lines)
    right = max(ln["x1"] for ln in lines)
    width = max(right - left, 1.0)
    out = []
    pos = offset
    for ln in lines:
        text = ln["text"]
        chars = [c for c in ln.get("chars", ()) if not c["text"].isspace()]
        bold = bool(chars) and sum("bold" in c.get("fontname", "").lower() for c in chars) >= 0.9 * len(chars)
        first_word = text.split(" ", 1)[0]
        lead = (chars[len(first_word) - 1]["x1"] - ln["x0"]) / width if 0 < len(first_word) <= len(chars) else 0.0
        layout[pos] = (bold, (ln["x1"] - left) / width, lead)
        out.append(text)
        pos += len(text) + 1
    return "\n".join(out)


def page_needs_ocr(text: str) -> str | None:
    """Why a page's text layer cannot be used (None: it can)."""
    letters = sum(1 for c in text if c.isalpha())
    if letters < MIN_PAGE_LETTERS:
        return "no text layer"
    broken = text.count("(cid:") * 6 + text.count("\ufffd") + sum(1 for c in text if "\ue000" <= c <= "\uf8ff")
    if broken > 0.02 * max(1, len(text)):
        return "broken font encoding"
    if letters >= 150 and vietnamese_ratio(text) < MIN_VIETNAMESE_RATIO:
        return "text layer without Vietnamese diacritics"
    return None


def _read_pdf(data: bytes, path: str, digest: str, ocr: bool = True) -> RawDocument:
    import io

    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    try:
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError:  # older pdfplumber
        PdfminerException = ()  # type: ignore[assignment]

    def _classify(exc: BaseException) -> IngestError:
        inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
            return IngestError("encrypted", "PDF is encrypted with a password")
        if isinstance(inner, PDFSyntaxError):
            return IngestError("corrupt_pdf", f"PDF structure is damaged: {inner}")
        return IngestError("corrupt_pdf", f"PDF cannot be parsed ({type(inner).__name__}: {inner})")

    pages: list[str] = []
    needing_ocr: list[int] = []
    warnings: list[str] = []
    layout: dict[int, tuple[bool, float]] = {}
    tables: list[Table] = []
    plain: list[str] = []  # each page's text layer as pdfplumber reads it
    offset = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            n = len(pdf.pages)
            if n == 0:
                raise IngestError("corrupt_pdf", "PDF has no pages (truncated or damaged file)")
            for i, page in enumerate(pdf.pages, start=1):
                try:
                    lines = page.extract_text_lines(return_chars=True)
                except Exception as exc:  # a damaged page must not lose the others
                    warnings.append(f"page {i}: text layer unreadable ({type(exc).__name__})")
                    lines = []
                pages.append(lines)
                plain.append("\n".join(ln["text"] for ln in lines))
                try:
                    tables.extend(_pdf_tables(page, i, plain[-1]))
                except Exception:  # noqa: BLE001 - a table we cannot read is only a missed table
                    pass
                page.flush_cache()
    except IngestError:
        raise
    except Exception as exc:
        raise _classify(exc) from exc
    reasons = {i: r for i, r in enumerate((page_needs_ocr(t) for t in plain), start=1) if r}
    ocred = _ocr(data, digest, sorted(reasons), warnings) if ocr and reasons else {}
    texts, methods, starts = [], [], []
    for i, lines in enumerate(pages, start=1):
        starts.append(offset)
        if i in ocred:
            text = ocred[i].text
            methods.append({"page": i, "method": "tesseract", "confidence": ocred[i].confidence,
                            "reason": reasons[i]})
        else:
            text = _page_text(lines, offset, layout) if i not in reasons else plain[i - 1]
            methods.append({"page": i, "method": "text", "reason": reasons.get(i)})
            if i in reasons:
                needing_ocr.append(i)
        texts.append(text)
        offset += len(text) + 1
    if ocred and sum(1 for t in texts for c in t if c.isalpha()) < MIN_PAGE_LETTERS:
        raise IngestError("no_text", f"no readable text: the {len(pages)} pages have no text layer and OCR found none")
    if needing_ocr and len(needing_ocr) == len(pages):
        why = next((w for w in warnings if "OCR unavailable" in w), "")
        raise IngestError("needs_ocr", f"no page of {len(pages)} has a usable text layer; the document needs OCR"
                          + (f" ({why})" if why else ""))
    for table in tables:  # cells were placed within their page: now within the document
        base = starts[table.page - 1]
        for row in table.rows:
            for cell in row:
                if cell.start >= 0 and table.page not in ocred:
                    cell.start += base
                else:
                    cell.start = -1
    doc = RawDocument(path=path, sha256=digest, format="pdf", size_bytes=len(data),
                      text="\f".join(texts), page_starts=starts, paged=True,
                      pages_needing_ocr=needing_ocr, warnings=warnings, line_layout=layout,
                      page_methods=methods, tables=tables)
    if needing_ocr:
        doc.warnings.append(f"pages without a usable text layer (need OCR): {needing_ocr}")
    _check_language(doc.text)
    return doc


def _ocr(data: bytes, digest: str, pages: list[int], warnings: list[str]) -> dict:
    from kehoach.pipeline.ocr import OcrUnavailable, ocr_pages

    try:
        return ocr_pages(data, digest, pages)
    except OcrUnavailable as exc:
        warnings.append(f"OCR unavailable: {exc}")
        return {}
