"""The two PDF libraries behind one small interface, as Docling puts each behind a backend.

pdfplumber (on pdfminer.six) reads text layers: lines with their characters, and tables;
pypdfium2 (PDFium) renders pages and looks at their images. Everything the pipeline asks of a
PDF goes through ``TextLayer`` and ``Raster``, and each call has a contract test
(tests/test_pdf_backend.py), so an upgrade that changes a library's API fails a test instead of
degrading output.

Only the libraries' own exceptions for bad files are caught, and turned into ``PdfError`` with a
type of the contract (``encrypted``, ``corrupt_pdf``) — an ``IngestError`` like any reader's; anything
else is a bug and propagates.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any, Optional

from kehoach.pipeline.readers.limits import DEFAULT_MAX_PIXELS, IngestError

# pdfminer logs every recoverable syntax problem of a damaged file as a warning
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)

# An image narrower than this (in points) is a logo or a stamp, not a scanned page.
MIN_SCAN_WIDTH_PT = 100


class PdfError(IngestError):
    """A PDF the libraries cannot open: encrypted, or damaged beyond reading."""


def _pdfminer_errors() -> tuple[type[BaseException], ...]:
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    return (PdfminerException, PDFException, PSException)


def _classify(exc: BaseException) -> PdfError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
        return PdfError("encrypted", "PDF is encrypted with a password")
    if isinstance(inner, PDFSyntaxError):
        return PdfError("corrupt_pdf", f"PDF structure is damaged: {inner}")
    return PdfError("corrupt_pdf", f"PDF cannot be parsed ({type(inner).__name__}: {inner})")


@dataclass
class PageText:
    """One page's text layer: pdfplumber's lines (text, x0, x1, chars with fontname) and size."""
    lines: list[dict[str, Any]]
    width: float
    warning: Optional[str] = None  # the page's text layer could not be read

    @property
    def text(self) -> str:
        return "\n".join(ln["text"] for ln in self.lines)


@dataclass
class FoundTable:
    """One table pdfplumber found on a page: its rows of cell texts and its top and bottom (points)."""
    rows: list[list[Optional[str]]]
    top: float
    bottom: float


class TextLayer:
    """pdfplumber over the bytes of a PDF. Raises ``PdfError`` for a file it cannot open."""

    def __init__(self, data: bytes):
        import pdfplumber

        try:
            self._pdf = pdfplumber.open(io.BytesIO(data))
            self.page_count = len(self._pdf.pages)
        except _pdfminer_errors() as exc:
            raise _classify(exc) from exc
        if self.page_count == 0:
            self.close()
            raise PdfError("corrupt_pdf", "PDF has no pages (truncated or damaged file)")

    def page(self, index: int) -> PageText:
        """The text lines of page ``index`` (0-based); a damaged page gives no lines and a warning."""
        page = self._pdf.pages[index]
        try:
            lines = page.extract_text_lines(return_chars=True)
            warning = None
        except _pdfminer_errors() as exc:
            lines, warning = [], f"page {index + 1}: text layer unreadable ({type(exc).__name__})"
        return PageText(lines, float(page.width), warning)

    def rulings(self, index: int) -> int:
        """How many ruling lines and rectangles page ``index`` draws (a ruled table draws many)."""
        page = self._pdf.pages[index]
        return len(page.lines) + len(page.rects)

    def tables(self, index: int, ruled: bool = True) -> list[list[list[Optional[str]]]]:
        """pdfplumber's tables of page ``index``: rows of cell texts (None for a merged cell); with
        ``ruled`` False, tables whose columns are aligned text without lines."""
        return [t.rows for t in self.found_tables(index, ruled)]

    def found_tables(self, index: int, ruled: bool = True) -> list[FoundTable]:
        """The tables of ``tables`` with where they stand on the page, top to bottom (a table that
        runs on to the next page is told by what stands below it and above the next one)."""
        page = self._pdf.pages[index]
        settings = None if ruled else {"vertical_strategy": "text", "horizontal_strategy": "text"}
        try:
            found = page.find_tables(settings)
            return [FoundTable(t.extract(), float(t.bbox[1]), float(t.bbox[3])) for t in found]
        finally:
            page.flush_cache()

    def release(self, index: int) -> None:
        self._pdf.pages[index].flush_cache()

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> "TextLayer":
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.close()


class Raster:
    """pypdfium2 over the bytes of a PDF: page images for OCR."""

    def __init__(self, data: bytes):
        import pypdfium2 as pdfium

        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise PdfError("corrupt_pdf", f"PDF cannot be rendered ({exc})") from exc

    def __len__(self) -> int:
        return len(self._pdf)

    def native_dpi(self, index: int) -> Optional[float]:
        """Resolution of the largest image on the page (a scan is one image covering it)."""
        import pypdfium2 as pdfium

        page = self._pdf[index]
        best = None
        for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
            # the long sides against each other: right also when the image is placed turned
            extent = max(right - left, top - bottom)
            if right - left > MIN_SCAN_WIDTH_PT and px_w:
                best = max(best or 0.0, max(px_w, px_h) / (extent / 72))
        return best

    def render(self, index: int, dpi: float, max_pixels: int = DEFAULT_MAX_PIXELS):  # noqa: ANN201 - a PIL image
        """Page ``index`` in grey at ``dpi``, as a PIL image — at a lower resolution when the page
        is so large (a PDF can declare a page of 200 × 200 inches) that it would pass ``max_pixels``."""
        page = self._pdf[index]
        width, height = page.get_size()  # points
        scale = dpi / 72
        if width * height * scale * scale > max_pixels:
            scale = (max_pixels / max(1.0, width * height)) ** 0.5
        return page.render(scale=scale, grayscale=True).to_pil()

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> "Raster":
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.close()
