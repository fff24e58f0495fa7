"""Audit the provenance of table items: does each one's span hold its cell's words, and its page the page?

For every document given, each amount read from a table cell (``table_row``/``table_column``),
each target read from a target table and each assignment read from a task table is checked:

- the span's text parses to the item's value (an amount: the value in the table's unit, so the
  million-đồng value over a power of ten; a target: its target) — or, for an assignment, holds
  its lead's words;
- a paged source (PDF, scan) gives it a page, the page its span starts on.

Usage: .venv/bin/python scripts/table_spans.py FILE... [--show N] [--every-amount]
Prints a line per document (format, items checked, wrong) and the first wrong items.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from kehoach.pipeline.readers import IngestError
from kehoach.pipeline.table_provenance import audit, document


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--show", type=int, default=5, help="wrong items to print per document")
    ap.add_argument("--every-amount", action="store_true",
                    help="check the amounts read as prose too (a scan's tables are read line by line)")
    args = ap.parse_args()
    total = wrong = 0
    for path in args.files:
        try:
            doc = document(path)
        except IngestError as exc:
            print(f"{path.name}: not read: {exc.message}")
            continue
        rec = doc.record
        found = audit(doc, every_amount=args.every_amount)
        bad = [f for f in found if f.problem]
        kinds = {k: sum(1 for f in found if f.kind == k) for k in ("amount", "target", "assignment")}
        total, wrong = total + len(found), wrong + len(bad)
        print(f"{rec.source.format:5} {path.name[:60]:60} checked {len(found):4} "
              f"(amounts {kinds['amount']}, targets {kinds['target']}, assignments {kinds['assignment']}) "
              f"wrong {len(bad)}")
        for f in bad[:args.show]:
            print(f"      {f.kind}: {f.problem}")
    print(f"all: checked {total}, wrong {wrong}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
