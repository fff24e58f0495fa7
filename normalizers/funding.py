"""Funding sources and capital types named in a phrase, from the money catalog's cues.

'vốn ngân sách Trung ương' → NSTW, 'vốn đầu tư phát triển' → ĐTPT: the cues live in
``catalogs/money.json``. The last cue in the phrase wins — the one nearest the amount — unless
an earlier one is introduced as the origin of the money ('từ nguồn …').
"""
from __future__ import annotations

from functools import cache

import regex

from kehoach.catalogs import load
from kehoach.normalizers.text import fold, last_cue


_FIELDS = {"funding_sources": "source", "capital_types": "type"}


@cache
def _cue_table(key: str) -> dict[str, list[str]]:
    """value → its cues (folded), for 'funding_sources' or 'capital_types'."""
    out: dict[str, list[str]] = {}
    for entry in load("money")[key]:
        out.setdefault(entry[_FIELDS[key]], []).extend(entry["cues"])
    return out


def cue_positions(folded: str, key: str) -> list[tuple[int, str]]:
    """(position, value) of every cue of the table ``key`` in a folded text, as whole words."""
    return [(m.start(), value) for value, cues in _cue_table(key).items() for cue in cues
            for m in regex.finditer(rf"(?<![a-z]){regex.escape(cue)}(?![a-z])", folded)]


# 'từ nguồn vốn X', 'bố trí từ X': the source the money comes from, not a comparison with X
_FROM_SOURCE = regex.compile(r"(?:\btu|\bnguon|\bbo tri tu)\s+(?:von\s+|nguon\s+)?$")


def funding_cue(text: str) -> str | None:
    return last_cue(fold(text), _cue_table("funding_sources"), _FROM_SOURCE)


def capital_cue(text: str) -> str | None:
    return last_cue(fold(text), _cue_table("capital_types"), _FROM_SOURCE)


