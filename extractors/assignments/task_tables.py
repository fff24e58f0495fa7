"""Assignments from task tables: one per row and lead, with partners, deadline and product."""
from __future__ import annotations

from kehoach.extractors.assignments.names import _split_agencies, _task
from kehoach.models.records import Assignment, Section
from kehoach.models.sections import innermost
from kehoach.normalizers import components as comp
from kehoach.normalizers.deadlines import normalize_deadline
from kehoach.normalizers.offsets import NormText


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
