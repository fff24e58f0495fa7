import json
import subprocess
import sys

from conftest import FIXTURES, ROOT

CLI = [sys.executable, "-m", "kehoach.cli"]


def run(*args):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=ROOT)


def test_extract_folder_writes_one_sorted_line_per_document(tmp_path):
    out = tmp_path / "out.jsonl"
    proc = run("extract", str(FIXTURES / "seeds"), str(FIXTURES / "pdf"), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    paths = [r["source"]["path"] for r in records]
    assert paths == sorted(paths) and len(paths) == 10
    for r in records:
        assert r["schema_version"] == "1" and r["error"] is None
        assert set(r) >= {"source", "metadata", "sections", "amounts", "targets", "assignments",
                          "legal_refs", "checks", "error"}
        assert len(r["source"]["sha256"]) == 64
        assert all(len(s["span"]) == 2 for s in r["sections"])
    pdfs = [r for r in records if r["source"]["format"] == "pdf"]
    assert all(r["source"]["pages"] >= 5 for r in pdfs)
    assert all(ref["page"] >= 1 for r in pdfs for ref in r["legal_refs"])
    assert "10 documents" in proc.stderr and "0 failed" in proc.stderr


def test_stdout_and_text(tmp_path):
    proc = run("extract", str(FIXTURES / "seeds" / "003_2d714dcfa58f43ab.txt"), "--out", "-", "--include-text")
    assert proc.returncode == 0
    (line,) = proc.stdout.splitlines()
    rec = json.loads(line)
    for ref in rec["legal_refs"]:
        assert rec["text"][ref["span"][0]:ref["span"][1]] == ref["raw"]


def test_usage_errors_exit_2(tmp_path):
    assert run("extract", str(tmp_path / "missing.pdf"), "--out", "-").returncode == 2
    assert run("extract", str(FIXTURES / "seeds")).returncode == 2  # no --out, --db or --store
    empty = tmp_path / "empty_dir"
    empty.mkdir()
    assert run("extract", str(empty), "--out", "-").returncode == 2
