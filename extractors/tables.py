"""Tables read as tables: budget tables, target tables and task matrices.

Every table of a document — Markdown pipe tables, tables written one cell a line between '|'
lines (``pipeline.cell_lines``: portal conversions, header rows merged down into full width),
Word and HTML tables (the readers write them as pipe tables), pdfplumber's tables of PDF pages —
comes as rows of cells with the source
offset of each cell (``models.records.Table``). Here each column gets its role from its header
(``catalogs/tables.json``): the row number, the label ('Nội dung', 'Chỉ tiêu'), the unit
('ĐVT'), quantities, the lead and coordinating agencies, deadline and product of a task, or a
value column with its path through merged header cells ('Dự toán > Năm 2026', 'Trong đó >
NSTW'), its year, funding source and capital type. The unit of a budget table comes from its
note ('Đơn vị tính: triệu đồng', 'ĐVT: đồng') or its header ('Kinh phí (triệu đồng)').

The amounts, targets and assignments extractors read the result: cells with a place in the
normalised text (``span``) so that provenance points into the table's words.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Optional

import regex

from kehoach.catalogs import load
from kehoach.extractors.context import Component, Document
from kehoach.models.records import Table, TableCell
from kehoach.normalizers.funding import capital_cue, funding_cue
from kehoach.normalizers.numbers import parse_number, roman_value
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import fold

# a cell that holds one number: '1.200', '12,5', '1 364 329 243', '-' for none
_VALUE = regex.compile(r"^\s*(?P<num>\d{1,3}(?:[. ]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)\s*(?P<pct>%)?\s*$")
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# how far before a table its unit note may stand, in characters of the normalised text
UNIT_NOTE_REACH = 400
MAX_HEADER_ROWS = 4
# how far past the cell before it a PDF table's cell may stand in the text: a row's wrapped words,
# the page end and the header the next page repeats
CELL_REACH = 600
CAPTION_PARAGRAPHS = 3


@cache
def _cat() -> dict:
    return load("tables")


def _phrase_in(key: str, cues: list[str]) -> bool:
    return any(regex.search(rf"(?<![a-z]){regex.escape(c)}(?![a-z])", key) for c in cues)


@dataclass
class Column:
    index: int
    path: list[str]
    role: str  # number, label, unit, quantity, lead, coordinating, deadline, output, note, value
    year: Optional[int] = None
    baseline: bool = False
    total: bool = False
    funding: Optional[str] = None
    capital: Optional[str] = None

    @property
    def header(self) -> str:
        return " > ".join(self.path)


@dataclass
class Cell:
    text: str
    start: int  # in the normalised text, -1 when it could not be placed
    end: int


@dataclass
class Row:
    cells: list[Cell]
    label: str
    number: str  # the row number as written ('1', 'I', 'a')
    total: bool = False  # 'Tổng cộng', 'Cộng', a roman group row
    group: bool = False  # a roman-numeral or lettered row that groups the rows below it


@dataclass
class TableReading:
    kind: str  # budget, targets, tasks, other
    unit: Optional[str]  # folded unit key of its money ('trieu', 'ty', 'nghin', 'dong'), or None
    columns: list[Column]
    rows: list[Row]  # the body rows (header rows removed)
    page: Optional[int] = None
    header_rows: int = 1
    forecast: bool = False  # its caption calls the values a forecast ('Dự báo …'): not goals
    revenue: bool = False  # its caption says it lists revenue ('Dự toán thu NSNN'): money coming in
    value_cells: list[tuple[Row, Column, Cell, Decimal]] = field(default_factory=list)

    def column(self, role: str) -> Optional[Column]:
        return next((c for c in self.columns if c.role == role), None)

    @property
    def indicators(self) -> bool:
        """A task table whose rows are goals, each with the body that answers for it ('TT | Chỉ
        tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi', QĐ 2629/QĐ-TTg; 'TT | Chỉ tiêu | Chủ
        trì', Bắc Ninh KH 144)."""
        return self.kind == "tasks" and _indicator_label(self)


def _indicator_label(reading: "TableReading") -> bool:
    """Its label column names indicators ('Chỉ tiêu')."""
    label = reading.column("label")
    return bool(label and _phrase_in(fold(label.header), _cat()["target_table_cues"]))


def _role(key: str) -> str:
    for role, cues in _cat()["column_roles"]:
        if role in ("number", "label"):  # whole headers: 'TT' is a row number, 'tt' inside a word is not
            if key in cues:
                return role
            if role == "label" and any(key.startswith(c + " ") for c in cues):
                return role
            continue
        if _phrase_in(key, cues):
            return role
    return "value"


def _unit_of(text: str) -> Optional[str]:
    key = fold(text)
    for cue, unit in sorted(_cat()["unit_cues"].items(), key=lambda kv: -len(kv[0])):
        if regex.search(rf"(?<![a-z]){regex.escape(cue)}(?![a-z])", key):
            return unit
    return None


_NOTE = regex.compile(r"(?:đơn vị(?:\s+tính)?|đvt)\s*[:.]?\s*(?P<unit>[^)\n]{1,20})", regex.IGNORECASE)


def _note_unit(nt: NormText, start: int) -> Optional[str]:
    """'Đơn vị tính: triệu đồng' in the text just before a table (or its caption)."""
    before = nt.text[max(0, start - UNIT_NOTE_REACH):start]
    found = list(_NOTE.finditer(before))
    return _unit_of(found[-1].group("unit")) if found else None


_COLUMN_NUMBER = regex.compile(r"^\(?\s*(?:\d{1,2}|[A-Z])\s*\)?$")


def _header_rows(rows: list[list[str]]) -> int:
    """Rows before the first with a value cell (merged headers take two or three rows); a row that
    numbers the columns ('(1) | (2) | (3)') under the header belongs to it."""
    n = _value_header_rows(rows)
    # a header cell merged over two rows is written again in the lower one (one cell a line)
    while n < min(len(rows), MAX_HEADER_ROWS) and not any(_VALUE.match(c) for c in rows[n]) \
            and any(c.strip() and k < len(rows[n - 1]) and c == rows[n - 1][k] for k, c in enumerate(rows[n])):
        n += 1
    while n < len(rows) and rows[n] and all(_COLUMN_NUMBER.match(c.strip()) for c in rows[n] if c.strip()) \
            and sum(bool(c.strip()) for c in rows[n]) >= 2 and any(c.strip().startswith("(") for c in rows[n]):
        n += 1
    return n


# a body row opens with its number: '1', '1.2', 'II', 'A'
_ROW_NUMBER = regex.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVX]{1,5}\.?|[A-HĐ]\.?)$")


def _value_header_rows(rows: list[list[str]]) -> int:
    for i, row in enumerate(rows[:4]):
        if i and row and _ROW_NUMBER.match(row[0].strip(" *")):
            return i  # a group row with no values yet ('1 | Hỗ trợ giống | | |') is a body row
        if i and any(_VALUE.match(c) for c in row[1:]) and not all(_VALUE.match(c) or not c.strip() for c in row):
            return i
        if i and sum(bool(_VALUE.match(c)) for c in row) >= max(2, len(row) // 2):
            # '(1) (2) (3)' and similar number rows still belong to the header only when alone
            return i
    return 1


def _paths(header: list[list[str]], width: int) -> list[list[str]]:
    filled = []
    for row in header:
        cells = row + [""] * (width - len(row))
        out, last = [], ""
        for c in cells:
            c = c.strip()
            if c:
                last = c
            out.append(c or last)  # a merged cell spans the empty ones to its right
        filled.append(out)
    paths = []
    for col in range(width):
        path: list[str] = []
        for row in filled:
            if row[col] and (not path or path[-1] != row[col]):
                path.append(row[col])
        paths.append(path)
    return paths


def read_table(nt: NormText, table: Table) -> TableReading:
    texts = [[c.text for c in row] for row in table.rows]
    width = max(len(r) for r in texts)
    n_head = _header_rows(texts)
    paths = _paths(texts[:n_head], width)
    columns = []
    for i, path in enumerate(paths):
        key = " ".join(fold(p) for p in path)
        # the role from the last header part that names the column: under a column-number row
        # ('STT' over '(1)') the number says nothing of it
        named = [p for p in path if not _COLUMN_NUMBER.match(p.strip())]
        role = _role(fold(named[-1])) if named else "value"
        if role == "value" and path and _role(key) not in ("value", "label"):
            role = _role(key)
        col = Column(i, path, role)
        if role == "value":
            years = _YEAR.findall(key)
            col.year = int(years[-1]) if years else None
            col.baseline = _phrase_in(key, _cat()["baseline_cues"])
            col.total = _phrase_in(key, ["tong so", "tong cong", "cong", "tong"])
            col.funding = "total" if col.total and not funding_cue(" ".join(path)) else funding_cue(" ".join(path))
            col.capital = capital_cue(" ".join(path))
        columns.append(col)
    if not any(c.role == "lead" for c in columns):
        # 'Sản phẩm' is a task's product only beside its agencies; elsewhere it names the rows
        for c in columns:
            if c.role == "output":
                c.role = "value"
    if not any(c.role == "label" for c in columns):
        # the first text column after the row number names the rows
        for c in columns:
            body = [r[c.index] for r in texts[n_head:] if c.index < len(r)]
            if c.role == "value" and body and sum(bool(_VALUE.match(x)) for x in body) < len(body) / 2:
                c.role = "label"
                break
    placed = _place(nt, table)
    label_col = next((c for c in columns if c.role == "label"), None)
    number_col = next((c for c in columns if c.role == "number"), None)
    rows = []
    for r, row in enumerate(table.rows[n_head:], start=n_head):
        cells = [placed[r][k] if k < len(placed[r]) else Cell("", -1, -1) for k in range(width)]
        label = cells[label_col.index].text if label_col else ""
        number = cells[number_col.index].text.strip(" .") if number_col else ""
        key = fold(label).strip(" :*")
        # 'Tổng cộng', 'Tổng số …' total the rows; a bare 'Tổng' before a noun names a quantity
        # ('Tổng sản phẩm trong nước', 'Tổng mức bán lẻ'), not the table's total
        total = any(key == c or (key.startswith(c + " ") and " " in c)
                    for c in _cat()["total_row_cues"])
        group = bool(roman_value(number)) or bool(regex.fullmatch(r"[A-HĐ]", number))
        rows.append(Row(cells, label, number, total=total, group=group))
    reading = TableReading(kind="other", unit=None, columns=columns, rows=rows, page=table.page, header_rows=n_head)
    first = next((c.start for row in placed[:1] for c in row if c.start >= 0), -1)
    _classify(nt, first, reading)
    return reading


def _place(nt: NormText, table: Table) -> list[list[Cell]]:
    """Each cell's span in the normalised text: from its source offset, else searched in order."""
    out, cursor = [], nt.from_source(table.source_start)
    missed = -1  # length of the cells not found since the last one found (-1: none found yet)
    for row in table.rows:
        cells: list[Cell] = []
        row_start = cursor
        for c in row:
            text = c.text.strip()
            start = -1
            if text and c.start >= 0:
                pos = nt.from_source(c.start)
                found = nt.text.find(text, max(0, pos - 2), pos + len(text) + 40)
                start = found if found >= 0 else -1
                if start >= 0 and nt.to_source(start) != c.start:
                    # the layout left this cell out of the text (a lone number read as a page
                    # number): what was found is the next cell of the same value
                    cells.append(Cell(text, -1, -1))
                    continue
            if text and start < 0:
                start = _search(nt, text, cursor, row_start, cells)
                if start > cursor + CELL_REACH + 2 * missed >= cursor and nt.paged:
                    # a PDF page that lost a row's line (taken for a running footer) must not send
                    # the search on to a far cell of the same text, past the rows after it
                    start = -1
                length = len(text)
                if start < 0 and nt.paged:
                    # a cell whose words wrap over lines: the page's text interleaves them with
                    # the row's other cells' lines, so only its first line stands whole
                    start, length = _first_line(nt, text, row_start, cells)
                missed = missed + len(text) if start < 0 and missed >= 0 else missed
            else:
                length = len(text)
            if start >= 0:
                cursor = max(cursor, start + length)
                missed = 0
            cells.append(Cell(text, start, start + length if start >= 0 else -1))
        if nt.paged and _lost(row, cells):
            # the row's words are not in the text: the few cells found are other rows' numbers
            cells = [Cell(c.text, -1, -1) for c in cells]
            cursor, missed = row_start, (missed + sum(len(c.text) for c in cells) if missed >= 0 else -1)
        out.append(cells)
    return out


# a wrapped cell is found by its leading words: at least two of them, and enough letters that
# they are this cell's and not any ('Sở Tư' of 'Sở Tư pháp' is; 'Các sở' alone could be any row's)
FIRST_LINE_WORDS = 2
FIRST_LINE_CHARS = 5


def _first_line(nt: NormText, text: str, row_start: int, placed: list[Cell]) -> tuple[int, int]:
    """(start, length) of the longest run of a wrapped cell's leading words that stands in the
    text after its row's start, within the reach of a row, on the row's page; (-1, 0) if none.
    A row's cells come out of a PDF page line by line, so a wrapped cell's first line may stand
    before the cells left of it: the search starts at the row, not after the cell before."""
    words = text.split()
    if len(words) < FIRST_LINE_WORDS + 1 or _NUMBER_TEXT.match(text):
        return -1, 0
    taken = {c.start for c in placed if c.start >= 0}
    page = nt.page_at(min(row_start, len(nt.text) - 1))
    for n in range(len(words) - 1, FIRST_LINE_WORDS - 1, -1):
        lead = " ".join(words[:n])
        if len(lead) < FIRST_LINE_CHARS:
            break
        at = nt.text.find(lead, row_start, row_start + CELL_REACH + len(text))
        # whole words only: 'Sở Tư' is not the start of 'Sở Tư pháp' when it is 'Sở Tưới'
        if at >= 0 and at not in taken and nt.page_at(at) == page and \
                (at + len(lead) == len(nt.text) or not nt.text[at + len(lead)].isalnum()):
            return at, len(lead)
    return -1, 0


def _lost(row: list[TableCell], cells: list[Cell]) -> bool:
    """A row searched for (no offsets) of which most cells were not found."""
    filled = [c for c in cells if c.text]
    found = sum(c.start >= 0 for c in filled)
    return all(c.start < 0 for c in row) and found > 0 and 2 * found < len(filled)


_NUMBER_TEXT = regex.compile(r"^[\d.,]*\d[\d.,]*$")


def _find(text: str, cell: str, pos: int) -> int:
    """The next occurrence of a cell's text from ``pos``; a number only as a whole number: '40'
    is not the end of '1.140', nor '1.200' the start of '1.200.000'."""
    if not _NUMBER_TEXT.match(cell):
        return text.find(cell, pos)
    m = regex.compile(rf"(?<![\d.,]){regex.escape(cell)}(?![\d]|[.,]\d)").search(text, pos)
    return m.start() if m else -1


def _search(nt: NormText, text: str, cursor: int, row_start: int, placed: list[Cell]) -> int:
    """Where a cell without an offset stands: its next occurrence after the cells before it, or —
    when that lies on a later page than its row — after the row's start. The lines of a header
    with merged cells come out of the page in another order than its cells ('Trong đó' above
    'STT | Nội dung'), and the next occurrence in order would be the header the next page repeats."""
    found = _find(nt.text, text, cursor)
    if found >= 0 and nt.paged and nt.page_at(found) > nt.page_at(min(cursor, len(nt.text) - 1)) + 1:
        # a table's cells follow each other page by page: a cell whose text the page lost (a
        # line taken for a running footer) is not looked for pages on, where it would take the
        # place of all the cells after it
        return -1
    first = next((c.start for c in placed if c.start >= 0), -1)
    if found < 0 or first < 0 or not nt.paged or nt.page_at(found) == nt.page_at(first):
        return found
    earlier = _find(nt.text, text, row_start)
    taken = {c.start for c in placed}
    if 0 <= earlier < found and earlier not in taken and nt.page_at(earlier) == nt.page_at(first):
        return earlier
    return found


def _classify(nt: NormText, first: int, reading: TableReading) -> None:
    """The table's kind and unit, and its value cells: ``first`` is where its text starts."""
    roles = {c.role for c in reading.columns}
    header_text = " ".join(" ".join(c.path) for c in reading.columns)
    indicators = _indicator_label(reading)
    if "lead" in roles:
        reading.kind = "tasks"
        if not indicators:
            return  # a goal table with its leads (``TableReading.indicators``) goes on to its values
    values = [c for c in reading.columns if c.role == "value"]
    if not values:
        return
    unit = _unit_of(header_text) if _phrase_in(fold(header_text), list(_cat()["unit_cues"])) else None
    unit = unit or (_note_unit(nt, first) if first >= 0 else None)
    money_header = any(_phrase_in(fold(c.header), _cat()["money_header_cues"]) for c in values)
    # 'Chỉ tiêu | ĐVT | Năm 2025 | …' holds targets; 'Nội dung | ĐVT | Số lượng | Đơn giá | Thành
    # tiền' under 'ĐVT: đồng' is a cost estimate: money, its unit column counting the things bought
    # (and so is 'Chỉ tiêu | Số mẫu | Đơn giá (đồng) | Thành tiền (đồng)': monitored parameters)
    if reading.kind == "tasks":
        pass  # its value cells are goals, read beside its duties
    elif (indicators or "unit" in roles) and not (unit and money_header):
        reading.kind = "targets"
    elif unit:
        reading.kind = "budget"
    elif _plan_years(values) and any(column_unit(c) for c in values):
        # 'Sản phẩm | Kế hoạch 2026 > Lượng (Tấn) | …': yearly plan columns that name their units
        reading.kind = "targets"
    reading.unit = unit
    if first >= 0:
        caption = fold(_caption(nt, first))
        reading.forecast = _phrase_in(caption, _cat()["forecast_caption_cues"])
        reading.revenue = _phrase_in(caption, _cat()["revenue_caption_cues"])
    if reading.kind == "budget":
        # where some columns name the money unit ('Đơn giá (đồng)'), the others count things
        named = [c for c in values if _unit_of(c.header) and _phrase_in(fold(c.header), list(_cat()["unit_cues"]))]
        values = named or values
        # 'So sánh 2026 với 2025', '(%)': ratios beside the money
        values = [c for c in values if not _phrase_in(fold(c.header), _cat()["ratio_cues"])]
    for row in reading.rows:
        if reading.kind == "budget" and _ratio_row(row.label):
            continue
        for col in values:
            cell = row.cells[col.index]
            m = _VALUE.match(cell.text)
            if not m or cell.start < 0 or (m.group("pct") and reading.kind == "budget"):
                continue
            number = m.group("num").replace(" ", ".")
            try:
                value = parse_number(number)
            except ArithmeticError:
                continue
            reading.value_cells.append((row, col, cell, value))


_PAREN_UNIT = regex.compile(r"\(([^()]{1,20})\)\s*$")


def column_unit(col: Column) -> Optional[str]:
    """The unit a value column's header names in parentheses at its end: 'Lượng (Tấn)' → 'Tấn'."""
    for part in reversed(col.path):
        m = _PAREN_UNIT.search(part)
        if m and not _YEAR.search(m.group(1)) and not regex.search(r"\d", m.group(1)):
            return m.group(1).strip()
    return None


def _ratio_row(label: str) -> bool:
    """'Tỷ lệ dư nợ so với mức vay tối đa (%)': a row of ratios inside a money table."""
    key = fold(label).strip(" -+*:")
    return "(%)" in key or any(key.startswith(c) for c in _cat()["ratio_row_cues"])


def column_measure(col: Column) -> Optional[str]:
    """What a value column counts when its year sits above it: 'Kế hoạch 2026 > Lượng (Tấn)' → 'Lượng'."""
    if len(col.path) < 2 or _YEAR.search(col.path[-1]):
        return None
    return _PAREN_UNIT.sub("", col.path[-1]).strip() or None


def _plan_years(values: list[Column]) -> bool:
    """Two or more value columns by year, under plan words ('Kế hoạch 2026', 'Mục tiêu 2030')."""
    planned = [c for c in values if c.year and _phrase_in(fold(c.header), _cat()["plan_column_cues"])]
    return len({c.year for c in planned}) >= 2


def _caption(nt: NormText, first: int) -> str:
    """The paragraphs just before a table: its number, title and note."""
    i = nt.paragraph_index_at(first)
    paras = nt.paragraphs[max(0, i - CAPTION_PARAGRAPHS):i]
    return " ".join(nt.text[p.start:p.end] for p in paras)


def read_tables(nt: NormText, tables: list[Table]) -> list[TableReading]:
    return [read_table(nt, t) for t in tables if len(t.rows) >= 2]


def _run(doc: Document) -> None:
    doc.tables_read = read_tables(doc.nt, doc.tables)


COMPONENT = Component("tables", requires=("nt", "tables"), assigns=("tables_read",), run=_run)
