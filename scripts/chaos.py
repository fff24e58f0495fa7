"""Chaos test of the nightly flow: kill it at random moments, stop the database under it, and check
that nothing is lost and nothing is stored twice. Not a unit test: it takes minutes and stops
the local PostgreSQL server for a few seconds (it is always started again).

    .venv/bin/python scripts/chaos.py [--plans 200] [--kills 5] [--seed 1]
    .venv/bin/python scripts/chaos.py --hostile [--plans 200]

Over an inbox of --plans text plans (the seeds, each copy changed by a line) and a few bad
files, into a fresh schema of PostgreSQL's database `test`:
  1. `kehoach ingest` is started and its whole process group killed with SIGKILL at a random
     moment, --kills times;
  2. one run has PostgreSQL stopped under it for a few seconds (the loader retries with
     backoff, then records the document as failed and gives the file back);
  3. runs follow until the inbox is empty.
Then it checks: every input is archived with its document stored once, or quarantined with a
reason; `documents` has no duplicates; every stored document has all its rows (as many
sections, amounts, targets, assignments and citations as a fresh extraction of the same file);
no run is left `running`. It prints the figures and exits 1 if a check fails.

With --hostile, the 30 classes of broken and hostile files of fixtures/make_hostile.py are
mixed into the plans and one `kehoach ingest` runs over them (no kills): every plan must be
stored, every hostile file archived or quarantined beside its reason (never `internal_error`),
nothing left in the inbox, and the memory of the run's whole process tree (polled) bounded by
its workers' limit.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CLI = [sys.executable, "-m", "kehoach.cli"]
BAD = {"empty.pdf": b"", "junk.pdf": bytes(range(256)) * 20, "english.txt": b"The annual report. " * 60}


def build_hostile_inbox(inbox: Path, plans: int) -> list[str]:
    """The plans and the hostile files; the names of the plans."""
    sys.path.insert(0, str(ROOT / "fixtures"))
    import make_hostile

    build_inbox(inbox, plans, bad=False)
    make_hostile.write_all(inbox)
    return sorted(p.name for p in inbox.glob("*.????.txt"))


def tree_memory(pid: int) -> int:
    """Resident bytes of a process and its descendants (forked workers counted by their own pages)."""
    import psutil

    try:
        root = psutil.Process(pid)
        total = root.memory_info().rss
        for child in root.children(recursive=True):
            try:
                mi = child.memory_info()
                total += mi.rss - getattr(mi, "shared", 0)
            except psutil.NoSuchProcess:
                continue
        return total
    except psutil.NoSuchProcess:
        return 0


def hostile(args: argparse.Namespace) -> int:
    schema = f"chaos_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG, pool_pre_ping=True)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{PG}?options=-csearch_path%3D{schema}"
    tmp = Path(tempfile.mkdtemp(prefix="kehoach-hostile-"))
    inbox = tmp / "inbox"
    plans = build_hostile_inbox(inbox, args.plans)
    inputs = sorted(p.name for p in inbox.iterdir())
    t0 = time.monotonic()
    peak = 0
    with open(tmp / "run.log", "w") as log:
        proc = ingest(inbox, url, log)
        while proc.poll() is None:
            peak = max(peak, tree_memory(proc.pid))
            time.sleep(0.2)
    seconds = time.monotonic() - t0
    failures = []
    archived = sorted(p.name for p in (tmp / "archive").rglob("*") if p.is_file())
    reasons = {p.name[:-len(".error.json")]: json.loads(p.read_text(encoding="utf-8"))["error"]
               for p in (tmp / "quarantine").rglob("*.error.json")}
    quarantined = sorted(p.name for p in (tmp / "quarantine").rglob("*") if p.is_file()
                         and not p.name.endswith(".error.json"))
    left = sorted(p.name for p in inbox.rglob("*") if p.is_file())
    if sorted(archived + quarantined) != inputs:
        failures.append(f"inputs not each archived or quarantined once: {len(archived)} archived, "
                        f"{len(quarantined)} quarantined, {len(left)} left, of {len(inputs)}")
    if sorted(reasons) != quarantined:
        failures.append("a quarantined file without its reason")
    internal = [n for n, e in reasons.items() if e["type"] == "internal_error"]
    if internal:
        failures.append(f"internal_error for {internal}")
    unloaded = [p for p in plans if p not in archived]
    if unloaded:
        failures.append(f"{len(unloaded)} plans not loaded: {unloaded[:5]}")
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT COUNT(*) FROM documents")).scalar()
    engine.dispose()
    if stored != len(archived):
        failures.append(f"{stored} documents stored, {len(archived)} archived")
    bound = MEMORY_BOUND_WORKERS * 2 ** 31 + 2 ** 30  # each worker's limit, and the flow itself
    if peak > bound:
        failures.append(f"the run's memory reached {peak >> 20} MiB, over {bound >> 20} MiB")
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
    print(f"inputs {len(inputs)} ({len(plans)} plans): archived {len(archived)}, quarantined {len(quarantined)} "
          f"(with reasons {len(reasons)}), left in the inbox {len(left)}; documents stored {stored}; "
          f"exit {proc.returncode}; {seconds:.0f} s; peak memory of the run {peak >> 20} MiB")
    for name in sorted(reasons):
        print(f"  quarantined {name!r}: {reasons[name]['type']}")
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 1 if failures else 0


# the workers of one run: one per core
MEMORY_BOUND_WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def build_inbox(inbox: Path, plans: int, bad: bool = True) -> None:
    inbox.mkdir(parents=True)
    seeds = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
    for i in range(plans):
        seed = seeds[i % len(seeds)]
        (inbox / f"{seed.stem}.{i:04d}.txt").write_text(seed.read_text(encoding="utf-8") + f"\nPhụ lục số {i}.\n",
                                                          encoding="utf-8")
    for name, data in BAD.items() if bad else ():
        (inbox / name).write_bytes(data)


def postgres(action: str) -> None:
    subprocess.run(["pg_ctlcluster", "15", "main", action], check=True, capture_output=True, timeout=60)


def _wait_for_run(url: str, proc: subprocess.Popen, timeout: float = 120.0) -> int | None:
    """The id of the run ``proc`` started (its ingestion_runs row), once it exists."""
    engine = create_engine(url, pool_pre_ping=True)
    deadline = time.monotonic() + timeout
    try:
        with engine.connect() as conn:
            before = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM ingestion_runs")).scalar() \
                if _has_runs(conn) else 0
        while time.monotonic() < deadline and proc.poll() is None:
            with engine.connect() as conn:
                if _has_runs(conn):
                    newest = conn.execute(text("SELECT MAX(id) FROM ingestion_runs WHERE status = 'running'")).scalar()
                    if newest and newest > before:
                        return newest
            time.sleep(0.2)
    finally:
        engine.dispose()
    return None


def _has_runs(conn) -> bool:  # noqa: ANN001
    return bool(conn.execute(text("SELECT COUNT(*) FROM information_schema.tables "
                                  "WHERE table_name = 'ingestion_runs' AND table_schema = current_schema()")).scalar())


def ingest(inbox: Path, url: str, log) -> subprocess.Popen:  # noqa: ANN001
    return subprocess.Popen([*CLI, "ingest", str(inbox), "--db", url, "--settle-seconds", "0"],
                            stdout=log, stderr=log, start_new_session=True, cwd=ROOT)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=200)
    ap.add_argument("--kills", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hostile", action="store_true",
                    help="one run over the plans mixed with the hostile files of fixtures/make_hostile.py")
    args = ap.parse_args()
    if args.hostile:
        return hostile(args)
    rng = random.Random(args.seed)
    schema = f"chaos_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG, pool_pre_ping=True)  # its connections die with the restarted server
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{PG}?options=-csearch_path%3D{schema}"
    tmp = Path(tempfile.mkdtemp(prefix="kehoach-chaos-"))
    inbox = tmp / "inbox"
    build_inbox(inbox, args.plans)
    inputs = sorted(p.name for p in inbox.iterdir())
    log = open(tmp / "runs.log", "w")
    events = []
    try:
        for k in range(args.kills):
            proc = ingest(inbox, url, log)
            started = _wait_for_run(url, proc)
            at = rng.uniform(0.3, 6.0)  # after the run has started: while it claims, extracts, loads, moves
            try:
                proc.wait(timeout=at)
                events.append(f"run {k + 1}: finished before its kill, {at:.1f} s after it started")
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                events.append(f"run {k + 1}: killed (SIGKILL, process group) {at:.1f} s after run {started} started")
        proc = ingest(inbox, url, log)
        _wait_for_run(url, proc)
        time.sleep(rng.uniform(1.0, 3.0))
        postgres("stop")
        try:
            time.sleep(4)
        finally:
            postgres("start")
        proc.wait(timeout=900)
        events.append(f"run {args.kills + 1}: PostgreSQL stopped under it for 4 s; exit {proc.returncode}")
        for extra in range(4):  # until the inbox is empty: files given back after a failed load
            if not [p for p in inbox.iterdir() if not p.name.startswith(".")]:
                break
            proc = ingest(inbox, url, log)
            proc.wait(timeout=900)
            events.append(f"run {args.kills + 2 + extra}: to the end, exit {proc.returncode}")
    finally:
        log.close()
        if subprocess.run(["pg_isready", "-h", "127.0.0.1"], capture_output=True).returncode != 0:
            postgres("start")
    admin.dispose()
    return check(tmp, inbox, inputs, url, admin, schema, events)


def check(tmp: Path, inbox: Path, inputs: list[str], url: str, admin, schema: str, events: list[str]) -> int:  # noqa: ANN001
    failures = []
    archived = sorted(p.name for p in (tmp / "archive").rglob("*") if p.is_file())
    quarantined = sorted(p.name for p in (tmp / "quarantine").rglob("*") if p.is_file() and not p.name.endswith(".error.json"))
    sidecars = sorted(p.name for p in (tmp / "quarantine").rglob("*.error.json"))
    left = sorted(p.name for p in inbox.rglob("*") if p.is_file())
    if sorted(archived + quarantined) != inputs:
        failures.append(f"inputs not each archived or quarantined once: {len(archived)} archived, "
                        f"{len(quarantined)} quarantined, {len(left)} left, of {len(inputs)}")
    if len(sidecars) != len(quarantined):
        failures.append("a quarantined file without its reason")
    engine = create_engine(url)
    with engine.connect() as conn:
        docs = conn.execute(text("SELECT COUNT(*), COUNT(DISTINCT sha256) FROM documents")).one()
        running = conn.execute(text("SELECT COUNT(*) FROM ingestion_runs WHERE status = 'running'")).scalar()
        runs = dict(conn.execute(text("SELECT status, COUNT(*) FROM ingestion_runs GROUP BY status")).all())
        stored = {sha: counts for sha, *counts in conn.execute(text(
            "SELECT d.sha256, (SELECT COUNT(*) FROM sections s WHERE s.document_id = d.id),"
            " (SELECT COUNT(*) FROM amounts a WHERE a.document_id = d.id),"
            " (SELECT COUNT(*) FROM targets t WHERE t.document_id = d.id),"
            " (SELECT COUNT(*) FROM assignments g WHERE g.document_id = d.id),"
            " (SELECT COUNT(*) FROM legal_references r WHERE r.document_id = d.id) FROM documents d")).all()}
    engine.dispose()
    if docs[0] != docs[1]:
        failures.append(f"documents stored twice: {docs[0]} rows, {docs[1]} distinct")
    if running:
        failures.append(f"{running} runs left running")
    good = [p for p in inputs if p.endswith(".txt") and p != "english.txt"]
    if len(stored) != len(good):
        failures.append(f"{len(stored)} documents stored, {len(good)} good inputs")
    fresh = tmp / "fresh.jsonl"
    subprocess.run([*CLI, "extract", str(tmp / "archive"), "--out", str(fresh), "-q"], cwd=ROOT)
    incomplete = 0
    for line in fresh.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["error"]:
            continue
        want = [len(r["sections"]), len(r["amounts"]), len(r["targets"]), len(r["assignments"]), len(r["legal_refs"])]
        if stored.get(r["source"]["sha256"]) != want:
            incomplete += 1
    if incomplete:
        failures.append(f"{incomplete} stored documents without all their rows")
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    print("\n".join(events))
    print(f"inputs {len(inputs)}: archived {len(archived)}, quarantined {len(quarantined)} (with reasons "
          f"{len(sidecars)}), left in the inbox {len(left)}")
    print(f"documents stored {docs[0]} ({docs[1]} distinct); runs by status {runs}; "
          f"stored documents with all their rows {len(stored) - incomplete}/{len(stored)}")
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
