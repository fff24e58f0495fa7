"""Finding money in running text: '1.291.615 triệu đồng', '50 tỷ đồng/huyện', a unit written once
for a list ('vốn ĐTPT: 450, vốn sự nghiệp: 900 triệu đồng'), a range ('từ 10 đến 20 triệu đồng'),
and the numbers of a table laid out as text under 'Đơn vị tính: triệu đồng'.
"""
from __future__ import annotations

from decimal import Decimal
from functools import cache

import regex

from kehoach.catalogs import load
from kehoach.normalizers.funding import cue_positions
from kehoach.normalizers.numbers import NUMBER, parse_number, to_million
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import fold

from .records import Found

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


def find_mentions(nt: NormText) -> list[Found]:
    """The money of the running text and of the text-laid tables under a unit note, in text order."""
    text = nt.text
    out: list[Found] = []
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
        per = " ".join(per.split()) if per else None
        para = nt.paragraph_index_at(m.start())
        shared = _shared_unit(nt, para, per, m, unit)
        # the last number of a range written with its unit is the range's upper bound
        bound = "max" if any(x.bound for x in shared) else None
        out.append(Found(m.start(), m.end(), value, m.group(0), per, para, bound=bound))
        out.extend(shared)
    taken = [(x.start, x.end) for x in out]
    out.extend(x for x in _table_unit_amounts(nt) if not any(a <= x.start < b for a, b in taken)
               and not nt.paragraphs[x.para].table_cell)
    out.sort(key=lambda x: x.start)
    return out


def _shared_unit(nt: NormText, para: int, per: str | None, m: regex.Match, unit: str) -> list[Found]:
    """The numbers before a mention that share its unit, nearest first."""
    found = []
    p = nt.paragraphs[para]
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
        found.append(Found(num_start, p.start + sm.end("num"), value, sm.group("num"), per, para, bound=bound))
        end = num_start
    return found


def per_person(per: str | None, around: str) -> str | None:
    """'35 triệu đồng/năm' under 'thu nhập bình quân đầu người' is an amount per person a year."""
    if per == "năm" and "binh quan dau nguoi" in fold(around):
        return "người/năm"
    return per


# --- tables laid out as text under a unit note -------------------------------------------------

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


def _table_unit_amounts(nt: NormText) -> list[Found]:
    """Numbers in the rows under a unit declaration, until the rows give way to prose."""
    out: list[Found] = []
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
                    out.append(Found(at, at + len(n.group("num")), value, n.group("num"), None, i,
                                     cell=True, column=column))
                    numeric_seen += 1
    return out
