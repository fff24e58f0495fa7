"""Reconciliation: a stated total against the sum of its stated parts.

Parts count only when the plan lists them as the total's breakdown (in parentheses after it,
after 'trong đó:', or as the items it introduces) and each part is labelled along one
dimension (source, capital type, place or component), so that a partial 'of which …' note
does not raise a false alarm. A difference of one unit in the last place is reported as
'info' (rounding); anything larger is a 'warning'.
"""
from __future__ import annotations

from decimal import Decimal

from kehoach.extractors.context import Component, Document, Mention
from kehoach.normalizers.funding import capital_cue, funding_cue
from kehoach.normalizers import components as comp
from kehoach.normalizers.numbers import format_vn
from kehoach.normalizers.text import fold
from kehoach.models.records import Check
from kehoach.models.sections import descends


def _last_place(values: list[Decimal]) -> Decimal:
    exponent = min(v.normalize().as_tuple().exponent for v in values)
    return Decimal(1).scaleb(min(0, exponent))


def _labelled(group: list[Mention]) -> bool:
    """Does every part name where it belongs (a source, capital type, place or component)?"""
    dims = [
        [funding_cue(x.label + " " + x.trail) for x in group],
        [capital_cue(x.label + " " + x.trail) for x in group],
        [x.location if x.location and (x.parent is None or x.location != x.parent.location) else None
         for x in group],
        [comp.last_mention(x.label) for x in group],
    ]
    return any(all(v is not None for v in dim) and len(set(dim)) == len(dim) for dim in dims)


def parts_sum(mentions: list[Mention]) -> list[Check]:
    checks: list[Check] = []
    seen: set[tuple] = set()
    for total in mentions:
        for how, group in total.groups.items():
            if how == "items_incomplete" or len(group) < 2:
                continue
            if total.per or total.bound or any(x.per or x.bound for x in group):
                continue  # rates and bounds do not add up
            # a table's rows under a total are its breakdown; in prose the parts must each say what they are
            if how not in ("table", "row") and not _labelled(group):
                continue
            key = (total.start, tuple(sorted(x.value for x in group)))
            if key in seen:
                continue
            seen.add(key)
            parts = sum((x.value for x in group), Decimal(0))
            diff = total.value - parts
            if diff == 0:
                continue
            rounding = abs(diff) <= _last_place([total.value, *[x.value for x in group]])
            checks.append(Check(
                rule="parts_sum",
                severity="info" if rounding else "warning",
                message=(f"stated total {format_vn(total.value)} triệu đồng, its {len(group)} parts add up to "
                         f"{format_vn(parts)} triệu đồng (difference {format_vn(diff)}"
                         + ("; a rounding difference)" if rounding else ")")),
                spans=[(total.start, total.end), (group[0].start, group[-1].end)],
                total=total.value, parts_sum=parts, difference=diff,
            ))
    return checks


def component_sum(mentions: list[Mention]) -> list[Check]:
    """The plan's total budget against the totals of the components it is spread over.

    Compared only when every budget amount outside the total's own breakdown belongs to a
    component, so that a budget partly spent outside the program's projects raises nothing.
    """
    budget = [m for m in mentions if m.kind == "budget" and not m.per and not m.bound]
    totals = [m for m in budget if m.parent is None and m.component is None
              and (m.funding == "total" or "tong" in fold(m.label))]
    if not totals:
        return []
    total = totals[0]
    if any(m.component is None and m is not total and not descends(m, total) for m in budget):
        return []
    tops: dict[comp.Component, list[Mention]] = {}
    for m in budget:
        if m.component is not None and (m.parent is None or m.parent.component != m.component):
            tops.setdefault(m.component, []).append(m)
    projects = {c.project for c in tops if c.sub is None}
    tops = {c: ms for c, ms in tops.items() if c.sub is None or c.project not in projects}
    if len(tops) < 2:
        return []
    parts = sum((m.value for ms in tops.values() for m in ms), Decimal(0))
    diff = total.value - parts
    if diff == 0:
        return []
    values = [total.value, *[m.value for ms in tops.values() for m in ms]]
    rounding = abs(diff) <= _last_place(values)
    first = min(m.start for ms in tops.values() for m in ms)
    last = max(m.end for ms in tops.values() for m in ms)
    return [Check(
        rule="component_sum",
        severity="info" if rounding else "warning",
        message=(f"stated total {format_vn(total.value)} triệu đồng, the totals of its {len(tops)} components "
                 f"add up to {format_vn(parts)} triệu đồng (difference {format_vn(diff)})"),
        spans=[(total.start, total.end), (first, last)],
        total=total.value, parts_sum=parts, difference=diff,
    )]


def reconcile(mentions: list[Mention]) -> list[Check]:
    return parts_sum(mentions) + component_sum(mentions)


def _run(doc: Document) -> None:
    doc.record.checks = reconcile(doc.mentions)


COMPONENT = Component("checks", requires=("mentions",), assigns=("checks",), run=_run)
