"""Pages per second of `kehoach extract` on the text-layer PDF fixtures, beside pdfplumber's own
extract_text over the same pages. Not a test: it prints figures.

    .venv/bin/python benchmarks/extract_speed.py [--repeat 3] [PDF ...]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pdfplumber

from kehoach.pipeline.extract import extract_path, extract_raw
from kehoach.pipeline.readers import read_document

ROOT = Path(__file__).resolve().parent.parent


def pdfplumber_alone(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.flush_cache()
        return len(pdf.pages)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    pdfs = args.pdfs or sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))
    extract_path(pdfs[0])  # warm up imports and catalogs: a long-running process pays them once
    total_pages = total_plumb = total_ours = 0.0
    print(f"{'document':40} {'pages':>5} {'pdfplumber p/s':>15} {'kehoach p/s':>12} {'ratio':>6}")
    ratios = []
    for pdf in pdfs:
        pages = pdfplumber_alone(pdf)
        t_plumb = best_of(lambda: pdfplumber_alone(pdf), args.repeat)
        t_ours = best_of(lambda: extract_path(pdf), args.repeat)
        ratios.append(t_ours / t_plumb)
        total_pages += pages
        total_plumb += t_plumb
        total_ours += t_ours
        print(f"{pdf.name[:40]:40} {pages:5d} {pages / t_plumb:15.1f} {pages / t_ours:12.1f} {t_ours / t_plumb:6.2f}")
    print(f"{'ALL':40} {int(total_pages):5d} {total_pages / total_plumb:15.1f} {total_pages / total_ours:12.1f} "
          f"{total_ours / total_plumb:6.2f}")
    print(f"whole pipeline / pdfplumber alone: {total_ours / total_plumb:.2f} overall, "
          f"median {statistics.median(ratios):.2f} (target ≤ 1.5 for reading, ≤ 2 with tables)")
    # our own stages alone, on documents already read: steadier than a difference of timings
    raws = [read_document(p) for p in pdfs]
    t_stages = best_of(lambda: [extract_raw(r) for r in raws], args.repeat)
    print(f"kehoach's own stages (normalise, segment, extract): {t_stages / total_pages * 1000:.1f} ms per page")
    # underthesea's part-of-speech tagger, run on the clauses that carry assignments and targets
    from kehoach.normalizers import pos

    tagger = pos._tagger()
    spent = [0.0]

    def timed(text):
        t0 = time.perf_counter()
        try:
            return tagger(text)
        finally:
            spent[0] += time.perf_counter() - t0
    pos._tagger.cache_clear()
    pos._tagger = lambda: timed  # noqa: E731 - the benchmark's own instrument
    for r in raws:
        extract_raw(r)
    print(f"of which underthesea (part of speech): {spent[0] / total_pages * 1000:.1f} ms per page (target ≤ 20)")


if __name__ == "__main__":
    main()
