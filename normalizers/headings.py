"""What a section heading says the section is about, from the catalog of heading cues.

'MỤC ĐÍCH, YÊU CẦU' is purpose_requirements, 'KINH PHÍ THỰC HIỆN' budget, 'TỔ CHỨC THỰC HIỆN'
organization: the cues live in ``catalogs/section_kinds.json``. The cue that stands first in
the heading wins ('NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP' is content, 'Các giải pháp tổ chức thực hiện …'
tasks and solutions); between cues at the same place, the catalog's order.
"""
from __future__ import annotations

from functools import cache

import regex

from kehoach.catalogs import load
from kehoach.normalizers.text import fold


# 'NỘI DUNG HOẠT ĐỘNG VÀ ĐỀ XUẤT KINH PHÍ' is a budget section, 'KẾT QUẢ HUY ĐỘNG NGUỒN VỐN' a review
_STRONG = ("expected_results", "results_review", "budget")


@cache
def _kind_cues() -> list[tuple[str, list[str]]]:
    return [(k["kind"], k["cues"]) for k in load("section_kinds")["kinds"]]


def kind_cue(heading: str | None) -> tuple[str, int] | None:
    """The contract kind a heading names and how many words stand before its cue; None if it
    names none."""
    if not heading:
        return None
    key = " ".join(fold(heading).replace("-", " - ").split())
    best: tuple[int, int, str] | None = None
    for rank, (kind, cues) in enumerate(_kind_cues()):
        for cue in cues:
            m = regex.search(rf"(?<!\w){regex.escape(cue)}(?!\w)", key)
            if m is None:
                continue
            if kind in _STRONG:  # results, reviews and money name a section wherever they stand
                return kind, len(key[:m.start()].split())
            if best is None or (m.start(), rank) < best[:2]:
                best = (m.start(), rank, kind)
    if best is None:
        return None
    return best[2], len(key[:best[0]].split())


def kind_from_heading(heading: str | None) -> str | None:
    """The contract kind a heading names; None if it names none."""
    found = kind_cue(heading)
    return found[0] if found else None
