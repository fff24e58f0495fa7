"""The section tree as data: which sections hold a position, and parent chains.

Every extractor asks the same two questions of the tree the segmenter built — which sections
hold this position, and which is the innermost — so they are answered here, once.
"""
from __future__ import annotations

from typing import Optional

from kehoach.models.records import Section


def enclosing(sections: list[Section], pos: int) -> list[Section]:
    """The sections around position ``pos``, deepest first (a section of no length holds its start)."""
    chain = [s for s in sections if s.span[0] <= pos < max(s.span[1], s.span[0] + 1)]
    return sorted(chain, key=lambda s: -s.level)


def innermost(sections: list[Section], pos: int, labelled: bool = False) -> Optional[Section]:
    """The deepest section holding ``pos``; with ``labelled``, the deepest that has a number."""
    return next((s for s in enclosing(sections, pos) if not labelled or s.label is not None), None)


def descends(node, ancestor) -> bool:  # noqa: ANN001
    """Is ``ancestor`` on the chain of ``.parent`` links above ``node``? (sections, amounts)"""
    p = node.parent
    while p is not None:
        if p is ancestor:
            return True
        p = p.parent
    return False
