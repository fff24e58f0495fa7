"""The text around each mention, read once for every later stage: its sections, deepest first,
and its sentence up to it (the words a component or a kind is named in)."""
from __future__ import annotations

from kehoach.models.records import Section
from kehoach.models.sections import enclosing
from kehoach.normalizers.offsets import NormText

from .records import Found, Setting


def settings(nt: NormText, mentions: list[Found], sections: list[Section]) -> list[Setting]:
    return [Setting(tuple(enclosing(sections, m.start)), _sentence(nt, m)) for m in mentions]


def _sentence(nt: NormText, m: Found) -> str:
    p = nt.paragraphs[m.para]
    before = nt.text[p.start:m.start]
    cut = max(before.rfind(". "), before.rfind("; "))
    return before[cut + 1:] if cut >= 0 else before


def headings(setting: Setting) -> str:
    """The headings of the sections around a mention, the parts of a document left out."""
    return " ".join(s.heading or "" for s in setting.chain if s.kind != "part")
