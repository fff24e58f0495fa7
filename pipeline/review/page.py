"""The review page: one self-contained HTML file showing every extracted item on the plan's words.

A reader checks an extraction by looking at it: the normalised text with each amount, target,
lead and coordinating agency and legal reference highlighted in its own colour (a click shows
what was extracted), the section tree as an outline, the metadata card, the checks in red on
the totals they concern, and a chart of the budget by component and funding source (matplotlib,
drawn into the page as SVG). Jinja2 renders it; nothing is fetched from the network.
"""
from __future__ import annotations

import html
import io
import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from kehoach.models.records import Record
from kehoach.normalizers.agencies import matcher
from kehoach.normalizers.numbers import format_vn

KINDS = ("amount", "target", "lead", "coord", "ref")


@cache
def _env():  # noqa: ANN202
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
                              autoescape=jinja2.select_autoescape(["html", "j2"]))


def _money(v: Decimal) -> str:
    return f"{format_vn(v)} triệu đồng"


def _items(rec: Record) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, what was extracted) for every highlight."""
    out = []
    checked = {tuple(s) for c in rec.checks for s in c.spans[:1]}
    for a in rec.amounts:
        bits = [_money(a.value_million_vnd), f"loại: {a.kind}", f"hợp phần: {a.component or '—'}",
                f"nguồn: {a.funding_source or '—'}", f"loại vốn: {a.capital_type or '—'}"]
        if a.table_row:
            bits.append(f"dòng: {a.table_row}; cột: {a.table_column or '—'}")
        if a.year:
            bits.append(f"năm: {a.year}")
        kind = "amount checked" if tuple(a.span) in checked else "amount"
        out.append((a.span[0], a.span[1], kind, "Kinh phí: " + "; ".join(bits)))
    for t in rec.targets:
        base = f"{t.baseline:g} → " if t.baseline is not None else ""
        out.append((t.span[0], t.span[1], "target",
                    f"Chỉ tiêu: {t.indicator}; {base}{t.target:g}{'–' + format(t.target_max, 'g') if t.target_max else ''} "
                    f"{t.unit or ''}; năm {t.year or '—'}; {t.direction or ''} {t.comparator or ''}"))
    text = rec.text or ""
    for a in rec.assignments:
        piece = text[a.span[0]:a.span[1]]
        found = matcher().find(piece)
        when = f"; hạn: {a.deadline} ({a.deadline_normalized})" if a.deadline else ""
        what = f"Chủ trì: {a.lead}; phối hợp: {', '.join(a.coordinating) or '—'}; hợp phần: {a.component or '—'}{when}"
        if found:
            lead_at, lead_end = found[0].start, found[0].end
        else:  # a lead the catalog does not know: its first words
            lead_at, lead_end = 0, min(len(piece), max(1, len((a.lead or "").split()[0]) if a.lead else 1))
        out.append((a.span[0] + lead_at, a.span[0] + lead_end, "lead", what))
        for m in found[1:]:
            if any(m.name.lower() in c.lower() or c.lower() in m.name.lower() for c in a.coordinating):
                out.append((a.span[0] + m.start, a.span[0] + m.end, "coord", f"Phối hợp: {m.name}; {what}"))
    for r in rec.legal_refs:
        out.append((r.span[0], r.span[1], "ref",
                    f"Văn bản: {r.type} {r.number}; ngày {r.date or '—'}; {r.issuer or '—'}; vai trò: {r.role}"))
    return out


def _body(rec: Record, items: list[tuple[int, int, str, str]]) -> str:
    """The text with the highlights nested (a highlight inside another is clipped to it)."""
    text = rec.text or ""
    anchors = {s.span[0]: s.id for s in rec.sections}
    events: list[tuple[int, int, str]] = []  # (pos, order, html)
    opened: list[int] = []
    order = sorted(range(len(items)), key=lambda k: (items[k][0], -items[k][1]))
    spans = []
    for k in order:
        start, end = items[k][0], items[k][1]
        while opened and spans[opened[-1]][1] <= start:
            opened.pop()
        if opened:
            end = min(end, spans[opened[-1]][1])
        if end <= start:
            end = start + 1
        spans.append((start, end, k))
        opened.append(len(spans) - 1)
    for n, (start, end, k) in enumerate(spans):
        events.append((start, 1, n, f'<mark class="hl {items[k][2]}" data-item="{k}">'))
        events.append((end, 0, -n, "</mark>"))
    for pos, sid in anchors.items():
        events.append((pos, 0, -10**9, f'<a id="{sid}"></a>'))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    out, last = [], 0
    for pos, _, _, tag in events:
        out.append(html.escape(text[last:pos]))
        out.append(tag)
        last = max(last, pos)
    out.append(html.escape(text[last:]))
    return "".join(out)


def _outline(rec: Record) -> str:
    children: dict[str | None, list] = {}
    for s in rec.sections:
        children.setdefault(s.parent, []).append(s)

    def tree(parent) -> str:  # noqa: ANN001
        kids = children.get(parent, [])
        if not kids:
            return ""
        items = "".join(f'<li><a href="#{s.id}">{html.escape((s.label + ". ") if s.label else "")}'
                        f'{html.escape((s.heading or s.kind)[:80])}</a> <span class="kind">{s.kind}</span>'
                        f'{tree(s.id)}</li>' for s in kids)
        return f"<ul>{items}</ul>"
    return tree(None)


def budget_chart(rec: Record) -> str | None:
    """SVG of the budget amounts by component and funding source (sources' parts, not their totals)."""
    rows: dict[str, dict[str, float]] = {}
    for a in rec.amounts:
        if a.kind != "budget" or a.funding_source in (None, "total"):
            continue
        rows.setdefault(a.component or "(chung)", {}).setdefault(a.funding_source, 0.0)
        rows[a.component or "(chung)"][a.funding_source] += float(a.value_million_vnd)
    if not rows:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sources = sorted({s for r in rows.values() for s in r})
    names = sorted(rows)
    fig, ax = plt.subplots(figsize=(4.2, 0.45 * len(names) + 1.2), dpi=72)
    left = [0.0] * len(names)
    for src in sources:
        vals = [rows[n].get(src, 0.0) for n in names]
        ax.barh(names, vals, left=left, label=src)
        left = [a + b for a, b in zip(left, vals)]
    ax.set_xlabel("triệu đồng")
    ax.legend(fontsize=7, loc="lower right")
    ax.tick_params(labelsize=7)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.find("<svg"):]


def render(rec: Record) -> str:
    """The review page of a record that carries its text (``include_text``)."""
    if rec.text is None:
        raise ValueError("the record has no text: extract it with include_text=True")
    items = _items(rec)
    m = rec.metadata
    d = m.issue_date
    date = "/".join(str(x) for x in (d.day, d.month, d.year) if x) if d else "—"
    counts = {k: sum(1 for it in items if it[2].split()[0] == k) for k in KINDS}
    return _env().get_template("report.html.j2").render(
        title=m.title or Path(rec.source.path).name, meta=m, source=rec.source, date=date,
        period=f"{m.period.start or '…'}–{m.period.end or '…'}" if m.period else "—",
        signer=f"{m.signer.title or ''} {m.signer.name or ''}".strip() if m.signer else "—",
        outline=_outline(rec), body=_body(rec, items), checks=rec.checks, chart=budget_chart(rec),
        counts=counts, items_json=json.dumps([it[3] for it in items], ensure_ascii=False).replace("</", "<\\/"))


def render_index(entries: list[dict], indicators: str | None = None) -> str:
    """The index page of a folder of review pages: documents, their counts and checks, and the
    link to the indicators page when there is one."""
    return _env().get_template("index.html.j2").render(documents=entries, indicators=indicators)


def highlight_counts(rec: Record) -> dict[str, int]:
    """How many highlights of each kind the page of ``rec`` has (for tests and the index)."""
    return {k: sum(1 for it in _items(rec) if it[2].split()[0] == k) for k in KINDS}
