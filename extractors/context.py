"""What the extractors hand each other for one document, as spaCy components share a Doc.

``Document`` carries the normalised text, frame and section tree every extractor reads, and
gets what each extractor assigns; ``Component`` declares what an extractor requires and what it
assigns, so the per-document chain (``pipeline.extract``) can check that its order is sound.
The money mentions — amounts with their structure (the total each part belongs to, the groups
under a total) — are handed from the amounts extractor to the checks and the targets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from kehoach.models.records import Frame, Record, Section, Table
from kehoach.normalizers import components as comp
from kehoach.normalizers.offsets import NormText


@dataclass(eq=False)
class Mention:
    """A money mention and its structure, before it becomes an ``Amount``."""
    start: int
    end: int
    value: Decimal
    raw: str
    per: str | None
    para: int
    depth: int
    bound: str | None = None
    label: str = ""
    trail: str = ""
    parent: "Mention | None" = None
    groups: dict[str, list["Mention"]] = field(default_factory=dict)
    # attributes
    kind: str = "budget"
    component: comp.Component | None = None
    funding: str | None = None
    capital: str | None = None
    location: str | None = None
    section: str | None = None
    own_funding: str | None = None
    cell: bool = False  # read from a table under a unit declaration
    column: tuple[str | None, str | None] = (None, None)  # its column's (funding source, capital type)
    table: bool = False  # a value cell of a read table: its label is its row's, its parts the rows below
    year: int | None = None  # the year its column names ('Năm 2026')
    column_path: str | None = None  # its column's header through merged cells ('Dự toán > Năm 2026')
    row_level: int = 0  # a table cell's depth by its row's number: total -1, I 0, 1 1, 1.1 2 …
    row_key: int = -1  # the cells of one table row share it
    row_total: bool = False  # in the table's 'Tổng số' column



@dataclass
class Document:
    """One document on its way through the extractors: what they read (the normalised text, the
    frame, the section tree, the tables, the money mentions) and the record they fill in."""
    nt: NormText
    frame: Frame
    record: Record
    tables: list[Table] = field(default_factory=list)
    tables_read: list = field(default_factory=list)  # extractors.tables.TableReading, one a table
    mentions: list[Mention] = field(default_factory=list)

    @property
    def sections(self) -> list[Section]:
        return self.record.sections


@dataclass(frozen=True)
class Component:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    run: Callable[[Document], None]


def check_order(components: list[Component], given: tuple[str, ...] = ("nt", "frame", "sections", "tables")) -> None:
    """Raise if a component requires what no component before it assigns."""
    have = set(given)
    for c in components:
        missing = [r for r in c.requires if r not in have]
        if missing:
            raise ValueError(f"component {c.name} requires {', '.join(missing)}, assigned by none before it")
        have.update(c.assigns)
