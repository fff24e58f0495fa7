"""What every reader shares: the error a bad file raises, and the limits of one document.

``IngestError`` carries a type from the contract's list (docs/contract-additions.md), so a batch
records it and goes on. ``Limits`` are checked up front where a file says how big it will get
(its size, a ZIP member's declared size, an image's pixels, a page's rendered size) and while it
is read (pages, seconds); the worker that runs a document (``pipeline.worker``) holds the time
and memory limits over the whole path, extraction included.
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
# The largest plans seen are scans of a few hundred pages, tens of MB; 200 MB leaves room and
# keeps a file read whole in memory (it is hashed and parsed from bytes) affordable.
DEFAULT_MAX_BYTES = 200 << 20
# A worker holds its models (~200 MB) and one document; an OCR'd page at 300 dpi is ~9 MB.
DEFAULT_MAX_MEMORY = 2 << 30
# An A0 sheet scanned at 300 dpi is 140 million pixels; nothing a plan holds is larger.
DEFAULT_MAX_PIXELS = 150_000_000
# A plan of 300 pages is about a million characters of text; past this, text and Markdown are
# not a plan (a capture repeated, a log) and extraction would take minutes.
DEFAULT_MAX_CHARS = 5_000_000


class IngestError(Exception):
    """A file that cannot be read; ``type`` is one of the error types of the contract notes."""

    def __init__(self, type_: str, message: str):
        super().__init__(message)
        self.type = type_
        self.message = message


def _env_number(name: str, default: float, scale: int = 1) -> float:
    value = os.environ.get(name)
    return float(value) * scale if value else default


@dataclass(frozen=True)
class Limits:
    """Per-document limits: pages, seconds (reading, OCR and extraction), bytes of the file,
    memory of the worker, pixels of an image or rendered page, characters of a text."""
    max_pages: int = DEFAULT_MAX_PAGES
    max_seconds: float = DEFAULT_MAX_SECONDS
    max_bytes: int = DEFAULT_MAX_BYTES
    max_memory: int = DEFAULT_MAX_MEMORY
    max_pixels: int = DEFAULT_MAX_PIXELS
    max_chars: int = DEFAULT_MAX_CHARS
    started: float = field(default_factory=time.monotonic, compare=False)

    @classmethod
    def from_env(cls) -> "Limits":
        """KEHOACH_MAX_PAGES, KEHOACH_MAX_SECONDS, KEHOACH_MAX_MB (file size) and
        KEHOACH_MAX_MEMORY_MB, or the defaults; a clock started now."""
        return cls(int(_env_number("KEHOACH_MAX_PAGES", DEFAULT_MAX_PAGES)),
                   _env_number("KEHOACH_MAX_SECONDS", DEFAULT_MAX_SECONDS),
                   int(_env_number("KEHOACH_MAX_MB", DEFAULT_MAX_BYTES, 1 << 20)),
                   int(_env_number("KEHOACH_MAX_MEMORY_MB", DEFAULT_MAX_MEMORY, 1 << 20)))

    @property
    def deadline(self) -> float:
        return self.started + self.max_seconds

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check_pages(self, pages: int) -> None:
        if pages > self.max_pages:
            raise IngestError("too_many_pages", f"{pages} pages, more than the limit of {self.max_pages} "
                              "(KEHOACH_MAX_PAGES or --max-pages)")

    def check_time(self, where: str) -> None:
        if time.monotonic() > self.deadline:
            raise IngestError("timeout", f"gave up after {self.max_seconds:g} s {where} "
                              "(KEHOACH_MAX_SECONDS or --max-seconds)")
