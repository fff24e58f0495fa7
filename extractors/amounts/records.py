"""What the stages of the amounts extractor hand each other: frozen records, one per decision.

A mention is found once (``Found``: where, how much, and what its table cell's row and column
say); every later stage takes the mentions and returns its own record for each, never changing
what an earlier stage decided. Records are compared by identity (``eq=False``), so a mention can
key a dict and a part can point at its total.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kehoach.models.records import Section
from kehoach.normalizers import components as comp


@dataclass(frozen=True, eq=False)
class Found:
    """A money mention as found in the text or a table cell, before anything is said about it."""
    start: int
    end: int
    value: Decimal  # million đồng
    raw: str
    per: str | None  # '… đồng/người/năm': what one amount is for
    para: int
    bound: str | None = None  # 'min' / 'max' of a range ('từ 10 đến 20 triệu đồng')
    cell: bool = False  # a cell of a table, read from its rows or under a unit declaration
    column: tuple[str | None, str | None] = (None, None)  # its column's (funding source, capital type)
    table: bool = False  # a value cell of a read table: its label is its row's, its parts the rows below
    year: int | None = None  # the year its column names ('Năm 2026')
    column_path: str | None = None  # its column's header through merged cells ('Dự toán > Năm 2026')
    row_label: str = ""  # a read table's row label
    row_level: int = 0  # a table cell's depth by its row's number: total -2, A -1, I 0, 1 1, 1.1 2 …
    row_key: int = -1  # the cells of one table row share it
    row_total: bool = False  # in the table's 'Tổng số' column
    row_subset: bool = False  # its row picks out part of the row above ('Trong đó: …'), no part of it
    table_no: int = -1  # which read table it is in
    revenue: bool = False  # a row of a revenue table: money coming in


@dataclass(frozen=True, eq=False)
class Shape:
    """Where a mention stands among the others: its label, the words after it, its total, its parts."""
    label: str = ""  # the words it is the amount of ('Ngân sách trung ương: '), a table cell's row
    trail: str = ""  # the words after it up to the next break ('từ vốn sự nghiệp')
    depth: int = 0  # how deep in parentheses
    parent: Found | None = None  # the total it is a part of
    groups: tuple[tuple[str, tuple[Found, ...]], ...] = ()  # its parts, by how they are attached

    @property
    def own_words(self) -> str:
        """The words that describe this amount itself, the first place its attributes come from."""
        return self.label + " " + self.trail


@dataclass(frozen=True, eq=False)
class Setting:
    """The text around a mention: its sections (deepest first) and its sentence up to it."""
    chain: tuple[Section, ...]
    sentence: str

    @property
    def section(self) -> str | None:
        return self.chain[0].id if self.chain else None


@dataclass(frozen=True, eq=False)
class Funding:
    """Where a mention's money comes from: the source and capital type, and the source its own words name."""
    source: str | None = None
    capital: str | None = None
    own_source: str | None = None


@dataclass(frozen=True, eq=False)
class Decided:
    """Everything the stages decided about one mention."""
    found: Found
    shape: Shape
    setting: Setting
    per: str | None
    kind: str
    funding: Funding
    component: comp.Component | None
    location: str | None
