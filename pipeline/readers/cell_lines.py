"""Tables written one cell a line, between lines holding a single '|'.

A widely used conversion of a legal portal's pages writes every table this way::

    |
    STT
    |
    Nội dung
    |
    |
    1
    |
    Chi hội nghị
    |

Each cell is the text between two '|' lines; a row ends with its '|' and the next row starts
with another, so rows are separated by an empty gap — and an empty cell is an empty gap too.
Rows therefore run on, and the table is rebuilt from its width: the column-number row
('(1) (2) (3)', '1 2 3', 'A B 1 2 …') where the table prints one, else its longest run of filled
cells. A merged cell is one cell, so a header row with merged cells and a body row whose label
spans the value columns are shorter; the rows are chosen by a small dynamic programme that
prefers full rows and rows opening with a row number. A table broken by a page (only blank
lines or a page number between two runs of '|' lines) continues, and a repeated header is
dropped. The result is the ``Table`` every other reader gives: header rows expanded to the
table's width (a merged header cell repeated over its columns), body rows, source offsets.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import regex

from kehoach.catalogs import load
from kehoach.models.records import Table, TableCell
from kehoach.normalizers.text import alternation, fold

_BAR = regex.compile(r"^[ \t]*\|[ \t]*$", regex.MULTILINE)
# between two runs of '|' lines of one table broken by a page: blank lines, a form feed, a page number
_PAGE_GAP = regex.compile(r"^(?:\s|\f|(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?)*$", regex.IGNORECASE)
_EMPHASIS = regex.compile(r"[*_]+")
# the cells of a column-number row: '1', '(2)', '*3*', 'A', '4=3/2', '5=1+2'
_COLUMN_NUMBER = regex.compile(r"^\(?(?:\d{1,2}|[A-E])(?:\s*[=+\-*/x×]\s*\(?\d{1,2}\)?)*\)?$")
# a cell that opens a body row: its number ('1', '1.2.3', 'II', 'a', 'b)', '-', '+')
_ROW_NUMBER = regex.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,6}\.?|[A-HĐa-zđ][.)]?|[-+•–])$")
_NUMERIC = regex.compile(r"^[-+]?\d[\d.,\s]*%?$|^[-–]$")
_WORDS = regex.compile(r"\p{L}{2,}")
_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
MAX_HEADER_ROWS = 4
MIN_WIDTH = 2


@dataclass
class _Gap:
    text: str  # the cell's words on one line, emphasis marks removed
    start: int  # source offset of its first word, -1 for an empty cell


@cache
def _structural_cues() -> tuple[list[str], list[str]]:
    """Header words of columns that never group others (every column with a role of its own: row
    number, label, unit, agencies, deadline, product …; only value columns group), and the words
    of a header that does ('Trong đó', 'Giai đoạn 2026 - 2030')."""
    cat = load("tables")
    leaf = [c for _, cues in cat["column_roles"] for c in cues]
    return leaf, cat["group_header_cues"]


def cell_line_tables(text: str) -> list[Table]:
    """Every table of ``text`` written one cell a line between '|' lines."""
    tables: list[Table] = []
    last: tuple[Table, int, int, int] | None = None  # the table, its width, header rows, where it ends
    for start, end, gaps, cut in _pieces(text):
        width = _width(gaps) if not cut else _header_width(gaps)
        if cut:
            last = None  # a header cut out of a run opens a table of its own
        if width < MIN_WIDTH:
            last = None
            continue
        if last is not None and _PAGE_GAP.match(text[last[3]:start]) and width <= last[1]:
            table, width, n_head, _ = last
            rows = _rows(gaps, width)
            head = [[c.text for c in r] for r in table.rows[:n_head]]
            # a table of its own right under the other one opens with a header of its own
            if not (rows and _header_like(rows[0]) and _texts(_body(rows[:1], width)[0]) not in head):
                body = _body(rows, width)
                while body and _texts(body[0]) in head:  # the header printed again on the new page
                    body.pop(0)
                table.rows.extend(body)
                last = (table, width, n_head, end)
                continue
            width = _width(gaps)
        rows = _rows(gaps, width)
        n_head, numbered = _header_size(rows, width)
        header = _expand_header(rows[:n_head], width)
        body = _body(rows[n_head + numbered:], width)
        if len(header) + len(body) < 2:
            last = None
            continue
        table = Table(header + body, source_start=start)
        tables.append(table)
        last = (table, width, len(header), end)
    return tables


def _texts(row: list[TableCell]) -> list[str]:
    return [c.text for c in row]


def _header_like(row: list[_Gap]) -> bool:
    """Two or more cells that name a column's role ('STT', 'Nội dung', 'Đơn vị tính')."""
    leaf, _ = _structural_cues()
    return sum(1 for g in row if fold(g.text).strip(" .:") in leaf) >= 2


def _blocks(text: str):
    """Runs of '|' lines whose gaps hold no blank line: (start, end, cells between the lines)."""
    bars = list(_BAR.finditer(text))
    run: list[regex.Match] = []
    for bar in bars + [None]:
        if bar is not None and run and "\n\n" not in text[run[-1].end():bar.start()].replace(" ", ""):
            run.append(bar)
            continue
        if len(run) >= 3:
            yield run[0].start(), run[-1].end(), [_gap(text, a.end(), b.start()) for a, b in zip(run, run[1:])]
        run = [bar] if bar is not None else []


def _pieces(text: str):
    """The blocks, each cut where a table's header row opens inside it: a page saved from a legal
    portal is often one layout table from top to bottom, its field boxes, the plan's whole text
    and its appendix tables each a cell of one run with no blank line between them (Nghệ An KH
    980; QĐ 2629/QĐ-TTg, whose 'PHỤ LỤC II' and its task table follow the last row of 'PHỤ LỤC
    I'), so the run's longest row of filled cells is the portal's, not the table's. The part
    before each such header is a block of its own."""
    for start, end, gaps in _blocks(text):
        cut = False
        while (at := _header_start(gaps)):
            head_start = next((g.start for g in gaps[at:] if g.start >= 0), end)
            yield start, head_start, gaps[:at], cut
            start = text.rfind("|", start, head_start)
            gaps, cut = gaps[at:], True
        yield start, end, gaps, cut


def _header_width(gaps: list[_Gap]) -> int:
    """A header cut out of a portal's layout run: the portal's own boxes and footer run on in the
    same run, so its longest row is no measure; the header row is, when it names three columns
    or more, else the column-number row."""
    leaf, _ = _structural_cues()
    row = [g.text for g in itertools.takewhile(lambda g: bool(g.text), gaps)]
    numbered = max((len(r) for r in _column_number_runs(gaps)), default=0)
    if numbered:
        return numbered
    if sum(fold(t).strip(" .:") in leaf for t in row) >= 3:
        return len(row)
    return _width(gaps)


def _header_start(gaps: list[_Gap]) -> int:
    """Where a header row glued to the cells before it opens (no empty cell between: the portal's
    layout cell ran straight into it): a row-number column ('TT', 'STT') followed in the same row
    by another column's name ('Cơ quan chủ trì', 'Đơn vị tính'), else two column names side by
    side; 0 when there is none."""
    leaf, _ = _structural_cues()
    numbers = set(_number_cues())
    keys = [fold(g.text).strip(" .:") for g in gaps]
    for i, key in enumerate(keys):
        if not i or not keys[i - 1] or keys[i - 1] in leaf:
            continue  # a header opening a row of its own is the table's (or its page's) own
        if key in numbers:
            row = list(itertools.takewhile(bool, keys[i + 1:i + 1 + MAX_HEADER_SCAN]))
            if any(k in leaf for k in row):
                return i
    for i in range(1, len(keys) - 1):
        row_start = max((k + 1 for k in range(i) if not keys[k]), default=0)
        if any(k in leaf or k in numbers for k in keys[row_start:i]):
            continue  # inside a header row: 'TT | Nhiệm vụ, giải pháp | Cơ quan chủ trì | …'
        if keys[i - 1] and keys[i] in leaf and keys[i + 1] in leaf:
            return i
    return 0
MAX_HEADER_SCAN = 8  # cells after the row number in which another column's name is looked for


@cache
def _number_cues() -> list[str]:
    return [c for role, cues in load("tables")["column_roles"] if role == "number" for c in cues]


def _gap(text: str, start: int, end: int) -> _Gap:
    raw = text[start:end]
    words = _EMPHASIS.sub(" ", raw).split()
    if not words:
        return _Gap("", -1)
    first = regex.search(r"[^\s*_]", raw)
    return _Gap(" ".join(words), start + first.start())


def _width(gaps: list[_Gap]) -> int:
    """The number of columns: the column-number row's length, or the longest run of filled cells
    (no row is longer than the table, and some row fills every column)."""
    longest = run = 0
    for g in gaps:
        run = run + 1 if g.text else 0
        longest = max(longest, run)
    numbered = max((len(r) for r in _column_number_runs(gaps)), default=0)
    return max(longest, numbered)


def _column_number_runs(gaps: list[_Gap]) -> list[list[_Gap]]:
    out = []
    for key, group in itertools.groupby(gaps, key=lambda g: bool(g.text)):
        cells = list(group)
        if key and _is_column_numbers([c.text for c in cells]):
            out.append(cells)
    return out


def _is_column_numbers(texts: list[str]) -> bool:
    if len(texts) < 3 or not all(_COLUMN_NUMBER.match(t.replace(" ", "")) for t in texts):
        return False
    digits = [int(regex.match(r"\(?(\d+)", t).group(1)) for t in texts if regex.match(r"\(?\d", t)]
    # the columns counted one by one ('1 2 3', 'A B 1 2 3 4=3/2 5'), not a row of values
    return len(digits) >= 2 and all(b == a + 1 for a, b in zip(digits, digits[1:])) and digits[0] <= 3


def _rows(gaps: list[_Gap], width: int) -> list[list[_Gap]]:
    """Split the run of cells into rows: each row is 1..width cells followed by an empty gap.
    best[i] is the score of the best split of gaps[i:]; a full row scores higher than a short
    one, a row that opens with its number or an empty number cell higher than one that does not."""
    m = len(gaps)
    best = [0.0] * (m + 2)
    choice = [0] * (m + 2)
    for i in range(m - 1, -1, -1):
        best[i], choice[i] = float("-inf"), 0
        for length in range(1, width + 1):
            end = i + length
            if end > m:
                break
            # a row ends on an empty gap with another row after it; the last row ends the run
            if end < m and (gaps[end].text or end + 1 == m):
                continue
            score = _row_score(gaps[i:end], width) + best[end + 1]
            if score > best[i]:
                best[i], choice[i] = score, length
        if best[i] == float("-inf"):
            # a run of filled cells longer than the table (a portal's row cut short, its footer):
            # one over-long row, split at its row numbers below, rather than no split at all
            run = next((k for k in range(i, m) if not gaps[k].text), m)
            length = max(run - i, 1)
            best[i], choice[i] = OVERLONG_ROW_SCORE + best[min(i + length + 1, m)], length
    rows, i = [], 0
    while i < m:
        length = choice[i] or 1
        rows.extend(_split_overlong(gaps[i:i + length], width))
        i += length + 1
    return rows
OVERLONG_ROW_SCORE = -10.0


def _split_overlong(row: list[_Gap], width: int) -> list[list[_Gap]]:
    """A row longer than the table: cut before each later cell that numbers a row ('2'), each
    part at most the table's width."""
    if len(row) <= width:
        return [row]
    out: list[list[_Gap]] = [[]]
    for g in row:
        if len(out[-1]) >= 2 and _ROW_NUMBER.match(g.text) and not regex.fullmatch(r"[-+•–]", g.text):
            out.append([])
        out[-1].append(g)
    return [part[:width] for part in out]


def _row_score(cells: list[_Gap], width: int) -> float:
    texts = [c.text for c in cells]
    if not any(texts):
        return -3.0
    first = texts[0]
    score = 1.0 if len(cells) == width else -0.5
    if first == "" or _ROW_NUMBER.match(first):
        score += 0.5
    if len(cells) < width:
        # a short row is a label spanning the value columns: its second cell holds words and
        # the cells after it are values
        if len(cells) >= 2 and not texts[1]:
            score -= 1.0
        score -= 0.3 * sum(1 for t in texts[2:] if t and not _NUMERIC.match(t))
    # an empty cell, a row number and words inside one row: two rows read as one
    score -= 1.5 * sum(1 for j in range(1, len(texts) - 1)
                       if not texts[j - 1] and _ROW_NUMBER.match(texts[j]) and _WORDS.search(texts[j + 1])
                       and not _NUMERIC.match(texts[j + 1]))
    return score


def _header_size(rows: list[list[_Gap]], width: int) -> tuple[int, int]:
    """(header rows, 1 when a column-number row follows them)."""
    for k, row in enumerate(rows[:MAX_HEADER_ROWS + 1]):
        if k and _is_column_numbers([c.text for c in row if c.text]) and len(row) >= width - 1:
            return k, 1
    if len(rows) < 2 or len(rows[0]) >= width or any(_NUMERIC.match(c.text) for c in rows[1] if c.text):
        return 1, 0
    # a first row shorter than the table has merged cells: the row under it names their parts,
    # and a third row the parts of those
    n = 2
    while (n < min(len(rows), MAX_HEADER_ROWS) and len(rows[n]) < width
           and all(c.text and not _NUMERIC.match(c.text) for c in rows[n])
           and not _ROW_NUMBER.match(rows[n][0].text)):
        n += 1
    return n, 0


def _cell(g: _Gap) -> TableCell:
    return TableCell(g.text, g.start)


def _body(rows: list[list[_Gap]], width: int) -> list[list[TableCell]]:
    """Body rows at the table's width: a short row keeps its number in the first column, its label
    in the second and its values in the last ones (the label's merged cell spans the rest); a row
    one cell short that opens with words lost its number cell to the row above."""
    out = []
    template: list[str] | None = None  # the kinds of the cells of the last full row
    for row in rows:
        cells = [_cell(g) for g in row]
        if len(cells) < width:
            empty = [TableCell("", -1) for _ in range(width - len(cells))]
            opens_with_words = bool(cells[0].text) and not _ROW_NUMBER.match(cells[0].text)
            if len(cells) == 1 and opens_with_words:
                cells = [TableCell("", -1), cells[0]] + empty[1:]
            elif len(cells) == 1:
                cells = cells + empty
            elif len(cells) == width - 1 and opens_with_words and width > 2:
                cells = empty + cells
            elif len(cells) == width - 1 and template and width > 3 and cells[1].text:
                cells = _rowspan_gap(cells, template)
            else:
                cells = cells[:2] + empty + cells[2:]
        elif all(c.text for c in cells[1:]):
            template = [_cell_kind(c.text) for c in cells]
        out.append(cells)
    return out


def _rowspan_gap(cells: list[TableCell], template: list[str]) -> list[TableCell]:
    """A numbered row one cell short lost the cell a merged cell above covers (the converter
    writes a vertically merged cell once): it goes where the row's cells then line up best with
    the kinds of the last full row's ('Sở Tài chính' under the agencies, 'Năm 2025 - 2026' under
    the dates), after the number and the label; on a tie, the later place."""
    best, best_at = -1, 2
    for at in range(2, len(cells) + 1):
        placed = cells[:at] + [TableCell("", -1)] + cells[at:]
        score = sum(_cell_kind(c.text) == k for c, k in zip(placed, template) if c.text)
        if score >= best:  # on a tie the later column: the funding, the deadline run down a table
            best, best_at = score, at
    return cells[:best_at] + [TableCell("", -1)] + cells[best_at:]


@cache
def _agency_start() -> regex.Pattern:
    """The head words that open a body's name, as the assignments catalog lists them ('Sở', 'Các',
    'Trung tâm' …): a cell under a lead or partner column."""
    return regex.compile(rf"^(?:{alternation(load('assignments')['agency_heads'])})(?!\w)", regex.IGNORECASE)


_WHEN = regex.compile(r"(?i)(?:quý|năm|tháng|hằng|hàng|thường xuyên|trước|trong|giai đoạn|\d{4})")


def _cell_kind(text: str) -> str:
    """What a cell holds, roughly: a number, an agency, a time, or words."""
    if not text:
        return "empty"
    if _NUMERIC.match(text) or _ROW_NUMBER.match(text):
        return "number"
    if _agency_start().match(text):
        return "agency"
    if len(text.split()) <= 6 and _WHEN.search(text):
        return "time"
    return "words"


def _expand_header(rows: list[list[_Gap]], width: int) -> list[list[TableCell]]:
    """Header rows at the table's width. A row shorter than the columns it covers has merged
    cells: the next row's cells sit under them. A cell that does not group others stands for
    every header row (its text repeated down), a grouping cell is repeated over its columns."""
    grid = [[TableCell("", -1) for _ in range(width)] for _ in rows]
    _fill(rows, 0, list(range(width)), grid)
    return grid


def _fill(rows: list[list[_Gap]], level: int, columns: list[int], grid: list[list[TableCell]]) -> None:
    row = _trimmed(rows[level]) if level < len(rows) else []
    if not row or not columns:
        return
    extra = len(columns) - len(row)
    below = _trimmed(rows[level + 1]) if level + 1 < len(rows) else []
    if extra <= 0 or not below:
        spans = [1] * len(row)
        if extra > 0:
            spans[-1] += extra  # nothing below to tell which cell is merged: the last one
        groups: list[int] = []
    else:
        groups, sizes = _grouping_cells(row, below, extra)
        spans = [1] * len(row)
        for g, size in zip(groups, sizes):
            spans[g] = size
    at = 0
    under: list[int] = []
    for k, (g, span) in enumerate(zip(row, spans)):
        cols = columns[at:at + span]
        at += span
        for c in cols:
            grid[level][c] = _cell(g)
        if k in groups:
            under.extend(cols)
        else:
            for deeper in range(level + 1, len(grid)):  # merged down
                for c in cols:
                    grid[deeper][c] = _cell(g)
    if groups:
        _fill(rows, level + 1, under, grid)


def _trimmed(row: list[_Gap]) -> list[_Gap]:
    """A header row without the empty cells it ends on (the gap before the next row is ambiguous)."""
    end = len(row)
    while end > 1 and not row[end - 1].text:
        end -= 1
    return row[:end]


def _grouping_cells(row: list[_Gap], below: list[_Gap], extra: int) -> tuple[list[int], list[int]]:
    """Which cells of ``row`` have the cells of ``below`` under them, and how many each: as many
    grouping cells as ``below`` holds beyond the ``extra`` columns it adds. A row-number, label or
    unit column never groups; then the choice where no group's year is contradicted by a part's
    ('Năm 2025' cannot hold 'Năm 2026'), where groups say they group ('Trong đó', 'Giai đoạn'),
    parts are shared evenly, and the groups stand leftmost."""
    count = max(1, min(len(row), len(below) - extra))
    leaf, group_cues = _structural_cues()
    keys = [fold(g.text).strip(" .:") for g in row]
    candidates = [k for k, key in enumerate(keys) if not any(_has(key, c) for c in leaf)]
    if len(candidates) < count:
        candidates = list(range(len(row)))
    below_years = [set(_YEAR.findall(g.text)) for g in below]
    best: tuple[float, list[int], list[int]] | None = None
    for choice in itertools.combinations(candidates, count):
        for sizes in _compositions(len(below), count):
            cost, at = 0.0, 0
            for k, size in zip(choice, sizes):
                years = set(_YEAR.findall(row[k].text))
                if len(years) == 1 and any(y and y != years for y in below_years[at:at + size]):
                    cost += 10
                if any(_has(keys[k], c) for c in group_cues):
                    cost -= 5
                cost += 0.01 * k + (0.5 if size == 1 else 0.0)
                at += size
            cost += 0.1 * (max(sizes) - min(sizes))
            if best is None or cost < best[0]:
                best = (cost, list(choice), list(sizes))
    assert best is not None
    return best[1], best[2]


def _has(key: str, cue: str) -> bool:
    return regex.search(rf"(?<![a-z]){regex.escape(cue)}(?![a-z])", key) is not None


def _compositions(total: int, parts: int):
    """Every way to write ``total`` as ``parts`` positive sizes, in order."""
    if parts == 1:
        yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest
