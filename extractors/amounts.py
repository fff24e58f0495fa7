"""Money amounts, their structure (totals and their parts) and their attributes.

Finding the numbers is the easy part. What a number *is* comes from three places, nearest
first: its own label ('Ngân sách trung ương: 187.480 triệu đồng'), the amount it is a part of
(inside the parentheses after a total, after 'trong đó:', or in the list items a total
introduces), and the headings of the sections and items around it ('1. Dự án 2: …'). A
total whose parts are labelled with different funding sources is a total over sources.
"""
from __future__ import annotations

from decimal import Decimal
from functools import cache

import regex

from kehoach.normalizers import components as comp
from kehoach.normalizers.layout import MARKER
from kehoach.normalizers.numbers import NUMBER, parse_number, to_million
from kehoach.normalizers.offsets import NormText
from kehoach.extractors.context import Component, Document, Mention
from kehoach.normalizers.funding import capital_cue, cue_positions, funding_cue
from kehoach.normalizers.text import fold, match_key, matching_close
from kehoach.catalogs import load
from kehoach.normalizers.places import place_heading
from kehoach.models.records import Amount, Section
from kehoach.models.sections import enclosing, innermost
from kehoach.normalizers.components import section_components

_CUR = r"(?:đồng|VNĐ|VND|vnđ|đ)(?![\p{L}])"
MONEY_MENTION = regex.compile(
    rf"""(?<![\d.,/\p{{L}}])
    (?P<num>{NUMBER})\s*
    (?:
        (?P<trd>tr\s*\.?\s*đ|trđ)(?![\p{{L}}])
      | (?P<unit>triệu|tỷ|tỉ|nghìn|ngàn)(?![\p{{L}}])(?:\s*(?P<cur>{_CUR}))?
      | (?P<cur2>{_CUR})
    )
    (?:\s*/\s*(?P<per>(?:lao\s+động|học\s+sinh|công\s+trình|mô\s+hình|dự\s+án|\p{{L}}+)(?:\s*/\s*\p{{L}}+)*))?
    """,
    regex.VERBOSE,
)
# 'vốn ĐTPT: 450, vốn sự nghiệp: 900 triệu đồng': the unit written once serves the list
_SHARED_UNIT = regex.compile(
    rf"(?P<num>{NUMBER})\s*(?P<sep>[,;]|và|đến|[-–])\s*(?:[^\d:;()]{{0,60}}?:\s*)?$")
_PART_CUE = regex.compile(r"\b(?:trong do|bao gom|gom|cu the|chi tiet|chia ra)\b")
_LIST_CUE = regex.compile(r"(?:trong do|bao gom|gom|cu the(?: nhu sau)?|nhu sau|sau|chi tiet)\s*:?\s*$")
_BOUND_MIN = regex.compile(r"(?:tu|hon|tren|it nhat|toi thieu|khong duoi|vuot)\s*$")
_BOUND_MAX = regex.compile(r"(?:duoi|khong qua|toi da|den)\s*$")
_LOCATION = regex.compile(
    r"^\W*(?:[a-zđ]\)|\d+(?:\.\d+)*\.?|[-+•])?\s*(?P<unit>[Hh]uyện|[Tt]hị xã|[Tt]hành phố|[Xx]ã|[Tt]ỉnh)\s+"
    r"(?P<name>\p{Lu}[\p{Ll}’']*(?:\s+\p{Lu}[\p{Ll}’']*){0,3})\s*(?::|$)")


@cache
def _money() -> dict:
    return load("money")


def _unit_key(m: regex.Match) -> str | None:
    if m.group("trd"):
        return "trieu"
    unit = m.group("unit")
    if unit:
        key = fold(unit)
        if key in ("nghin", "ngan") and not m.group("cur"):
            return None  # '5 nghìn hộ' counts households
        return key
    return "dong"


def _not_money(text: str, m: regex.Match) -> bool:
    if m.group("cur") or m.group("cur2") or m.group("trd"):
        return False
    nxt = fold(text[m.end():m.end() + 12]).split()
    return bool(nxt) and nxt[0].strip(".,;:()") in _money()["not_money_after_unit"]


def find_mentions(nt: NormText) -> list[Mention]:
    text = nt.text
    out: list[Mention] = []
    for m in MONEY_MENTION.finditer(text):
        unit = _unit_key(m)
        if unit is None or _not_money(text, m):
            continue
        try:
            value = to_million(parse_number(m.group("num")), unit)
        except ArithmeticError:
            continue
        if unit == "dong" and value < Decimal("0.001"):
            continue  # '2 đồng' is not a budget line
        per = m.group("per")
        para = nt.paragraph_index_at(m.start())
        mention = Mention(m.start(), m.end(), value, m.group(0), " ".join(per.split()) if per else None,
                          para, 0)
        out.append(mention)
        out.extend(_shared_unit(nt, mention, m, unit))
    taken = [(x.start, x.end) for x in out]
    out.extend(x for x in _table_unit_amounts(nt) if not any(a <= x.start < b for a, b in taken)
               and not nt.paragraphs[x.para].table_cell)
    out.sort(key=lambda x: x.start)
    return out


# 'Đơn vị tính: triệu đồng' over a table: its cells are money though no cell says so
_TABLE_UNIT = regex.compile(r"(?:đơn vị(?:\s+tính)?|đvt)\s*[:.]?\s*(?P<unit>triệu đồng|tỷ đồng|nghìn đồng|triệu|tỷ|đồng)",
                            regex.IGNORECASE)
# a cell: grouped thousands, a decimal, or three digits and more (row numbers are shorter)
_CELL_NUMBER = regex.compile(r"(?<![\d.,/%\p{L}-])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d{3,})(?![\d.,/%\p{L}-])")
_ROW_START = regex.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.?|[a-zđ]\))\s")
MAX_TABLE_PARAGRAPHS = 120


def _rows(body: str, numbers: list) -> list[list]:
    """Numbers grouped into table rows: words between two numbers start a new row."""
    rows: list[list] = []
    for n in numbers:
        if rows and not regex.search(r"\p{L}", body[rows[-1][-1].end():n.start()]):
            rows[-1].append(n)
        else:
            rows.append([n])
    return rows


def _header_columns(header: str) -> list[tuple[str | None, str | None]]:
    """The money columns a table header names, in order: (funding source, capital type) each."""
    key = fold(header)
    found = []
    found += [(pos, (source, None)) for pos, source in cue_positions(key, "funding_sources")]
    found += [(pos, (None, ctype)) for pos, ctype in cue_positions(key, "capital_types")]
    found += [(m.start(), ("total", None)) for m in regex.finditer(r"(?<![a-z])tong (?:so|cong|kinh phi|von)", key)]
    found.sort(key=lambda x: x[0])
    columns, last = [], -100
    for pos, col in found:
        if pos - last > 3:  # one column per cue, overlapping cues count once
            columns.append(col)
        last = pos
    return columns


def _table_unit_amounts(nt: NormText) -> list[Mention]:
    """Numbers in the rows under a unit declaration, until the rows give way to prose."""
    out: list[Mention] = []
    paras = nt.paragraphs
    for m in _TABLE_UNIT.finditer(nt.text):
        unit = fold(m.group("unit")).split()[0]
        first = nt.paragraph_index_at(m.start())
        numeric_seen = prose = 0
        columns: list[tuple[str | None, str | None]] = []
        for i in range(first, min(len(paras), first + MAX_TABLE_PARAGRAPHS)):
            p = paras[i]
            text = nt.text[p.start:p.end]
            start = m.end() - p.start if i == first else 0
            body = text[start:]
            numbers = [n for n in _CELL_NUMBER.finditer(body)
                       if not regex.fullmatch(r"(?:19|20)\d{2}", n.group("num"))]
            row = _ROW_START.match(body)
            numbers = [n for n in numbers if not (row and n.start() < row.end())
                       and not regex.match(r"\s*\p{Ll}", body[n.end():])]  # '12 nhiệm vụ' counts tasks
            words = len(regex.findall(r"\p{L}+", body))
            if i > first and regex.match(r"^\s*(?:[IVX]{1,5}|[A-ZĐ])[.)]\s|^\s*(?:PHẦN|Phần)\s", body):
                break  # the next section
            if i > first and (words > 40 or (not numbers and numeric_seen)):
                prose += 1
                if prose >= 2 or words > 40:
                    break
                continue
            prose = 0
            if numbers and not numeric_seen:
                # 'STT Nội dung Tổng số Ngân sách trung ương …' before the first row names the columns
                columns = _header_columns(nt.text[m.end():p.start + start + numbers[0].start()])
            for row_numbers in _rows(body, numbers):
                for k, n in enumerate(row_numbers):
                    value = to_million(parse_number(n.group("num")), unit)
                    at = p.start + start + n.start()
                    column = columns[k] if len(row_numbers) == len(columns) else (None, None)
                    out.append(Mention(at, at + len(n.group("num")), value, n.group("num"), None, i, 0,
                                       cell=True, column=column))
                    numeric_seen += 1
    return out


def _shared_unit(nt: NormText, mention: Mention, m: regex.Match, unit: str) -> list[Mention]:
    found = []
    p = nt.paragraphs[mention.para]
    end = m.start()
    while True:
        before = nt.text[p.start:end]
        sm = _SHARED_UNIT.search(before)
        if not sm:
            break
        num_start = p.start + sm.start("num")
        lead = fold(nt.text[max(p.start, num_start - 8):num_start])
        if not (lead.rstrip().endswith(":") or lead.rstrip().endswith("tu")):
            break
        value = to_million(parse_number(sm.group("num")), unit)
        bound = "min" if sm.group("sep") in ("đến", "-", "–") else None
        found.append(Mention(num_start, p.start + sm.end("num"), value, sm.group("num"), mention.per,
                             mention.para, 0, bound=bound))
        if bound:
            mention.bound = "max"
        end = num_start
    return found


# --- structure ---------------------------------------------------------------------------------

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


def _structure(nt: NormText, mentions: list[Mention], sections: list[Section]) -> None:
    by_para: dict[int, list[Mention]] = {}
    for mt in mentions:
        by_para.setdefault(mt.para, []).append(mt)
    section_starts = {s.span[0]: s for s in sections if s.label is not None}
    for para, items in by_para.items():
        p = nt.paragraphs[para]
        text = nt.text[p.start:p.end]
        depths = _depths(text)
        for mt in items:
            mt.depth = depths[mt.start - p.start]
        _label_and_trail(text, depths, p.start, items)
        _inline_parts(text, depths, p.start, items)
    for para, items in sorted(by_para.items()):
        _list_parts(nt, para, items, by_para, section_starts, sections)


def _label_and_trail(text: str, depths: list[int], base: int, items: list[Mention]) -> None:
    for i, mt in enumerate(items):
        s = mt.start - base
        # the label starts after the previous amount of the same group, or where the group opens
        start = 0
        # nothing is shallower than depth 0: only an amount in parentheses looks back for its '('
        for j in range(s - 1, -1, -1) if mt.depth else ():
            if depths[j] < mt.depth:
                start = j + 1
                break
        for prev in reversed(items[:i]):
            if prev.depth == mt.depth and prev.end - base > start:
                start = prev.end - base + len(prev.trail)
                break
        mt.label = _same_depth_text(text, depths, start, s, mt.depth)
        t = mt.end - base
        m = regex.match(r"[^,;()\n]*?(?=[,;()\n]|\.\s|\.?$)", text[t:])
        mt.trail = m.group(0) if m else ""
        # '5.500 triệu đồng (Vốn sự nghiệp)': a note in parentheses describes the amount
        note = regex.match(r"\s*\(([^()]{1,80})\)", text[t + len(mt.trail):])
        if note and not any(x.start - base > t and x.start - base < t + len(mt.trail) + note.end()
                            for x in items):
            mt.trail += " " + note.group(1)


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


def _adopt(parent: Mention, group: list[Mention], how: str) -> None:
    if group:
        parent.groups[how] = group
        for x in group:
            x.parent = x.parent or parent


def _inline_parts(text: str, depths: list[int], base: int, items: list[Mention]) -> None:
    group_end = _group_ends(depths)
    for i, mt in enumerate(items):
        s, e = mt.start - base, mt.end - base
        # '187.480 triệu đồng (Vốn đầu tư phát triển: 170.436 …, Vốn sự nghiệp: 17.044 …)'
        m = regex.match(r"[^(),;\n]{0,15}\(", text[e:])
        if m:
            open_at = e + m.end() - 1
            close_at = matching_close(text, open_at)
            _adopt(mt, [x for x in items[i + 1:]
                        if open_at < x.start - base < close_at and x.depth == mt.depth + 1], "parentheses")
        # '102.121 triệu đồng, trong đó: Vốn đầu tư phát triển: 99.564 …; Vốn sự nghiệp: 2.557 …'
        later = [x for x in items[i + 1:]
                 if x.depth == mt.depth and group_end[s] >= x.start - base]
        if later:
            gap = fold(_same_depth_text(text, depths, e, later[0].start - base, mt.depth))
            if _PART_CUE.search(gap):
                _adopt(mt, later, "inline")


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


def _list_parts(nt: NormText, para: int, items: list[Mention], by_para: dict[int, list[Mention]],
                section_starts: dict[int, Section], sections: list[Section]) -> None:
    """A paragraph ending 'trong đó:' / 'bao gồm:' introduces items whose amounts are its parts."""
    p = nt.paragraphs[para]
    text = nt.text[p.start:p.end].rstrip()
    if not (text.endswith(":") and _LIST_CUE.search(fold(text[:-1]))):
        return
    heads = [x for x in items if x.depth == 0]
    if not heads:
        return
    head = heads[0]
    own_style = _marker_style(text)
    # the items end where the section holding the total ends
    holder = innermost(sections, p.start, labelled=True)
    limit_level = holder.level if holder else None
    style = None
    group: list[Mention] = []
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
        first = next((x for x in by_para.get(q, []) if x.depth == 0), None)
        if first is None:
            complete = False
            continue
        group.append(first)
    _adopt(head, group, "items" if complete else "items_incomplete")


# --- attributes --------------------------------------------------------------------------------

def _kind(mt: Mention, chain: list[Section], sentence: str) -> str:
    key = match_key(mt.label + " " + mt.trail + " " + sentence)
    kinds = _money()["kinds"]
    for kind in ("other", "target", "reported"):
        if any(regex.search(rf"(?<!\w){regex.escape(cue)}(?!\w)", key) for cue in kinds[kind]):
            return kind
    section_kinds = [s.kind for s in chain]
    if "results_review" in section_kinds:
        return "reported"
    if any(k in ("objectives", "expected_results") for k in section_kinds):
        return "target"
    return "budget"


def _sentence(nt: NormText, mt: Mention) -> str:
    p = nt.paragraphs[mt.para]
    before = nt.text[p.start:mt.start]
    cut = max(before.rfind(". "), before.rfind("; "))
    return before[cut + 1:] if cut >= 0 else before


def table_mentions(nt: NormText, readings: list) -> list[Mention]:
    """The value cells of budget tables (and the money rows of target tables) as money mentions;
    a cell's parts are the cells of the rows under its row (by the rows' numbering) in its column."""
    out: list[Mention] = []
    for t in readings:
        mine: list[Mention] = []
        unit_col = t.column("unit")
        subsets = _subset_rows(t.rows)
        levels = _row_levels(t.rows)
        for row, col, cell, value in t.value_cells:
            unit = t.unit if t.kind == "budget" else None
            if t.kind == "targets" and unit_col is not None:
                row_unit = fold(row.cells[unit_col.index].text)
                unit = _TABLE_UNITS.get(row_unit.strip(" ()."))
            if unit is None or t.kind not in ("budget", "targets"):
                continue
            mt = Mention(cell.start, cell.end, to_million(value, unit), cell.text, None,
                         nt.paragraph_index_at(cell.start), 0, cell=True, table=True,
                         column=(col.funding, col.capital), year=col.year, column_path=col.header or None)
            mt.label = row.label
            mt.row_level = levels[id(row)]
            mt.row_total, mt.row_key = col.total, id(row)
            mine.append(mt)
        _table_groups(mine, subsets)
        _row_totals(mine)
        out.extend(mine)
    return out


# a target table's row unit that makes its values money (a per-person income stays a target only)
_TABLE_UNITS = {"trieu dong": "trieu", "trieu": "trieu", "ty dong": "ty", "ty": "ty", "nghin dong": "nghin",
                "dong": "dong"}


def _row_levels(rows: list) -> dict[int, int]:
    """Each row's depth by its number, keyed by the row's id: a total row -2, a lettered part ('A')
    -1, a roman group 0, '1' 1, '1.1' 2, '1.1.1' 3, an unnumbered row 4. Lower-case letters,
    dashes and pluses take their depth where their style first appears, one below the row above
    ('1.1.1' then 'a)' then '-'), as the table nests them."""
    fixed_levels: dict[str, int] = {}
    out: dict[int, int] = {}
    last = 0
    for row in rows:
        n = row.number
        if row.total:
            level = -2
        elif row.group:
            level = -1 if regex.fullmatch(r"[A-HĐ]", n) else 0
        elif regex.fullmatch(r"\d+", n):
            level = 1
        elif regex.fullmatch(r"\d+(?:\.\d+)+", n):
            level = n.count(".") + 1
        elif not n:
            level = 4  # an unnumbered row: a grand total above the groups as often as a detail
        else:
            style = "letter" if regex.fullmatch(r"[a-zđ]\)?", n) else n
            level = fixed_levels.setdefault(style, max(last, 0) + 1)
        out[id(row)] = level
        last = level
    return out


_BREAKDOWN = regex.compile(r"^(?:trong do|chia ra|bao gom|gom)\b")


def _row_totals(cells: list[Mention]) -> None:
    """A row's 'Tổng số' cell over its parts in the same row: the year columns, or the columns
    under 'Trong đó' / 'Chia ra'."""
    rows: dict[int, list[Mention]] = {}
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
            totals[0].groups["row"] = parts


def _reporting_column(path: str | None) -> bool:
    """A table column of money already spent: its lowest header says so ('Ước thực hiện',
    'Đánh giá thực hiện'), the header a target table takes its baseline from."""
    leaf = fold((path or "").split(" > ")[-1])
    return any(regex.search(rf"(?<![a-z]){regex.escape(c)}(?![a-z])", leaf) for c in load("tables")["baseline_cues"])


def _subset_rows(rows: list) -> set[int]:
    """The rows that pick out part of the row above instead of dividing it: 'Trong đó: …', and the
    unnumbered or dashed rows under a 'Trong đó:' row (until the next numbered row)."""
    cues = load("tables")["subset_row_cues"]
    out: set[int] = set()
    under = False
    for row in rows:
        key = fold(row.label).strip(" -+*:")
        if any(key.startswith(c) for c in cues):
            out.add(id(row))
            under = key in cues  # a 'Trong đó:' row alone heads the rows below
            continue
        if row.number not in ("", "-", "+", "–"):
            under = False
        elif under:
            out.add(id(row))
    return out


def _table_groups(cells: list[Mention], subsets: set[int] = frozenset()) -> None:
    """Parent and parts by the rows' numbering: 'Tổng cộng' over I, II …; I over 1, 2 …; 1 over 1.1 …
    A subset row ('Trong đó: …') is no part of the row above, though rows below may be its parts."""
    by_col: dict[str, list[Mention]] = {}
    for m in cells:
        by_col.setdefault(m.column_path or "", []).append(m)
    for col_cells in by_col.values():
        stack: list[tuple[int, Mention]] = []
        for m in col_cells:  # rows in order
            level = m.row_level
            while stack and stack[-1][0] >= level:
                stack.pop()
            if stack and m.row_key not in subsets:
                parent = stack[-1][1]
                m.parent = parent
                parent.groups.setdefault("table", []).append(m)
            stack.append((level, m))


def extract_amounts(nt: NormText, sections: list[Section], readings: list | None = None) -> tuple[list[Amount], list[Mention]]:
    from_tables = table_mentions(nt, readings or [])
    revenue_rows = {id(row) for t in readings or [] if t.revenue for row in t.rows}
    in_tables = [(m.start, m.end) for m in from_tables]
    mentions = [m for m in find_mentions(nt) if not any(a <= m.start < b for a, b in in_tables)]
    mentions = sorted(mentions + from_tables, key=lambda m: m.start)
    _structure(nt, [m for m in mentions if not m.table], sections)
    sec_comp = section_components(sections)
    for mt in mentions:  # document order: a parent is settled before its parts
        chain = enclosing(sections, mt.start)
        mt.section = chain[0].id if chain else None
        sentence = _sentence(nt, mt)
        headings = " ".join(s.heading or "" for s in chain if s.kind != "part")
        # funding source and capital type: own label, then the total it belongs to, then headings
        mt.own_funding = mt.column[0] or funding_cue(mt.label + " " + mt.trail)
        mt.funding = mt.own_funding
        own_capital = mt.column[1] or capital_cue(mt.label + " " + mt.trail)
        mt.capital = own_capital
        if mt.funding is None and mt.parent is not None and mt.parent.funding != "total":
            mt.funding = mt.parent.funding
        if mt.capital is None and mt.parent is not None:
            mt.capital = mt.parent.capital
        if mt.funding is None and mt.parent is None:
            mt.funding = _heading_cue(chain, funding_cue)
        if mt.capital is None and mt.parent is None:
            mt.capital = _heading_cue(chain, capital_cue)
        # component: the sentence, then the parent, then the enclosing headings
        context = next((sec_comp[s.id] for s in chain if sec_comp.get(s.id)), None)
        named = comp.last_mention(sentence, context)
        if mt.cell and (named is None or named.project is None):
            named = _row_component(nt, mt, context)
        if named is not None and named.project is not None:
            mt.component = named
        elif mt.parent is not None and mt.parent.component is not None:
            mt.component = mt.parent.component
        else:
            mt.component = context
        mt.location = _location(mt, chain)
        # a table cell's kind is its row's and column's: the words before it in its paragraph
        # are its neighbours (a PDF row, a row written one cell a line), the header among them
        mt.kind = _kind(mt, chain, "" if mt.table else sentence)
        if mt.table and mt.row_key in revenue_rows:
            # revenue is money coming in, neither spent nor allocated: no kind of spending, and
            # 'doanh nghiệp', 'đầu tư' in a tax's name say who pays, not what funds what
            mt.kind = "other"
            mt.own_funding = mt.funding = mt.capital = None
        elif mt.table and mt.kind == "budget" and _reporting_column(mt.column_path):
            mt.kind = "reported"  # the 'Ước thực hiện' column beside the estimates
        if mt.per == "năm" and "binh quan dau nguoi" in fold(sentence + headings):
            mt.per = "người/năm"
    # a total over sources: its parts name different sources
    for mt in mentions:
        for group in mt.groups.values():
            sources = {x.funding for x in group if x.funding and x.funding != "total"}
            if len(sources) >= 2 and mt.own_funding is None:
                mt.funding = "total"
                break
        if mt.capital is not None and any(
                len({x.capital for x in g} - {None}) >= 2 for g in mt.groups.values()):
            mt.capital = None
    amounts = [
        Amount(value_million_vnd=mt.value, raw=mt.raw, kind=mt.kind, year=mt.year,
               table_row=mt.label if mt.table else None, table_column=mt.column_path,
               component=mt.component.label() if mt.component else None,
               funding_source=mt.funding, capital_type=mt.capital, location=mt.location, per=mt.per,
               bound=mt.bound, section=mt.section, span=(mt.start, mt.end), page=nt.page_at(mt.start))
        for mt in mentions
    ]
    return amounts, mentions


def _row_component(nt: NormText, mt: Mention, context) -> comp.Component | None:
    """A table cell's component, named in an earlier cell of its row (one paragraph per cell)."""
    for i in range(mt.para - 1, max(-1, mt.para - 6), -1):
        p = nt.paragraphs[i]
        cell = nt.text[p.start:p.end]
        if len(cell.split()) > 12:
            return None
        found = comp.last_mention(cell, context)
        if found is not None and found.project is not None:
            return found
    return None


def _heading_cue(chain: list[Section], fn) -> str | None:
    for s in chain:
        if s.kind == "part":
            continue
        found = fn(s.heading or "")
        if found:
            return found
    return None


def _location(mt: Mention, chain: list[Section]) -> str | None:
    m = _LOCATION.match(mt.label)
    if m:
        return f"{m.group('unit').lower()} {m.group('name')}"
    if mt.parent is not None and mt.parent.location:
        return mt.parent.location
    return next((p for p in (place_heading(s.heading) for s in chain) if p), None)


def _run(doc: Document) -> None:
    doc.record.amounts, doc.mentions = extract_amounts(doc.nt, doc.sections, doc.tables_read)


COMPONENT = Component("amounts", requires=("nt", "sections", "tables_read"), assigns=("amounts", "mentions"), run=_run)
