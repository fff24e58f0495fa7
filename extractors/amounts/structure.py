"""Totals and their parts: which amount a mention is part of, and the words that label it.

In running text a part follows its total in parentheses ('187.480 triệu đồng (Vốn đầu tư phát
triển: 170.436 …)'), after 'trong đó:' in the same sentence, or as the items of a list the total
introduces. In a read table the parts of a row are the rows under it by their numbering, in the
same column, and a row's 'Tổng số' cell is the total of the year or 'Trong đó' cells beside it.
"""
from __future__ import annotations

import regex

from kehoach.models.records import Section
from kehoach.models.sections import innermost
from kehoach.normalizers.layout import MARKER
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import fold, matching_close

from .records import Found, Shape

_PART_CUE = regex.compile(r"\b(?:trong do|bao gom|gom|cu the|chi tiet|chia ra)\b")
_LIST_CUE = regex.compile(r"(?:trong do|bao gom|gom|cu the(?: nhu sau)?|nhu sau|sau|chi tiet)\s*:?\s*$")
_BREAKDOWN = regex.compile(r"^(?:trong do|chia ra|bao gom|gom)\b")


class _Draft:
    """The structure stage's working notes while it walks the mentions; frozen into ``Shape``s."""

    def __init__(self, mentions: list[Found]):
        self.depth: dict[Found, int] = {}
        self.label: dict[Found, str] = {}
        self.trail: dict[Found, str] = {}
        self.parent: dict[Found, Found] = {}
        self.groups: dict[Found, dict[str, list[Found]]] = {m: {} for m in mentions}

    def adopt(self, parent: Found, group: list[Found], how: str) -> None:
        """``group`` are ``parent``'s parts; a part keeps the first total that claims it."""
        if group:
            self.groups[parent][how] = group
            for x in group:
                self.parent.setdefault(x, parent)

    def shapes(self, mentions: list[Found]) -> list[Shape]:
        return [Shape(label=self.label.get(m, m.row_label), trail=self.trail.get(m, ""), depth=self.depth.get(m, 0),
                      parent=self.parent.get(m),
                      groups=tuple((how, tuple(g)) for how, g in self.groups[m].items()))
                for m in mentions]


def structure(nt: NormText, mentions: list[Found], tables: list[list[Found]], sections: list[Section]) -> list[Shape]:
    """Each mention's label, trail, total and parts, in the order of ``mentions``; ``tables`` are
    the read tables' cells in each table's own order (rows, then columns)."""
    draft = _Draft(mentions)
    for cells in tables:
        _table_groups(draft, cells)
        _row_totals(draft, cells)
    _prose_structure(draft, nt, [m for m in mentions if not m.table], sections)
    return draft.shapes(mentions)


# --- read tables -------------------------------------------------------------------------------

def _table_groups(draft: _Draft, cells: list[Found]) -> None:
    """Parent and parts by the rows' numbering: 'Tổng cộng' over I, II …; I over 1, 2 …; 1 over 1.1 …
    A subset row ('Trong đó: …') is no part of the row above, though rows below may be its parts."""
    by_col: dict[str, list[Found]] = {}
    for m in cells:
        by_col.setdefault(m.column_path or "", []).append(m)
    for col_cells in by_col.values():
        stack: list[tuple[int, Found]] = []
        for m in col_cells:  # rows in order
            while stack and stack[-1][0] >= m.row_level:
                stack.pop()
            if stack and not m.row_subset:
                parent = stack[-1][1]
                draft.parent[m] = parent
                draft.groups[parent].setdefault("table", []).append(m)
            stack.append((m.row_level, m))


def _row_totals(draft: _Draft, cells: list[Found]) -> None:
    """A row's 'Tổng số' cell over its parts in the same row: the year columns, or the columns
    under 'Trong đó' / 'Chia ra'."""
    rows: dict[int, list[Found]] = {}
    for m in cells:
        rows.setdefault(m.row_key, []).append(m)
    for group in rows.values():
        totals = [m for m in group if m.row_total]
        if len(totals) != 1:
            continue
        years = [m for m in group if m.year is not None and not m.row_total]
        under = [m for m in group if not m.row_total and _BREAKDOWN.match(fold(m.column_path or "").strip())]
        parts = years if len(years) >= 2 else under
        if len(parts) >= 2:
            draft.groups[totals[0]]["row"] = parts


# --- running text ------------------------------------------------------------------------------

def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for c in text:
        if c == ")":
            depth = max(0, depth - 1)
        out.append(depth)
        if c == "(":
            depth += 1
    return out


def _same_depth_text(text: str, depths: list[int], start: int, end: int, depth: int) -> str:
    return "".join(c for c, d in zip(text[start:end], depths[start:end]) if d <= depth)


def _prose_structure(draft: _Draft, nt: NormText, mentions: list[Found], sections: list[Section]) -> None:
    by_para: dict[int, list[Found]] = {}
    for mt in mentions:
        by_para.setdefault(mt.para, []).append(mt)
    section_starts = {s.span[0]: s for s in sections if s.label is not None}
    for para, items in by_para.items():
        p = nt.paragraphs[para]
        text = nt.text[p.start:p.end]
        depths = _depths(text)
        for mt in items:
            draft.depth[mt] = depths[mt.start - p.start]
        _label_and_trail(draft, text, depths, p.start, items)
        _inline_parts(draft, text, depths, p.start, items)
    for para, items in sorted(by_para.items()):
        _list_parts(draft, nt, para, items, by_para, section_starts, sections)


def _label_and_trail(draft: _Draft, text: str, depths: list[int], base: int, items: list[Found]) -> None:
    depth = draft.depth
    for i, mt in enumerate(items):
        s = mt.start - base
        # the label starts after the previous amount of the same group, or where the group opens
        start = 0
        # nothing is shallower than depth 0: only an amount in parentheses looks back for its '('
        for j in range(s - 1, -1, -1) if depth[mt] else ():
            if depths[j] < depth[mt]:
                start = j + 1
                break
        for prev in reversed(items[:i]):
            if depth[prev] == depth[mt] and prev.end - base > start:
                start = prev.end - base + len(draft.trail[prev])
                break
        draft.label[mt] = _same_depth_text(text, depths, start, s, depth[mt])
        t = mt.end - base
        m = regex.match(r"[^,;()\n]*?(?=[,;()\n]|\.\s|\.?$)", text[t:])
        trail = m.group(0) if m else ""
        # '5.500 triệu đồng (Vốn sự nghiệp)': a note in parentheses describes the amount
        note = regex.match(r"\s*\(([^()]{1,80})\)", text[t + len(trail):])
        if note and not any(x.start - base > t and x.start - base < t + len(trail) + note.end()
                            for x in items):
            trail += " " + note.group(1)
        draft.trail[mt] = trail


def _group_ends(depths: list[int]) -> list[int]:
    """For each position, where its parenthesis group closes: the first later position at a lower
    depth (len(depths) when none). One pass with a stack, so a paragraph of a thousand amounts
    costs no more than its length (rescanning it for every later amount was quadratic)."""
    ends = [len(depths)] * len(depths)
    open_: list[int] = []
    for pos, d in enumerate(depths):
        while open_ and depths[open_[-1]] > d:
            ends[open_.pop()] = pos
        open_.append(pos)
    return ends


def _inline_parts(draft: _Draft, text: str, depths: list[int], base: int, items: list[Found]) -> None:
    depth = draft.depth
    group_end = _group_ends(depths)
    for i, mt in enumerate(items):
        s, e = mt.start - base, mt.end - base
        # '187.480 triệu đồng (Vốn đầu tư phát triển: 170.436 …, Vốn sự nghiệp: 17.044 …)'
        m = regex.match(r"[^(),;\n]{0,15}\(", text[e:])
        if m:
            open_at = e + m.end() - 1
            close_at = matching_close(text, open_at)
            draft.adopt(mt, [x for x in items[i + 1:]
                             if open_at < x.start - base < close_at and depth[x] == depth[mt] + 1], "parentheses")
        # '102.121 triệu đồng, trong đó: Vốn đầu tư phát triển: 99.564 …; Vốn sự nghiệp: 2.557 …'
        later = [x for x in items[i + 1:]
                 if depth[x] == depth[mt] and group_end[s] >= x.start - base]
        if later:
            gap = fold(_same_depth_text(text, depths, e, later[0].start - base, depth[mt]))
            if _PART_CUE.search(gap):
                draft.adopt(mt, later, "inline")


def _marker_style(text: str) -> str | None:
    text = regex.sub(r"^-\s+(?=[+\-]\s)", "", text)  # '- + Ngân sách …' is a '+' item
    m = MARKER.match(text)
    if not m:
        return None
    mk = m.group(0).strip()
    if mk[0] in "-+•*–—●▪○":
        return mk[0]
    if regex.match(r"\d+(\.\d+)+", mk):
        return f"arabic{mk.count('.') + (0 if mk.endswith('.') else 1)}"
    if regex.match(r"\d", mk):
        return "arabic1"
    if regex.match(r"[a-zđ]", mk):
        return "letter"
    return "other"


def _list_parts(draft: _Draft, nt: NormText, para: int, items: list[Found], by_para: dict[int, list[Found]],
                section_starts: dict[int, Section], sections: list[Section]) -> None:
    """A paragraph ending 'trong đó:' / 'bao gồm:' introduces items whose amounts are its parts."""
    p = nt.paragraphs[para]
    text = nt.text[p.start:p.end].rstrip()
    if not (text.endswith(":") and _LIST_CUE.search(fold(text[:-1]))):
        return
    heads = [x for x in items if draft.depth[x] == 0]
    if not heads:
        return
    head = heads[0]
    own_style = _marker_style(text)
    # the items end where the section holding the total ends
    holder = innermost(sections, p.start, labelled=True)
    limit_level = holder.level if holder else None
    style = None
    group: list[Found] = []
    complete = True
    for q in range(para + 1, len(nt.paragraphs)):
        qp = nt.paragraphs[q]
        qtext = nt.text[qp.start:qp.end]
        sec = section_starts.get(qp.start)
        if sec is not None and limit_level is not None and sec.level <= limit_level:
            break
        qstyle = _marker_style(qtext)
        if qstyle is None or qstyle == own_style:
            if style is None or qstyle == own_style:
                break
            continue  # body text inside an item
        if style is None:
            style = qstyle
        if qstyle != style:
            continue  # a deeper item belongs to its own item
        first = next((x for x in by_para.get(q, []) if draft.depth[x] == 0), None)
        if first is None:
            complete = False
            continue
        group.append(first)
    draft.adopt(head, group, "items" if complete else "items_incomplete")
