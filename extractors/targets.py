"""Quantitative targets: what a plan commits to reach, with baseline, unit, comparator and year.

Targets are read in objectives and expected-results sections, in items headed 'Mục tiêu' or
'Chỉ tiêu' anywhere, and wherever a goal word ('phấn đấu', 'tối thiểu', 'ít nhất') stands
before a number. A value is a percentage, a number with a counted noun from the unit catalog
('hộ', 'xã', 'lao động', 'mô hình, dự án' …), a multiple ('1,8 lần') or an income in money per
person. 'giảm từ 55,15% … xuống còn 22,06%' is one target with its baseline; the breakdown in
parentheses after each side pairs up when each part is named ('tỷ lệ hộ nghèo là …').
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from kehoach.extractors.context import Component, Document, Mention
from kehoach.extractors.tables import column_measure, column_unit
from kehoach.normalizers import pos
from kehoach.normalizers.indicators import indicator_key
from kehoach.normalizers.numbers import NUMBER, WORD_NUMBERS, parse_number
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import alternation, fold, last_cue, match_key, matching_close
from kehoach.catalogs import load
from kehoach.models.records import LegalRef, Section, Target
from kehoach.normalizers.places import place_heading
from kehoach.models.sections import enclosing
from kehoach.normalizers.headings import kind_from_heading

_YEAR = regex.compile(r"(?:đến|cuối|trong|năm)\s+(?:cuối\s+)?năm\s+((?:19|20)\d{2})|năm\s+((?:19|20)\d{2})")
_CLAUSE_START = regex.compile(r"[;:.]\s|[;:]$|^")


@cache
def _catalog() -> dict:
    return load("targets")


@cache
def _value_pattern() -> regex.Pattern:
    units = sorted(_catalog()["units"], key=len, reverse=True)
    unit_alt = "|".join(regex.escape(u) for u in units)
    words = "|".join(WORD_NUMBERS)
    per_alt = alternation(_catalog()["rate_denominators"])
    return regex.compile(
        rf"""(?<![\d.,/\p{{L}}])
        (?P<v1>{NUMBER}|(?<!(?:đầu|Đầu|thứ|Thứ|tháng|Tháng)\s)(?:{words})(?=\s+(?:{unit_alt})\b))
        (?:\s*(?P<rsep>[-–]|đến)\s*(?P<v2>{NUMBER})(?=\s*%))?
        (?:\s*/\s*(?P<denom>\d{{1,4}})(?=\s+(?:{unit_alt})))?
        \s*
        (?P<unit>%|(?:{unit_alt})(?![\p{{L}}]))
        (?P<per>(?:\s*/\s*(?:{per_alt}))+)?
        """, regex.VERBOSE | regex.IGNORECASE)


@dataclass
class _Found:
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    baseline: float | None = None
    skip: bool = False


def _to_float(text: str) -> float:
    t = text.strip().lower()
    if t in WORD_NUMBERS:
        return float(WORD_NUMBERS[t])
    return float(parse_number(t))


def _in_scope(nt: NormText, sections: list[Section], para: int) -> str | None:
    """Why a paragraph can hold targets: 'section', 'label' or 'cue' (None: it cannot)."""
    p = nt.paragraphs[para]
    chain = enclosing(sections, p.start)
    kinds = [s.kind for s in chain]
    if "results_review" in kinds or (kinds and kinds[0] == "preamble") or not chain:
        return None
    if any(k in ("objectives", "expected_results") for k in kinds):
        return "section"
    if any(kind_from_heading(s.heading) == "objectives" for s in chain[:1]):
        return "label"
    text = nt.text[p.start:p.end]
    if regex.match(r"^\W*(?:[a-zđ]\)|\d+(?:\.\d+)*\.?|[-+])?\s*(?:Mục tiêu|Chỉ tiêu)\b", text):
        return "label"
    return "cue"


def table_targets(nt: NormText, sections: list[Section], readings: list) -> list[Target]:
    """Target tables ('Chỉ tiêu | ĐVT | Năm 2025 (thực hiện) | Kế hoạch 2026 | … 2030'): a target
    per value cell of a plan column, with its row's indicator and unit, the baseline column's
    value and the column's year."""
    out: list[Target] = []
    for t in readings:
        if not (t.kind == "targets" or t.indicators) or t.forecast:
            continue
        unit_col = t.column("unit")
        baseline_cols = [c for c in t.columns if c.role == "value" and c.baseline]
        for row in t.rows:
            unit = row.cells[unit_col.index].text.strip(" ()") if unit_col else None
            cells = [(col, cell, value) for r, col, cell, value in t.value_cells if r is row]
            base = next((float(v) for col, _, v in cells if col in baseline_cols), None)
            for col, cell, value in cells:
                if col in baseline_cols or not row.label.strip():
                    continue
                # 'Kế hoạch 2026 > Lượng (Tấn)': the unit, and what is counted, from the column
                col_unit, measure = column_unit(col), column_measure(col)
                target = float(value)
                direction = "reach" if base is None else (
                    "increase" if target > base else "decrease" if target < base else "maintain")
                chain = enclosing(sections, cell.start)
                indicator = " ".join(row.label.split()) + (f" ({measure})" if measure else "")
                tunit = unit or col_unit or ("%" if cell.text.strip().endswith("%") else None)
                out.append(Target(
                    indicator=indicator[:200], location=None, baseline=base, target=target,
                    unit=tunit, year=col.year,
                    direction=direction, comparator="eq", raw=cell.text, section=chain[0].id if chain else None,
                    span=(cell.start, cell.end), page=nt.page_at(cell.start),
                    indicator_key=indicator_key(row.label, tunit, row.label, has_baseline=base is not None)))
    return out


def extract_targets(nt: NormText, sections: list[Section], amounts: list[Mention],
                    legal_refs: list[LegalRef], readings: list = ()) -> list[Target]:
    text = nt.text
    blocked = [r.span for r in legal_refs]
    out: list[Target] = []
    money_by_para: dict[int, list[Mention]] = {}
    for mt in amounts:
        money_by_para.setdefault(mt.para, []).append(mt)
    lead_in = False
    # the numbered headings of a plan's content and tasks that state a quantity are its goals
    # ('2. Thành lập mới khoảng trên 500ha các khu, cụm công nghiệp', '4. Hoàn thành di dời 01 khu
    # công nghiệp …'): the heading is the goal, the paragraphs under it say who does what
    goal_headings = {s.span[0] for s in sections if s.label and s.level >= 2 and s.kind in GOAL_HEADING_KINDS}
    for i, p in enumerate(nt.paragraphs):
        scope = _in_scope(nt, sections, i)
        ptext = text[p.start:p.end]
        # a list under a goal lead-in ('… được cụ thể hóa bằng các chỉ tiêu cụ thể như sau:' then
        # '(1) 100% số người …', '- …') holds goals item by item, as an objectives section does
        item = bool(_LIST_ITEM.match(ptext))
        under_lead_in = lead_in and item
        if not item:
            lead_in = _is_goal_lead_in(ptext)
        if scope is None:
            continue
        if scope == "cue" and (under_lead_in or p.start in goal_headings):
            scope = "lead_in"
        found = _values(ptext, p.start, blocked, money_by_para.get(i, []))
        if not found:
            continue
        _pair_baselines(ptext, p.start, found)
        chain = enclosing(sections, p.start)
        for f in found:
            if f.skip:
                continue
            local = f.start - p.start
            clause = _clause(ptext, local)
            if scope == "cue" and not _goal_in_sentence(ptext, f, base=p.start):
                continue
            if scope == "lead_in" and not ptext[local:local + 1].isdigit():
                continue  # 'làng một sản phẩm' is a name: counts in headings and lists are written in digits
            if _describes_present(ptext, local) or _words_in(match_key(ptext[max(0, local - 40):local]), _catalog()["schedule_cues"]):
                continue
            # the words before the value back to the previous value: where the indicator is named
            prev = max((g.end - p.start for g in found if not g.skip and g.end <= f.start), default=0)
            out.append(_target(nt, ptext, p.start, f, clause, chain, sections, prev))
    tabled = table_targets(nt, sections, list(readings)) + _goal_rows(nt, sections, list(readings), blocked)
    # a value in a table is read from the table, with its row and column (a target table's), or
    # not at all: a monitoring schedule's '02 đợt/tháng' or a cost table's '50 người' are no goals
    cells = _table_extent(list(readings)) + [t.span for t in tabled]
    out = [x for x in out if not any(a <= x.span[0] < b or x.span[0] <= a < x.span[1] for a, b in cells)]
    return sorted(out + tabled, key=lambda x: x.span[0])


def _goal_rows(nt: NormText, sections: list[Section], readings: list,
               blocked: list[tuple[int, int]]) -> list[Target]:
    """Goals written as sentences in the rows of a table that names the body answering for each
    and has no value columns ('TT | Chỉ tiêu | Chủ trì' then '1 | Kinh tế số chiếm 45% GRDP | Sở
    Tài chính', Bắc Ninh KH 144): each row's indicator cell is read as a goal sentence."""
    out: list[Target] = []
    for t in readings:
        label = t.column("label")
        if not t.indicators or t.value_cells or label is None:
            continue
        for row in t.rows:
            cell = row.cells[label.index]
            if row.group or row.total or cell.start < 0 or cell.end <= cell.start:
                continue
            ptext = nt.text[cell.start:cell.end]
            found = _values(ptext, cell.start, blocked, [])
            _pair_baselines(ptext, cell.start, found)
            chain = enclosing(sections, cell.start)
            for f in found:
                if f.skip or _describes_present(ptext, f.start - cell.start):
                    continue
                out.append(_target(nt, ptext, cell.start, f, _clause(ptext, f.start - cell.start), chain, sections))
    return out


GOAL_HEADING_KINDS = ("content", "tasks_solutions")
# the number or letter that opens a list item: 'a)', '1.', '1.2', '(3)'
_ITEM_MARKER = regex.compile(r"^\W*(?:[a-zđ]\)|\d+(?:\.\d+)*\.?|\(\d+\))?\s*")
_LIST_ITEM = regex.compile(r"^\s*(?:[-+•–]\s|\(\d{1,2}\)|\d{1,2}\)|[a-zđ]\)\s)")


def _table_extent(readings: list) -> list[tuple[int, int]]:
    """The spans of the placed cells of every read table."""
    return [(c.start, c.end) for t in readings for row in t.rows for c in row.cells if c.start >= 0 and c.end > c.start]


def _sentence_of(ptext: str, local: int) -> str:
    """The sentence a value at ``local`` stands in, up to the value: across ';' and ':', which
    join the clauses of one goal sentence ('Phấn đấu đến năm 2030: 100% …, 100% …; xây dựng …')."""
    starts = [m.end() for m in regex.finditer(r"\.\s", ptext[:local])]
    return ptext[starts[-1] if starts else 0:local]


def _describes_present(ptext: str, local: int) -> bool:
    opening = match_key(_sentence_of(ptext, local))[:40]
    opening = _ITEM_MARKER.sub("", opening)
    return any(opening.startswith(c) for c in _catalog()["present_cues"])


def _is_goal_lead_in(ptext: str) -> bool:
    """A paragraph that announces a list of goals: it ends with a colon and names them."""
    stripped = ptext.rstrip()
    return stripped.endswith(":") and _words_in(match_key(stripped[-200:]), _catalog()["lead_in_cues"])


def _words_in(key: str, words: list[str]) -> bool:
    if any(regex.search(rf"(?<!\w){regex.escape(w)}(?!\w)", key) for w in words):
        return True
    # a slip in a goal word ('Phân đầu giảm …') is still the goal word
    tolerant = [fold(w) for w in _catalog()["tolerant_cues"] if w in words]
    return bool(tolerant) and any(regex.search(rf"(?<!\w){regex.escape(w)}(?!\w)", fold(key)) for w in tolerant)


def _goal_in_sentence(ptext: str, f: _Found, base: int) -> bool:
    """Whether a value outside the objectives is a goal: a goal word stands before it in its
    sentence (an enumeration after 'Phấn đấu đến năm 2030:' runs to the sentence's end); a
    percentage needs 'phấn đấu', 'mục tiêu', a share word with a counted noun after it, or a
    sentence that opens with its indicator and reaches it with a goal verb."""
    cat = _catalog()
    local = f.start - base
    key = match_key(_sentence_of(ptext, local))

    if not f.unit.startswith("%"):
        # 'di dời trên 400 hộ dân', 'hỗ trợ hơn 20.000 hộ': a floor right before a count is a goal
        close = match_key(ptext[max(0, local - 12):local])
        return _words_in(key, cat["goal_cues"]) or bool(regex.search(
            rf"(?<!\w)(?:{alternation(cat['floor_cues'])})\s*$", close))
    if _words_in(key, cat["percent_cues"]):
        return True
    after = match_key(ptext[f.end - base:f.end - base + 30]).strip()
    counted = bool(regex.match(r"\p{L}", after)) and not any(
        regex.match(rf"{regex.escape(b)}(?!\w)", after) for b in cat["share_blockers"])
    if counted and _words_in(key[-60:], cat["share_cues"]):
        return True
    opener = _clause_start_key(ptext, local)
    return (any(opener.startswith(w) for w in cat["indicator_openers"])
            and _words_in(match_key(ptext[max(0, local - 25):local]), cat["goal_verbs"]))


def _clause_start_key(ptext: str, local: int) -> str:
    """The words that open the clause a value stands in, without its list marker."""
    starts = [m.end() for m in regex.finditer(r"[;:]\s|\.\s", ptext[:local])]
    clause = ptext[starts[-1] if starts else 0:local]
    return match_key(_ITEM_MARKER.sub("", clause))


def _values(ptext: str, base: int, blocked: list[tuple[int, int]], money: list[Mention]) -> list[_Found]:
    found: list[_Found] = []
    for m in _value_pattern().finditer(ptext):
        start, end = base + m.start(), base + m.end()
        if any(a <= start < b for a, b in blocked):
            continue
        unit = m.group("unit")
        v1 = m.group("v1")
        if unit != "%" and regex.fullmatch(r"(?:19|20)\d{2}", v1):
            continue  # a year
        aliases = {k.lower(): v for k, v in _catalog()["unit_aliases"].items()}
        unit = "%" if unit == "%" else aliases.get(unit.lower(), unit.lower())
        if m.group("per"):
            unit += "/" + "/".join(x.strip() for x in m.group("per").split("/") if x.strip())
        value = _to_float(v1)
        vmax = _to_float(m.group("v2")) if m.group("v2") else None
        found.append(_Found(start, end, value, vmax, unit))
    for m in _RATE.finditer(ptext):
        start, end = base + m.start(), base + m.end()
        if any(a <= start < b for a, b in blocked):
            continue
        numerator = " ".join(m.group("num").split())
        found.append(_Found(start, end, _to_float(m.group("v")), None,
                            f"{numerator}/{m.group('n')} {' '.join(m.group('of').split())}"))
    for mt in money:
        key = match_key(ptext[max(0, mt.start - base - 60):mt.start - base])
        if mt.per and ("người" in mt.per or "thu nhập" in key):
            per = mt.per if "/" in mt.per or mt.per != "năm" else "người/năm"
            found.append(_Found(mt.start, mt.end, float(mt.value), None, f"triệu đồng/{per}"))
    found.sort(key=lambda f: f.start)
    # percentages of a range written '6-7%' are one value; a '%' inside a money amount is not
    return [f for f in found if not any(o is not f and o.start <= f.start and f.end <= o.end and
                                        (o.end - o.start) > (f.end - f.start) for o in found)]


# a rate per hundred, thousand or hundred thousand of something: 'dưới 109 bé trai/100 bé gái sinh ra
# sống' (Cần Thơ KH 165), 'dưới 4/100.000 trẻ sinh ra còn sống', 'từ 23 ca sinh/1.000 phụ nữ xuống 18
# ca sinh/1.000 phụ nữ' (HCM KH 174), '02/100.000 dân' (Bà Rịa - Vũng Tàu KH 151): the unit is the
# whole rate, up to the punctuation or the words that go on to the time or the next clause
_RATE = regex.compile(
    rf"(?<![\d.,/\p{{L}}])(?P<v>{NUMBER})\s*(?P<num>(?:\p{{Ll}}+\s+){{0,3}}?\p{{Ll}}*)\s*/\s*"
    rf"(?P<n>100|1\.000|10\.000|100\.000)\s+(?P<of>\p{{Ll}}+(?:\s+\p{{Ll}}+){{0,6}}?)"
    rf"(?=\s*(?:[;,.:)]|$)|\s+(?:vào|trong|đến|xuống|trở|năm|giai|so|và|theo)(?!\p{{L}}))")
_BASELINE = regex.compile(
    r"từ\s+$")
_TO_TARGET = regex.compile(r"^\s*(?:\([^()]*\)\s*)?(?:,\s*)?(?:xuống\s+(?:còn\s+|dưới\s+)?|còn\s+|lên\s+(?:mức\s+)?|tăng\s+lên\s+|đến\s+)")
_NAMED_PART = regex.compile(r"(?:là|:)\s*$")


def _pair_baselines(ptext: str, base: int, found: list[_Found]) -> None:
    for i, f in enumerate(found):
        if f.skip or i + 1 >= len(found):
            continue
        before = ptext[max(0, f.start - base - 12):f.start - base]
        if not _BASELINE.search(before):
            continue
        # the target: the next value of the same unit after 'xuống còn', 'còn', 'lên' …
        after_start = f.end - base
        par = _paren_after(ptext, after_start)
        rest = ptext[after_start:]
        m = _TO_TARGET.match(rest)
        if not m:
            continue
        target_pos = base + after_start + m.end()
        tgt = next((g for g in found[i + 1:] if g.start == target_pos and g.unit == f.unit), None)
        if tgt is None:
            continue
        tgt.baseline = f.value
        f.skip = True
        # '(trong đó: tỷ lệ hộ nghèo là 42,46%; …)' before and after pair up by order
        left = [g for g in found if par and base + par[0] < g.start < base + par[1]]
        tpar = _paren_after(ptext, tgt.end - base)
        right = [g for g in found if tpar and base + tpar[0] < g.start < base + tpar[1]]
        for g in left:
            g.skip = True
            g.baseline = None
        for lg, rg in zip(left, right):
            rg.baseline = lg.value
    # the parts of a value given in parentheses ('8,56% (4,15% HN, 4,41% CN)') are not targets
    # unless each is named ('tỷ lệ hộ nghèo là 16,98%')
    for f in found:
        par = _paren_after(ptext, f.end - base)
        if not par:
            continue
        for g in found:
            if base + par[0] < g.start < base + par[1] and g.unit == f.unit and not g.skip:
                named = _NAMED_PART.search(ptext[max(par[0], g.start - base - 25):g.start - base])
                if not named:
                    g.skip = True


def _paren_after(ptext: str, pos: int) -> tuple[int, int] | None:
    m = regex.match(r"\s*\(", ptext[pos:])
    if not m:
        return None
    open_at = pos + m.end() - 1
    return open_at, matching_close(ptext, open_at)


def _clause(ptext: str, local: int) -> tuple[int, str]:
    starts = [m.end() for m in regex.finditer(r"[;:]\s|\.\s|[()]|,\s", ptext[:local])]
    start = starts[-1] if starts else 0
    return start, ptext[start:local]


def _sentence_before(ptext: str, local: int) -> str:
    starts = [m.end() for m in regex.finditer(r"[;]\s|\.\s", ptext[:local])]
    return ptext[starts[-1] if starts else 0:local]


def _comparator(before: str, after: str, f: _Found) -> str:
    if f.value_max is not None:
        return "range"
    best = last_cue(match_key(before[-30:]), _catalog()["comparators"]) or "eq"
    if best == "eq" and regex.match(r"\s*trở lên", after):
        return "ge"
    return best


def _direction(clause: str, sentence: str, f: _Found) -> str:
    if f.baseline is not None and f.baseline != f.value:
        return "decrease" if f.value < f.baseline else "increase"
    # 'Phấn đấu giảm tỷ lệ hộ nghèo, hộ cận nghèo: 8,56%': a bare value takes its sentence's verb
    return _last_word_of(clause) or _last_word_of(sentence) or "reach"


def _last_word_of(text: str) -> str | None:
    return last_cue(match_key(text), _catalog()["directions"])


def _target(nt: NormText, ptext: str, base: int, f: _Found, clause: tuple[int, str],
            chain: list[Section], sections: list[Section], prev_end: int = 0) -> Target:
    cstart, ctext = clause
    local = f.start - base
    after = ptext[f.end - base:f.end - base + 60]
    indicator = _indicator(ctext, after)
    year = None
    m = _YEAR.search(ptext)
    if m:
        year = int(m.group(1) or m.group(2))
    else:
        for s in chain:
            hm = _YEAR.search(s.heading or "")
            if hm:
                year = int(hm.group(1) or hm.group(2))
                break
    location = next((p for p in (place_heading(s.heading) for s in chain) if p), None)
    piece = ptext[cstart:f.end - base]
    at = base + cstart + len(piece) - len(piece.lstrip())  # the span is the raw text, no leading space
    raw = piece.strip()
    sentence_start = local - len(_sentence_of(ptext, local))
    context = ptext[max(sentence_start, prev_end):local]
    return Target(
        indicator=indicator, location=location, baseline=f.baseline, target=f.value,
        target_max=f.value_max, unit=f.unit, year=year,
        direction=_direction(ctext, _sentence_before(ptext, local), f),
        comparator=_comparator(ctext if ctext.strip() else ptext[:local], after, f),
        raw=raw, section=chain[0].id if chain else None,
        span=(at, at + len(raw)), page=nt.page_at(f.start),
        indicator_key=indicator_key(indicator, f.unit, context, has_baseline=f.baseline is not None),
    )


_LEAD_WORDS = regex.compile(
    r"^(?:[-+•]\s*)?(?:(?:phấn đấu|đến cuối năm \d{4}|đến năm \d{4}|năm \d{4}|dự kiến|trong đó|"
    r"triển khai|thực hiện|hỗ trợ)\s*,?\s*)+", regex.IGNORECASE)
_TAIL_WORDS = regex.compile(
    r"\s*(?:giảm|tăng|đạt|là|còn|xuống|dưới|trên|ít nhất|tối thiểu|khoảng|từ|có|được|chiếm|bằng|"
    r"duy trì|thêm|phấn đấu|hơn|không quá|tối đa|mỗi năm)(?:\s+(?:giảm|tăng|đạt|là|còn|xuống|dưới|trên|"
    r"ít nhất|tối thiểu|khoảng|từ|có|được|chiếm|tỷ lệ|bằng|thêm|hơn|còn))*\s*$", regex.IGNORECASE)


def _indicator(clause: str, after: str) -> str:
    text = clause.strip()
    for cue in _catalog()["tolerant_cues"]:  # 'Phân đầu giảm …': the goal word, misspelt, is no indicator
        m = regex.match(rf"^(?:[-+•]\s*)?{regex.escape(fold(cue))}(?!\w)\s*,?\s*", fold(text))
        if m:
            text = text[m.end():]
    text = _LEAD_WORDS.sub("", text).strip(" ,;:")
    text = _TAIL_WORDS.sub("", text).strip(" ,;:")
    # 'xây dựng 100% công trình trạm y tế …', 'đảm bảo 100% hộ dân …': a verb before the number
    # names no indicator; the noun phrase the number counts follows it
    verb_only = 0 < len(text.split()) <= 3 and not any(w.tag.startswith("N") for w in pos.words(text))
    if verb_only:
        tail = regex.split(r"[;,.()]", after, maxsplit=1)[0].strip()
        if len(tail.split()) >= 2:
            return " ".join(tail.split())[:200]
    if len(text.split()) < 2:
        # '100% cán bộ làm công tác giảm nghèo …': what is counted follows the number
        tail = regex.split(r"[;,.(]", after, maxsplit=1)[0]
        text = (text + " " + tail).strip()
    return " ".join(text.split())[:200]


def _run(doc: Document) -> None:
    doc.record.targets = extract_targets(doc.nt, doc.sections, doc.mentions, doc.record.legal_refs, doc.tables_read)


COMPONENT = Component("targets", requires=("nt", "sections", "mentions", "legal_refs", "tables_read"),
                      assigns=("targets",), run=_run)
