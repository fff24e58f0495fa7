"""Vietnamese words and their parts of speech, from underthesea's CRF tagger (bundled in its wheel).

Where a name ends is where a verb or an adverb begins: 'phối hợp với Văn phòng UBND tỉnh khẩn
trương hoàn thiện …' names one partner, 'Văn phòng UBND tỉnh'. The tagger reads a few hundred
words a second (~1–2 ms a clause), so it runs only on the clauses that carry assignments; its
model loads once per process, on first use.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# Tags (VLSP 2013) that end a name: verbs, adverbs, prepositions, subordinating conjunctions.
NAME_ENDS = frozenset({"V", "R", "E", "Cc", "X"})


@dataclass(frozen=True)
class Word:
    text: str
    tag: str
    start: int
    end: int


@cache
def _tagger():  # noqa: ANN202
    from underthesea import pos_tag

    return pos_tag


def words(text: str) -> list[Word]:
    """The words of ``text`` (underthesea's segmentation) with their tags and character spans."""
    out, pos = [], 0
    for token, tag in _tagger()(text):
        at = text.find(token, pos)
        if at < 0:  # the tagger normalised the token: place it after the previous one
            at = pos
        out.append(Word(token, tag, at, at + len(token)))
        pos = at + len(token)
    return out
