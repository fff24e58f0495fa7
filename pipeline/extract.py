"""One document through the whole chain: ingest → normalise → frame and sections → extract.

``extract_path`` never raises for a bad document: what cannot be read becomes a record with
``error`` set and empty lists, so a batch keeps every document it was given.
"""
from __future__ import annotations

import dataclasses
import hashlib
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from kehoach.extractors import amounts, assignments, checks, legal_refs, metadata, places, tables, targets
from kehoach.extractors.context import Document, check_order
from kehoach.normalizers.layout import normalize_layout
from kehoach.pipeline import __version__
from kehoach.pipeline.readers.cell_lines import cell_line_tables
from kehoach.pipeline.frame import find_frame
from kehoach.pipeline.readers import (FORMAT_NAMES, MARKDOWN_EXTENSIONS, IngestError, Limits, markdown_tables,
                                      read_document, sha256_bytes, sniff)
from kehoach.models.records import ErrorInfo, RawDocument, Record, Source
from kehoach.pipeline.segment import segment


@dataclass
class Outcome:
    record: Record
    seconds: float
    pages: int
    peak_memory: Optional[int] = None  # bytes, when a worker watched it


# The extractors in the order they run; each declares what it requires and assigns.
CHAIN = [tables.COMPONENT, metadata.COMPONENT, legal_refs.COMPONENT, amounts.COMPONENT, checks.COMPONENT,
         targets.COMPONENT, assignments.COMPONENT, places.COMPONENT]
check_order(CHAIN)


def extract_raw(raw: RawDocument, include_text: bool = False) -> Record:
    return run_chain(raw, include_text).record


def run_chain(raw: RawDocument, include_text: bool = False) -> Document:
    """The chain on one read document; the ``Document`` keeps what the extractors handed each
    other (the tables read, the money mentions) for audits that look behind the record."""
    nt = normalize_layout(raw)
    frame = find_frame(nt)
    record = Record(source=_source(raw), sections=segment(nt, frame), warnings=list(raw.warnings),
                    pipeline_version=__version__, text=nt.text if include_text else None)
    doc = Document(nt=nt, frame=frame, record=record, tables=list(raw.tables))
    for component in CHAIN:
        component.run(doc)
    return doc


def extract_text(text: str, fmt: str = "txt", path: str = "<text>") -> Record:
    """Extract from a string, as if it were the content of a .txt or .md file."""
    data = text.encode("utf-8")
    tables = (markdown_tables(text) if fmt == "md" else []) + cell_line_tables(text)
    raw = RawDocument(path=path, sha256=sha256_bytes(data), format=fmt, size_bytes=len(data),
                      text=text, tables=tables)
    return extract_raw(raw, include_text=True)


def _source(raw: RawDocument) -> Source:
    return Source(path=raw.path, sha256=raw.sha256, format=raw.format, pages=raw.page_count,
                  ocr=any(m["method"] != "text" for m in raw.page_methods), size_bytes=raw.size_bytes,
                  pages_needing_ocr=raw.pages_needing_ocr, page_methods=raw.page_methods)


def extract_path(path: str | Path, include_text: bool = False, ocr: bool = True,
                 limits: Limits | None = None) -> Outcome:
    t0 = time.perf_counter()
    path = str(path)
    # each document's clock starts when its reading does
    limits = dataclasses.replace(limits or Limits.from_env(), started=time.monotonic())
    try:
        raw = read_document(path, ocr=ocr, limits=limits)
        record = extract_raw(raw, include_text=include_text)
        pages = raw.page_count or 0
    except IngestError as exc:
        record = error_record(path, exc.type, exc.message, max_bytes=limits.max_bytes)
        pages = 0
    except MemoryError:
        # an allocation refused (the worker's memory limit, or the machine's): this document's
        record = error_record(path, "out_of_memory", "ran out of memory reading or extracting this document",
                              max_bytes=limits.max_bytes)
        pages = 0
    except Exception as exc:  # a bug on one document must not stop the batch
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        record = error_record(path, "internal_error", f"extraction failed: {detail}", max_bytes=limits.max_bytes)
        pages = 0
    return Outcome(record, time.perf_counter() - t0, pages)


def error_record(path: str, type_: str, message: str, max_bytes: Optional[int] = None) -> Record:
    """The record of a document that could not be read: what it is, as far as its bytes say."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if max_bytes is not None and size > max_bytes:
            # too large to be read whole again: hashed as a stream, its format from its first bytes
            with p.open("rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
                f.seek(0)
                head = f.read(4096)
            fmt = FORMAT_NAMES.get(sniff(head), "unknown")
        else:
            data = p.read_bytes()
            digest, size = sha256_bytes(data), len(data)
            fmt = FORMAT_NAMES.get(sniff(data), "unknown") if data.strip() else "empty"
        if fmt == "txt" and p.suffix.lower() in MARKDOWN_EXTENSIONS:
            fmt = "md"
    except OSError:
        digest, size, fmt = "", 0, "unknown"
    return Record(source=Source(path=path, sha256=digest, format=fmt, size_bytes=size),
                  pipeline_version=__version__, error=ErrorInfo(type=type_, message=message))
