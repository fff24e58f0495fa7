"""Seconds per page of OCR on the scanned fixtures (200 dpi: img2pdf JPEG pages and PIL-made scans), from a cold cache.

    .venv/bin/python benchmarks/ocr_speed.py [SCAN.pdf ...]
    .venv/bin/python benchmarks/ocr_speed.py --tables [SCAN.pdf ...]   (default: fixtures/scan_tables)

Pages are recognised in parallel on every core, one Tesseract thread each; the cache is a
fresh temporary folder, so every page is read. With ``--tables`` each page is also read alone
(one thread), and the pages where a table grid was found are reported apart: the grid stage's
own seconds (rules found, painted out, cells set at their tops, empty cells read again, words into cells) and the
page's whole OCR time.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def table_pages(pdfs: list[Path]) -> None:
    """Per page, one thread: the grid stage's seconds and the page's, table pages apart."""
    import cv2  # noqa: F401 - imported once before timing (a worker imports it once too)

    from kehoach.pipeline.readers import ocr, ocr_tables

    grid_secs = [0.0]

    def timed(fn):  # noqa: ANN001, ANN202
        def run(*a, **kw):  # noqa: ANN002, ANN003, ANN202
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                grid_secs[0] += time.perf_counter() - t
        return run

    for name in ("find_rulings", "find_grids", "prepare", "reread_empty_cells", "words_in_grids", "grid_rows"):
        setattr(ocr_tables, name, timed(getattr(ocr_tables, name)))
    with_tables, without = [], []
    for pdf in pdfs:
        ocr._open_document("pdf", pdf.read_bytes())
        try:
            for index in range(len(ocr._open.raster())):
                grid_secs[0] = 0.0
                t0 = time.perf_counter()
                page = ocr._ocr_one(index)
                secs = time.perf_counter() - t0
                (with_tables if page.tables else without).append((secs, grid_secs[0], len(page.tables)))
        finally:
            ocr._open.close()
    for label, pages in (("pages with tables", with_tables), ("pages without", without)):
        if pages:
            n = len(pages)
            print(f"{label:20} {n:3d} pages  {sum(p[0] for p in pages) / n:5.2f} s/page (one thread)  "
                  f"grid stage {sum(p[1] for p in pages) / n:5.3f} s/page (max {max(p[1] for p in pages):.3f}; "
                  f"target ≤ 0.5)  tables {sum(p[2] for p in pages)}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--tables", action="store_true", help="also time each page alone, table pages apart")
    args = ap.parse_args()
    if args.tables and not args.pdfs:
        args.pdfs = sorted((ROOT / "fixtures" / "scan_tables").glob("*.pdf"))
    pdfs = args.pdfs or sorted((ROOT / "fixtures" / "img2pdf").glob("*.pdf")) + sorted((ROOT / "fixtures" / "scan").glob("*.pdf"))
    with tempfile.TemporaryDirectory() as cache:
        os.environ["KEHOACH_OCR_CACHE"] = cache
        from kehoach.pipeline.extract import extract_path

        total_pages = total = 0.0
        for pdf in pdfs:
            t0 = time.perf_counter()
            rec = extract_path(pdf).record
            secs = time.perf_counter() - t0
            n = rec.source.pages or 0
            conf = [m.confidence for m in rec.source.page_methods if m.confidence]
            total_pages += n
            total += secs
            print(f"{pdf.name:36} {n:3d} pages {secs:6.1f} s  {secs / max(n, 1):5.2f} s/page  "
                  f"mean confidence {sum(conf) / max(len(conf), 1):.1f}")
        print(f"{'ALL':36} {int(total_pages):3d} pages {total:6.1f} s  {total / max(total_pages, 1):5.2f} s/page "
              f"on {os.cpu_count()} cores (target ≤ 1.5 s/page)")
        t0 = time.perf_counter()
        extract_path(pdfs[0])
        print(f"again from the cache: {pdfs[0].name} in {time.perf_counter() - t0:.2f} s")
        if args.tables:
            table_pages(pdfs)


if __name__ == "__main__":
    main()
