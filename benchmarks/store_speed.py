"""Rows per second loaded into SQLite and PostgreSQL: the fixtures replicated ×N (default 100).

    .venv/bin/python benchmarks/store_speed.py [--copies 100] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

Each copy is a distinct document (its sha256 altered), loaded in its own transaction, as a
real batch would. PostgreSQL runs in a scratch schema that is dropped afterwards.
"""
from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from kehoach.models.store import Store
from kehoach.pipeline.extract import extract_path

ROOT = Path(__file__).resolve().parent.parent


def records():
    paths = sorted((ROOT / "fixtures" / "seeds").glob("*.txt")) + sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))
    return [extract_path(p, include_text=True).record for p in paths]


def bench(url: str, recs, copies: int) -> tuple[int, int, float]:
    store = Store(url)
    rows = docs = 0
    t0 = time.perf_counter()
    for i in range(copies):
        for rec in recs:
            rec.source.sha256 = f"{i:08d}" + rec.source.sha256[8:]
            rows += store.load(rec).rows
            docs += 1
    return docs, rows, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    recs = records()
    with tempfile.TemporaryDirectory() as tmp:
        docs, rows, secs = bench(f"sqlite:///{tmp}/bench.db", recs, args.copies)
        print(f"SQLite:     {docs} documents, {rows} rows in {secs:.1f} s = {rows / secs:,.0f} rows/s, "
              f"{docs / secs:.1f} documents/s")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.pg)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL: not reachable ({exc.__class__.__name__}); skipped")
        return
    try:
        docs, rows, secs = bench(f"{args.pg}?options=-csearch_path%3D{schema}", recs, args.copies)
        print(f"PostgreSQL: {docs} documents, {rows} rows in {secs:.1f} s = {rows / secs:,.0f} rows/s, "
              f"{docs / secs:.1f} documents/s")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
