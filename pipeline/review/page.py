"""The review page: one self-contained HTML file showing every extracted item on the plan's words.

A reader checks an extraction by looking at it: the normalised text with each amount, target,
lead and coordinating agency and legal reference highlighted in its own colour (a click shows
what was extracted), the section tree as an outline, the metadata card, the checks in red on
the totals they concern, and a chart of the budget by component and funding source (matplotlib,
drawn into the page as SVG). A budget or target table is also shown as a table, rebuilt from the
cells read out of it (``table_views``), each cell in its kind's colour. Jinja2 renders it; nothing
is fetched from the network.
"""
from __future__ import annotations

import html
import io
import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

from kehoach.models.records import Amount, Record
from kehoach.models.search import anchor_offsets
from kehoach.normalizers.agencies import matcher
from kehoach.normalizers.numbers import format_vn, parse_number

KINDS = ("amount", "target", "lead", "coord", "ref")


@cache
def _env():  # noqa: ANN202
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
                              autoescape=jinja2.select_autoescape(["html", "j2"]))


def _money(v: Decimal) -> str:
    return f"{format_vn(v)} triệu đồng"


# the unit a table writes its money in, by how its numbers scale to million đồng
_UNITS = {Decimal(1): "triệu đồng", Decimal(1000): "tỷ đồng", Decimal("0.001"): "nghìn đồng",
          Decimal("0.000001"): "đồng"}
_NUMBER = re.compile(r"\d{1,3}(?:[. ]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?")


def _unit(a: Amount) -> str | None:
    """The unit of a table cell's number, as the table's note or header gave it ('ĐVT: đồng')."""
    m = _NUMBER.search(a.raw)
    if not m:
        return None
    try:
        written = parse_number(m.group().replace(" ", "."))
    except ArithmeticError:
        return None
    return _UNITS.get((a.value_million_vnd / written).normalize()) if written else None


def _checks_of(rec: Record, a: Amount) -> list[str]:
    """The checks an amount takes part in: as the total they test, or as one of its parts (a
    part of a table's total stands in the parts' range, in the total's column)."""
    out = []
    for c in rec.checks:
        if not c.spans:
            continue
        if tuple(c.spans[0]) == tuple(a.span):
            out.append(f"kiểm tra (tổng): {c.message}")
        elif len(c.spans) > 1 and c.spans[1][0] <= a.span[0] < c.spans[1][1]:
            total = next((x for x in rec.amounts if tuple(x.span) == tuple(c.spans[0])), None)
            if total is None or total.table_column == a.table_column:
                out.append(f"kiểm tra (một phần của tổng {format_vn(c.total) if c.total is not None else '—'}): "
                           f"{c.message}")
    return out


def _items(rec: Record) -> list[tuple[int, int, str, str, dict]]:
    """(start, end, kind, what was extracted, data attributes) for every highlight; a table cell's
    kind carries ' cell', its attributes its value, row and column for the page's table view."""
    out = []
    checked = {tuple(s) for c in rec.checks for s in c.spans[:1]}
    for a in rec.amounts:
        cell = a.table_row is not None or a.table_column is not None
        bits = [_money(a.value_million_vnd), f"loại: {a.kind}", f"hợp phần: {a.component or '—'}",
                f"nguồn: {a.funding_source or '—'}", f"loại vốn: {a.capital_type or '—'}"]
        if cell:
            bits.append(f"dòng: {a.table_row or '—'}; cột: {a.table_column or '—'}")
            bits.append(f"đơn vị của bảng: {_unit(a) or '—'}; ghi trong bảng: {a.raw}")
        if a.year:
            bits.append(f"năm: {a.year}")
        if a.page:
            bits.append(f"trang: {a.page}")
        bits += _checks_of(rec, a)
        kind = "amount" + (" checked" if tuple(a.span) in checked else "") + (" cell" if cell else "")
        data = {"value": str(a.value_million_vnd)}
        if cell:
            data.update(row=a.table_row or "", column=a.table_column or "")
        out.append((a.span[0], a.span[1], kind, "Kinh phí: " + "; ".join(bits), data))
    cells = _cell_spans(rec)
    for t in rec.targets:
        base = f"{t.baseline:g} → " if t.baseline is not None else ""
        cell = tuple(t.span) in cells
        where = f"; dòng: {t.indicator}; cột: năm {t.year or '—'}; ghi trong bảng: {t.raw}" if cell else ""
        page = f"; trang: {t.page}" if t.page else ""
        out.append((t.span[0], t.span[1], "target" + (" cell" if cell else ""),
                    f"Chỉ tiêu: {t.indicator}; {base}{t.target:g}{'–' + format(t.target_max, 'g') if t.target_max else ''} "
                    f"{t.unit or ''}; năm {t.year or '—'}; {t.direction or ''} {t.comparator or ''}{where}{page}",
                    {"value": f"{t.target:g}"} | ({"row": t.indicator, "column": str(t.year or "")} if cell else {})))
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
        out.append((a.span[0] + lead_at, a.span[0] + lead_end, "lead", what, {}))
        for m in found[1:]:
            if any(m.name.lower() in c.lower() or c.lower() in m.name.lower() for c in a.coordinating):
                out.append((a.span[0] + m.start, a.span[0] + m.end, "coord", f"Phối hợp: {m.name}; {what}", {}))
    for r in rec.legal_refs:
        out.append((r.span[0], r.span[1], "ref",
                    f"Văn bản: {r.type} {r.number}; ngày {r.date or '—'}; {r.issuer or '—'}; vai trò: {r.role}", {}))
    return out


def _cell_spans(rec: Record) -> set[tuple[int, int]]:
    """The spans of a record's targets read from table cells: a target table's cell is its number
    alone ('95', '1.250', '97,5%'), where a goal in prose keeps the words of its sentence."""
    text = rec.text or ""
    return {tuple(t.span) for t in rec.targets
            if t.raw == text[t.span[0]:t.span[1]] and _NUMBER.fullmatch(t.raw.strip().rstrip("%").strip())}


def _body(rec: Record, items: list[tuple[int, int, str, str, dict]]) -> str:
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
        data = "".join(f' data-{key}="{html.escape(v)}"' for key, v in items[k][4].items())
        events.append((start, 1, n, f'<mark class="hl {items[k][2]}" data-item="{k}"{data}>'))
        events.append((end, 0, -n, "</mark>"))
    for pos, sid in anchors.items():
        events.append((pos, 0, -10**9, f'<a id="{sid}"></a>'))
    for pos, view in table_views(rec, items):
        events.append((pos, 0, -10**9 - 1, view))
    for pos in anchor_offsets(rec):  # where `kehoach search` links to: #at-OFFSET
        events.append((pos, 0, -10**9, f'<a id="at-{pos}"></a>'))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    out, last = [], 0
    for pos, _, _, tag in events:
        out.append(html.escape(text[last:pos]))
        out.append(tag)
        last = max(last, pos)
    out.append(html.escape(text[last:]))
    return "".join(out)


# a budget table's cells follow each other closely; this much text without one ends the table
TABLE_GAP = 1500
_TABLE_START = re.compile(r"(?:đơn vị tính|đvt)\s*:|\bbiểu\s+(?:số\s+)?\d", re.IGNORECASE)


def table_views(rec: Record, items: list[tuple[int, int, str, str, dict]]) -> list[tuple[int, str]]:
    """Each budget or target table rebuilt from its extracted cells — rows by their labels (a
    target's indicator), columns by their paths through merged headers (a target's year) — as an
    HTML table placed before the table's text: (where, html).
    The text keeps its words with each cell highlighted in place; the view shows where each value
    was taken from at a glance, every cell in its kind's colour, a click showing what was read."""
    text = rec.text or ""
    cells = sorted((k for k, it in enumerate(items) if "cell" in it[2].split()), key=lambda k: items[k][0])
    groups: list[list[int]] = []
    for k in cells:
        if groups:
            before = groups[-1][-1]
            gap = text[items[before][1]:items[k][0]]
            same_kind = items[before][2].split()[0] == items[k][2].split()[0]  # a budget or a target table
            if same_kind and len(gap) <= TABLE_GAP and not _TABLE_START.search(gap):
                groups[-1].append(k)
                continue
        groups.append([k])
    out = []
    for group in groups:
        columns: list[str] = []
        rows: list[tuple[str, dict[str, int]]] = []
        last_row, last_col = None, None
        for k in group:
            data = items[k][4]
            row, col = data.get("row", ""), data.get("column", "")
            if not rows or row != last_row or col in rows[-1][1]:
                rows.append((row, {}))  # a new row each time the label changes, however often it recurs
                last_col = None
            if col not in columns:
                # a column first seen in a later row stands after the cell before it in that row
                columns.insert(columns.index(last_col) + 1 if last_col in columns else 0, col)
            rows[-1][1][col] = k
            last_row, last_col = row, col
        head = "".join(f"<th>{html.escape(c or '—')}</th>" for c in columns)
        body = []
        for label, by_col in rows:
            tds = []
            for c in columns:
                k = by_col.get(c)
                if k is None:
                    tds.append("<td></td>")
                    continue
                kind = items[k][2].replace("cell", "").split()
                checked = " checked" if "checked" in kind else ""
                tds.append(f'<td class="cell {kind[0]}{checked}" data-item="{k}" data-value="'
                           f'{html.escape(items[k][4]["value"])}">{html.escape(text[items[k][0]:items[k][1]])}</td>')
            body.append(f"<tr><th>{html.escape(label or '—')}</th>{''.join(tds)}</tr>")
        first = items[group[0]][0]
        label = items[group[0]][4].get("row") or ""
        at = text.rfind(label, max(0, first - 600), first) if label else -1
        at = text.rfind("\n", 0, at if at >= 0 else first) + 1
        out.append((at, f'<table class="cells" id="table-{len(out) + 1}"><caption>Bảng {len(out) + 1} như đã đọc: '
                        f'{len(group)} ô</caption>'
                        f"<tr><th></th>{head}</tr>{''.join(body)}</table>"))
    return out


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
    return svg_of(fig)


def svg_of(fig) -> str:  # noqa: ANN001
    """A matplotlib figure as the SVG element a page embeds (the XML prologue dropped); closed."""
    import matplotlib.pyplot as plt

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
        counts=counts, cells=sum(1 for it in items if "cell" in it[2].split()),
        items_json=json.dumps([it[3] for it in items], ensure_ascii=False).replace("</", "<\\/"))


def render_index(entries: list[dict], indicators: str | None = None) -> str:
    """The index page of a folder of review pages: documents, their counts and checks, and the
    link to the indicators page when there is one."""
    return _env().get_template("index.html.j2").render(documents=entries, indicators=indicators)


def highlight_counts(rec: Record) -> dict[str, int]:
    """How many highlights of each kind the page of ``rec`` has (for tests and the index)."""
    return {k: sum(1 for it in _items(rec) if it[2].split()[0] == k) for k in KINDS}
