"""The frame of an administrative document: header block, type line, title, body, closing.

Nghị định 30/2020/NĐ-CP fixes the layout every plan follows: the issuing body and the
national motto side by side, 'Số: …' with place and date, the type in capitals (KẾ HOẠCH),
the title, the body, then 'Nơi nhận:' and the signature block. A decision (QUYẾT ĐỊNH) may
carry the plan it approves after its own signature; the plan's frame is then the body.
"""
from __future__ import annotations

import regex

from kehoach.extractors.header import (MAX_HEADER_PARAGRAPHS, MOTTO, NUMBER_LINE, SIGN, SIGNATURE,
                                       TITLE_MIN_LETTERS, header_end, is_motto_piece, type_lines)
from kehoach.normalizers.layout import MARKER, SEPARATOR
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import alternation, fold, is_caps
from kehoach.catalogs import load
from kehoach.models.records import Frame

_WORDS = load("document")
# 'Nơi nhận:' and 'TM. ỦY BAN NHÂN DÂN' open the signature block; 'Trên đây là …' the closing
_CLOSING = regex.compile(rf"^(?:{alternation(_WORDS['closing_phrases'])}|{SIGN})")
_ATTACHED = regex.compile(rf"^\(?\s*(?:{alternation(_WORDS['attachment_phrases'])})\b", regex.IGNORECASE)
MAX_WRAPPER_PARAGRAPHS = 150  # a portal's menus and block before the plan: tens of lines, not hundreds
MAX_ISSUER_LINES = 4  # 'ỦY BAN NHÂN DÂN / TỈNH QUẢNG NAM' and a parent body above the anchor
MAX_TYPE_LINE = 60  # 'KẾ HOẠCH HÀNH ĐỘNG …' fits; a capitalised title line is longer
MAX_TITLE_PARAGRAPHS = 6  # a title set over several lines; more is the body
MAX_TITLE_LINE = 200  # one line of a title, in characters
# the preamble opens with these: the title has ended
_OPENER = regex.compile(r"^\W*(?:Căn cứ|Thực hiện|Xét|Theo đề nghị|Nhằm|Để)\b")
# a decision names the authority that decides on a line of its own, under its title
AUTHORITY_LINE = regex.compile(rf"^(?:{alternation(_WORDS['authority_openers'])})\b")


def _type_of(nt: NormText, i: int) -> str | None:
    p = nt.paragraphs[i]
    text = nt.text[p.start:p.end].strip(" *_#")
    # 'QUYẾT ĐỊNH:' opens the articles of a decision's body; the type line has no colon
    if text.endswith(":"):
        return None
    text = text.strip(" *_#:")
    if not is_caps(text) or len(text) > MAX_TYPE_LINE:
        return None
    key = " ".join(fold(text).split())
    for name, doc_type in type_lines():
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
        if MOTTO.search(fold(text)) or NUMBER_LINE.match(text) or _type_of(nt, i):
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
        if not text or SEPARATOR.match(text) or is_motto_piece(text):
            k -= 1
            continue
        if not is_caps(text, 2):  # 'ỦY' may stand alone where the converter broke the line
            break
        k -= 1
        issuer_lines += 1
        start = k
    return start


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
                    SIGNATURE.match(nt.text[paras[j].start:paras[j].end]) for j in range(start, i)):
                plan_type_para = i
                break
    title_from = (plan_type_para if plan_type_para is not None else type_para)
    title_paras: list[int] = []
    body_start = 0
    header_end_para = type_para if type_para is not None else header_start
    if title_from is None and header_start < n:
        # no type line of its own: the header ends after its last anchor, and a capitals line
        # right after it is the title (a page that lost 'KẾ HOẠCH', or ran it into the header)
        found = header_end(nt, Frame(type_para=None, doc_type=None, title_paras=[], body_start=header_start,
                                     body_end=n, header_end=header_start, header_start=header_start))
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
