"""One assignment per party and duty, by the contract's counting: a component's assignment
paragraphs give one assignment per (component, lead) however many lines name the lead
(``dedupe``); an agency's items, table rows and inline duties are one each, the same words read
by two sources kept once (``dedupe_spans``, ``same_party``)."""
from __future__ import annotations

from kehoach.models.records import Assignment
from kehoach.normalizers.text import fold


def _same_party(a: Assignment, b: Assignment) -> bool:
    """The same duty read twice: overlapping spans, one lead's name the start of the other's."""
    if a.span[0] >= b.span[1] or b.span[0] >= a.span[1] or a.component != b.component:
        return False
    x, y = _key(a)[1], _key(b)[1]
    return x.startswith(y) or y.startswith(x)


def _key(a: Assignment) -> tuple:
    return a.component, " ".join(fold(a.lead or "").split())


def _dedupe(items: list[Assignment], by=None) -> list[Assignment]:  # noqa: ANN001 - a key function
    """The first of the assignments that share a key: by default one per (component, lead)."""
    key_of = by or _key
    seen: set[tuple] = set()
    out = []
    for a in items:
        key = key_of(a)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def _dedupe_spans(items: list[Assignment]) -> list[Assignment]:
    """One assignment per party and duty: the same (component, lead) at the same words once."""
    return _dedupe(items, by=lambda a: (_key(a), a.span))
