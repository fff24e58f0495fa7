"""Milliseconds the amounts extractor takes per document and per page, on documents already read
and segmented (so that reading and OCR do not drown its share). Not a test: it prints figures.

    .venv/bin/python benchmarks/amounts_speed.py [--repeat 5] [--module path/to/amounts.py] [PATH ...]

``--module`` times another implementation of ``extract_amounts`` (an older file kept aside) on
the same inputs, for a before/after comparison.
"""
from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

from kehoach.extractors import tables
from kehoach.extractors.amounts import extract_amounts
from kehoach.extractors.context import Document
from kehoach.models.records import Record, Source
from kehoach.normalizers.layout import normalize_layout
from kehoach.pipeline.frame import find_frame
from kehoach.pipeline.readers import read_document
from kehoach.pipeline.segment import segment

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT.parent / "shared" / "seeds", ROOT.parent / "shared" / "eval" / "dev" / "docs", ROOT / "fixtures" / "pdf"]


def _prepared(path: Path) -> tuple[Document, int]:
    raw = read_document(str(path), ocr=False)
    nt = normalize_layout(raw)
    frame = find_frame(nt)
    doc = Document(nt=nt, frame=frame, record=Record(source=Source(path=str(path), sha256="", format=raw.format),
                                                  sections=segment(nt, frame)),
                   tables=list(raw.tables))
    tables.COMPONENT.run(doc)
    return doc, raw.page_count or max(1, len(nt.text) // 3000)  # a text file: a page a 3,000 characters


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--module", type=Path, help="a file defining extract_amounts to time instead")
    args = ap.parse_args()
    fn = extract_amounts
    if args.module:
        spec = importlib.util.spec_from_file_location("amounts_under_test", args.module)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        fn = mod.extract_amounts
    files = sorted(f for p in (args.paths or DEFAULT) for f in (p.iterdir() if p.is_dir() else [p])
                   if f.suffix in (".txt", ".md", ".pdf", ".docx", ".html"))
    total_ms = total_pages = 0.0
    print(f"{'document':60} {'pages':>5} {'amounts':>7} {'ms':>8} {'ms/page':>8}")
    for f in files:
        doc, pages = _prepared(f)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            amounts, _ = fn(doc.nt, doc.sections, doc.tables_read)
            times.append(time.perf_counter() - t0)
        ms = min(times) * 1000
        total_ms += ms
        total_pages += pages
        print(f"{f.name[:60]:60} {pages:5d} {len(amounts):7d} {ms:8.1f} {ms / pages:8.2f}")
    print(f"{'ALL':60} {int(total_pages):5d} {'':7} {total_ms:8.1f} {total_ms / total_pages:8.2f}")


if __name__ == "__main__":
    main()
