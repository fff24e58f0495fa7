"""The store's views as files: CSV (UTF-8 with BOM, so Excel reads Vietnamese right), Parquet
(pyarrow) and xlsx (openpyxl, one workbook with a sheet per view).

Numbers stay numbers: money is written as exact decimals (Parquet decimal128, xlsx numbers from
Decimal), nothing is rounded through floats on the way out.
"""
from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

from kehoach.models.extras import need

EXPORTED = ("documents", "budget_lines", "target_lines", "assignment_lines", "citations")
# the documents table without its text and raw JSON (they are in the JSON Lines output)
_DOCUMENT_COLUMNS = ("id, sha256, path, format, pages, ocr, doc_type, title, issuer, admin_level, province, "
                     "district, doc_number, place, issue_year, issue_month, issue_day, period_start, period_end, "
                     "signer_name, signer_title, pipeline_version")


def _rows(engine, name: str) -> tuple[list[str], list[tuple]]:  # noqa: ANN001
    query = f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY id" if name == "documents" else \
        f"SELECT * FROM {name}"
    with engine.connect() as conn:
        result = conn.execute(text(query))
        cols = list(result.keys())
        money = [k for k, c in enumerate(cols) if c in MONEY_COLUMNS]
        rows = []
        for r in result:
            r = list(r)
            for k in money:
                r[k] = _money(r[k])
            rows.append(tuple(r))
        return cols, rows


def export(engine, fmt: str, out: Path) -> dict[str, int]:  # noqa: ANN001
    """Write every exported view to ``out`` in ``fmt``; the rows written per view."""
    out.mkdir(parents=True, exist_ok=True)
    tables = {name: _rows(engine, name) for name in EXPORTED}
    if fmt == "csv":
        for name, (cols, rows) in tables.items():
            with open(out / f"{name}.csv", "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(cols)
                w.writerows([_plain(v) for v in r] for r in rows)
    elif fmt == "parquet":
        pa = need("pyarrow", "export")
        pq = need("pyarrow.parquet", "export")
        for name, (cols, rows) in tables.items():
            arrays = [pa.array([r[k] for r in rows], type=_arrow_type(pa, [r[k] for r in rows]))
                      for k in range(len(cols))]
            pq.write_table(pa.Table.from_arrays(arrays, names=cols), out / f"{name}.parquet")
    elif fmt == "xlsx":
        openpyxl = need("openpyxl", "export")
        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, (cols, rows) in tables.items():
            sheet = book.create_sheet(name[:31])
            sheet.append(cols)
            for r in rows:
                sheet.append([_xlsx(v) for v in r])
        book.save(out / "kehoach.xlsx")
    else:
        raise ValueError(f"unknown format {fmt!r}: csv, parquet or xlsx")
    return {name: len(rows) for name, (_, rows) in tables.items()}


# money columns: SQLite hands them back as floats, PostgreSQL as Decimal; both leave as Decimal
# with the digits that were stored (a float's shortest repr is the value it stored exactly)
MONEY_COLUMNS = {"value_million_vnd", "total", "parts_sum", "difference"}


def _money(v):  # noqa: ANN001, ANN202
    return None if v is None else (v if isinstance(v, Decimal) else Decimal(repr(v)))


def _plain(v):  # noqa: ANN001, ANN202
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    return "" if v is None else v


def _xlsx(v):  # noqa: ANN001, ANN202
    return str(v) if isinstance(v, (list, dict)) else v


def _arrow_type(pa, values):  # noqa: ANN001, ANN202
    """Decimal columns as decimal128 wide enough for every value; the rest as pyarrow infers."""
    sample = [v for v in values if v is not None]
    if sample and all(isinstance(v, Decimal) for v in sample):
        scale = max(max(0, -v.normalize().as_tuple().exponent) for v in sample)
        return pa.decimal128(38, max(scale, 0))
    if sample and all(isinstance(v, dt.date) for v in sample):
        return pa.date32()
    if sample and all(isinstance(v, bool) for v in sample):
        return pa.bool_()
    if sample and all(isinstance(v, int) and not isinstance(v, bool) for v in sample):
        return pa.int64()
    if sample and all(isinstance(v, float) for v in sample):
        return pa.float64()
    return pa.string() if sample and all(isinstance(v, str) for v in sample) else None
