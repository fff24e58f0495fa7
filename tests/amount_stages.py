"""Running the amounts extractor's stages one at a time for the stage case tables
(tests/cases/amount_*.json): the text goes through the real front of the chain (layout, frame,
sections, tables), then through the stages up to the one a table tests."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kehoach.extractors import tables
from kehoach.extractors.amounts import found_in
from kehoach.extractors.amounts.component import components
from kehoach.extractors.amounts.funding import funding
from kehoach.extractors.amounts.kind import kinds
from kehoach.extractors.amounts.location import locations
from kehoach.extractors.amounts.mentions import per_person
from kehoach.extractors.amounts.records import Found, Setting, Shape
from kehoach.extractors.amounts.setting import headings, settings
from kehoach.extractors.amounts.structure import structure
from kehoach.extractors.context import Document
from kehoach.models.records import RawDocument, Record, Section, Source
from kehoach.normalizers.layout import normalize_layout
from kehoach.normalizers.offsets import NormText
from kehoach.pipeline.frame import find_frame
from kehoach.pipeline.readers import markdown_tables
from kehoach.pipeline.readers.cell_lines import cell_line_tables
from kehoach.pipeline.segment import segment

HEAD = "KẾ HOẠCH\nThử nghiệm\n"


@dataclass
class Staged:
    nt: NormText
    sections: list[Section]
    mentions: list[Found]
    shapes: list[Shape]
    settings: list[Setting]


def staged(case: dict) -> Staged:
    """A case's text read as the chain reads a document, and the stages before the attributes."""
    fmt = case.get("fmt", "txt")
    text = (HEAD if fmt == "txt" else "# KẾ HOẠCH\n\nThử nghiệm\n\n") + case["text"]
    found_tables = (markdown_tables(text) if fmt == "md" else []) + cell_line_tables(text)
    raw = RawDocument(path="<case>", sha256="", format=fmt, size_bytes=len(text.encode()), text=text,
                      tables=found_tables)
    nt = normalize_layout(raw)
    frame = find_frame(nt)
    doc = Document(nt=nt, frame=frame, record=Record(source=Source(path="<case>", sha256="", format=fmt),
                                                     sections=segment(nt, frame)), tables=list(raw.tables))
    tables.COMPONENT.run(doc)
    mentions, cells = found_in(nt, doc.tables_read)
    return Staged(nt, doc.sections, mentions, structure(nt, mentions, cells, doc.sections),
                  settings(nt, mentions, doc.sections))


# what each stage decided, one row a mention: the rows of its case table

def _money(v: Decimal) -> str:
    return str(v.normalize()) if v != v.to_integral_value() else str(int(v))


def found(s: Staged) -> list:
    return [[m.raw, _money(m.value), per_person(m.per, st.sentence + headings(st)), m.bound]
            for m, st in zip(s.mentions, s.settings)]


def shaped(s: Staged) -> list:
    return [[m.raw, sh.parent.raw if sh.parent else None, {how: [x.raw for x in g] for how, g in sh.groups}]
            for m, sh in zip(s.mentions, s.shapes)]


def funded(s: Staged) -> list:
    return [[m.raw, f.source, f.capital] for m, f in zip(s.mentions, funding(s.mentions, s.shapes, s.settings))]


def componented(s: Staged) -> list:
    return [[m.raw, c.label() if c else None]
            for m, c in zip(s.mentions, components(s.nt, s.mentions, s.shapes, s.settings, s.sections))]


def located(s: Staged) -> list:
    return [[m.raw, loc] for m, loc in zip(s.mentions, locations(s.mentions, s.shapes, s.settings))]


def kinded(s: Staged) -> list:
    return [[m.raw, k] for m, k in zip(s.mentions, kinds(s.mentions, s.shapes, s.settings))]


STAGES = {"mentions": found, "structure": shaped, "funding": funded, "component": componented,
          "location": located, "kind": kinded}
