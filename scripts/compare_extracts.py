"""Compare two `kehoach extract --out` files document by document, field by field.

    python3 scripts/compare_extracts.py BEFORE.jsonl AFTER.jsonl [--fields amounts checks targets]

For a refactoring that must leave the output as it was: every document of either file is
matched by its source path, and each field's items are compared in order; the first items that
differ are printed. The exit status is 1 when anything differs, so a script can stop on it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _records(path: Path) -> dict[str, dict]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out[rec["source"]["path"]] = rec
    return out


def _show(item) -> str:
    return json.dumps(item, ensure_ascii=False)[:300]


def compare(before: dict[str, dict], after: dict[str, dict], fields: list[str], shown: int = 3) -> int:
    """Print the differences and return how many documents differ."""
    differing = 0
    for path in sorted(set(before) | set(after)):
        if path not in before or path not in after:
            print(f"{path}: only in {'after' if path not in before else 'before'}")
            differing += 1
            continue
        lines = []
        for field in fields:
            a, b = before[path].get(field), after[path].get(field)
            if a == b:
                continue
            a_items = a if isinstance(a, list) else [a]
            b_items = b if isinstance(b, list) else [b]
            lines.append(f"  {field}: {len(a_items)} before, {len(b_items)} after")
            diffs = [(i, x, y) for i, (x, y) in enumerate(zip(a_items, b_items)) if x != y]
            for i, x, y in diffs[:shown]:
                lines.append(f"    [{i}] - {_show(x)}\n    [{i}] + {_show(y)}")
        if lines:
            differing += 1
            print(path)
            print("\n".join(lines))
    return differing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--fields", nargs="+", default=["amounts", "checks", "targets"])
    args = ap.parse_args()
    before, after = _records(args.before), _records(args.after)
    differing = compare(before, after, args.fields)
    print(f"{len(set(before) | set(after))} documents, {differing} differ in {', '.join(args.fields)}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
