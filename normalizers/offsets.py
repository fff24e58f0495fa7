"""The normalised text every extractor reads, and its way back to the source.

Normalisation joins wrapped lines, folds runs of spaces and drops markup, so offsets move.
The builder records, for every run of characters copied from the source, where the run
started on both sides; a position in the normalised text maps back by bisection.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from kehoach.normalizers.text import fold, match_key
from kehoach.models.records import Paragraph


class TextBuilder:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self.norm_starts: list[int] = []
        self.src_starts: list[int] = []

    def __len__(self) -> int:
        return self._len

    def add(self, piece: str, src_start: int | None) -> None:
        """Append ``piece``; ``src_start`` is where it begins in the source (None: inserted)."""
        if not piece:
            return
        if src_start is not None:
            self.norm_starts.append(self._len)
            self.src_starts.append(src_start)
        self._parts.append(piece)
        self._len += len(piece)

    def text(self) -> str:
        return "".join(self._parts)


@dataclass
class NormText:
    text: str
    norm_starts: list[int]
    src_starts: list[int]
    page_starts: list[int]  # source offsets where pages start
    paged: bool
    paragraphs: list[Paragraph] = field(default_factory=list)

    @cached_property
    def key(self) -> str:
        """Lower case, traditional tone style; same length as ``text``."""
        return match_key(self.text)

    @cached_property
    def folded(self) -> str:
        """Lower case without diacritics; same length as ``text``."""
        return fold(self.text)

    def to_source(self, pos: int) -> int:
        i = bisect_right(self.norm_starts, pos) - 1
        if i < 0:
            return 0
        return self.src_starts[i] + (pos - self.norm_starts[i])

    def from_source(self, src: int) -> int:
        """The normalised position of source offset ``src`` (the nearest copied run before it)."""
        i = bisect_right(self.src_starts, src) - 1
        if i < 0:
            return 0
        return min(self.norm_starts[i] + (src - self.src_starts[i]),
                   self.norm_starts[i + 1] if i + 1 < len(self.norm_starts) else len(self.text))

    def page_at(self, pos: int) -> int | None:
        """1-based page of the normalised position ``pos``, None for unpaged sources."""
        if not self.paged:
            return None
        return bisect_right(self.page_starts, self.to_source(pos))

    def pages_of(self, start: int, end: int) -> list[int]:
        if not self.paged:
            return []
        first, last = self.page_at(start), self.page_at(max(start, end - 1))
        return list(range(first, last + 1))

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def paragraph_index_at(self, pos: int) -> int:
        return max(0, bisect_right(self._paragraph_starts, pos) - 1)
