"""Who does what: lead ('chủ trì') and coordinating ('phối hợp') agencies per component or task.

Four sources, as plans write them, each in its own module around the one name parser
(``names``): sections that assign work agency by agency (``organisation``), lines that open with
their lead — a component's assignment paragraphs and the labelled lines under a task
(``paragraphs``), duties stated in a sentence anywhere (``inline``), and task tables
(``task_tables``). ``merge`` keeps one assignment per party and duty.
"""
from __future__ import annotations

from kehoach.extractors.assignments.inline import _inline
from kehoach.extractors.assignments.merge import _dedupe, _dedupe_spans, _same_party
from kehoach.extractors.assignments.names import _strip_marker
from kehoach.extractors.assignments.organisation import _agency_sections, _children, _org_item, _top
from kehoach.extractors.assignments.paragraphs import (_assignment_paragraphs, _from_line,
    _is_assignment_heading, _labelled_blocks, _role_line)
from kehoach.extractors.assignments.task_tables import _from_tables
from kehoach.extractors.context import Component, Document
from kehoach.models.records import Assignment, Section
from kehoach.models.sections import innermost
from kehoach.models.successors import successor_for_task
from kehoach.normalizers.agencies import catalog_id
from kehoach.normalizers.components import section_components
from kehoach.normalizers.deadlines import deadline_phrase, normalize_deadline
from kehoach.normalizers.offsets import NormText


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
        heir = successor_for_task(a.lead_catalog_id, a.lead, a.task)
        a.lead_today = heir.name if heir else a.lead
        a.lead_today_catalog_id = heir.catalog_id if heir else a.lead_catalog_id
        a.coordinating_catalog_ids = [catalog_id(n) for n in a.coordinating]
    return out


def _run(doc: Document) -> None:
    doc.record.assignments = extract_assignments(doc.nt, doc.sections, doc.tables_read)
COMPONENT = Component("assignments", requires=("nt", "sections", "tables_read"), assigns=("assignments",), run=_run)
