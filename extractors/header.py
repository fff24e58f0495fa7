"""The header block of an administrative document, read where converters and portals broke it.

Nghị định 30/2020/NĐ-CP sets the header as a two-column table: the issuing body over its rule
on the left, the motto on the right, then 'Số: …' and the place and date line. A page saved from
a portal keeps the table's cell ends ('ỦY BAN NHÂN DÂN | CỘNG HÒA … |'), literal escapes of its
source ('\\r\\n'), or runs the header, the type word, the title and the preamble into one
paragraph; these helpers find the header's own lines in all of them. The frame (pipeline) and
the metadata both read the header through them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from kehoach.catalogs import load
from kehoach.models.records import Frame
from kehoach.normalizers.dates import LONG_DATE_RE
from kehoach.normalizers.layout import SEPARATOR
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import alternation, fold, is_caps

_WORDS = load("document")
MOTTO = regex.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*[-–]\s*tu do\s*[-–]\s*hanh phuc")
_MOTTO_WORDS = "cong hoa xa hoi chu nghia viet nam doc lap tu do hanh phuc"
# 'Số: 179/KH-UBND', a blank number 'Số:    /KH-UBND', and its scan that lost the slash 'Số: KH-UBND'
NUMBER_LINE = regex.compile(r"^\W*Số\s*[:.]\s*(?:\d*\s*/\s*\p{Lu}|\p{Lu}{1,6}\s*[-–]\s*\p{Lu})")
# 'Bắc Ninh, ngày 29 tháng 12 năm 2025': the place and date line of the header
_PLACE_DATE_LINE = regex.compile(r"^\W*(?:TP\.\s*)?\p{Lu}[\p{L}’' .-]{1,40},\s*ngày\b")
# a page saved from a portal may keep the escapes of its source: a literal '\r\n' ends a line
_LITERAL_BREAK = regex.compile(r"(?:\\r)?\\n|\\r")
# a header converted from its two-column table keeps the cell ends: 'ỦY BAN NHÂN DÂN | CỘNG HÒA …'
_CELL_END = regex.compile(r"\s*(?:\||(?:\\r)?\\n|\\r)\s*")
# 'Nơi nhận:' and 'TM. ỦY BAN NHÂN DÂN' open the signature block
SIGN = rf"Nơi nhận\s*:|(?:{alternation(_WORDS['signature_prefixes'])})\s*\.\s*\p{{Lu}}"
SIGNATURE = regex.compile(rf"^(?:{SIGN})")
TITLE_MIN_LETTERS = 4  # a capitalised title line, not a stray 'I.' or page mark
MAX_HEADER_PARAGRAPHS = 14  # the type line stands within the header block, never further down


@cache
def type_lines() -> list[tuple[str, str]]:
    """(folded capital title, doc_type) longest first: 'ke hoach hanh dong' before 'ke hoach'."""
    out = []
    for t in load("doc_types")["types"]:
        for name in t["names"]:
            out.append((fold(name), t["id"]))
    return sorted(out, key=lambda x: -len(x[0]))


def is_motto_piece(text: str) -> bool:
    """'CỘNG HÒA XÃ HỘI', 'CHỦ NGHĨA VIỆT NAM', even 'CỘNG': a line of the motto set over two or more lines."""
    key = " ".join(fold(text).split())
    return len(key) >= 4 and f" {key} " in f" {_MOTTO_WORDS} "


@dataclass(frozen=True)
class HeaderEnd:
    """Where the header block ends when no type line stands on its own paragraph.

    ``offset`` is the character offset where the header's own lines end; ``doc_type`` and
    ``title`` (a character span) are what follows them in the same paragraph: a page whose
    converter ran the header table, 'KẾ HOẠCH', the title and the preamble into one paragraph.
    """
    offset: int
    para: int  # the first paragraph after the header (the one holding ``offset`` when the header runs on)
    doc_type: str | None = None
    title: tuple[int, int] | None = None


def _is_anchor_cell(cell: str) -> bool:
    return bool(MOTTO.search(fold(cell)) or NUMBER_LINE.match(cell) or _PLACE_DATE_LINE.match(cell))


def cells(text: str, base: int) -> list[tuple[str, int, int]]:
    """(cell text, start, end) of a paragraph split at '|' cell ends and literal line breaks."""
    out, pos = [], 0
    for m in _CELL_END.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], base + pos, base + m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], base + pos, base + len(text)))
    return out


def _header_anchor_end(cell: str) -> int:
    """Where the header's own text ends in the last anchor cell (after the date of the place line)."""
    if _PLACE_DATE_LINE.match(cell):
        m = LONG_DATE_RE.search(cell)
        return m.end() if m else len(cell)
    if NUMBER_LINE.match(cell):
        m = regex.match(r"^\W*Số\s*[:.]\s*\d*\s*/\s*[\p{L}\d&]+(?:\s*[-–/.]\s*[\p{L}\d&]+)*", cell)
        return m.end() if m else len(cell)
    m = None
    for m in MOTTO.finditer(fold(cell)):
        pass
    return m.end() if m else len(cell)


def header_end(nt: NormText, frame: Frame) -> HeaderEnd:
    """The end of the header block: at the type line, or after the header's last anchor.

    A page that lost the type line still has the header's anchors (motto, 'Số:', the place and
    date line); the header ends after the last of them. What follows in the same paragraph is
    the type word and the title where the converter ran them on, else the preamble.
    """
    paras = nt.paragraphs
    if frame.type_para is not None or frame.header_start >= len(paras):
        end = frame.header_end
        return HeaderEnd(paras[end].start if end < len(paras) else len(nt.text), end)
    last = None
    for i in range(frame.header_start, min(len(paras), frame.header_start + MAX_HEADER_PARAGRAPHS)):
        text = nt.text[paras[i].start:paras[i].end]
        row = cells(text, paras[i].start)
        anchors = [k for k, (c, _, _) in enumerate(row) if _is_anchor_cell(c)]
        if anchors:
            last = (i, row, anchors[-1])
        elif not all(_is_furniture(c) or is_caps(c, 4) for c, _, _ in row) or last is not None:
            break
    if last is None:
        return HeaderEnd(paras[frame.header_start].start, frame.header_start)
    i, row, k = last
    cell, cstart, _ = row[k]
    offset = cstart + _header_anchor_end(cell)
    rest = nt.text[offset:paras[i].end]
    doc_type, title = _type_and_title(rest, offset)
    if title is None and doc_type is None and not regex.search(r"\p{L}{2}", _LITERAL_BREAK.sub(" ", rest)):
        return HeaderEnd(paras[i].end, i + 1)  # the paragraph is all header
    return HeaderEnd(offset, i, doc_type, title)


def _is_furniture(cell: str) -> bool:
    cell = cell.strip(" *_|")
    return not cell or bool(SEPARATOR.match(cell))


def _type_and_title(rest: str, base: int) -> tuple[str | None, tuple[int, int] | None]:
    """The type word and the capitals title that run on after the header's cells, if any."""
    pos = regex.match(r"[\s|*_]*", rest).end()
    doc_type = None
    for name, t in type_lines():
        m = regex.match(r"\s+".join(r"\S+" for _ in name.split()), rest[pos:])
        if m and " ".join(fold(m.group()).split()) == name and is_caps(m.group()):
            doc_type, pos = t, pos + m.end()
            break
    # the title: the words in capitals up to the first word with a small letter ('Căn cứ …')
    first = last = None
    for w in regex.finditer(r"\S+", rest, pos=pos):
        if regex.search(r"\p{Ll}|\|", w.group()):
            break
        first = w.start() if first is None else first
        last = w.end()
    if first is not None and is_caps(rest[first:last], TITLE_MIN_LETTERS):
        return doc_type, (base + first, base + last)
    return doc_type, None


def closing_start(nt: NormText, start: int, end: int) -> int | None:
    """The first paragraph of a signature block ('Nơi nhận:', 'TM. ỦY BAN NHÂN DÂN') in [start, end)."""
    for i in range(start, min(end, len(nt.paragraphs))):
        if SIGNATURE.match(nt.text[nt.paragraphs[i].start:nt.paragraphs[i].end]):
            return i
    return None
