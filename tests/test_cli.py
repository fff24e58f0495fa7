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


def test_a_folder_takes_every_kind_it_reads_and_says_why_it_left_a_file_out(tmp_path):
    import shutil

    for src in (FIXTURES / "docx" / "003_2d714dcfa58f43ab.docx", FIXTURES / "html" / "001_1b7a66c9567192c6.html",
                FIXTURES / "wrapped" / "000_1998f8f499f4cb06.portal.md"):
        shutil.copy(src, tmp_path / src.name)
    (tmp_path / "budget.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "photos.zip").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out.jsonl"
    proc = run("extract", str(tmp_path), "--out", str(out), "-j", "1")
    assert proc.returncode == 0, proc.stderr
    formats = sorted(json.loads(line)["source"]["format"] for line in out.read_text(encoding="utf-8").splitlines())
    assert formats == ["docx", "html", "md"]
    assert f"skipped {tmp_path / 'budget.xlsx'}: a spreadsheet" in proc.stderr
    assert f"skipped {tmp_path / 'photos.zip'}: an archive: unpack it first" in proc.stderr
    assert "2 files skipped for their kind" in proc.stderr


def test_j2_writes_the_same_file_as_j1(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for out, jobs in ((a, "1"), (b, "2")):
        proc = run("extract", str(FIXTURES / "seeds"), str(FIXTURES / "docx"), "--out", str(out), "-j", jobs)
        assert proc.returncode == 0, proc.stderr
    assert a.read_bytes() == b.read_bytes() and len(a.read_text(encoding="utf-8").splitlines()) == 10


def test_messages_keep_their_brackets(tmp_path):
    # Rich markup would read '[export]' as a style and drop it
    missing = tmp_path / "kế hoạch [bản sao].txt"
    proc = subprocess.run([sys.executable, "-m", "kehoach.cli", "extract", str(missing), "--out", "-"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "kế hoạch [bản sao].txt" in proc.stderr
    bad = tmp_path / "[draft] empty.txt"
    bad.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "kehoach.cli", "extract", str(tmp_path), "--out", "-"],
                          capture_output=True, text=True)
    assert f"failed {bad}: empty: file is empty" in proc.stderr

