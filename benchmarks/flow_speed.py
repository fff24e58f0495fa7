"""Documents per minute through the nightly flow, beside `kehoach extract -j N --db` on the same
kind of store, with the default task runner and with Dask. Not a test: it prints figures.

    .venv/bin/python benchmarks/flow_speed.py [--plans 200] [--workers 2] [--db sqlite|postgresql]

The inbox holds the text seeds copied until there are --plans files, each copy changed by a
line (so every document is extracted and loaded). Each measurement gets a fresh store:
a SQLite file, or a fresh schema of the PostgreSQL database `test` at 127.0.0.1:5432. Prefect
runs against a temporary local API, as `kehoach ingest` does.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def build_inbox(inbox: Path, plans: int) -> int:
    inbox.mkdir(parents=True)
    seeds = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
    past = time.time() - 3600
    for i in range(plans):
        seed = seeds[i % len(seeds)]
        target = inbox / f"{seed.stem}.{i:04d}.txt"
        target.write_text(seed.read_text(encoding="utf-8") + f"\nPhụ lục số {i}.\n", encoding="utf-8")
        os.utime(target, (past, past))
    return plans


def fresh_store(kind: str, root: Path) -> tuple[str, object]:
    """A store URL and a function that drops it afterwards."""
    if kind == "sqlite":
        return f"sqlite:///{root / f'{uuid.uuid4().hex[:6]}.db'}", lambda: None
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    return f"{PG}?options=-csearch_path%3D{schema}", drop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    args = ap.parse_args()
    from prefect.testing.utilities import prefect_test_harness

    from kehoach.flows.nightly import dask_runner, nightly_ingest

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # the same work without Prefect: kehoach extract -j N --db
        n = build_inbox(root / "plain", args.plans)
        url, drop = fresh_store(args.db, root)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kehoach.cli", "extract", str(root / "plain"), "--db", url,
                        "-j", str(args.workers), "-q"], check=False)
        base = time.perf_counter() - t0
        drop()
        print(f"{'kehoach extract -j ' + str(args.workers) + ' --db':28} {n} documents in {base:6.1f} s = "
              f"{n / base * 60:5.0f} documents/minute")
        with prefect_test_harness(server_startup_timeout=180):
            for name, flow_fn in (("nightly_ingest (default)", nightly_ingest),
                                  (f"nightly_ingest (Dask x{args.workers})",
                                   nightly_ingest.with_options(task_runner=dask_runner(workers=args.workers)))):
                inbox = root / name.split()[1].strip("()x") / "inbox"
                n = build_inbox(inbox, args.plans)
                url, drop = fresh_store(args.db, root)
                t0 = time.perf_counter()
                summary = flow_fn(inbox=str(inbox), db=url, settle_seconds=1)
                secs = time.perf_counter() - t0
                drop()
                print(f"{name:28} {n} documents in {secs:6.1f} s = {n / secs * 60:5.0f} documents/minute "
                      f"({n / secs * 60 / (n / base * 60):.2f}× extract; loaded {summary['loaded']}, "
                      f"failed {summary['failed']})")


if __name__ == "__main__":
    main()
