"""kehoach: Vietnamese plan documents (KẾ HOẠCH) to clean, queryable data — the Python API.

    import kehoach
    rec = kehoach.extract("plan.pdf")                  # the record `kehoach extract` writes
    rec = kehoach.extract_text(text, fmt="md")
    for rec in kehoach.extract_many(paths, workers=2): # every core by default, in the given order
        ...
    frames = kehoach.to_frames(records)                # pandas frames: amounts, targets, … (extra 'frames')

The top of the package map: it may import every layer below it; nothing imports it but the
command line. The pipeline is loaded on first use, so ``import kehoach`` stays cheap.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Optional

from kehoach.pipeline import __version__

__all__ = ["__version__", "extract", "extract_text", "extract_many", "to_frames"]


def extract(path: str | Path, *, include_text: bool = False, ocr: bool = True):
    """The record of one document; never raises for bad input (the record's ``error`` says why).
    Read in this process, with the readers' guards and limits; ``extract_many`` runs each document
    in a worker process that is also stopped past its time or memory (for files from anyone)."""
    from kehoach.pipeline.extract import extract_path

    return extract_path(path, include_text=include_text, ocr=ocr).record


def extract_text(text: str, fmt: str = "txt", path: str = "<text>"):
    """The record of a plan given as a string (the content of a .txt or .md file), text included."""
    from kehoach.pipeline.extract import extract_text as _extract_text

    return _extract_text(text, fmt=fmt, path=path)


def extract_many(paths: Iterable[str | Path], workers: Optional[int] = None, *, include_text: bool = False,
                 ocr: bool = True) -> Iterator:
    """Records of ``paths`` (files; use ``pipeline.inputs.collect_inputs`` for folders) as they
    finish, in the order given, extracted in ``workers`` worker processes (default: every core),
    each document stopped past its time or memory limit (``KEHOACH_MAX_SECONDS``,
    ``KEHOACH_MAX_MEMORY_MB``) with an error record."""
    from kehoach.pipeline.batch import default_workers, extract_files

    for _, outcome in extract_files(list(paths), workers or default_workers(), include_text, ocr):
        yield outcome.record


def to_frames(records: Iterable) -> dict:
    """pandas frames of the records' lists (amounts, targets, assignments, legal_refs, sections,
    checks), one row per item with the document's path and sha256."""
    from kehoach.models.frames import to_frames as _to_frames

    return _to_frames(records)
