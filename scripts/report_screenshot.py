"""A screenshot of a review page in headless Chromium, at its top or at one of its rebuilt tables.

    .venv/bin/python scripts/report_screenshot.py PLAN OUT.png [--table N] [--size 1400,1000]

With ``--table N`` the page opens at '#view-table-N', which leaves out the text before a few
lines above that table (a headless screenshot scrolled to an anchor comes out blank).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

import kehoach
from kehoach.pipeline.review import render


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("plan", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--table", type=int, default=0, help="the rebuilt table to show (1 = the first; 0: the top)")
    ap.add_argument("--size", default="1400,1000")
    args = ap.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("headless Chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(render(kehoach.extract(args.plan, include_text=True)), encoding="utf-8")
        where = page.as_uri() + (f"#view-table-{args.table}" if args.table else "")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--virtual-time-budget=5000", f"--user-data-dir={Path(tmp) / 'profile'}",
                        f"--window-size={args.size}", f"--screenshot={args.out.resolve()}", where],
                       capture_output=True, timeout=120, check=True)
    print(f"{args.out}: {args.size}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
