"""Assignments from lines that open with their lead: the assignment paragraphs of a component
('e) Phân công thực hiện', 'Đơn vị thực hiện: Phòng … chủ trì …') and the labelled lines under a
task ('Đơn vị chủ trì thực hiện: … / Đơn vị phối hợp: … / Thời gian thực hiện: …')."""
from __future__ import annotations

from functools import cache

import regex

from kehoach.extractors.assignments.names import (LEAD_WINDOW, MAX_COLLECTIVE_LEAD_WORDS, RUNIN_LEAD_CHARS,
    _agency_like, _cat, _coordinating, _heads, _lead_names, _lead_phrase, _names_end, _parties,
    _split_agencies, _strip_marker, _strip_request, _task, _with_partners)
from kehoach.models.records import Assignment, Section
from kehoach.models.sections import innermost
from kehoach.normalizers import components as comp
from kehoach.normalizers.agencies import canonical_name, matcher, split_parties
from kehoach.normalizers.deadlines import normalize_deadline
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import alternation, match_key


def _is_assignment_heading(text: str) -> str | None:
    key = match_key(text)
    return next((h for h in (match_key(x) for x in _cat()["assignment_headings"]) if key.startswith(h)), None)
MAX_ROLE_LABEL_EXTRA_WORDS = 3  # 'Đơn vị chủ trì tham mưu thực hiện:' — words between the label and its colon
BLOCK_LINES = 4  # a lead line's partner, deadline and product lines follow within this many lines


@cache
def _role_label() -> regex.Pattern:
    roles = _cat()["role_labels"]
    alts = "|".join(f"(?P<{role}>{alternation(words)})"
                    for role, words in roles.items())
    return regex.compile(rf"^(?:{alts})(?P<extra>(?:\s+\w+){{0,{MAX_ROLE_LABEL_EXTRA_WORDS}}})\s*:\s*")


def _role_line(text: str) -> tuple[str, str] | None:
    """('lead'|'coordinating'|'deadline'|'output', what follows the label) of a labelled line."""
    off, body = _strip_marker(text)
    m = _role_label().match(match_key(body))
    if not m:
        return None
    role = next(r for r in ("lead", "coordinating", "deadline", "output") if m.group(r))
    rest = body[m.end():].strip().rstrip(".;")
    if role == "lead" and regex.search(r"(?<!\w)(?:chủ trì|phối hợp)(?!\w)", match_key(rest)):
        return None  # 'Đơn vị thực hiện: Phòng … chủ trì phối hợp với …' is a sentence, read as one
    return role, rest


def _labelled_blocks(nt: NormText, sections: list[Section], sec_comp) -> list[Assignment]:
    """Duties whose parties stand on labelled lines under the task ('Đơn vị chủ trì thực hiện:
    Các Sở, ngành, đơn vị, UBND cấp xã.' then 'Đơn vị phối hợp: …', 'Thời gian thực hiện: …'):
    one assignment per lead, the task being the section the lines close."""
    out: list[Assignment] = []
    paras = nt.paragraphs
    for i, p in enumerate(paras):
        found = _role_line(nt.text[p.start:p.end])
        if not found or found[0] != "lead" or not found[1]:
            continue
        leads = [x for x in split_parties(found[1]) if _agency_like(x)]
        if not leads:
            continue
        extra: dict[str, str] = {}
        for q in paras[i + 1:i + 1 + BLOCK_LINES]:
            more = _role_line(nt.text[q.start:q.end])
            if not more or more[0] == "lead":
                break
            extra.setdefault(more[0], more[1])
        sec = innermost(sections, p.start, labelled=True)
        context = sec_comp.get(sec.id) if sec else None
        when = extra.get("deadline") or None
        at = p.start + nt.text[p.start:p.end].find(found[1])
        for lead in leads:
            out.append(Assignment(component=context.label() if context else None,
                                  task=_task(sec.heading or "") if sec else None, lead=canonical_name(lead),
                                  coordinating=_split_agencies(extra.get("coordinating", "")),
                                  section=sec.id if sec else None, span=(at, at + len(found[1])),
                                  page=nt.page_at(at), deadline=when, deadline_normalized=normalize_deadline(when),
                                  output=extra.get("output") or None))
    return out


def _assignment_paragraphs(nt: NormText, s: Section, context) -> list[Assignment]:
    out = []
    # run-in: 'd) Tổ chức thực hiện: Sở Y tế chủ trì, phối hợp với …'
    if s.heading_span:
        first_para_end = nt.text.find("\n", s.heading_span[1])
        first_para_end = len(nt.text) if first_para_end < 0 else first_para_end
        rest = nt.text[s.heading_span[1]:first_para_end]
        m = regex.match(r"\s*:\s*", rest)
        if m and rest[m.end():].strip():
            out.extend(_from_line(nt, s.heading_span[1] + m.end(), rest[m.end():], context, s.id))
    start = nt.text.find("\n", s.span[0])
    if start < 0 or start >= s.span[1]:
        return out
    pos = start + 1
    for line in nt.text[start + 1:s.span[1]].split("\n"):
        off, body = _strip_marker(line)
        out.extend(_from_line(nt, pos + off, body, context, s.id))
        pos += len(line) + 1
    return out


def _from_line(nt: NormText, pos: int, body: str, context, section_id: str) -> list[Assignment]:
    """Assignments of one line that opens with its lead agency."""
    body = _strip_request(body)
    key = match_key(body)
    leads: list[str] = []
    rest = body
    colon = body.find(":")
    verbs = _cat()["lead_verbs"]
    verb_at = min([m.start() for v in verbs for m in [regex.search(rf"(?<!\w){regex.escape(v)}(?!\w)", key)] if m]
                  + [len(body)])
    found = matcher().find(body[:LEAD_WINDOW])
    if 0 < colon < min(verb_at, RUNIN_LEAD_CHARS) and _agency_like(body[:colon]):
        leads = _lead_names(body[:colon])
        rest = body[colon + 1:]
    elif verb_at < len(body) and verb_at > 0 and _agency_like(body[:verb_at]):
        lead_text = body[:verb_at].strip(" ,;")
        lead_text = lead_text[:_names_end(lead_text[:LEAD_WINDOW])].strip(" ,;") or lead_text
        whole = found and found[0].start == 0 and found[0].end >= len(lead_text) - 1
        leads = _parties(lead_text, found[0].name if whole else None)
        rest = body[verb_at:]
    elif found and found[0].start == 0:
        # 'UBND các xã, thị trấn tổ chức triển khai …': a known agency opening the line leads;
        # 'Ủy ban MTTQ tỉnh và các Đoàn thể tỉnh …' with its partners
        # ('UBND các xã, phường tăng cường …': the name runs on past what the catalog matched)
        end = max(found[0].end, _names_end(body[:LEAD_WINDOW]))
        joined = _with_partners(body, body[:end].rstrip(" ,;"))
        leads = [found[0].name] if len(joined) == found[0].end else _parties(joined)
        rest = body[len(joined):]
    elif _heads().match(key):
        # 'Các phòng, ban, ngành là thành viên Ban Chỉ đạo … theo chức năng, nhiệm vụ …'
        phrase = _lead_phrase(body)
        if len(phrase.split()) <= MAX_COLLECTIVE_LEAD_WORDS and phrase != body.strip(" ,;:."):
            leads = _parties(phrase)
            rest = body[len(phrase):]
    if not leads:
        return []
    coord = _coordinating(rest)
    names = comp.components_named(body, context)
    component = names[-1] if names else context
    return [Assignment(component=component.label() if component else None, task=_task(rest),
                       lead=lead, coordinating=coord, section=section_id,
                       span=(pos, pos + len(body)), page=nt.page_at(pos)) for lead in leads]
