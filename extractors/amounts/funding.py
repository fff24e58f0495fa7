"""Where a mention's money comes from: its funding source ('Ngân sách trung ương') and capital
type ('vốn sự nghiệp'), nearest first: its table column or its own words, then the total it is
part of, then the headings above it. A total whose parts name different sources is a total over
sources; a total whose parts name different capital types has none of its own.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from kehoach.models.records import Section
from kehoach.normalizers.funding import capital_cue, funding_cue

from .inherit import parent_first
from .records import Found, Funding, Setting, Shape

_NONE = Funding()


def funding(mentions: list[Found], shapes: list[Shape], settings: list[Setting]) -> list[Funding]:
    decided = dict(zip(mentions, parent_first(mentions, shapes, settings, _nearest)))
    # in text order, each total reading its parts as this pass has left them so far
    for m, shape in zip(mentions, shapes):
        decided[m] = _over_parts(decided[m], shape, decided)
    return [decided[m] for m in mentions]


def _nearest(m: Found, shape: Shape, setting: Setting, parent: Funding | None) -> Funding:
    parent = parent or _NONE
    if m.revenue:
        # revenue is money coming in: 'doanh nghiệp', 'đầu tư' in a tax's name say who pays,
        # not what funds what
        return _NONE
    own = m.column[0] or funding_cue(shape.own_words)
    source = own
    capital = m.column[1] or capital_cue(shape.own_words)
    if shape.parent is not None:
        if source is None and parent.source != "total":
            source = parent.source
        if capital is None:
            capital = parent.capital
    else:
        if source is None:
            source = _heading_cue(setting.chain, funding_cue)
        if capital is None:
            capital = _heading_cue(setting.chain, capital_cue)
    return Funding(source=source, capital=capital, own_source=own)


def _over_parts(f: Funding, shape: Shape, decided: dict[Found, Funding]) -> Funding:
    for _, group in shape.groups:
        sources = {decided[x].source for x in group if decided[x].source and decided[x].source != "total"}
        if len(sources) >= 2 and f.own_source is None:
            f = replace(f, source="total")
            break
    if f.capital is not None and any(len({decided[x].capital for x in g} - {None}) >= 2 for _, g in shape.groups):
        f = replace(f, capital=None)
    return f


def _heading_cue(chain: tuple[Section, ...], fn: Callable[[str], str | None]) -> str | None:
    for s in chain:
        if s.kind == "part":
            continue
        found = fn(s.heading or "")
        if found:
            return found
    return None
