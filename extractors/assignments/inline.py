"""Duties stated in a sentence anywhere in the plan: the agency before a lead verb ('Giao Công an
tỉnh chủ trì, phối hợp với …', 'Sở Y tế có trách nhiệm …')."""
from __future__ import annotations

from functools import cache

import regex

from kehoach.extractors.assignments.names import (MAX_COLLECTIVE_LEAD_WORDS, _PREAMBLE_CLAUSE, _agency_like,
    _cat, _coordinating, _inline_verbs, _parties, _strip_marker, _task)
from kehoach.extractors.assignments.paragraphs import _from_line
from kehoach.models.records import Assignment, Section
from kehoach.models.sections import innermost
from kehoach.normalizers import components as comp
from kehoach.normalizers.agencies import matcher
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import alternation, fold, match_key


@cache
def _introducer() -> regex.Pattern:
    return regex.compile(rf"(?<!\w)(?:{alternation(_cat()['lead_introducers'])})\s+", regex.IGNORECASE)


_CLAUSE_OPEN = regex.compile(r"(?:^|[.;:]\s+|,\s+(?=(?:các|Các|UBND|Ủy ban|Sở|Phòng|Ban)\b))")
SKIP_KINDS = {"preamble", "results_review", "context"}


def _inline(nt: NormText, sections: list[Section], sec_comp) -> list[Assignment]:
    """Duties stated in a sentence: the agency before a lead verb ('X chủ trì', 'X có trách nhiệm')."""
    out: list[Assignment] = []
    by_id = {s.id: s for s in sections}
    for p in nt.paragraphs:
        sec = innermost(sections, p.start)
        if sec is None or sec.kind in SKIP_KINDS or p.table_cell:
            continue
        text = nt.text[p.start:p.end]
        key = match_key(text)
        labelled = innermost(sections, p.start, labelled=True)
        if (labelled is not None and labelled.kind == "organization" and p.start > labelled.span[0]
                and (labelled.parent is None or by_id[labelled.parent].kind != "organization")):
            # an item directly under the organisation section that is a sentence, not an agency's
            # heading: '1. Trên cơ sở Kế hoạch, các sở, ban, ngành … thành lập …' — its agency leads
            off, body = _strip_marker(text)
            if off:
                out.extend(_from_line(nt, p.start + off, body, sec_comp.get(labelled.id), labelled.id))
        for m in _inline_verbs().finditer(key):
            start = _lead_start(text, m.start())
            if start is None:
                continue
            lead_text = text[start:m.start()].strip(" ,")
            clause_end = regex.search(r"[.;](?:\s|$)|$", text[m.end():]).start() + m.end()
            rest = text[m.start():clause_end]
            found = matcher().find(lead_text)
            whole = found[0].name if found and found[0].start == 0 and found[0].end >= len(lead_text) - 1 else None
            labelled = innermost(sections, p.start, labelled=True)
            context = sec_comp.get(labelled.id) if labelled else None
            named = comp.components_named(text[:clause_end], context)
            component = named[-1] if named else context
            for lead in _parties(lead_text, whole):
                out.append(Assignment(component=component.label() if component else None, task=_task(rest),
                                      lead=lead, coordinating=_coordinating(rest),
                                      section=(labelled or sec).id, span=(p.start + start, p.start + clause_end),
                                      page=nt.page_at(p.start + start)))
    return out


def _lead_start(text: str, verb_at: int) -> int | None:
    """Where the agency before a lead verb starts, or None when no agency stands there."""
    starts = [0] + [m.end() for m in _CLAUSE_OPEN.finditer(text, 0, verb_at)]
    # 'Thủ trưởng các sở …; Chủ tịch UBND các huyện … có trách nhiệm': parties listed with ';'
    # before one verb share it — the list runs back over the clauses that are names alone
    k = len(starts) - 1
    while k >= 1 and text[:starts[k]].rstrip().endswith(";"):
        before = text[starts[k - 1]:starts[k]].strip(" ;")
        if not before or len(before.split()) > MAX_COLLECTIVE_LEAD_WORDS or not _agency_like(_strip_marker(before)[1]):
            break
        k -= 1
    start = starts[k]
    off, _ = _strip_marker(text[start:verb_at])
    start += off
    pre = _PREAMBLE_CLAUSE.match(text, start, verb_at)
    if pre:
        start = pre.end()
    intro = [m.end() for m in _introducer().finditer(text, start, verb_at)]
    if intro:
        start = intro[-1]
    phrase = text[start:verb_at].strip(" ,")
    if not phrase or len(phrase.split()) > MAX_COLLECTIVE_LEAD_WORDS or not _agency_like(phrase):
        return None
    # 'các cơ quan chủ trì các dự án', 'đơn vị chủ trì': the role as a noun, not a duty given
    if regex.search(r"(?:co quan|don vi)$", fold(phrase).lower()):
        return None
    return start + (len(text[start:verb_at]) - len(text[start:verb_at].lstrip(" ,")))
