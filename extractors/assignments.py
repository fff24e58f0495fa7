"""Who does what: lead ('chủ trì') and coordinating ('phối hợp') agencies per component or task.

Three sources, as plans write them: the agency items of the organisation section ('2. Sở Kế
hoạch và Đầu tư' — one assignment per component the item names, or one with its first task
when it names none), the assignment paragraphs inside a component ('e) Phân công thực hiện',
'Đơn vị thực hiện: Phòng … chủ trì phối hợp với …'), and lines that open with an agency and a
colon or 'chủ trì' under such a heading. The same (component, lead) is kept once.
"""
from __future__ import annotations

from functools import cache

import regex

from kehoach.normalizers import components as comp
from kehoach.normalizers import pos
from kehoach.normalizers.agencies import canonical_name, catalog_id, matcher, split_parties
from kehoach.normalizers.deadlines import deadline_phrase, normalize_deadline
from kehoach.normalizers.layout import MARKER
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import fold, match_key
from kehoach.catalogs import load
from kehoach.models.records import Assignment, Section
from kehoach.models.sections import innermost
from kehoach.normalizers.components import section_components
from kehoach.extractors.context import Component, Document

MAX_TASK_WORDS = 40
# A line's lead agency stands at its start: the agency matcher looks no further than this …
LEAD_WINDOW = 200
# … a run-in lead ('Sở Tài chính: chủ trì …') ends at a colon no further in than this (the longest
# agency list the seeds and corpus put before a colon is ~180 characters) …
RUNIN_LEAD_CHARS = 240
# … and a collective lead named by its head word alone ('Các phòng, ban, ngành là thành viên …')
# is a phrase of at most this many words; a longer one is a sentence, not a name
MAX_COLLECTIVE_LEAD_WORDS = 25


@cache
def _cat() -> dict:
    return load("assignments")


@cache
def _heads() -> regex.Pattern:
    heads = sorted(_cat()["agency_heads"], key=len, reverse=True)
    return regex.compile(rf"^(?:{'|'.join(map(regex.escape, heads))})(?!\w)", regex.IGNORECASE)


def _strip_marker(text: str) -> tuple[int, str]:
    m = MARKER.match(text)
    if m:
        rest = text[m.end():]
        off = m.end() + len(rest) - len(rest.lstrip())
        rest = rest.lstrip()
        m2 = regex.match(r"^[+\-]\s+", rest)  # '- + Ngân sách …'
        if m2:
            off += m2.end()
            rest = rest[m2.end():]
        return off, rest
    return 0, text


def _strip_request(text: str) -> str:
    """The text without what stands before the agency: 'Đề nghị …', 'Căn cứ Kế hoạch này, …'."""
    pre = _PREAMBLE_CLAUSE.match(text)
    if pre and _agency_like(text[pre.end():].split(" chủ trì")[0][:LEAD_WINDOW]):
        text = text[pre.end():]
    key = match_key(text)
    for p in sorted(_cat()["request_prefixes"], key=len, reverse=True):
        if key.startswith(p + " "):
            return text[len(p) + 1:].lstrip()
    return text


def _agency_like(text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    found = matcher().find(text)
    return bool(found and found[0].start == 0) or bool(_heads().match(match_key(text)))


def _parties(lead_text: str, whole: str | None = None) -> list[str]:
    """The canonical names of the parties a lead phrase names: one, or each of a joint lead
    ('Sở Tài chính và Ủy ban nhân dân các xã, phường'); ``whole`` is the catalog's name when
    the phrase is exactly one known agency."""
    parts = split_parties(lead_text)
    if len(parts) > 1:
        return [canonical_name(x) for x in parts]
    return [whole or canonical_name(lead_text)]


def _lead_names(text: str) -> list[str]:
    """Names of the agencies that open ``text`` ('UBND các xã, thị trấn; các cơ sở …')."""
    out = []
    for part in regex.split(r"\s*;\s*", text):
        part = part.strip(" ,.-")
        if part and _agency_like(part):
            out.extend(_parties(part))
    return out


@cache
def _verb_stop() -> regex.Pattern:
    words = sorted(_cat()["coordination_stops"] + _cat()["lead_verbs"] + ["phối hợp"], key=len, reverse=True)
    # 'tổ chức' is a verb, but 'các tổ chức chính trị - xã hội' are agencies
    return regex.compile(rf"\s(?:{'|'.join(map(regex.escape, words))})(?!\w)(?!\s+(?:chính trị|đoàn thể|xã hội|hội))")


def _lead_phrase(text: str) -> str:
    """The agency a line opens with, up to the first verb of its task (a listed verb, or the
    first word the tagger calls a verb outside a name the catalog knows)."""
    key = match_key(text)
    m = _verb_stop().search(key)
    phrase = text[:m.start()] if m and len(key[:m.start()].split()) >= 2 else text
    phrase = _with_partners(text, phrase[:_names_end(phrase[:LEAD_WINDOW])] or phrase)
    return phrase.strip(" ,;:.")


def _with_partners(text: str, phrase: str) -> str:
    """'Ủy ban MTTQ tỉnh và các đoàn thể tỉnh …': a collective joined by 'và' is one party."""
    rest = text[len(phrase):]
    m = regex.match(r"\s*và\s+(?=(?:các\s+)?\p{L})", rest)
    if not m:
        return phrase
    tail = rest[m.end():]
    more = tail[:_names_end(tail[:LEAD_WINDOW])]
    return phrase + rest[:m.end()] + more if more.strip() and _agency_like(more) else phrase


def _coordinating(text: str) -> list[str]:
    """The partners after 'phối hợp (chặt chẽ) với': the list ends where its verb begins."""
    key = match_key(text)
    m = regex.search(r"phối hợp(?:\s+chặt chẽ)?(?:\s+với|\s+cùng)?\s+", key)
    if not m:
        return []
    hard = regex.search(r"[;:.(]|$", key[m.end():])
    span_text = text[m.end():m.end() + hard.start()]
    span_text = span_text[:_names_end(span_text)]
    if not span_text.strip():
        return []
    protected = [(a.start, a.end) for a in matcher().find(span_text)]
    pieces, last = [], 0
    for sm in regex.finditer(r"\s+và\s+|,\s+(?=(?:UBND|Ủy ban|Uỷ ban|Phòng|Sở|Trung tâm|Văn phòng|Ban|các|Hội|Đoàn)\b)",
                             span_text):
        if any(a < sm.start() < b for a, b in protected):
            continue
        pieces.append(span_text[last:sm.start()])
        last = sm.end()
    pieces.append(span_text[last:])
    return [canonical_name(p) for p in (x.strip(" ,.") for x in pieces) if p]


def _names_end(text: str) -> int:
    """Where a list of agency names stops: the first verb, adverb or preposition outside a name
    the catalog knows ('Văn phòng UBND tỉnh | khẩn trương …', 'các sở, ngành | triển khai …')."""
    protected = [(a.start, a.end) for a in matcher().find(text)]
    key = match_key(text)
    allowed = [(m.start(), m.end()) for w in _cat()["party_modifiers"]
               for m in regex.finditer(rf"(?<!\w){regex.escape(w)}(?!\w)", key)]
    stops = {m.start() for m in _name_stops().finditer(key)}
    seen_name = False
    for w in pos.words(text):
        inside = any(a <= w.start < b for a, b in protected + allowed)
        # a word written with its capital continues a proper name ('Ban Quản lý …', 'Ban Chỉ đạo')
        proper = seen_name and w.text[:1].isupper()
        if seen_name and not inside and not proper and (w.tag in pos.NAME_ENDS or w.start in stops):
            return w.start
        seen_name = seen_name or inside or w.tag.startswith("N") or w.text[:1].isupper()
    return len(text)


@cache
def _name_stops() -> regex.Pattern:
    words = sorted(_cat()["coordination_stops"] + _cat()["lead_verbs"] + ["phối hợp"], key=len, reverse=True)
    # 'tổ chức' is a verb, but 'các tổ chức chính trị - xã hội' are parties
    return regex.compile(rf"(?<!\w)(?<!các\s)(?<!những\s)(?:{'|'.join(map(regex.escape, words))})(?!\w)"
                         r"(?!\s+(?:chính trị|đoàn thể|xã hội|hội|thành viên|có liên quan|liên quan|cá nhân))")


def _task(text: str) -> str | None:
    """The duty itself: the first sentence, without the role words before it ('chủ trì, phối hợp
    với Sở X tham mưu …' → 'tham mưu …')."""
    text = _without_roles(text.strip(" :.-"))
    if not text:
        return None
    first = regex.split(r"(?<=[.;])\s", text, maxsplit=1)[0].rstrip(";.")
    words = first.split()
    return " ".join(words[:MAX_TASK_WORDS]) or None


def _without_roles(text: str) -> str:
    key = match_key(text)
    roles = "|".join(map(regex.escape, sorted(_cat()["inline_lead_verbs"], key=len, reverse=True)))
    m = regex.match(rf"(?:{roles})(?!\w)[\s,]*", key)
    if not m:
        return text
    rest_at = m.end()
    c = regex.match(r"phối hợp(?:\s+chặt chẽ)?(?:\s+với|\s+cùng)?\s+", key[rest_at:])
    if c:
        after = rest_at + c.end()
        hard = regex.search(r"[;:.(]|$", key[after:])
        rest_at = after + _names_end(text[after:after + hard.start()])
    return text[rest_at:].strip(" ,:.-") or text


def _section_text(nt: NormText, s: Section, stop_at: list[Section]) -> str:
    end = min([c.span[0] for c in stop_at if s.span[0] < c.span[0] < s.span[1]] + [s.span[1]])
    return nt.text[s.span[0]:end]


def _children(sections: list[Section], parent: Section) -> list[Section]:
    return [s for s in sections if s.parent == parent.id]


def _is_assignment_heading(text: str) -> str | None:
    key = match_key(text)
    return next((h for h in (match_key(x) for x in _cat()["assignment_headings"]) if key.startswith(h)), None)


def _split_agencies(text: str) -> list[str]:
    return [canonical_name(p) for p in (x.strip(" ,.;-") for x in regex.split(r"\s*[;\n]\s*|,\s+(?=\p{Lu})", text)) if p]


def _from_tables(nt: NormText, readings: list, sections: list[Section], sec_comp) -> list[Assignment]:
    """Task tables: one assignment per row and lead, with partners, deadline and product."""
    out: list[Assignment] = []
    for t in readings:
        if t.kind != "tasks":
            continue
        lead_col, coord_col = t.column("lead"), t.column("coordinating")
        task_col, when_col, output_col = t.column("label"), t.column("deadline"), t.column("output")
        for row in t.rows:
            lead_text = row.cells[lead_col.index].text
            if not lead_text.strip():
                continue
            placed = [c for c in row.cells if c.start >= 0]
            pos = min(c.start for c in placed) if placed else 0
            end = max(c.end for c in placed) if placed else 0
            sec = innermost(sections, pos, labelled=True)
            context = sec_comp.get(sec.id) if sec else None
            task = row.cells[task_col.index].text if task_col else None
            named = comp.components_named(" ".join(c.text for c in row.cells), context)
            component = named[-1] if named else context
            coord = _split_agencies(row.cells[coord_col.index].text) if coord_col else []
            when = row.cells[when_col.index].text.strip() or None if when_col else None
            product = row.cells[output_col.index].text.strip() or None if output_col else None
            for lead in _split_agencies(lead_text):
                out.append(Assignment(component=component.label() if component else None, task=_task(task or ""),
                                      lead=lead, coordinating=coord, section=sec.id if sec else None,
                                      span=(pos, end), page=nt.page_at(pos) if placed else t.page,
                                      deadline=when, deadline_normalized=normalize_deadline(when), output=product))
    return out


MAX_ROLE_LABEL_EXTRA_WORDS = 3  # 'Đơn vị chủ trì tham mưu thực hiện:' — words between the label and its colon
BLOCK_LINES = 4  # a lead line's partner, deadline and product lines follow within this many lines


@cache
def _role_label() -> regex.Pattern:
    roles = _cat()["role_labels"]
    alts = "|".join(f"(?P<{role}>{'|'.join(map(regex.escape, sorted(words, key=len, reverse=True)))})"
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


@cache
def _party_head() -> regex.Pattern:
    heads = sorted(_cat()["party_heads"], key=len, reverse=True)
    return regex.compile(rf"^(?:{'|'.join(map(regex.escape, heads))})(?![\p{{L}}])")


def _named_agency(text: str) -> bool:
    """A heading that names a body: one the catalog knows, or a head noun with its capital
    ('Sở, ban, ngành liên quan', 'Báo và Phát thanh, Truyền hình Cần Thơ'), not 'Các kết quả'."""
    text = text.strip()
    found = matcher().find(text)
    return bool(found and found[0].start == 0) or bool(_party_head().match(text))


def extract_assignments(nt: NormText, sections: list[Section], readings: list = ()) -> list[Assignment]:
    sec_comp = section_components(sections)
    by_id = {s.id: s for s in sections}
    inside: list[Assignment] = []
    # 1. assignment paragraphs inside components: 'e) Phân công thực hiện', 'đ) Tổ chức thực hiện: …'
    for s in sections:
        if s.label is None or _top(s, by_id).kind == "organization" or not _is_assignment_heading(s.heading or ""):
            continue
        inside.extend(_assignment_paragraphs(nt, s, sec_comp.get(s.id)))
    # … and 'Đơn vị thực hiện: Phòng … chủ trì …' as a plain paragraph
    heading_starts = {s.span[0] for s in sections}
    for p in nt.paragraphs:
        if p.start in heading_starts:
            continue
        if _role_line(nt.text[p.start:p.end]):
            continue  # a labelled lead line: read with its block below
        off, body = _strip_marker(nt.text[p.start:p.end])
        label = _is_assignment_heading(body)
        if label is None or not body[len(label):].lstrip().startswith(":"):
            continue
        sec = innermost(sections, p.start, labelled=True)
        if sec is None or _top(sec, by_id).kind == "organization":
            continue
        rest_at = body.index(":", len(label)) + 1
        rest_at += len(body[rest_at:]) - len(body[rest_at:].lstrip())  # the span starts at the lead
        inside.extend(_from_line(nt, p.start + off + rest_at, body[rest_at:], sec_comp.get(sec.id), sec.id))
    # 2. the organisation section: its agency items restate each agency's responsibilities and
    # are all kept; deeper agency items that repeat an assignment made inside a component are not
    top_items: list[Assignment] = []
    sub_items: list[Assignment] = []
    for org in _agency_sections(sections):
        for item in _children(sections, org):
            top, subs = _org_item(nt, sections, item, sec_comp)
            top_items.extend(top)
            sub_items.extend(subs)
    # 3. duties stated inline anywhere else: 'Giao Công an tỉnh chủ trì, phối hợp với …', and the
    # organisation section's items that are sentences, not agency headings
    tabled = _from_tables(nt, list(readings), sections, sec_comp)
    kept = _dedupe(inside + tabled + sub_items)
    # a task table gives one assignment per row and lead, however often a lead comes back
    kept += [a for a in tabled if not any(a is k for k in kept)]
    kept += [a for a in _labelled_blocks(nt, sections, sec_comp) if not any(_same_party(a, b) for b in kept)]
    tops = _dedupe_spans(top_items)  # an agency's items in two agency sections are two duties
    inline: list[Assignment] = []
    for a in _dedupe_spans(_inline(nt, sections, sec_comp)):
        # a duty stated inline is its own assignment, even when its agency also has an item in
        # the organisation section; the same words read twice are not
        if not any(_same_party(a, b) for b in tops + kept + inline):
            inline.append(a)
    out = sorted(kept + tops + inline, key=lambda a: a.span[0])
    for a in out:  # the catalog entry each party is, for the store and for users
        if a.deadline is None:
            a.deadline = deadline_phrase(a.task or "")
            a.deadline_normalized = normalize_deadline(a.deadline)
        a.lead_catalog_id = catalog_id(a.lead)
        a.coordinating_catalog_ids = [catalog_id(n) for n in a.coordinating]
    return out


@cache
def _inline_verbs() -> regex.Pattern:
    verbs = sorted(_cat()["inline_lead_verbs"], key=len, reverse=True)
    return regex.compile(rf"(?<!\w)(?:{'|'.join(map(regex.escape, verbs))})(?!\w)")


@cache
def _introducer() -> regex.Pattern:
    words = sorted(_cat()["lead_introducers"], key=len, reverse=True)
    return regex.compile(rf"(?<!\w)(?:{'|'.join(map(regex.escape, words))})\s+", regex.IGNORECASE)


_CLAUSE_OPEN = regex.compile(r"(?:^|[.;:]\s+|,\s+(?=(?:các|Các|UBND|Ủy ban|Sở|Phòng|Ban)\b))")
_PREAMBLE_CLAUSE = regex.compile(r"^(?:Căn cứ|Trên cơ sở|Theo|Để|Nhằm)\b[^,;]*,\s*")
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
    opens = [m.end() for m in _CLAUSE_OPEN.finditer(text, 0, verb_at)]
    start = opens[-1] if opens else 0
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


def _top(s: Section, by_id: dict[str, Section]) -> Section:
    while s.parent and by_id[s.parent].kind != "part":
        s = by_id[s.parent]
    return s


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


def _org_item(nt: NormText, sections: list[Section], item: Section, sec_comp,
              top: bool = True) -> tuple[list[Assignment], list[Assignment]]:
    heading = _strip_request(item.heading or "")
    kids = [k for k in _children(sections, item) if _agency_like(_strip_request(k.heading or ""))]
    own: list[Assignment] = []
    if top or _agency_like(heading):
        text = _section_text(nt, item, kids)
        found = matcher().find(heading)
        tail = heading[found[0].end:].strip(" .:") if found and found[0].start == 0 else ""
        phrase = _lead_phrase(heading)
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


def _same_party(a: Assignment, b: Assignment) -> bool:
    """The same duty read twice: overlapping spans, one lead's name the start of the other's."""
    if a.span[0] >= b.span[1] or b.span[0] >= a.span[1] or a.component != b.component:
        return False
    x, y = _key(a)[1], _key(b)[1]
    return x.startswith(y) or y.startswith(x)


def _key(a: Assignment) -> tuple:
    return a.component, " ".join(fold(a.lead or "").split())


def _dedupe_spans(items: list[Assignment]) -> list[Assignment]:
    """One assignment per party and duty: the same (component, lead) at the same words once."""
    seen: set[tuple] = set()
    out = []
    for a in items:
        key = (_key(a), a.span)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def _dedupe(items: list[Assignment]) -> list[Assignment]:
    seen: set[tuple] = set()
    out = []
    for a in items:
        key = _key(a)
        if key in seen:
            continue
        seen.add(key)
        out.append(a)
    return out


def _run(doc: Document) -> None:
    doc.record.assignments = extract_assignments(doc.nt, doc.sections, doc.tables_read)


COMPONENT = Component("assignments", requires=("nt", "sections", "tables_read"), assigns=("assignments",), run=_run)
