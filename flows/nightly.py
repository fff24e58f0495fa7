"""Prefect flows: the nightly inbox ingestion and ad-hoc folder extraction.

Only this package imports Prefect; the flows call the same core as the CLI (extract_path,
Store.load, the inbox rules). Tasks are not cached: extraction is cheap next to reading a PDF,
and database writes must never be skipped. Loading retries with backoff on transient database
errors (a lost connection); bad input is not retried but quarantined with its reason.
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
from prefect.tasks import exponential_backoff  # noqa: E402
from sqlalchemy import exc as sa_exc  # noqa: E402

from kehoach.models.store import LoadResult, Store  # noqa: E402
from kehoach.pipeline import __version__  # noqa: E402
from kehoach.pipeline.extract import extract_path  # noqa: E402
from kehoach.pipeline.inbox import (DEFAULT_SETTLE_SECONDS, archive_file, file_sha256,  # noqa: E402
                                    quarantine_file, scan_inbox)
from kehoach.pipeline.records import Record  # noqa: E402

TRANSIENT = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError, ConnectionError,
             TimeoutError)
_stores: dict[str, Store] = {}


def _store(url: Optional[str]) -> Store:
    """One Store (engine and pool) per database per process, workers included; flows migrate it."""
    key = url or ""
    if key not in _stores:
        _stores[key] = Store(url, migrate=False)
    return _stores[key]


def _retry_transient(task, task_run, state) -> bool:  # noqa: ANN001
    try:
        state.result()
    except TRANSIENT:
        return True
    except Exception:  # noqa: BLE001
        return False
    return False


@task(name="extract-document", task_run_name="extract {path}")
def extract_document(path: str) -> tuple[Record, int, float]:
    outcome = extract_path(path, include_text=True)
    return outcome.record, outcome.pages, outcome.seconds


@task(name="load-document", task_run_name="load {sha256}", retries=3,
      retry_delay_seconds=exponential_backoff(backoff_factor=2), retry_jitter_factor=0.2,
      retry_condition_fn=_retry_transient)
def load_document(record: Record, db: Optional[str], sha256: str) -> LoadResult:
    return _store(db).load(record)


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
    run_id = store.start_run("nightly_ingest", __version__)
    today = dt.date.today()
    scan = scan_inbox(inbox_p, exclude=[archive_p, quarantine_p], settle_seconds=settle_seconds)
    counts = {"loaded": 0, "replaced": 0, "unchanged": 0, "failed": 0, "quarantined": 0}
    pages = checks = 0
    failed: list[tuple[str, str]] = []

    for path, reason in scan.refused:
        target = quarantine_file(path, inbox_p, quarantine_p, {"error": {"type": "refused", "message": reason}}, today)
        store.record_outcome(run_id, path=str(path), status="failed", error_type="refused", error_message=reason)
        counts["failed"] += 1
        counts["quarantined"] += 1
        failed.append((path.name, reason))
        log.warning("refused %s: %s (moved to %s)", path, reason, target)
    for path in scan.settling:
        log.info("left for the next run, still being written: %s", path)

    todo: list[tuple[Path, str]] = []
    for path in scan.ready:
        sha = file_sha256(path)
        if store.stored_version(sha) == __version__:
            archive_file(path, inbox_p, archive_p, today)
            store.record_outcome(run_id, path=str(path), sha256=sha, status="unchanged")
            counts["unchanged"] += 1
        else:
            todo.append((path, sha))

    extracted = [(path, sha, extract_document.submit(str(path))) for path, sha in todo]
    loads = []
    for path, sha, fut in extracted:
        record, n_pages, seconds = fut.result()
        pages += n_pages
        if record.error is not None:
            error = {"sha256": sha, "error": record.error.model_dump(), "pipeline_version": __version__}
            target = quarantine_file(path, inbox_p, quarantine_p, error, today)
            store.record_outcome(run_id, path=str(path), sha256=sha, status="failed",
                                 error_type=record.error.type, error_message=record.error.message,
                                 extract_seconds=seconds)
            counts["failed"] += 1
            counts["quarantined"] += 1
            failed.append((path.name, f"{record.error.type}: {record.error.message}"))
            log.warning("quarantined %s: %s (%s)", path, record.error.message, target)
            continue
        checks += len(record.checks)
        loads.append((path, sha, n_pages, seconds, load_document.submit(record, db, sha)))

    for path, sha, n_pages, seconds, fut in loads:
        fut.wait()
        state = fut.state
        if state.is_completed():
            result: LoadResult = fut.result()
            _settle(path, inbox_p, archive_p, today)
            store.record_outcome(run_id, path=str(path), sha256=sha, document_id=result.document_id,
                                 status=result.status, pages=n_pages or None, extract_seconds=seconds)
            counts[result.status] += 1
        else:
            # the file is fine, the database was not: it stays in the inbox for the next run
            message = _state_message(state)
            store.record_outcome(run_id, path=str(path), sha256=sha, status="failed", error_type="store_error",
                                 error_message=message, pages=n_pages or None, extract_seconds=seconds)
            counts["failed"] += 1
            failed.append((path.name, f"store_error: {message}"))
            log.error("could not load %s: %s", path, message)

    duration = time.perf_counter() - t0
    documents = len(scan.ready) + len(scan.refused)
    store.finish_run(run_id, "finished" if counts["failed"] < max(1, documents) else "failed",
                     documents=documents, pages=pages, failures=counts["failed"], checks_raised=checks,
                     duration_seconds=duration)
    summary = {"run_id": run_id, "documents": documents, **counts, "left_for_next_run": len(scan.settling),
               "skipped_extension": len(scan.skipped), "pages": pages, "checks_raised": checks,
               "duration_seconds": round(duration, 2), "store": store.url}
    create_markdown_artifact(key="nightly-ingest-summary", markdown=_summary_markdown(
        f"Nightly ingest of {inbox_p}", summary, failed), description="kehoach nightly ingest")
    log.info("summary: %s", summary)
    return summary


def _settle(path: Path, inbox: Path, archive: Path, day: dt.date) -> Path:
    return archive_file(path, inbox, archive, day)


def _state_message(state) -> str:  # noqa: ANN001
    try:
        state.result()
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:500]
    return state.message or state.type.value


@flow(name="extract_folder", log_prints=True)
def extract_folder(folder: str, out: Optional[str] = None, db: Optional[str] = None) -> dict[str, Any]:
    """Extract every document of a folder (files stay where they are); JSON Lines and/or the store."""
    from kehoach.pipeline.cli import collect_inputs, record_json

    t0 = time.perf_counter()
    files, skipped = collect_inputs([Path(folder)])
    store = _store(db) if db is not None else None
    if store is not None:
        store.ensure_schema()
    run_id = store.start_run("extract_folder", __version__) if store else None
    futures = [(f, extract_document.submit(str(f))) for f in files]
    failures = pages = checks = 0
    sink = open(out, "w", encoding="utf-8") if out else None
    try:
        for f, fut in futures:
            record, n_pages, seconds = fut.result()
            pages += n_pages
            checks += len(record.checks)
            status, err_type, err_msg, doc_id = "extracted", None, None, None
            if record.error is not None:
                failures += 1
                status, err_type, err_msg = "failed", record.error.type, record.error.message
            elif store is not None:
                lf = load_document.submit(record, db, record.source.sha256)
                lf.wait()
                state = lf.state
                if state.is_completed():
                    res = state.result()
                    status, doc_id = res.status, res.document_id
                else:
                    failures += 1
                    status, err_type, err_msg = "failed", "store_error", _state_message(state)
            if store is not None:
                store.record_outcome(run_id, path=str(f), sha256=record.source.sha256 or None, document_id=doc_id,
                                     status=status, error_type=err_type, error_message=err_msg,
                                     pages=n_pages or None, extract_seconds=seconds)
            if sink is not None:
                record.text = None
                sink.write(record_json(record) + "\n")
    finally:
        if sink is not None:
            sink.close()
    duration = time.perf_counter() - t0
    if store is not None:
        store.finish_run(run_id, "finished", documents=len(files), pages=pages, failures=failures,
                         checks_raised=checks, duration_seconds=duration)
    summary = {"documents": len(files), "pages": pages, "failures": failures, "checks_raised": checks,
               "skipped_extension": len(skipped), "duration_seconds": round(duration, 2)}
    create_markdown_artifact(key="extract-folder-summary", markdown=_summary_markdown(
        f"Extraction of {folder}", summary, []), description="kehoach folder extraction")
    return summary


def dask_runner(address: Optional[str] = None, workers: int = 2):
    """A Dask task runner: a local cluster of ``workers`` processes, or an existing scheduler."""
    from prefect_dask import DaskTaskRunner

    address = address or os.environ.get("KEHOACH_DASK_ADDRESS")
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})
