"""Assignments from sections that assign work agency by agency: the organisation section ('TỔ
CHỨC THỰC HIỆN' then '1. Sở Tài chính', '2. …') and any section whose items are agencies; an
agency's item is one assignment per component it names, its duties summed up in ``task``."""
from __future__ import annotations

import regex

from kehoach.extractors.assignments.names import (_agency_like, _strip_marker, _coordinating, _lead_phrase, _named_agency,
    _parties, _strip_request, _task, not_a_body)
from kehoach.models.records import Assignment, Section
from kehoach.normalizers import components as comp
from kehoach.normalizers.agencies import matcher
from kehoach.normalizers.offsets import NormText


def _section_text(nt: NormText, s: Section, stop_at: list[Section]) -> str:
    end = min([c.span[0] for c in stop_at if s.span[0] < c.span[0] < s.span[1]] + [s.span[1]])
    return nt.text[s.span[0]:end]


def _children(sections: list[Section], parent: Section) -> list[Section]:
    return [s for s in sections if s.parent == parent.id]


def _agency_sections(sections: list[Section]) -> list[Section]:
    """Sections that assign work agency by agency: the organisation section, and any section
    most of whose items are agencies ('II. NỘI DUNG THỰC HIỆN' then '1. Sở Y tế', '2. Sở Tài
    chính' …)."""
    by_id = {s.id: s for s in sections}
    out = []
    for s in sections:
        if s.parent and by_id[s.parent].kind == "organization":
            continue
        if s.kind == "organization" and (not s.parent or by_id[s.parent].kind != "organization"):
            out.append(s)
            continue
        kids = _children(sections, s)
        agencies = sum(_named_agency(_strip_request(k.heading or "")) and len((k.heading or "").split()) <= 20
                       for k in kids)
        if len(kids) >= 2 and agencies >= AGENCY_ITEMS_SHARE * len(kids) and not any(
                o.span[0] <= s.span[0] < o.span[1] for o in out):
            out.append(s)
    return out
AGENCY_ITEMS_SHARE = 0.6


def _top(s: Section, by_id: dict[str, Section]) -> Section:
    while s.parent and by_id[s.parent].kind != "part":
        s = by_id[s.parent]
    return s


def _org_item(nt: NormText, sections: list[Section], item: Section, sec_comp,
              top: bool = True) -> tuple[list[Assignment], list[Assignment]]:
    heading = _strip_request(item.heading or "")
    kids = [k for k in _children(sections, item) if _agency_like(_strip_request(k.heading or ""))]
    own: list[Assignment] = []
    if (top and not not_a_body(heading)) or _agency_like(heading):
        text = _section_text(nt, item, kids)
        found = matcher().find(heading)
        tail = heading[found[0].end:].strip(" .:") if found and found[0].start == 0 else ""
        phrase = _lead_phrase(heading)
        # a heading cut at ';' leaves a joint lead's second party in the text ('1. Thủ trưởng các
        # sở, ban, ngành …; Chủ tịch UBND các huyện, thành phố căn cứ chức năng …')
        line = _strip_marker(text.split("\n", 1)[0])[1]
        if line.startswith(heading) and line[len(heading):].lstrip().startswith(";"):
            phrase = _lead_phrase(line)
        leads = _parties(phrase, found[0].name if found and found[0].start == 0
                         and not tail.startswith(("và", "các")) else None)
        at = text.find(item.heading) if item.heading else -1
        body = text[at + len(item.heading):] if at >= 0 else text
        body = regex.sub(r"^\s*[:.]?\s*", "", body)
        context = sec_comp.get(item.parent) if item.parent else None
        named = comp.components_named(text, context if context and context.project else None)
        if body.strip():
            task = _task(body.split("\n", 1)[0])
        else:  # '1. Sở Tài chính chủ trì, phối hợp với … tham mưu bố trí kinh phí.': the duty is in the heading
            phrase = _lead_phrase(heading)
            task = _task(heading[len(phrase):]) if len(phrase) < len(heading) else None
        coord = _coordinating(text)
        span = (item.span[0], item.span[0] + len(text.rstrip()))
        for c in named or [None]:
            for lead in leads:
                own.append(Assignment(component=c.label() if c else None, task=task, lead=lead,
                                      coordinating=coord, section=item.id, span=span,
                                      page=nt.page_at(item.span[0])))
    subs: list[Assignment] = []
    for k in kids:
        k_own, k_subs = _org_item(nt, sections, k, sec_comp, top=False)
        subs.extend(k_own + k_subs)
    return own, subs
