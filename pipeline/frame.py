"""The frame of an administrative document: header block, type line, title, body, closing.

Nghị định 30/2020/NĐ-CP fixes the layout every plan follows: the issuing body and the
national motto side by side, 'Số: …' with place and date, the type in capitals (KẾ HOẠCH),
the title, the body, then 'Nơi nhận:' and the signature block. A decision (QUYẾT ĐỊNH) may
carry the plan it approves after its own signature; the plan's frame is then the body.
"""
from __future__ import annotations

from functools import cache

import regex

from kehoach.normalizers.layout import MARKER, SEPARATOR
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import fold
from kehoach.catalogs import load
from kehoach.models.records import Frame

_CLOSING = regex.compile(r"^(?:Trên đây là|Nơi nhận\s*:|(?:TM|KT|T/M|K/T|TL|TUQ)\s*\.\s*\p{Lu})")
_SIGNATURE = regex.compile(r"^(?:Nơi nhận\s*:|(?:TM|KT|T/M|K/T|TL|TUQ)\s*\.\s*\p{Lu})")
_ATTACHED = regex.compile(r"^\(?\s*(?:Ban hành|Kèm theo|Ban hành kèm theo)\b", regex.IGNORECASE)
MAX_HEADER_PARAGRAPHS = 14
# a decision names the authority that decides on a line of its own, under its title
_AUTHORITY = regex.compile(r"^(?:ỦY BAN|UỶ BAN|HỘI ĐỒNG|CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|GIÁM ĐỐC|BAN CHỈ ĐẠO)\b")


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
    letters = [c for c in text if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters) or len(text) > 60:
        return None
    key = " ".join(fold(text).split())
    for name, doc_type in _type_lines():
        if key == name or (key.startswith(name + " ") and len(key) <= len(name) + 25):
            return doc_type
    return None


def find_frame(nt: NormText) -> Frame:
    paras = nt.paragraphs
    n = len(paras)
    type_para = doc_type = None
    for i in range(min(n, MAX_HEADER_PARAGRAPHS)):
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
    if title_from is not None:
        j = title_from + 1
        if j < n and not _is_marker_para(nt, j):
            title_paras.append(j)
            j += 1
            # a capitalised title may run over several lines the layout kept apart
            while (j < n and _type_of(nt, j) is None and _all_caps(nt, j) and not _is_marker_para(nt, j)
                   and not _AUTHORITY.match(nt.text[paras[j].start:paras[j].end])):
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
    header_end = type_para if type_para is not None else 0
    return Frame(type_para=type_para, doc_type=doc_type, title_paras=title_paras,
                 body_start=body_start, body_end=body_end, header_end=header_end,
                 plan_type_para=plan_type_para)


def _is_marker_para(nt: NormText, i: int) -> bool:
    p = nt.paragraphs[i]
    return bool(MARKER.match(nt.text[p.start:p.end]))


def _is_separator(nt: NormText, i: int) -> bool:
    p = nt.paragraphs[i]
    return bool(SEPARATOR.match(nt.text[p.start:p.end]))


def _all_caps(nt: NormText, i: int) -> bool:
    p = nt.paragraphs[i]
    letters = [c for c in nt.text[p.start:p.end] if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)
