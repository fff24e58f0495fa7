"""Seconds per page of OCR on the scanned fixtures (200 dpi: img2pdf JPEG pages and PIL-made scans), from a cold cache.

    .venv/bin/python benchmarks/ocr_speed.py [SCAN.pdf ...]

Pages are recognised in parallel on every core, one Tesseract thread each; the cache is a
fresh temporary folder, so every page is read.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("pdfs", nargs="*", type=Path)
    args = ap.parse_args()
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


if __name__ == "__main__":
    main()
