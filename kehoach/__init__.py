"""kehoach: Vietnamese plan documents (KẾ HOẠCH) to clean, queryable data — the Python API.

The top of the package map: it may import every layer below it; nothing imports it but the
command line. Names are loaded on first use, so ``import kehoach`` stays cheap.
"""
from __future__ import annotations

from kehoach.pipeline import __version__

__all__ = ["__version__", "extract", "extract_text"]


def extract(path, *, include_text: bool = False, ocr: bool = True):
    """The record of one document (the same one ``kehoach extract`` writes); never raises for bad input."""
    from kehoach.pipeline.extract import extract_path

    return extract_path(path, include_text=include_text, ocr=ocr).record


def extract_text(text: str, fmt: str = "txt", path: str = "<text>"):
    """The record of a plan given as a string (the content of a .txt or .md file)."""
    from kehoach.pipeline.extract import extract_text as _extract_text

    return _extract_text(text, fmt=fmt, path=path)
