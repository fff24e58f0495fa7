"""Text and Markdown files: decoding (UTF-8, UTF-16, legacy Vietnamese encodings) and pipe tables."""
from __future__ import annotations

import regex

from kehoach.models.records import RawDocument, Table, TableCell
from kehoach.normalizers.encodings import decode_legacy_bytes, repair_mojibake
from kehoach.pipeline.readers.limits import IngestError
from kehoach.pipeline.readers.sniff import MARKDOWN_EXTENSIONS

_MD_SIGNALS = regex.compile(r"^(?:#{1,6}\s|\*\*[^*].*\*\*\s*$|\|.*\|\s*$)", regex.MULTILINE)
# A text with a few NUL bytes is a bad conversion of a plan; binary content has them everywhere
# (and rarely decodes as UTF-8 once they are gone).
MAX_NUL_SHARE = 0.001


def text_document(text: str, path: str, digest: str, size: int, ext: str) -> RawDocument:
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


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """The text of ``data`` and the warnings of what had to be done to it (a legacy encoding
    converted, NUL bytes dropped)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _lines(data.decode("utf-16")), []
        except UnicodeDecodeError as exc:
            raise IngestError("encoding", f"invalid UTF-16 text at byte {exc.start}") from exc
    warnings = []
    nuls = data.count(b"\x00")
    if nuls:
        if nuls > MAX_NUL_SHARE * len(data):
            raise IngestError("unsupported_format", "binary content (NUL bytes): not a document kehoach reads")
        data = data.replace(b"\x00", b"")
        warnings.append(f"{nuls} NUL byte{'s' if nuls > 1 else ''} in the text (a damaged conversion), dropped")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        controls = sum(1 for b in data[:4096] if b < 9 or 13 < b < 32)
        if controls > 8 or nuls:
            raise IngestError("unsupported_format", "binary content: not a document kehoach reads") from exc
        legacy = decode_legacy_bytes(data)
        if legacy is None:
            raise IngestError(
                "encoding",
                f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}), and neither "
                "TCVN3, VNI nor Windows-1258 gives Vietnamese text") from exc
        return _lines(legacy.text), [f"text in the legacy {_NAMES[legacy.encoding]} encoding, converted to Unicode"]
    # UTF-8 that spells legacy bytes as Latin-1 letters ('Uû ban nh©n d©n'): copied from an old file
    fixed = repair_mojibake(text)
    if fixed is not None:
        return _lines(fixed.text), warnings + [
            f"text typed in {_NAMES[fixed.encoding]} (read as Latin-1), converted to Unicode"]
    return _lines(text), warnings


_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "cp1258": "Windows-1258"}


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
