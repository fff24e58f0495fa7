"""What a mention's money is: a 'budget' to spend, a 'target' to reach, a 'reported' result, or
'other' (revenue, prices, penalties): by the cues of its own words and sentence, then the kind of
the sections around it. A table cell's neighbours in its paragraph are other cells, not its
sentence, so its row and column speak for it."""
from __future__ import annotations

from functools import cache

import regex

from kehoach.catalogs import load
from kehoach.normalizers.text import fold, match_key

from .records import Found, Setting, Shape


@cache
def _kinds() -> dict[str, list[str]]:
    return load("money")["kinds"]


def kinds(mentions: list[Found], shapes: list[Shape], settings: list[Setting]) -> list[str]:
    return [_kind(m, shape, setting) for m, shape, setting in zip(mentions, shapes, settings)]


def _kind(m: Found, shape: Shape, setting: Setting) -> str:
    if m.table and m.revenue:
        return "other"  # revenue is money coming in, neither spent nor allocated
    kind = _by_cues(shape.own_words + " " + ("" if m.table else setting.sentence), setting)
    if m.table and kind == "budget" and _reporting_column(m.column_path):
        return "reported"  # the 'Ước thực hiện' column beside the estimates
    return kind


def _by_cues(words: str, setting: Setting) -> str:
    key = match_key(words)
    kinds = _kinds()
    for kind in ("other", "target", "reported"):
        if any(regex.search(rf"(?<!\w){regex.escape(cue)}(?!\w)", key) for cue in kinds[kind]):
            return kind
    section_kinds = [s.kind for s in setting.chain]
    if "results_review" in section_kinds:
        return "reported"
    if any(k in ("objectives", "expected_results") for k in section_kinds):
        return "target"
    return "budget"


def _reporting_column(path: str | None) -> bool:
    """A table column of money already spent: its lowest header says so ('Ước thực hiện',
    'Đánh giá thực hiện'), the header a target table takes its baseline from."""
    leaf = fold((path or "").split(" > ")[-1])
    return any(regex.search(rf"(?<![a-z]){regex.escape(c)}(?![a-z])", leaf) for c in load("tables")["baseline_cues"])
