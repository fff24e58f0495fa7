"""Page images (.png, .jpg, .tif — multi-page TIFF is how many scanners deliver): OCR, page by page.

Each image, or each frame of a TIFF, is one page, read through the same OCR path as a scanned
PDF page (``readers.ocr``: blank pages skipped, deskew, Tesseract's Vietnamese model, cache).
Every frame's size is checked before any pixel is decoded (``guards``): a decompression bomb
(a PNG of 40,000 × 40,000) is refused as ``image_too_large``.
"""
from __future__ import annotations

from kehoach.models.records import RawDocument
from kehoach.pipeline.readers.pdf import MIN_PAGE_LETTERS, _document_tables, repair_numbering, ocr_or_error
from kehoach.pipeline.readers.guards import check_pixels, open_image
from kehoach.pipeline.readers.limits import IngestError, Limits


def frame_count(data: bytes, limits: Limits) -> int:
    """How many pages the image holds, each checked against the pixel limit."""
    im = open_image(data, limits)
    with im:
        n = getattr(im, "n_frames", 1)
        limits.check_pages(n)
        for i in range(1, n):  # a TIFF's later pages have sizes of their own
            try:
                im.seek(i)
            except (OSError, EOFError) as exc:
                raise IngestError("corrupt_image", f"image page {i + 1} cannot be read ({type(exc).__name__}: {exc})") \
                    from exc
            check_pixels(*im.size, limits, what=f"page {i + 1}")
    return n


def read_image(data: bytes, path: str, digest: str, ocr: bool = True, limits: Limits | None = None) -> RawDocument:
    limits = limits or Limits.from_env()
    n = frame_count(data, limits)
    limits.check_pages(n)
    if not ocr:
        raise IngestError("needs_ocr", f"an image of {n} page{'s' if n > 1 else ''}: it needs OCR (--no-ocr was given)")
    warnings: list[str] = []
    pages = ocr_or_error(data, digest, list(range(1, n + 1)), warnings, limits, kind="image")
    if not pages:
        raise IngestError("needs_ocr", f"an image of {n} pages needs OCR ({'; '.join(warnings)})")
    repair_numbering(pages)
    texts, starts, methods, offset = [], [], [], 0
    for i in range(1, n + 1):
        starts.append(offset)
        texts.append(pages[i].text)
        methods.append({"page": i, "method": pages[i].method, "confidence": pages[i].confidence,
                        "reason": "page image"})
        offset += len(pages[i].text) + 1
    if sum(1 for t in texts for c in t if c.isalpha()) < MIN_PAGE_LETTERS:
        raise IngestError("no_text", f"no readable text: OCR found none on the {n} page images")
    return RawDocument(path=path, sha256=digest, format="image", size_bytes=len(data), text="\f".join(texts),
                       page_starts=starts, paged=True, warnings=warnings, page_methods=methods,
                       tables=_document_tables([], pages, starts, "\f".join(texts)))
