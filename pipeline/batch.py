"""One file through extraction and, when a store is given, into the database.

The CLI and the Prefect flows both call ``process_file``; it never raises for a bad document
or a failed load, so every caller can go on with the next file and report this one.
"""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from kehoach.pipeline.extract import extract_path
from kehoach.pipeline.records import Record

if TYPE_CHECKING:  # the store is optional: extraction alone needs no database
    from kehoach.models.store import LoadResult, Store


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
        if self.record.error is not None or self.store_error is not None:
            return "failed"
        return self.load.status if self.load else "extracted"


def process_file(path: str | Path, store: Optional["Store"] = None, include_text: bool = False,
                 ocr: bool = True) -> FileResult:
    outcome = extract_path(path, include_text=include_text or store is not None, ocr=ocr)
    result = FileResult(str(path), outcome.record, outcome.pages, outcome.seconds)
    if store is not None and outcome.record.error is None:
        t0 = time.perf_counter()
        try:
            result.load = store.load(outcome.record)
        except Exception as exc:  # a database error loses this document's load, not the run
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            result.store_error = f"loading into the store failed: {detail[:500]}"
        result.load_seconds = time.perf_counter() - t0
    if not include_text:
        outcome.record.text = None
    return result


def record_outcome(store: "Store", run_id: int, result: FileResult) -> None:
    err = result.record.error
    store.record_outcome(
        run_id, path=result.path, sha256=result.record.source.sha256 or None,
        document_id=result.load.document_id if result.load else None, status=result.status,
        error_type=err.type if err else ("store_error" if result.store_error else None),
        error_message=err.message if err else result.store_error, pages=result.pages or None,
        extract_seconds=result.extract_seconds, load_seconds=result.load_seconds or None)
