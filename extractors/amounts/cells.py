"""Finding money in read tables: the value cells of budget tables and the money rows of target
tables, each with what its row and column say (the row's label and depth by its number, the
column's source, capital type, year and header path)."""
from __future__ import annotations

import regex

from kehoach.catalogs import load
from kehoach.normalizers.numbers import to_million
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import fold

from .records import Found

# a target table's row unit that makes its values money (a per-person income stays a target only)
_TABLE_UNITS = {"trieu dong": "trieu", "trieu": "trieu", "ty dong": "ty", "ty": "ty", "nghin dong": "nghin",
                "dong": "dong"}


def table_mentions(nt: NormText, readings: list) -> list[list[Found]]:
    """The money cells of each read table, in the table's order (rows, then columns)."""
    out: list[list[Found]] = []
    for no, t in enumerate(readings):
        if t.kind not in ("budget", "targets"):
            continue
        mine: list[Found] = []
        unit_col = t.column("unit")
        subsets = _subset_rows(t.rows)
        levels = _row_levels(t.rows)
        for row, col, cell, value in t.value_cells:
            unit = t.unit if t.kind == "budget" else None
            if t.kind == "targets" and unit_col is not None:
                row_unit = fold(row.cells[unit_col.index].text)
                unit = _TABLE_UNITS.get(row_unit.strip(" ()."))
            if unit is None:
                continue
            mine.append(Found(
                cell.start, cell.end, to_million(value, unit), cell.text, None, nt.paragraph_index_at(cell.start),
                cell=True, table=True, column=(col.funding, col.capital), year=col.year,
                column_path=col.header or None, row_label=row.label, row_level=levels[id(row)], row_key=id(row),
                row_total=col.total, row_subset=id(row) in subsets, table_no=no, revenue=t.revenue))
        out.append(mine)
    return out


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
