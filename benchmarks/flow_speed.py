"""Documents per minute through the nightly flow, with the default task runner and with Dask.

    .venv/bin/python benchmarks/flow_speed.py [--copies 3] [--workers 2]

The inbox holds the fixtures ×copies, each copy a distinct file (a byte appended after the
end), so every document is extracted and loaded. Each runner gets its own inbox and SQLite
store. Prefect runs against a temporary local API.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_inbox(inbox: Path, copies: int) -> int:
    inbox.mkdir(parents=True)
    files = sorted((ROOT / "fixtures" / "seeds").glob("*.txt")) + sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))
    past = time.time() - 3600
    for i in range(copies):
        for f in files:
            target = inbox / f"{f.stem}.{i}{f.suffix}"
            shutil.copy(f, target)
            with open(target, "ab") as fh:
                fh.write(b"\n" + str(i).encode())
            os.utime(target, (past, past))
    return copies * len(files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    from prefect.testing.utilities import prefect_test_harness

    from kehoach.flows.nightly import dask_runner, nightly_ingest

    with prefect_test_harness(server_startup_timeout=180), tempfile.TemporaryDirectory() as tmp:
        for name, flow_fn in (("default (threads)", nightly_ingest),
                              (f"Dask ({args.workers} processes)",
                               nightly_ingest.with_options(task_runner=dask_runner(workers=args.workers)))):
            root = Path(tmp) / name.split()[0]
            n = build_inbox(root / "inbox", args.copies)
            t0 = time.perf_counter()
            summary = flow_fn(inbox=str(root / "inbox"), db=f"sqlite:///{root / 'store.db'}", settle_seconds=1)
            secs = time.perf_counter() - t0
            print(f"{name:22} {n} documents ({summary['pages']} pages) in {secs:.1f} s = "
                  f"{n / secs * 60:.0f} documents/minute (loaded {summary['loaded']}, failed {summary['failed']})")


if __name__ == "__main__":
    main()
