"""Which programme component a mention belongs to ('Dự án 3 > Tiểu dự án 1'): the one its
sentence names, or its table row; else its total's; else the one the headings above it name."""
from __future__ import annotations

from kehoach.models.records import Section
from kehoach.normalizers import components as comp
from kehoach.normalizers.components import section_components
from kehoach.normalizers.offsets import NormText

from .inherit import parent_first
from .records import Found, Setting, Shape


def components(nt: NormText, mentions: list[Found], shapes: list[Shape], settings: list[Setting],
               sections: list[Section]) -> list[comp.Component | None]:
    by_section = section_components(sections)

    def decide(m: Found, shape: Shape, setting: Setting, parent: comp.Component | None) -> comp.Component | None:
        context = next((by_section[s.id] for s in setting.chain if by_section.get(s.id)), None)
        named = comp.last_mention(setting.sentence, context)
        if m.cell and (named is None or named.project is None):
            named = _row_component(nt, m, context)
        if named is not None and named.project is not None:
            return named
        return parent if parent is not None else context

    return parent_first(mentions, shapes, settings, decide)


def _row_component(nt: NormText, m: Found, context: comp.Component | None) -> comp.Component | None:
    """A table cell's component, named in an earlier cell of its row (one paragraph per cell)."""
    for i in range(m.para - 1, max(-1, m.para - 6), -1):
        p = nt.paragraphs[i]
        cell = nt.text[p.start:p.end]
        if len(cell.split()) > 12:
            return None
        found = comp.last_mention(cell, context)
        if found is not None and found.project is not None:
            return found
    return None
