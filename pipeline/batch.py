"""Files through extraction and, when a store is given, into the database: the one per-file path.

The CLI (``kehoach extract``), the Python API and both Prefect flows go through
``process_files``; it never raises for a bad document or a failed load, so every caller goes on
with the next file and reports this one with ``record_outcome``. A run's status is decided by
``run_status``, the same rule for every kind of run.

Extraction runs in worker processes (``pipeline.worker``), ``workers`` of them: documents are
independent and the work is CPU-bound, and a worker that passes a document's time or memory
limit is stopped and replaced, the document recorded with the reason. Loading stays in the calling process, one transaction per document, so a store
needs no more than one connection per run. Results come back in the order the paths were given.
"""
from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional

from kehoach.models.records import Record
from kehoach.pipeline.extract import Outcome
from kehoach.pipeline.readers import Limits
from kehoach.pipeline.worker import Job, WorkerPool, can_start_workers, run_jobs, shared_pool  # noqa: F401

if TYPE_CHECKING:  # the store is optional: extraction alone needs no database
    from kehoach.models.store import LoadResult, Store

# A lost connection or a database restarting is worth waiting for; anything else is not.
LOAD_ATTEMPTS = 4
LOAD_BACKOFF_SECONDS = 0.5  # doubled after each failed attempt: 0.5, 1, 2 s


@dataclass
class FileResult:
    path: str
    record: Record
    pages: int
    extract_seconds: float
    load: Optional["LoadResult"] = None
    load_seconds: float = 0.0
    store_error: Optional[str] = None

    @property
    def failed(self) -> bool:
        return self.record.error is not None or self.store_error is not None

    @property
    def status(self) -> str:
        if self.failed:
            return "failed"
        return self.load.status if self.load else "extracted"

    @property
    def reason(self) -> Optional[str]:
        """'type: message' of a failure, None when the file went through."""
        e = self.record.error
        if e is not None:
            return f"{e.type}: {e.message}"
        return f"store_error: {self.store_error}" if self.store_error else None


def run_status(documents: int, failures: int) -> str:
    """A run failed when it had documents and every one of them failed; otherwise it finished."""
    return "failed" if documents and failures >= documents else "finished"


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _transient_errors() -> tuple[type[BaseException], ...]:
    from sqlalchemy import exc as sa_exc

    return (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError, ConnectionError,
            TimeoutError)


def load_record(store: "Store", result: FileResult, sleep: Callable[[float], None] = time.sleep) -> None:
    """Load ``result.record``, retrying transient database errors with exponential backoff; a
    load that still fails is recorded on the result (the file stays for the next run)."""
    transient = _transient_errors()
    t0 = time.perf_counter()
    delay = LOAD_BACKOFF_SECONDS
    for attempt in range(1, LOAD_ATTEMPTS + 1):
        try:
            result.load = store.load(result.record)
            result.store_error = None
            break
        except transient as exc:
            result.store_error = _describe(exc)
            if attempt == LOAD_ATTEMPTS:
                break
            store.engine.dispose()  # the pool's connections died with the server
            sleep(delay)
            delay *= 2
        except Exception as exc:  # noqa: BLE001 — a database error loses this document's load, not the run
            result.store_error = _describe(exc)
            break
    result.load_seconds = time.perf_counter() - t0


def _describe(exc: BaseException) -> str:
    detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return f"loading into the store failed: {detail[:500]}"


def extract_files(paths: Iterable[str | Path], workers: int = 1, include_text: bool = False,
                  ocr: bool = True, pool: Optional[WorkerPool] = None,
                  limits: Optional[Limits] = None) -> Iterator[tuple[str, Outcome]]:
    """(path, outcome) for each path, in the given order; each document in a worker process
    (``workers`` of them, or those of ``pool``) stopped when it passes its time or memory."""
    paths = [str(p) for p in paths]
    limits = limits or Limits.from_env()
    jobs = [Job(p, include_text, ocr, limits) for p in paths]
    yield from zip(paths, run_jobs(jobs, workers, pool))


def process_files(paths: Iterable[str | Path], store: Optional["Store"] = None, workers: int = 1,
                  include_text: bool = False, ocr: bool = True, pool: Optional[WorkerPool] = None,
                  limits: Optional[Limits] = None) -> Iterator[FileResult]:
    """Each file extracted (in ``workers`` processes, or ``pool``) and, with a store, loaded; in input order."""
    keep_text = include_text or store is not None  # the store keeps the text spans point into
    for path, outcome in extract_files(paths, workers, keep_text, ocr, pool, limits):
        result = FileResult(path, outcome.record, outcome.pages, outcome.seconds)
        if store is not None and outcome.record.error is None:
            load_record(store, result)
        if not include_text:
            result.record.text = None
        yield result


def process_file(path: str | Path, store: Optional["Store"] = None, include_text: bool = False,
                 ocr: bool = True) -> FileResult:
    return next(process_files([path], store, 1, include_text, ocr))


def record_outcome(store: "Store", run_id: int, result: FileResult) -> None:
    err = result.record.error
    store.record_outcome(
        run_id, path=result.path, sha256=result.record.source.sha256 or None,
        document_id=result.load.document_id if result.load else None, status=result.status,
        error_type=err.type if err else ("store_error" if result.store_error else None),
        error_message=err.message if err else result.store_error, pages=result.pages or None,
        extract_seconds=result.extract_seconds, load_seconds=result.load_seconds or None)
