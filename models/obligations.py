"""Who owes what by when: duties of an agency across every stored plan, read from the
``agency_obligations`` view, with the duties the 2025 reform passed to it from agencies it
replaced (marked inherited).

The caller names the agency by its catalog id (the command line finds it through the agency-name
normaliser) or, for an agency the catalog does not know, by its name; names and provinces are
compared without case or diacritics.
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import re
from dataclasses import asdict, dataclass
from typing import Iterable, Optional, Sequence

from sqlalchemy import Engine, text

from kehoach.models.successors import fold

_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def due_date(normalized: Optional[str]) -> Optional[dt.date]:
    """The last day a normalised deadline allows ('2026-Q4' → 2026-12-31, '2026-06' → 2026-06-30,
    '2026-H1' → 2026-06-30, '2026' → 2026-12-31); None for 'continuous', 'yearly' and the like."""
    if not normalized:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", normalized):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", normalized):
        y, mo = int(m[1]), int(m[2])
        return dt.date(y, mo, calendar.monthrange(y, mo)[1])
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", normalized):
        return dt.date(int(m[1]), *_QUARTER_END[int(m[2])])
    if m := re.fullmatch(r"(\d{4})-H([12])", normalized):
        return dt.date(int(m[1]), 6, 30) if m[2] == "1" else dt.date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{4})", normalized):
        return dt.date(int(m[1]), 12, 31)
    return None


@dataclass(frozen=True)
class Plan:
    sha256: str
    title: Optional[str]
    doc_number: Optional[str]
    issuer: Optional[str]
    issued: Optional[str]  # '2023-03-15', '2023-03' or '2023', as far as the header says
    province_issued: Optional[str]
    province_today: Optional[str]
    review_page: str  # the plan's page on the review site (kehoach report --out DIR)


@dataclass(frozen=True)
class Duty:
    agency: str  # as the plan named it (abbreviations expanded)
    agency_canonical: str
    agency_catalog_id: Optional[str]
    agency_today: str  # who holds this duty today
    agency_today_catalog_id: Optional[str]
    inherited: bool  # given to an agency the 2025 reform ended
    succession_share: Optional[str]  # all | main | part (only the duties succession_duties name)
    succession_duties: Optional[str]
    succession_source: Optional[str]  # 'Nghị định 45/2025/NĐ-CP ngày 28/02/2025'
    role: str  # lead | coordinating
    task: Optional[str]
    component: Optional[str]
    deadline: Optional[str]  # as written
    deadline_normalized: Optional[str]
    due: Optional[str]  # the last day the deadline allows, ISO
    output: Optional[str]
    section: Optional[str]  # the section's label ('2.1', 'a)')
    section_anchor: Optional[str]  # its id on the plan's review page ('s12')
    page: Optional[int]
    span: tuple[int, int]
    plan: Plan


def _issued(y, m, d) -> Optional[str]:
    if not y:
        return None
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")


def duties(engine: Engine, catalog_id: Optional[str] = None, name: Optional[str] = None,
           province: Optional[str] = None, due_before: Optional[dt.date] = None) -> list[Duty]:
    """Every duty in the store, or those of one agency today: its own and those it inherited
    (``catalog_id``, or ``name`` for an agency the catalog does not know); of plans of one
    province (as issued or as today); due on or before a day."""
    where, params = [], {}
    if catalog_id:
        # today's holder; or, for an agency the reform ended, the duties given to it as written
        where.append("(agency_today_catalog_id = :cid OR agency_catalog_id = :cid)")
        params["cid"] = catalog_id
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM agency_obligations"
                                 + (" WHERE " + " AND ".join(where) if where else ""))
                            , params).mappings().all()
    out, seen = [], set()
    name_key = fold(name) if name else None
    province_key = fold(province) if province else None
    for r in rows:
        if name_key and not any(fold(r[c] or "").startswith(name_key) for c in ("agency", "agency_today")):
            continue
        if province_key and not any(fold(r[c] or "") == province_key
                                    for c in ("province_issued", "province_today")):
            continue
        if catalog_id and r["agency_today_catalog_id"] != catalog_id:
            # an agency that is gone, asked for as such: each duty once, with its main holder today
            if r["assignment_agency_id"] in seen or r["succession_share"] == "part":
                continue
            seen.add(r["assignment_agency_id"])
        due = due_date(r["deadline_normalized"])
        if due_before is not None and (due is None or due > due_before):
            continue
        out.append(_duty(r, due))
    out.sort(key=lambda d: (d.due is None, d.due or "", d.plan.title or "", d.span[0], d.role != "lead"))
    return out


def _duty(r, due: Optional[dt.date]) -> Duty:
    plan = Plan(r["sha256"], r["document_title"], r["doc_number"], r["issuer"],
                _issued(r["issue_year"], r["issue_month"], r["issue_day"]), r["province_issued"],
                r["province_today"], f"{r['sha256'][:12]}.html")
    return Duty(agency=r["agency"], agency_canonical=r["agency_canonical"], agency_catalog_id=r["agency_catalog_id"],
                agency_today=r["agency_today"], agency_today_catalog_id=r["agency_today_catalog_id"],
                inherited=bool(r["inherited"]), succession_share=r["succession_share"],
                succession_duties=r["succession_duties"], succession_source=r["succession_source"],
                role=r["role"], task=r["task"], component=r["component"], deadline=r["deadline"],
                deadline_normalized=r["deadline_normalized"], due=due.isoformat() if due else None,
                output=r["output"], section=r["section_label"], section_anchor=r["section_sid"], page=r["page"],
                span=(r["span_start"], r["span_end"]), plan=plan)


# --- output ------------------------------------------------------------------------------------

CSV_COLUMNS = ("agency_today", "inherited", "agency", "agency_canonical", "role", "task", "deadline",
               "deadline_normalized", "due", "output", "plan_title", "plan_number", "plan_issued",
               "province_issued", "province_today", "section", "page", "span_start", "span_end",
               "succession_share", "succession_source", "plan_sha256")


def _flat(d: Duty) -> dict:
    row = {k: v for k, v in asdict(d).items() if k not in ("plan", "span", "section_anchor")}
    row.update(plan_title=d.plan.title, plan_number=d.plan.doc_number, plan_issued=d.plan.issued,
               province_issued=d.plan.province_issued, province_today=d.plan.province_today,
               span_start=d.span[0], span_end=d.span[1], plan_sha256=d.plan.sha256)
    return {c: row[c] for c in CSV_COLUMNS}


def to_json(found: Iterable[Duty]) -> str:
    """One JSON array of duties, each naming its plan."""
    return json.dumps([asdict(d) for d in found], ensure_ascii=False, indent=1)


def to_csv(found: Iterable[Duty]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    for d in found:
        w.writerow(_flat(d))
    return buf.getvalue()


def table_rows(found: Sequence[Duty], width: int = 90) -> list[tuple[str, ...]]:
    """(due, agency today, as given to, role, task, plan) per duty, for a terminal table."""
    out = []
    for d in found:
        given = d.agency + (" (kế thừa" + (", một phần" if d.succession_share == "part" else "") + ")"
                            if d.inherited else "")
        task = (d.task or d.component or "")
        task = task if len(task) <= width else task[:width - 1] + "…"
        plan = " · ".join(x for x in (d.plan.doc_number or (d.plan.title or "")[:40], d.plan.province_issued,
                                      d.plan.issued and d.plan.issued[:4]) if x)
        out.append((d.deadline or d.due or "", d.agency_today, given, d.role, task, plan))
    return out
