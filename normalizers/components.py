"""Components of a national target program as plans name them: 'Dự án 2', 'Tiểu dự án 1 thuộc
Dự án 3', 'Tiểu Dự án 2 - Dự án 1', '2.2.1. Tiểu dự án 1:' under '2.2. Dự án 3'. The canonical
form is the contract's 'Dự án N' or 'Dự án N > Tiểu dự án M'."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from kehoach.models.records import Section
from kehoach.normalizers.text import fold

# on folded text: 'tieu du an 2 - du an 1', 'tieu du an 1 thuoc du an 3', 'du an 3', 'tieu du an 1'
_MENTION = regex.compile(
    r"tieu\s*du\s*an\s*(?P<m1>\d{1,2})(?:\s*(?:[-–(,]|thuoc|cua|trong)\s*(?:cua\s+|thuoc\s+)?"
    r"|(?:(?!du\s*an)[^.;]){0,80}?\s(?:thuoc|cua)\s+)du\s*an\s*(?P<n1>\d{1,2})(?!\d)"
    r"|(?<!tieu\s)(?<!tieu)du\s*an\s*(?P<n2>\d{1,2})(?![\d.,]\d)(?:\s*[>(-]\s*tieu\s*du\s*an\s*(?P<m2>\d{1,2}))?"
    r"|tieu\s*du\s*an\s*(?P<m3>\d{1,2})(?![\d.,]\d)"
)


@dataclass(frozen=True)
class Component:
    project: int | None
    sub: int | None

    def resolve(self, context: "Component | None") -> "Component":
        if self.project is None and context is not None and context.project is not None:
            return Component(context.project, self.sub)
        return self

    def label(self) -> str | None:
        if self.project is None:
            return None
        return f"Dự án {self.project}" + (f" > Tiểu dự án {self.sub}" if self.sub else "")


def mentions(text: str) -> list[tuple[int, int, Component]]:
    """Every component named in ``text``, with its span, in order."""
    out = []
    for m in _MENTION.finditer(fold(text)):
        if m.group("m1"):
            c = Component(int(m.group("n1")), int(m.group("m1")))
        elif m.group("n2"):
            c = Component(int(m.group("n2")), int(m.group("m2")) if m.group("m2") else None)
        else:
            c = Component(None, int(m.group("m3")))
        out.append((m.start(), m.end(), c))
    return out


def last_mention(text: str, context: Component | None = None) -> Component | None:
    found = mentions(text)
    if not found:
        return None
    # 'Dự án 3: … Tiểu dự án 1' inside one phrase: the sub-project belongs to the project named before it
    current = context
    last = None
    for _, _, c in found:
        c = c.resolve(current)
        if c.sub is None:
            current = c
        last = c
    return last


def components_named(text: str, context: Component | None = None) -> list[Component]:
    """Distinct components a passage names; a project whose sub-projects are named is replaced by them."""
    out: list[Component] = []
    current = context
    for _, _, c in mentions(text):
        c = c.resolve(current)
        if c.project is None:
            continue
        if c.sub is None:
            current = c
        elif Component(c.project, None) in out:
            out.remove(Component(c.project, None))
        if c not in out and not (c.sub is None and any(o.project == c.project and o.sub for o in out)):
            out.append(c)
    return out


def section_components(sections: list[Section]) -> dict[str, Component | None]:
    """The program component each section is about: its heading's, else its parent's."""
    out: dict[str, Component | None] = {}
    for s in sections:  # document order: parents first
        parent = out.get(s.parent) if s.parent else None
        own = last_mention(s.heading or "", parent)
        out[s.id] = own if own and own.project is not None else parent
    return out
