"""Money amounts, their structure (totals and their parts) and their attributes.

Finding the numbers is the easy part. What a number *is* comes from three places, nearest
first: its own label ('Ngân sách trung ương: 187.480 triệu đồng'), the amount it is a part of
(inside the parentheses after a total, after 'trong đó:', or in the list items a total
introduces), and the headings of the sections and items around it ('1. Dự án 2: …'). A
total whose parts are labelled with different funding sources is a total over sources.

The extractor is a row of small stages, as spaCy's pipeline components are: each takes the
mentions (and what earlier stages decided) and returns one frozen record per mention, so what a
stage decides, and from what, can be read and tested alone. A table cell and a prose mention go
through the same stages; only finding them differs.

    find (mentions, cells) → structure → setting → funding, component, location, kind → Amount
"""
from __future__ import annotations

from kehoach.extractors.context import Component, Document, Mention
from kehoach.models.records import Amount, Section
from kehoach.normalizers.offsets import NormText

from .cells import table_mentions
from .component import components
from .funding import funding
from .kind import kinds
from .location import locations
from .mentions import MONEY_MENTION, find_mentions, per_person
from .records import Decided, Found
from .setting import headings, settings
from .structure import structure

__all__ = ["COMPONENT", "MONEY_MENTION", "decide", "extract_amounts", "find_mentions", "found_in", "table_mentions"]


def found_in(nt: NormText, readings: list) -> tuple[list[Found], list[list[Found]]]:
    """Every money mention in text order, and the read tables' cells table by table; a number of
    running text inside a read table's cell is that cell's."""
    tables = table_mentions(nt, readings)
    from_tables = [m for cells in tables for m in cells]
    in_tables = [(m.start, m.end) for m in from_tables]
    prose = [m for m in find_mentions(nt) if not any(a <= m.start < b for a, b in in_tables)]
    return sorted(prose + from_tables, key=lambda m: m.start), tables


def decide(nt: NormText, sections: list[Section], readings: list | None = None) -> list[Decided]:
    """What the stages decide about each money mention of a document, in text order."""
    mentions, tables = found_in(nt, readings or [])
    shapes = structure(nt, mentions, tables, sections)
    around = settings(nt, mentions, sections)
    return [Decided(m, shape, setting, per_person(m.per, setting.sentence + headings(setting)), kind, money,
                    component, location)
            for m, shape, setting, kind, money, component, location in zip(
                mentions, shapes, around, kinds(mentions, shapes, around), funding(mentions, shapes, around),
                components(nt, mentions, shapes, around, sections), locations(mentions, shapes, around))]


def extract_amounts(nt: NormText, sections: list[Section], readings: list | None = None) -> tuple[list[Amount], list[Mention]]:
    decided = decide(nt, sections, readings)
    amounts = [
        Amount(value_million_vnd=d.found.value, raw=d.found.raw, kind=d.kind, year=d.found.year,
               table_row=d.shape.label if d.found.table else None, table_column=d.found.column_path,
               component=d.component.label() if d.component else None,
               funding_source=d.funding.source, capital_type=d.funding.capital, location=d.location, per=d.per,
               bound=d.found.bound, section=d.setting.section, span=(d.found.start, d.found.end),
               page=nt.page_at(d.found.start))
        for d in decided
    ]
    return amounts, handed_over(decided)


def handed_over(decided: list[Decided]) -> list[Mention]:
    """The mentions as the checks and the targets read them, parts linked to their totals."""
    out = {d.found: _mention(d) for d in decided}
    for d in decided:
        mt = out[d.found]
        mt.parent = out[d.shape.parent] if d.shape.parent is not None else None
        mt.groups = {how: [out[x] for x in group] for how, group in d.shape.groups}
    return list(out.values())


def _mention(d: Decided) -> Mention:
    f = d.found
    return Mention(f.start, f.end, f.value, f.raw, d.per, f.para, d.shape.depth, bound=f.bound,
                   label=d.shape.label, trail=d.shape.trail, kind=d.kind, component=d.component,
                   funding=d.funding.source, capital=d.funding.capital, location=d.location,
                   section=d.setting.section, own_funding=d.funding.own_source, cell=f.cell, column=f.column,
                   table=f.table, year=f.year, column_path=f.column_path, row_level=f.row_level,
                   row_key=f.row_key, row_total=f.row_total)


def _run(doc: Document) -> None:
    doc.record.amounts, doc.mentions = extract_amounts(doc.nt, doc.sections, doc.tables_read)


COMPONENT = Component("amounts", requires=("nt", "sections", "tables_read"), assigns=("amounts", "mentions"), run=_run)
