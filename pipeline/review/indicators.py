"""The indicators page of the review site: each shared indicator that two plans or more set, as
a chart across provinces (matplotlib, drawn into the page as SVG) and a table whose rows link to
the plans' review pages. Its rows come from the store's view ``indicator_series``."""
from __future__ import annotations

from decimal import Decimal
from dataclasses import dataclass, field

from sqlalchemy import text

from kehoach.normalizers.numbers import format_vn
from kehoach.pipeline.review.page import _env, svg_of


@dataclass
class SeriesRow:
    province: str | None
    year: int | None
    baseline: float | None
    target: float
    target_max: float | None
    unit: str | None
    document_title: str | None
    doc_number: str | None
    sha256: str
    raw: str


@dataclass
class Series:
    key: str
    label: str
    unit: str | None
    rows: list[SeriesRow] = field(default_factory=list)
    chart: str | None = None

    @property
    def plans(self) -> int:
        return len({r.sha256 for r in self.rows})


def series(engine) -> list[Series]:  # noqa: ANN001
    """The indicator series of a store, one per indicator and unit ('%' and '%/năm' are not drawn
    on one axis), those with rows from two plans or more."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT indicator_key, indicator_label, province_today, year, baseline, target, target_max, unit, "
            "document_title, doc_number, sha256, raw FROM indicator_series WHERE target IS NOT NULL "
            "ORDER BY indicator_key, unit, province_today, year, sha256, span_start")).all()
    out: dict[tuple[str, str | None], Series] = {}
    for r in rows:
        s = out.setdefault((r.indicator_key, r.unit), Series(r.indicator_key, r.indicator_label or r.indicator_key, r.unit))
        s.rows.append(SeriesRow(r.province_today, r.year, _f(r.baseline), float(r.target), _f(r.target_max), r.unit,
                                r.document_title, r.doc_number, r.sha256, r.raw))
    return [s for s in out.values() if s.plans >= 2]


def _f(v) -> float | None:  # noqa: ANN001
    return None if v is None else float(v)


def chart(s: Series) -> str:
    """SVG: one bar per target, labelled with its province and year; a range drawn to its upper bound."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [f"{r.province or '—'} {r.year or ''} · {r.doc_number or r.sha256[:8]}".strip() for r in s.rows]
    values = [r.target for r in s.rows]
    fig, ax = plt.subplots(figsize=(6.4, 0.38 * len(labels) + 1.1), dpi=72)
    ax.barh(range(len(labels)), values, color="#4f7cac")
    spans = [(i, r.target, r.target_max) for i, r in enumerate(s.rows) if r.target_max]
    if spans:
        ax.barh([i for i, _, _ in spans], [hi - lo for _, lo, hi in spans], left=[lo for _, lo, _ in spans],
                color="#a9c1dc")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel(s.unit or "")
    ax.tick_params(labelsize=7)
    return svg_of(fig)


def render_indicators(all_series: list[Series]) -> str:
    """The indicators page; each plan's row links to its review page ('<sha256[:12]>.html')."""
    for s in all_series:
        s.chart = chart(s)
    return _env().get_template("indicators.html.j2").render(series=all_series, fmt=_number)


def _number(v: float | None) -> str:
    return "—" if v is None else format_vn(Decimal(str(v)))
