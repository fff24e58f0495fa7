"""What a section heading says the section is about, from the catalog of heading cues.

'MỤC ĐÍCH, YÊU CẦU' is purpose_requirements, 'KINH PHÍ THỰC HIỆN' budget, 'TỔ CHỨC THỰC HIỆN'
organization: the cues live in ``catalogs/section_kinds.json``; the first kind whose cue the
folded heading contains wins, in the catalog's order.
"""
from __future__ import annotations

from functools import cache

from kehoach.catalogs import load
from kehoach.normalizers.text import fold


@cache
def _kind_cues() -> list[tuple[str, list[str]]]:
    return [(k["kind"], k["cues"]) for k in load("section_kinds")["kinds"]]


def kind_from_heading(heading: str | None) -> str | None:
    """The contract kind a heading names; None if it names none."""
    if not heading:
        return None
    key = " ".join(fold(heading).replace("-", " - ").split())
    for kind, cues in _kind_cues():
        if any(cue in key for cue in cues):
            return kind
    return None
