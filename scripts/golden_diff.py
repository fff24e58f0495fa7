"""Review a golden regeneration item by item before accepting it.

    .venv/bin/python scripts/golden_diff.py            # print what changed, with the text around it
    .venv/bin/python scripts/golden_diff.py --accept   # … then write the new golden files

For every fixture under tests/golden/ the fixture is extracted again and each field's items are
compared with the stored ones: a removed item is printed with '-', an added one with '+', each
with the words around its span in the document, so a reviewer reads the change against the
document instead of accepting a re-recording blindly.
"""
from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import GOLDEN, SEED_PDFS, SEED_TEXTS  # noqa: E402
from test_golden import summary  # noqa: E402

from kehoach.pipeline.extract import extract_path  # noqa: E402

FIELDS = ("metadata", "title", "sections", "legal_refs", "amounts", "targets", "assignments", "checks", "error")
CONTEXT = 70


def _items(value) -> list[str]:
    if isinstance(value, list):
        return [json.dumps(x, ensure_ascii=False) for x in value]
    return [json.dumps(value, ensure_ascii=False)]


def _around(text: str, needle: str) -> str:
    """The words around an item's quoted span text in the document, for the reviewer."""
    at = text.find(needle) if needle else -1
    if at < 0:
        return ""
    left = text[max(0, at - CONTEXT):at].replace("\n", " ⏎ ")
    right = text[at + len(needle):at + len(needle) + CONTEXT].replace("\n", " ⏎ ")
    return f"      …{left}[[{needle}]]{right}…"


def review(path: Path) -> tuple[int, dict]:
    rec = extract_path(path, include_text=True).record
    got = summary(rec)
    golden = GOLDEN / f"{path.name}.json"
    want = json.loads(golden.read_text(encoding="utf-8")) if golden.exists() else {}
    changes = 0
    for field in FIELDS:
        old, new = _items(want.get(field)), _items(got.get(field))
        if old == new:
            continue
        print(f"== {path.name} · {field}")
        for line in difflib.ndiff(old, new):
            if line[:1] not in "+-":
                continue
            changes += 1
            print(f"  {line[:400]}")
            try:
                item = json.loads(line[2:])
            except json.JSONDecodeError:
                continue
            quoted = item[-1] if isinstance(item, list) and item and isinstance(item[-1], str) else ""
            context = _around(rec.text or "", quoted)
            if context:
                print(context)
    return changes, got


def main(argv: list[str]) -> int:
    accept = "--accept" in argv
    total = 0
    for path in SEED_TEXTS + SEED_PDFS:
        changes, got = review(path)
        total += changes
        if accept and changes:
            (GOLDEN / f"{path.name}.json").write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n",
                                                       encoding="utf-8")
    print(f"{total} item lines changed" + (" (written)" if accept and total else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
