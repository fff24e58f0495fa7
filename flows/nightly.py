"""Prefect flows: the nightly inbox ingestion and ad-hoc folder extraction.

Only this package imports Prefect. Both flows run the pipeline's one per-file path
(``pipeline.batch.process_files``: extract, load with retries on transient database errors,
an outcome per file) over batches of documents: Prefect's own cost — a task run's states and
log lines — is paid once per batch, not once per document. With the default runner a batch
extracts its documents in the worker processes shared by all batches of the run (every core,
never more), each document stopped when it passes its time or memory (``pipeline.worker``); on
Dask each worker process takes whole batches. Tasks are not cached: database writes
must never be skipped.

Logs: a line per batch and the summary at INFO; a line per document at DEBUG.
"""
from __future__ import annotations

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network at run time
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")

import datetime as dt  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Optional  # noqa: E402

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402

from kehoach.models.records import record_json  # noqa: E402
from kehoach.models.store import Store  # noqa: E402
from kehoach.pipeline import __version__  # noqa: E402
from kehoach.pipeline.batch import (FileResult, can_start_workers, default_workers, process_files,  # noqa: E402
                                    record_outcome, run_status, shared_pool)
from kehoach.pipeline.inbox import (DEFAULT_SETTLE_SECONDS, RunClaim, archive_file, dead_runs,  # noqa: E402
                                    file_sha256, quarantine_file, reclaim, scan_inbox)
from kehoach.pipeline.inputs import collect_inputs  # noqa: E402
from kehoach.pipeline.worker import stop_shared_pools  # noqa: E402

# A batch is about this many bytes of input (at least one document): large enough that
# Prefect's per-task cost vanishes, small enough that the UI shows progress and a crash loses
# little work in flight.
BATCH_BYTES = 4 << 20
MAX_BATCH_DOCUMENTS = 25

_stores: dict[str, Store] = {}


def _store(url: Optional[str]) -> Store:
    """One Store (engine and pool) per database per process, workers included; flows migrate it."""
    key = url or ""
    if key not in _stores:
        _stores[key] = Store(url, migrate=False)
    return _stores[key]


def batches(paths: list[Path], max_bytes: int = BATCH_BYTES, max_docs: int = MAX_BATCH_DOCUMENTS,
            min_batches: int = 1) -> list[list[Path]]:
    """Consecutive groups of ``paths`` of about ``max_bytes`` each, and at least ``min_batches``
    groups when there are that many files (so every worker of a cluster gets one)."""
    if not paths:
        return []
    sizes = [p.stat().st_size if p.exists() else 0 for p in paths]
    per = min(max_bytes, max(1, sum(sizes) // max(1, min_batches)))
    docs = min(max_docs, max(1, -(-len(paths) // max(1, min_batches))))
    out: list[list[Path]] = [[]]
    held = 0
    for p, size in zip(paths, sizes):
        if out[-1] and (held + size > per or len(out[-1]) >= docs):
            out.append([])
            held = 0
        out[-1].append(p)
        held += size
    return out


@task(name="process-batch", task_run_name="batch {index}: {count} documents")
def process_batch(paths: list[str], db: Optional[str], index: int, count: int,
                  load: bool = True) -> list[FileResult]:
    """Extract a batch of documents and (with ``load``) load them into ``db`` — the configured
    store when None; one transaction per document, in order."""
    log = get_run_logger()
    t0 = time.perf_counter()
    store = _store(db) if load else None
    # every document, a batch of one too, in a worker that is stopped past its time or memory;
    # a Dask worker (daemonic) may not start processes: its documents run in it
    pool = shared_pool(default_workers()) if can_start_workers() else None
    results = []
    for r in process_files(paths, store, workers=1, pool=pool):
        log.debug("%s: %s%s", r.path, r.status, f" ({r.reason})" if r.failed else "")
        results.append(r)
    failed = sum(r.failed for r in results)
    log.info("batch %d: %d documents, %d pages, %d failed, %.1f s", index, len(results),
             sum(r.pages for r in results), failed, time.perf_counter() - t0)
    return results


def _run_batches(paths: list[Path], db: Optional[str], load: bool = True):
    """Submit the batches, then yield each file's result in order as its batch finishes."""
    groups = batches(paths, min_batches=2)
    futures = [process_batch.submit([str(p) for p in g], db, i + 1, len(g), load)
               for i, g in enumerate(groups)]
    for fut in futures:
        yield from fut.result()


def _summary_markdown(title: str, summary: dict[str, Any], failed: list[tuple[str, str]]) -> str:
    lines = [f"# {title}", "", "| | |", "|---|---|"]
    lines += [f"| {k.replace('_', ' ')} | {v} |" for k, v in summary.items() if not isinstance(v, (list, dict))]
    if failed:
        lines += ["", "## Failed files", "", "| file | reason |", "|---|---|"]
        lines += [f"| {p} | {reason} |" for p, reason in failed]
    return "\n".join(lines)


@flow(name="nightly_ingest", log_prints=True)
def nightly_ingest(inbox: str, archive: Optional[str] = None, quarantine: Optional[str] = None,
                   db: Optional[str] = None, settle_seconds: float = DEFAULT_SETTLE_SECONDS) -> dict[str, Any]:
    """Load what is new or changed in the inbox; archive it, or quarantine it with the reason."""
    log = get_run_logger()
    t0 = time.perf_counter()
    inbox_p = Path(inbox).resolve()
    archive_p = Path(archive) if archive else inbox_p.parent / "archive"
    quarantine_p = Path(quarantine) if quarantine else inbox_p.parent / "quarantine"
    store = _store(db)
    store.ensure_schema()  # also when this process opened the store earlier without migrating
    for dead in dead_runs(inbox_p):
        done = store.abandon_run(dead)
        back = reclaim(inbox_p, dead)
        log.warning("run %d died: marked abandoned (it had recorded %s); %d claimed files back in the inbox",
                    dead, done or "nothing", len(back))
    run_id = store.start_run("nightly_ingest", __version__)
    claim = RunClaim(inbox_p, run_id)
    try:
        summary = _ingest(store, run_id, claim, inbox_p, archive_p, quarantine_p, db, settle_seconds, log, t0)
    except BaseException:
        # ended by a signal or an error: the batches in flight stop now rather than finish
        # their documents (up to a document's time limit) into a run that is over
        stop_shared_pools()
        # this process goes on (a test, a worker): its claims go back now, not when it exits
        claim.give_back_all()
        store.abandon_run(run_id)
        claim.release()
        raise
    claim.release()
    return summary


def _ingest(store: Store, run_id: int, claim: RunClaim, inbox_p: Path, archive_p: Path, quarantine_p: Path,
            db: Optional[str], settle_seconds: float, log, t0: float) -> dict[str, Any]:  # noqa: ANN001
    today = dt.date.today()
    scan = scan_inbox(inbox_p, exclude=[archive_p, quarantine_p], settle_seconds=settle_seconds)
    counts = {"loaded": 0, "replaced": 0, "unchanged": 0, "failed": 0, "quarantined": 0}
    pages = checks = 0
    failed: list[tuple[str, str]] = []
    base = claim.folder  # claimed files keep their place in the inbox below it

    refused = [(taken, reason) for path, reason in scan.refused if (taken := claim.take(path)) is not None]
    for path, reason in refused:
        target = quarantine_file(path, base, quarantine_p, {"error": {"type": "refused", "message": reason}}, today)
        store.record_outcome(run_id, path=str(claim.original(path)), status="failed", error_type="refused",
                             error_message=reason)
        counts["failed"] += 1
        counts["quarantined"] += 1
        failed.append((path.name, reason))
        log.warning("refused %s: %s (moved to %s)", claim.original(path), reason, target)
    if scan.settling:
        log.info("%d files still being written, left for the next run", len(scan.settling))
        for path in scan.settling:
            log.debug("left for the next run: %s", path)

    ready = [taken for path in scan.ready if (taken := claim.take(path)) is not None]
    if len(ready) < len(scan.ready):
        log.info("%d files were taken by another run", len(scan.ready) - len(ready))
    todo: list[Path] = []
    for path in ready:
        sha = file_sha256(path)
        if store.stored_version(sha) == __version__:
            archive_file(path, base, archive_p, today)
            store.record_outcome(run_id, path=str(claim.original(path)), sha256=sha, status="unchanged")
            counts["unchanged"] += 1
        else:
            todo.append(path)

    for result in _run_batches(todo, db):
        path = Path(result.path)
        pages += result.pages
        result.path = str(claim.original(path))
        record_outcome(store, run_id, result)
        if result.record.error is None:
            checks += len(result.record.checks)
        if result.record.error is not None:
            error = {"sha256": result.record.source.sha256, "error": result.record.error.model_dump(),
                     "pipeline_version": __version__}
            target = quarantine_file(path, base, quarantine_p, error, today)
            counts["failed"] += 1
            counts["quarantined"] += 1
            failed.append((path.name, result.reason))
            log.warning("quarantined %s: %s (%s)", result.path, result.reason, target)
        elif result.store_error is not None:
            # the file is fine, the database was not: it goes back into the inbox for the next run
            claim.give_back(path)
            counts["failed"] += 1
            failed.append((path.name, result.reason))
            log.error("could not load %s: %s", result.path, result.store_error)
        else:
            _settle(path, base, archive_p, today)
            counts[result.status] += 1

    duration = time.perf_counter() - t0
    documents = len(ready) + len(refused)
    store.finish_run(run_id, run_status(documents, counts["failed"]), documents=documents, pages=pages,
                     failures=counts["failed"], checks_raised=checks, duration_seconds=duration)
    summary = {"run_id": run_id, "documents": documents, **counts, "left_for_next_run": len(scan.settling),
               "skipped_extension": len(scan.skipped), "pages": pages, "checks_raised": checks,
               "duration_seconds": round(duration, 2), "store": store.url}
    create_markdown_artifact(key="nightly-ingest-summary", markdown=_summary_markdown(
        f"Nightly ingest of {inbox_p}", summary, failed), description="kehoach nightly ingest")
    log.info("summary: %s", summary)
    return summary


def _settle(path: Path, inbox: Path, archive: Path, day: dt.date) -> Path:
    return archive_file(path, inbox, archive, day)


@flow(name="extract_folder", log_prints=True)
def extract_folder(folder: str, out: Optional[str] = None, db: Optional[str] = None) -> dict[str, Any]:
    """Extract every document of a folder (files stay where they are); JSON Lines and/or the store."""
    log = get_run_logger()
    t0 = time.perf_counter()
    files, skipped = collect_inputs([Path(folder)])
    store = _store(db) if db is not None else None
    if store is not None:
        store.ensure_schema()
    run_id = store.start_run("extract_folder", __version__) if store else None
    failures = pages = checks = 0
    failed: list[tuple[str, str]] = []
    sink = open(out, "w", encoding="utf-8") if out else None
    try:
        for result in _run_batches(files, db, load=db is not None):
            pages += result.pages
            checks += len(result.record.checks)
            if result.failed:
                failures += 1
                failed.append((Path(result.path).name, result.reason))
                log.warning("failed %s: %s", result.path, result.reason)
            if store is not None:
                record_outcome(store, run_id, result)
            if sink is not None:
                sink.write(record_json(result.record) + "\n")
    finally:
        if sink is not None:
            sink.close()
    duration = time.perf_counter() - t0
    if store is not None:
        store.finish_run(run_id, run_status(len(files), failures), documents=len(files), pages=pages,
                         failures=failures, checks_raised=checks, duration_seconds=duration)
    summary = {"documents": len(files), "pages": pages, "failures": failures, "checks_raised": checks,
               "skipped_extension": len(skipped), "duration_seconds": round(duration, 2)}
    create_markdown_artifact(key="extract-folder-summary", markdown=_summary_markdown(
        f"Extraction of {folder}", summary, failed), description="kehoach folder extraction")
    log.info("summary: %s", summary)
    return summary


def dask_runner(address: Optional[str] = None, workers: int = 2):
    """A Dask task runner: a local cluster of ``workers`` processes, or an existing scheduler."""
    from prefect_dask import DaskTaskRunner

    address = address or os.environ.get("KEHOACH_DASK_ADDRESS")
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})
