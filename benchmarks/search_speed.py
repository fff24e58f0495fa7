"""How fast `kehoach search` answers: the seeds, the corpus and the dev set in SQLite and PostgreSQL.

    .venv/bin/python benchmarks/search_speed.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test] [--runs 7]

Extracts the plans once, loads them into a temporary SQLite store and a scratch PostgreSQL
schema (dropped afterwards), then prints per query the median time of the search itself and of
the whole command (`kehoach search … --format json`, a new Python process: imports and opening
the store included), and checks that the query with and without diacritics finds the same plans.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


from kehoach.models.search import search
from kehoach.models.store import Store
from scratch_pg import scratch_schema
from kehoach.pipeline.batch import extract_files

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FOLDERS = [SHARED / "seeds", SHARED / "corpus", SHARED / "eval" / "dev" / "docs"]
QUERIES = [("ho ngheo", "hộ nghèo"), ('"dan toc thieu so"', '"dân tộc thiểu số"'), ("so tai chinh", "Sở Tài chính"),
           ("ngan sach", "ngân sách")]


def records():
    from kehoach.pipeline.inputs import collect_inputs

    files, _ = collect_inputs([f for f in FOLDERS if f.exists()])
    out = []
    for _path, outcome in extract_files(files, workers=4, include_text=True):
        if outcome.record is not None and outcome.record.error is None:
            out.append(outcome.record)
    return out


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def bench(label: str, url: str, recs, runs: int) -> None:
    store = Store(url)
    t0 = time.perf_counter()
    for rec in recs:
        store.load(rec)
    print(f"{label}: {len(recs)} plans loaded in {time.perf_counter() - t0:.1f} s")
    seeds = {r.source.sha256 for r in recs if "/seeds/" in r.source.path}
    for plain, marked in QUERIES:
        a = search(store.engine, plain, limit=0)
        b = search(store.engine, marked, limit=0)
        same = [p.sha256 for p in a.plans] == [p.sha256 for p in b.plans]
        found_seeds = len(seeds & {p.sha256 for p in a.plans})
        ms_plain = median_ms(lambda: search(store.engine, plain), runs)
        ms_marked = median_ms(lambda: search(store.engine, marked), runs)
        cli = [sys.executable, "-m", "kehoach.cli", "search", marked, "--db", url, "--format", "json"]
        ms_cli = median_ms(lambda: subprocess.run(cli, capture_output=True, check=True), max(1, runs // 2))
        print(f"  {plain!r:24} / {marked!r:24} {a.total_plans:3} plans {a.total_matches:5} hits, same plans: {same}, "
              f"seeds {found_seeds}/{len(seeds)}; search {ms_plain:6.1f} / {ms_marked:6.1f} ms, "
              f"whole command {ms_cli:6.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    recs = records()
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", f"sqlite:///{tmp}/search.db", recs, args.runs)
    with scratch_schema(args.pg) as url:
        if url is not None:
            bench("PostgreSQL", url, recs, args.runs)


if __name__ == "__main__":
    main()
