"""Where a mention's money is spent: the place its label names ('Huyện Mường La: 500 triệu đồng'),
else its total's place, else the place a heading above it names."""
from __future__ import annotations

import regex

from kehoach.normalizers.places import place_heading

from .inherit import parent_first
from .records import Found, Setting, Shape

_LOCATION = regex.compile(
    r"^\W*(?:[a-zđ]\)|\d+(?:\.\d+)*\.?|[-+•])?\s*(?P<unit>[Hh]uyện|[Tt]hị xã|[Tt]hành phố|[Xx]ã|[Tt]ỉnh)\s+"
    r"(?P<name>\p{Lu}[\p{Ll}’']*(?:\s+\p{Lu}[\p{Ll}’']*){0,3})\s*(?::|$)")


def locations(mentions: list[Found], shapes: list[Shape], settings: list[Setting]) -> list[str | None]:
    return parent_first(mentions, shapes, settings, _location)


def _location(_: Found, shape: Shape, setting: Setting, parent: str | None) -> str | None:
    m = _LOCATION.match(shape.label)
    if m:
        return f"{m.group('unit').lower()} {m.group('name')}"
    if parent:
        return parent
    return next((p for p in (place_heading(s.heading) for s in setting.chain) if p), None)
