"""The frame of an administrative document: header block, type line, title, body, closing.

Nghị định 30/2020/NĐ-CP fixes the layout every plan follows: the issuing body and the
national motto side by side, 'Số: …' with place and date, the type in capitals (KẾ HOẠCH),
the title, the body, then 'Nơi nhận:' and the signature block. A decision (QUYẾT ĐỊNH) may
carry the plan it approves after its own signature; the plan's frame is then the body.
"""
from __future__ import annotations

from functools import cache

import regex

from dataclasses import dataclass

from kehoach.normalizers.dates import LONG_DATE_RE
from kehoach.normalizers.layout import MARKER, SEPARATOR
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import alternation, fold, is_caps
from kehoach.catalogs import load
from kehoach.models.records import Frame

_WORDS = load("document")
# 'Nơi nhận:' and 'TM. ỦY BAN NHÂN DÂN' open the signature block; 'Trên đây là …' the closing
_SIGN = rf"Nơi nhận\s*:|(?:{alternation(_WORDS['signature_prefixes'])})\s*\.\s*\p{{Lu}}"
_SIGNATURE = regex.compile(rf"^(?:{_SIGN})")
_CLOSING = regex.compile(rf"^(?:{alternation(_WORDS['closing_phrases'])}|{_SIGN})")
_ATTACHED = regex.compile(rf"^\(?\s*(?:{alternation(_WORDS['attachment_phrases'])})\b", regex.IGNORECASE)
MAX_HEADER_PARAGRAPHS = 14  # the type line stands within the header block, never further down
MAX_WRAPPER_PARAGRAPHS = 150  # a portal's menus and block before the plan: tens of lines, not hundreds
MAX_ISSUER_LINES = 4  # 'ỦY BAN NHÂN DÂN / TỈNH QUẢNG NAM' and a parent body above the anchor
_MOTTO = regex.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*[-–]\s*tu do\s*[-–]\s*hanh phuc")
_MOTTO_WORDS = "cong hoa xa hoi chu nghia viet nam doc lap tu do hanh phuc"
_NUMBER_LINE = regex.compile(r"^\W*Số\s*[:.]\s*\d*\s*/\s*\p{Lu}")
# 'Bắc Ninh, ngày 29 tháng 12 năm 2025': the place and date line of the header
_PLACE_DATE_LINE = regex.compile(r"^\W*(?:TP\.\s*)?\p{Lu}[\p{L}’' .-]{1,40},\s*ngày\b")
# a page saved from a portal may keep the escapes of its source: a literal '\r\n' ends a line
_LITERAL_BREAK = regex.compile(r"(?:\\r)?\\n|\\r")
# a header converted from its two-column table keeps the cell ends: 'ỦY BAN NHÂN DÂN | CỘNG HÒA …'
_CELL_END = regex.compile(r"\s*(?:\||(?:\\r)?\\n|\\r)\s*")
MAX_TYPE_LINE = 60  # 'KẾ HOẠCH HÀNH ĐỘNG …' fits; a capitalised title line is longer
TITLE_MIN_LETTERS = 4  # a capitalised title line, not a stray 'I.' or page mark
MAX_TITLE_PARAGRAPHS = 6  # a title set over several lines; more is the body
MAX_TITLE_LINE = 200  # one line of a title, in characters
# the preamble opens with these: the title has ended
_OPENER = regex.compile(r"^\W*(?:Căn cứ|Thực hiện|Xét|Theo đề nghị|Nhằm|Để)\b")
# a decision names the authority that decides on a line of its own, under its title
AUTHORITY_LINE = regex.compile(rf"^(?:{alternation(_WORDS['authority_openers'])})\b")


@cache
def _type_lines() -> list[tuple[str, str]]:
    """(folded capital title, doc_type) longest first: 'ke hoach hanh dong' before 'ke hoach'."""
    out = []
    for t in load("doc_types")["types"]:
        for name in t["names"]:
            out.append((fold(name), t["id"]))
    return sorted(out, key=lambda x: -len(x[0]))


def _type_of(nt: NormText, i: int) -> str | None:
    p = nt.paragraphs[i]
    text = nt.text[p.start:p.end].strip(" *_#:")
    if not is_caps(text) or len(text) > MAX_TYPE_LINE:
        return None
    key = " ".join(fold(text).split())
    for name, doc_type in _type_lines():
        if key == name or (key.startswith(name + " ") and len(key) <= len(name) + 25):
            return doc_type
    return None


def document_start(nt: NormText) -> int:
    """The first paragraph of the plan's own header block, wherever it starts.

    A page saved from a portal puts the site's menus and its own block about the document (Số
    hiệu, Loại văn bản …) before the plan. The header is found by its anchors — the national
    motto, the 'Số:' line with place and date, or the type line — and the issuing body's lines
    in capitals just above them; what stands before is the capture's wrapper.
    """
    paras = nt.paragraphs
    for i in range(min(len(paras), MAX_WRAPPER_PARAGRAPHS)):
        text = nt.text[paras[i].start:paras[i].end]
        if _MOTTO.search(fold(text)) or _NUMBER_LINE.match(text) or _type_of(nt, i):
            return _issuer_lines_above(nt, i)
    return 0


def _issuer_lines_above(nt: NormText, anchor: int) -> int:
    """The first of the capitals lines above a header anchor: the issuing body's name.

    The rules under the issuer and the motto ('-------'), the empty cells of the header's table
    ('|') and the first half of a wrapped motto ('CỘNG HÒA XÃ HỘI') stand between them and the
    anchor; they are stepped over and do not count as issuer lines.
    """
    paras = nt.paragraphs
    start = k = anchor
    issuer_lines = 0
    while k > 0 and issuer_lines < MAX_ISSUER_LINES:
        text = nt.text[paras[k - 1].start:paras[k - 1].end].strip(" *_|")
        if not text or SEPARATOR.match(text) or _is_motto_piece(text):
            k -= 1
            continue
        if not is_caps(text, 4):
            break
        k -= 1
        issuer_lines += 1
        start = k
    return start


def _is_motto_piece(text: str) -> bool:
    """'CỘNG HÒA XÃ HỘI' or 'CHỦ NGHĨA VIỆT NAM': a line of the motto set over two lines."""
    key = " ".join(fold(text).split())
    return len(key) >= 8 and f" {key} " in f" {_MOTTO_WORDS} "


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
    return bool(_MOTTO.search(fold(cell)) or _NUMBER_LINE.match(cell) or _PLACE_DATE_LINE.match(cell))


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
    if _NUMBER_LINE.match(cell):
        m = regex.match(r"^\W*Số\s*[:.]\s*\d*\s*/\s*[\p{L}\d&]+(?:\s*[-–/.]\s*[\p{L}\d&]+)*", cell)
        return m.end() if m else len(cell)
    m = None
    for m in _MOTTO.finditer(fold(cell)):
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
    for name, t in _type_lines():
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


def find_frame(nt: NormText) -> Frame:
    paras = nt.paragraphs
    n = len(paras)
    header_start = document_start(nt)
    type_para = doc_type = None
    for i in range(header_start, min(n, header_start + MAX_HEADER_PARAGRAPHS)):
        doc_type = _type_of(nt, i)
        if doc_type:
            type_para = i
            break
    plan_type_para = None
    start = 0 if type_para is None else type_para + 1
    if doc_type == "quyet_dinh":
        # the plan a decision approves follows the decision's own signature
        for i in range(start, n):
            if _type_of(nt, i) == "ke_hoach" and any(
                    _SIGNATURE.match(nt.text[paras[j].start:paras[j].end]) for j in range(start, i)):
                plan_type_para = i
                break
    title_from = (plan_type_para if plan_type_para is not None else type_para)
    title_paras: list[int] = []
    body_start = 0
    header_end_para = type_para if type_para is not None else header_start
    if title_from is None and header_start < n:
        # no type line of its own: the header ends after its last anchor, and a capitals line
        # right after it is the title (a page that lost 'KẾ HOẠCH', or ran it into the header)
        found = header_end(nt, Frame(None, None, [], header_start, n, header_start, None, header_start))
        header_end_para = body_start = found.para
        doc_type = found.doc_type
        if found.title is None and found.para < n and _opens_title(nt, found.para):
            title_from = found.para - 1
    if title_from is not None:
        j = title_from + 1
        if j < n and not _is_marker_para(nt, j):
            title_paras.append(j)
            j += 1
            # a title may run over several lines the layout kept apart: in capitals, or in bold
            # (Word files set each line of a title as a paragraph), or going on in lower case
            while j < n and _continues_title(nt, title_paras, j):
                title_paras.append(j)
                j += 1
        while j < n and (_ATTACHED.match(nt.text[paras[j].start:paras[j].end])
                         or _is_separator(nt, j)):
            j += 1
        body_start = j
    body_end = n
    for i in range(body_start, n):
        if _CLOSING.match(nt.text[paras[i].start:paras[i].end]):
            body_end = i
            break
    return Frame(type_para=type_para, doc_type=doc_type, title_paras=title_paras,
                 body_start=max(body_start, header_start), body_end=body_end, header_end=header_end_para,
                 plan_type_para=plan_type_para, header_start=header_start)


def closing_start(nt: NormText, start: int, end: int) -> int | None:
    """The first paragraph of a signature block ('Nơi nhận:', 'TM. ỦY BAN NHÂN DÂN') in [start, end)."""
    for i in range(start, min(end, len(nt.paragraphs))):
        if _SIGNATURE.match(nt.text[nt.paragraphs[i].start:nt.paragraphs[i].end]):
            return i
    return None


def _opens_title(nt: NormText, j: int) -> bool:
    """A title standing where the type line was lost: in capitals, not a numbered heading,
    not the authority line of a decision nor a preamble sentence."""
    text = nt.text[nt.paragraphs[j].start:nt.paragraphs[j].end]
    return (is_caps(text, TITLE_MIN_LETTERS) and len(text) <= 2 * MAX_TITLE_LINE
            and not _is_marker_para(nt, j) and not AUTHORITY_LINE.match(text) and not _OPENER.match(text))


def _continues_title(nt: NormText, title: list[int], j: int) -> bool:
    text = nt.text[nt.paragraphs[j].start:nt.paragraphs[j].end]
    if (_type_of(nt, j) is not None or _is_marker_para(nt, j) or AUTHORITY_LINE.match(text)
            or _OPENER.match(text) or len(title) >= MAX_TITLE_PARAGRAPHS):
        return False
    first = nt.paragraphs[title[0]]
    if is_caps(text, TITLE_MIN_LETTERS):
        return True
    if first.heading_hint and nt.paragraphs[j].heading_hint:
        return len(text) <= MAX_TITLE_LINE
    return text[:1].islower() and len(text) <= MAX_TITLE_LINE


def _is_marker_para(nt: NormText, i: int) -> bool:
    p = nt.paragraphs[i]
    return bool(MARKER.match(nt.text[p.start:p.end]))


def _is_separator(nt: NormText, i: int) -> bool:
    p = nt.paragraphs[i]
    return bool(SEPARATOR.match(nt.text[p.start:p.end]))
