"""What every reader of a format shares: the error a bad file raises, and the limits of one document.

``IngestError`` carries a type from the contract's short list (``empty``, ``unsupported_format``,
``encoding``, ``not_vietnamese``, ``encrypted``, ``corrupt_pdf``, ``needs_ocr``, ``no_text``,
``too_many_pages``, ``timeout``, ``unreadable``), so a batch records it and goes on.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

# A nightly run must not hang on one file: a scanner left running makes a PDF of thousands of
# white pages, a PDF bomb claims millions. Plans run to tens of pages, appendices to a few
# hundred; OCR takes 1.5 s a page on two cores.
DEFAULT_MAX_PAGES = 1000
DEFAULT_MAX_SECONDS = 900.0


class IngestError(Exception):
    """A file that cannot be read; ``type`` is one of the error types of the contract notes."""

    def __init__(self, type_: str, message: str):
        super().__init__(message)
        self.type = type_
        self.message = message


@dataclass(frozen=True)
class Limits:
    """Per-document limits: pages read, and seconds spent (reading and OCR)."""
    max_pages: int = DEFAULT_MAX_PAGES
    max_seconds: float = DEFAULT_MAX_SECONDS
    started: float = field(default_factory=time.monotonic, compare=False)

    @classmethod
    def from_env(cls) -> "Limits":
        """KEHOACH_MAX_PAGES and KEHOACH_MAX_SECONDS, or the defaults; a clock started now."""
        return cls(int(os.environ.get("KEHOACH_MAX_PAGES") or DEFAULT_MAX_PAGES),
                   float(os.environ.get("KEHOACH_MAX_SECONDS") or DEFAULT_MAX_SECONDS))

    @property
    def deadline(self) -> float:
        return self.started + self.max_seconds

    def check_pages(self, pages: int) -> None:
        if pages > self.max_pages:
            raise IngestError("too_many_pages", f"{pages} pages, more than the limit of {self.max_pages} "
                              "(KEHOACH_MAX_PAGES or --max-pages)")

    def check_time(self, where: str) -> None:
        if time.monotonic() > self.deadline:
            raise IngestError("timeout", f"gave up after {self.max_seconds:g} s {where} "
                              "(KEHOACH_MAX_SECONDS or --max-seconds)")
