"""Does every item read from a table point at its cell's own words, on its page? (issue 17)

A table item's provenance is its cell: the amount's span must hold the number as the table
writes it ('1.250' for 1250 in a table of million đồng, '1,25' in one of billions), a target's the
plan cell's value, a task row's assignment the row with its lead; a PDF's or a scan's item its
page, the one its span starts on. This module lists the table items of a document with what is
wrong with each (nothing, mostly); ``scripts/table_spans.py`` prints it over files and the tests
assert it for every input format.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Optional

import regex

from kehoach.extractors.assignments.task_tables import _from_tables
from kehoach.extractors.context import Document
from kehoach.extractors.tables import FIRST_LINE_WORDS
from kehoach.extractors.targets import table_targets
from kehoach.normalizers.agencies import expand_abbreviations
from kehoach.normalizers.components import section_components
from kehoach.normalizers.numbers import parse_number
from kehoach.normalizers.text import fold
from kehoach.pipeline.extract import run_chain
from kehoach.pipeline.readers import read_document

_NUMBER = regex.compile(r"\d{1,3}(?:[. ]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?")
# a table's unit turns its numbers into million đồng by a power of ten (đồng 10⁻⁶ … tỷ 10³)
_SCALES = {Decimal(10) ** k for k in range(-6, 4)}


@dataclass
class TableItem:
    kind: str  # amount, target, assignment
    value: str  # what was extracted, for the report: the value or the lead
    span: tuple[int, int]
    page: Optional[int]
    spanned: str  # the text under the span
    problem: str = ""  # empty when the span and page are right


def document(path: str | Path) -> Document:
    """A file through the chain, keeping the tables read."""
    return run_chain(read_document(str(path)), include_text=True)


def _number(text: str) -> Optional[Decimal]:
    m = _NUMBER.search(text)
    if not m:
        return None
    try:
        return parse_number(m.group().replace(" ", "."))
    except (InvalidOperation, ArithmeticError):
        return None


def _page_problem(doc: Document, span: tuple[int, int], page: Optional[int]) -> str:
    nt = doc.nt
    if not nt.paged:
        return "" if page is None else f"page {page} on an unpaged source"
    pages = doc.record.source.pages or 0
    if page is None:
        return "no page"
    if not 1 <= page <= pages:
        return f"page {page} not in 1..{pages}"
    if 0 <= span[0] < len(nt.text) and nt.page_at(span[0]) != page:
        return f"page {page}, but its span starts on page {nt.page_at(span[0])}"
    return ""


def _span_text(doc: Document, span: tuple[int, int]) -> tuple[str, str]:
    text = doc.nt.text
    if not 0 <= span[0] < span[1] <= len(text):
        return "", f"span {span} outside the text (0..{len(text)})"
    return text[span[0]:span[1]], ""


def audit(doc: Document, every_amount: bool = False) -> list[TableItem]:
    """Every table item of a document, each with its problem ('' when its span and page are right);
    ``every_amount``: the amounts read as prose too (a scan's table, whose grid is not rebuilt, is
    read line by line as text)."""
    out: list[TableItem] = []
    for a in doc.record.amounts:
        if a.table_row is None and a.table_column is None and not every_amount:
            continue
        spanned, problem = _span_text(doc, a.span)
        if not problem:
            n = _number(spanned)
            if n is None or n == 0 and a.value_million_vnd != 0:
                problem = f"no number in {spanned!r}"
            elif n != a.value_million_vnd and (n == 0 or a.value_million_vnd / n not in _SCALES):
                problem = f"{spanned!r} is not {a.value_million_vnd} million đồng in any unit"
            elif spanned.strip() != a.raw.strip() and (a.table_row or a.table_column):
                problem = f"span text {spanned!r} is not its raw {a.raw!r}"
        out.append(TableItem("amount", str(a.value_million_vnd), tuple(a.span), a.page, spanned,
                             problem or _page_problem(doc, a.span, a.page)))
    for t in table_targets(doc.nt, doc.sections, doc.tables_read):
        spanned, problem = _span_text(doc, t.span)
        if not problem:
            n = _number(spanned)
            if n is None or float(n) != t.target:
                problem = f"{spanned!r} is not the target {t.target:g}"
        out.append(TableItem("target", f"{t.target:g}", tuple(t.span), t.page, spanned,
                             problem or _page_problem(doc, t.span, t.page)))
    sec_comp = section_components(doc.sections)
    for a in _from_tables(doc.nt, doc.tables_read, doc.sections, sec_comp):
        spanned, problem = _span_text(doc, a.span)
        if not problem:
            # the lead's words as the task row writes them (the name parser expands 'UBND' and may
            # drop a marker or a leading 'Giao', never the agency's own words)
            words = [w for w in fold(a.lead or "").split() if len(w) > 1]
            if doc.nt.paged:
                # a PDF page's text interleaves the lines of a row's wrapped cells: the lead's
                # first line stands in the row, its other lines among the other cells' lines
                words = words[:FIRST_LINE_WORDS]
            key = fold(expand_abbreviations(spanned))
            if not words or not all(w in key for w in words):
                problem = f"the lead {a.lead!r} is not in its row's span {spanned[:80]!r}"
        out.append(TableItem("assignment", a.lead or "", tuple(a.span), a.page, spanned,
                             problem or _page_problem(doc, a.span, a.page)))
    return out
