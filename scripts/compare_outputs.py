"""Compare two JSON Lines outputs of ``kehoach extract`` record by record.

Usage: python scripts/compare_outputs.py OLD.jsonl NEW.jsonl [--ignore FIELD ...]

A refactoring must leave the output of every fixture unchanged: this prints the first
difference of each record (fields named with --ignore, e.g. fields a change added on purpose,
are left out of the comparison) and exits 1 when there is one.
"""
from __future__ import annotations

import argparse
import json
import sys


def _strip(value, ignore: set[str]):
    if isinstance(value, dict):
        return {k: _strip(v, ignore) for k, v in value.items() if k not in ignore}
    if isinstance(value, list):
        return [_strip(v, ignore) for v in value]
    return value


def _first_difference(a, b, path: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'new' if k in b else 'old'}"
            d = _first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = _first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--ignore", nargs="*", default=[])
    args = ap.parse_args()
    ignore = set(args.ignore)
    load = lambda p: [json.loads(line) for line in open(p, encoding="utf-8") if line.strip()]  # noqa: E731
    old, new = load(args.old), load(args.new)
    if len(old) != len(new):
        print(f"{len(old)} records != {len(new)}")
        return 1
    changed = 0
    for a, b in zip(old, new):
        d = _first_difference(_strip(a, ignore), _strip(b, ignore))
        if d:
            changed += 1
            print(f"{a['source']['path']}: {d[:300]}")
    print(f"{len(old)} records, {changed} changed")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
