"""The section tree, from Vietnamese numbering.

Plans number their parts A./B., their sections I./II., then 1., 1.1., 1.1.1., then a)/b)/đ).
The numbering decides the level, never the Markdown '#' depth (converters get it wrong).
Not every numbered paragraph is a section: '1. Tổ chức tuyên truyền … người nghèo.' in a run
of such sentences is a list item. A numbered paragraph is heading-like when it is short and
unpunctuated, in capitals, ends with a colon, opens with a run-in heading ('Sở Tài chính:
Chủ trì …'), or has numbered children; a run of siblings is a run of sections when at least
half of it is heading-like, and then each sibling's heading is its first clause.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from kehoach.catalogs import load
from kehoach.models.records import Frame, Section
from kehoach.models.sections import descends
from kehoach.normalizers.headings import kind_cue, kind_from_heading
from kehoach.normalizers.numbers import roman_value
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import alternation, fold, is_caps

_HEAD = regex.compile(
    r"""^(?:
        (?P<part>[A-HJ-UWYZĐ])\s*[.)]
      | (?:PHẦN|Phần)\s+(?P<phan>[IVX]{1,5}|\d{1,2}|thứ\s+\w+)\s*[.:]?
      | (?P<roman>[IVX]{1,7})\s*(?:[.:)]|[-–](?=\s))
      | (?P<arabic>\d{1,2}(?:\.\d{1,2}){0,3})(?P<adot>\s*[.)])?
      | (?P<letter>[a-zđ])\s*[).]
    )\s+(?P<body>\S.*)$""",
    regex.VERBOSE | regex.DOTALL,
)
_LABEL_ALONE = regex.compile(r"^\s*(?:[IVX]{1,7}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])\s*[.)]\s*$")
_WORDS = load("document")
_COMPONENT_LABEL = regex.compile(rf"^(?:Tiểu\s+)?(?:{alternation(_WORDS['component_labels'])})\s+\d+(?:\.\d+)?$",
                                 regex.IGNORECASE)
RANK_PART, RANK_ROMAN, RANK_LETTER = 0, 1, 10
MAX_HEADING_WORDS = 35
# a heading in capitals, allowing a stray small letter (OCR, 'và', units) …
HEADING_CAPS = 0.8
# … and a roman or part heading whose capitals the numbering already vouches for
MOSTLY_CAPS = 0.6
MAX_RUNIN_WORDS = 30
# A section takes its parent's kind unless its own heading is about something else: the cue
# opens a short heading ('Mục tiêu', 'Các chỉ tiêu cụ thể', 'Bảo đảm kinh phí', 'Dự báo các chỉ
# tiêu …' under a purpose, budget or solutions section), not a word deep in a sentence ('Từ
# nguồn trung ương bổ sung có mục tiêu', 'Quá trình triển khai, thực hiện nhiệm vụ …').
OWN_KIND_LEAD_WORDS = 3
OWN_KIND_HEADING_WORDS = 15
# … but 'Tổ chức thực hiện', 'Phân công nhiệm vụ' also open duty sentences ('e. Tổ chức thực hiện
# tốt các chính sách giảm nghèo'): an organisation subsection is named in a few words
ORGANIZATION_HEADING_WORDS = 6


@dataclass
class _Item:
    para: int
    style: str
    label: str
    rank: int
    body_start: int
    body: str
    hint: bool
    heading_like: bool = False
    heading: str = ""
    parent: "_Item | None" = None
    children: list["_Item"] = field(default_factory=list)
    accepted: bool = False


def _first_clause(body: str) -> str:
    # '… Tiểu Dự án 2 - Dự án 1 … là 102.121 triệu đồng, trong đó: …': the heading ends before the amount
    m = regex.search(r"[;:]|\.\s|\.$|\s(?=là\s+\d)", body)
    clause = body[:m.start()] if m else body
    words = clause.split()
    return " ".join(words[:MAX_HEADING_WORDS])


def classify_heading(body: str, hint: bool = False) -> tuple[bool, str]:
    """(is the numbered paragraph heading-like, its heading text)."""
    body = body.strip()
    if hint or is_caps(body, ratio=HEADING_CAPS):
        return True, body.rstrip(" .:").strip()
    words = body.split()
    colon = body.find(":")
    prefix = body[:colon].strip() if colon > 0 else ""
    prefix_ok = (bool(prefix) and len(prefix.split()) <= MAX_RUNIN_WORDS
                 and not regex.search(r"[;]|\.\s", prefix) and not _COMPONENT_LABEL.match(prefix))
    if body.endswith(":"):
        if prefix_ok and colon < len(body) - 1:
            return True, prefix
        head = body[:-1].rstrip()
        if len(head.split()) > MAX_HEADING_WORDS:
            return True, _first_clause(head)
        cut = head.rfind(". ")
        return True, (head[:cut] if cut > 0 else head).rstrip(".")
    if body[-1:] not in ".;!?," and len(words) <= MAX_HEADING_WORDS:
        return True, body
    if prefix_ok:
        return True, prefix
    return False, _first_clause(body)


_PART_ALONE = regex.compile(r"^(?:PHẦN|Phần)\s+(?:thứ\s+|THỨ\s+)?(?P<label>[IVX]{1,5}|\d{1,2}|\p{L}+)\s*[.:]?$")
_ORDINALS = _WORDS["part_ordinals"]  # 'Phần thứ hai' is part II


def _part_label(label: str) -> str | None:
    if roman_value(label) or label.isdigit():
        return label
    return _ORDINALS.get(fold(label))


def _candidates(nt: NormText, frame: Frame) -> list[_Item]:
    items: list[_Item] = []
    last_roman = 0
    last_part = ""
    for i in range(frame.body_start, frame.body_end):
        p = nt.paragraphs[i]
        text = nt.text[p.start:p.end]
        alone = _PART_ALONE.match(text)
        if alone and i + 1 < frame.body_end and _part_label(alone.group("label")):
            # 'Phần thứ nhất' on a line of its own, its title in capitals on the next
            nxt = nt.paragraphs[i + 1]
            body = nt.text[nxt.start:nxt.end]
            if is_caps(body, ratio=HEADING_CAPS):
                # the label as printed ('PHẦN I', 'Phần thứ nhất'), as for a part titled on its line
                items.append(_Item(i, "part", " ".join(text.rstrip(" .:").split()), RANK_PART, nxt.start, body, True))
                continue
        m = _HEAD.match(text)
        body_offset = 0
        if not m and _LABEL_ALONE.match(text) and i + 1 < frame.body_end:
            # '6.' on a line of its own and its heading on the next (a converter split the bold
            # label from its text; Word's tab after a number): the next paragraph is its body
            nxt = nt.paragraphs[i + 1]
            if not _LABEL_ALONE.match(nt.text[nxt.start:nxt.end]):
                m = _HEAD.match(text.strip() + " " + nt.text[nxt.start:nxt.end])
                body_offset = nxt.start - (p.start + len(text.strip()) + 1)
        if not m:
            continue
        body = m.group("body")
        body_start = p.start + m.start("body") + body_offset
        if m.group("phan"):
            # the label as printed, 'PHẦN I' ('I' alone would read as a roman section)
            label = " ".join(text[:m.start("phan")].split() + [m.group("phan")])
            if not is_caps(body, ratio=MOSTLY_CAPS) and not p.heading_hint:
                continue
            items.append(_Item(i, "part", label, RANK_PART, body_start, body, p.heading_hint))
        elif m.group("part"):
            label = m.group("part")
            if not is_caps(body, ratio=HEADING_CAPS) or (last_part and ord(label) != ord(last_part) + 1 and label != "Đ"):
                continue
            last_part = label
            items.append(_Item(i, "part", label, RANK_PART, body_start, body, p.heading_hint))
        elif m.group("roman"):
            label = m.group("roman")
            value = roman_value(label)
            if value is None:
                continue
            if not (is_caps(body, ratio=MOSTLY_CAPS) or p.heading_hint or value in (1, last_roman + 1)):
                continue
            last_roman = value
            items.append(_Item(i, "roman", label, RANK_ROMAN, body_start, body, p.heading_hint))
        elif m.group("arabic"):
            label = m.group("arabic")
            parts = label.split(".")
            if len(parts) == 1 and not m.group("adot"):
                continue
            if not all(0 < int(x) <= 60 for x in parts):
                continue
            items.append(_Item(i, f"arabic{len(parts)}", label, 1 + len(parts), body_start, body,
                               p.heading_hint))
        else:
            label = m.group("letter")
            items.append(_Item(i, "letter", label, RANK_LETTER, body_start, body, p.heading_hint))
    return items


def _build_tree(items: list[_Item]) -> list[_Item]:
    stack: list[_Item] = []
    roots: list[_Item] = []
    for it in items:
        while stack and stack[-1].rank >= it.rank:
            stack.pop()
        if stack:
            it.parent = stack[-1]
            stack[-1].children.append(it)
        else:
            roots.append(it)
        stack.append(it)
    return roots


def _decide(group: list[_Item]) -> None:
    for it in group:
        it.heading_like, it.heading = classify_heading(it.body, it.hint)
        if it.children and not it.heading_like:
            it.heading_like = True
    parent = group[0].parent
    if group[0].style in ("part", "roman"):
        accept = True
    elif group[0].style == "arabic1" and parent is not None and parent.style in ("part", "roman"):
        # numbered items directly under a roman heading are its subsections, headings or
        # sentences, short or long ('II. MỤC TIÊU CHỦ YẾU' then '1. 100% đội ngũ cán bộ …' (Bắc
        # Ninh KH 141); 'II. NỘI DUNG CÔNG TÁC' then '1. Nâng cao nhận thức …' (Sơn La QĐ 254);
        # '2. Vốn doanh nghiệp' (Lào Cai KH 134)): the annotated real plans read them so
        accept = True
    else:
        accept = sum(it.heading_like for it in group) >= 0.5 * len(group)
    for it in group:
        it.accepted = accept or bool(it.children and it.heading_like and it.hint)
        _decide_children(it)


def _decide_children(it: _Item) -> None:
    by_style: dict[str, list[_Item]] = {}
    for child in it.children:
        by_style.setdefault(child.style, []).append(child)
    for group in by_style.values():
        _decide(group)


def segment(nt: NormText, frame: Frame) -> list[Section]:
    items = _candidates(nt, frame)
    roots = _build_tree(items)
    by_style: dict[str, list[_Item]] = {}
    for r in roots:
        by_style.setdefault(r.style, []).append(r)
    for group in by_style.values():
        _decide(group)
    accepted = [it for it in items if it.accepted]

    paras = nt.paragraphs
    body_end_pos = paras[frame.body_end - 1].end if frame.body_end > 0 and paras else len(nt.text)
    sections: list[Section] = []
    first_start = paras[accepted[0].para].start if accepted else body_end_pos
    if frame.body_start < len(paras):
        pre_start = paras[frame.body_start].start
        if pre_start < first_start:
            sections.append(Section(id="s1", parent=None, level=1, label=None, heading=None,
                                    kind="preamble", span=(pre_start, _trim_end(nt, first_start)),
                                    pages=nt.pages_of(pre_start, first_start)))

    levels: dict[int, int] = {}
    ids: dict[int, str] = {}
    kinds: dict[int, str] = {}
    semantic: dict[int, str | None] = {}
    for k, it in enumerate(accepted):
        anc = it.parent
        while anc is not None and not anc.accepted:
            anc = anc.parent
        level = 1 if anc is None else levels[id(anc)] + 1
        title = it.heading.split(":", 1)[0]  # 'Kinh phí thực hiện: 3.207 triệu đồng …' is titled by its run-in head
        own = kind_from_heading(title)
        cue = kind_cue(title)
        titled = bool(cue and cue[1] <= OWN_KIND_LEAD_WORDS and len(title.split()) <= OWN_KIND_HEADING_WORDS
                      and (cue[0] != "organization" or len(title.split()) <= ORGANIZATION_HEADING_WORDS))
        if it.style == "part":
            kind = "part"
        elif anc is None:
            kind = own or "other"
        elif kinds[id(anc)] == "part":
            kind = own or semantic[id(anc)] or "other"
        elif kinds[id(anc)] == "other":
            kind = own if titled else "other"
        else:
            kind = own if titled else kinds[id(anc)]
        levels[id(it)], kinds[id(it)], semantic[id(it)] = level, kind, own
        sid = f"s{len(sections) + 1}"
        ids[id(it)] = sid
        start = paras[it.para].start
        end = body_end_pos
        for nxt in accepted[k + 1:]:
            if nxt.rank <= it.rank or not descends(nxt, it):
                end = paras[nxt.para].start
                break
        end = _trim_end(nt, end)
        heading_start = it.body_start
        sections.append(Section(
            id=sid, parent=ids.get(id(anc)) if anc is not None else None, level=level,
            label=it.label, heading=it.heading, kind=kind, span=(start, end),
            pages=nt.pages_of(start, end),
            heading_span=(heading_start, heading_start + len(it.heading)),
        ))
    return sections


def _trim_end(nt: NormText, end: int) -> int:
    while end > 0 and nt.text[end - 1] in "\n ":
        end -= 1
    return end
