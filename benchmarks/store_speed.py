"""Rows per second loaded into SQLite and PostgreSQL: the fixtures replicated ×N (default 100).

    .venv/bin/python benchmarks/store_speed.py [--copies 100] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

Each copy is a distinct document (its sha256 altered), loaded in its own transaction, as a
real batch would. PostgreSQL runs in a scratch schema that is dropped afterwards.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


from kehoach.models.store import Store
from scratch_pg import scratch_schema
from kehoach.pipeline.extract import extract_path

ROOT = Path(__file__).resolve().parent.parent


def records():
    paths = sorted((ROOT / "fixtures" / "seeds").glob("*.txt")) + sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))
    return [extract_path(p, include_text=True).record for p in paths]


def bench(url: str, recs, copies: int) -> tuple[int, int, float, float]:
    """Documents, rows, seconds loading them, and seconds the search index then takes for them
    all (what the end of a run does, models.search.index_pending)."""
    store = Store(url)
    rows = docs = 0
    t0 = time.perf_counter()
    for i in range(copies):
        for rec in recs:
            rec.source.sha256 = f"{i:08d}" + rec.source.sha256[8:]
            rows += store.load(rec).rows
            docs += 1
    loaded = time.perf_counter() - t0
    t0 = time.perf_counter()
    store.index_pending()
    return docs, rows, loaded, time.perf_counter() - t0


def _line(name: str, docs: int, rows: int, secs: float, index: float) -> str:
    return (f"{name} {docs} documents, {rows} rows in {secs:.1f} s = {rows / secs:,.0f} rows/s, "
            f"{docs / secs:.1f} documents/s; then the search index at the run's end {index:.1f} s "
            f"({index / docs * 1000:.1f} ms a document)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    recs = records()
    with tempfile.TemporaryDirectory() as tmp:
        print(_line("SQLite:    ", *bench(f"sqlite:///{tmp}/bench.db", recs, args.copies)))
    with scratch_schema(args.pg) as url:
        if url is not None:
            print(_line("PostgreSQL:", *bench(url, recs, args.copies)))


if __name__ == "__main__":
    main()
