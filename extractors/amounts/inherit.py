"""Deciding an attribute total first: a part without a word of its own takes its total's."""
from __future__ import annotations

from typing import Callable, TypeVar

from .records import Found, Setting, Shape

T = TypeVar("T")


def parent_first(mentions: list[Found], shapes: list[Shape], settings: list[Setting],
                 decide: Callable[[Found, Shape, Setting, T | None], T]) -> list[T]:
    """``decide`` for each mention in text order, handed what it decided for the mention's total
    (None when it has none, or when the total comes later in the text, as a total rarely does)."""
    decided: dict[Found, T] = {}
    for m, shape, setting in zip(mentions, shapes, settings):
        decided[m] = decide(m, shape, setting, decided.get(shape.parent))
    return [decided[m] for m in mentions]
