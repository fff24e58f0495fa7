"""Bad input gives an error record with a clear type and message, never a crash or a lost file.

The case table below holds the broken and hostile files an inbox or a portal crawl brings
(made by fixtures/make_hostile.py): each runs alone in a document worker, as the command line
and the flows run it, and must end with its expected outcome — a plan read, or a clear error
type, never ``internal_error`` — within 60 s and 2 GiB.
"""
import json
import shutil
import subprocess
import sys

import pytest
from fpdf import FPDF

from kehoach.pipeline.extract import extract_path
from kehoach.pipeline.readers import Limits
from kehoach.pipeline.worker import Job, Worker
from conftest import FIXTURES, SEED_PDFS

sys.path.insert(0, str(FIXTURES))
import make_hostile  # noqa: E402

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
ISSUER = "Ủy ban nhân dân tỉnh Quảng Nam"
SECONDS = 60
MEMORY = 2 << 30
OCR_EMPTY = "no_text" if shutil.which("tesseract") else "needs_ocr"

# file (from make_hostile) → (expected error type, None for a plan read; why)
HOSTILE = {
    "empty.pdf": ("empty", "nothing in it"),
    "blank.txt": ("empty", "white space only"),
    "random.pdf": ("unsupported_format", "random bytes, NULs among them"),
    "truncated.pdf": ("corrupt_pdf", "cut before its cross-reference table"),
    "encrypted.pdf": ("encrypted", "a user password"),
    "scanner_left_running.pdf": ("too_many_pages", "5,000 blank pages: refused by the page count, not read"),
    "huge_page.pdf": (OCR_EMPTY, "a 200 × 200 inch page: rendered at a capped size, found blank"),
    "oversized.pdf": ("too_large", "300 MB: refused by its size before it is read"),
    "utf16.txt": (None, "UTF-16 with its BOM"),
    "bom.txt": (None, "UTF-8 with a BOM"),
    "english.txt": ("not_vietnamese", "no Vietnamese diacritics"),
    "shift_jis.txt": ("encoding", "no encoding gives Vietnamese"),
    "legacy.doc": ("unsupported_format", "Word 97–2003: the message names the conversion"),
    "corrupt.docx": ("unsupported_format", "a ZIP signature and junk"),
    "spreadsheet.docx": ("unsupported_format", "an Office file that is not Word"),
    "animation.pdf": ("unsupported_format", "a GIF"),
    "wide_row.md": (None, "a Markdown row of 20,000 cells"),
    "agency_run.txt": (None, "200,000 characters of agency names"),
    "line\nbreak.txt": (None, "a line break in the file name"),
    "script.html": (None, "<script> and onerror in the page: dropped or kept as text"),
    "docx_bomb.docx": ("too_large", "document.xml declares 300 MB from 300 KB: refused by the ZIP directory"),
    "billion_laughs.docx": ("unsafe_xml", "nested entities in a DTD"),
    "external_entity.docx": ("unsafe_xml", "an entity naming /etc/passwd"),
    "entity_dtd.html": (None, "an HTML parser expands no entities"),
    "png_bomb.png": ("image_too_large", "40,000 × 40,000 pixels declared in 74 bytes"),
    "nested.html": ("too_deep", "100,000 nested <div>"),
    "nul_bytes.txt": (None, "three NUL bytes of a bad conversion: dropped, with a warning"),
    "pre.html": (None, "the plan in one <pre>: its lines kept"),
    "one_line.txt": ("too_large", "27 million characters on one line: refused by the text's length"),
    "many_amounts.txt": (None, "a paragraph of 1,000 amounts"),
}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    make_hostile.write_all(out)
    return out


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.close()


def test_the_table_covers_every_class():
    assert set(HOSTILE) == set(make_hostile.MAKERS) | set(make_hostile.SPARSE)
    assert len(HOSTILE) == 30


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file(hostile_dir, worker, name):
    expected, _why = HOSTILE[name]
    path = hostile_dir / name
    outcome = worker.run(Job(str(path), False, True, Limits()))
    rec = outcome.record
    assert (rec.error.type if rec.error else None) == expected, rec.error
    assert outcome.seconds < SECONDS
    assert outcome.peak_memory is not None and outcome.peak_memory < MEMORY
    assert rec.source.path == str(path) and rec.source.size_bytes == path.stat().st_size
    if expected is None:
        assert rec.metadata.issuer == ISSUER and len(rec.sections) >= 30
    else:
        assert rec.error.message and "\n" not in rec.error.message
        assert rec.sections == [] and rec.amounts == []


def test_what_the_hostile_files_leave_behind(hostile_dir, worker):
    def run(name):
        return worker.run(Job(str(hostile_dir / name), True, True, Limits())).record

    nul = run("nul_bytes.txt")
    assert "3 NUL bytes in the text (a damaged conversion), dropped" in nul.warnings and "\x00" not in nul.text
    assert "root:" not in run("entity_dtd.html").text  # the external entity was not fetched
    script = run("script.html").text
    assert "document.title" not in script  # scripts are dropped, not read as text
    assert len(run("many_amounts.txt").amounts) >= 1000
    pre = run("pre.html")
    assert pre.metadata.title and pre.metadata.title.startswith("Hỗ trợ huyện Phước Sơn")
    assert pre.metadata.signer and pre.metadata.signer.name == "Trần Anh Tuấn"
    assert "image_too_large" == run("png_bomb.png").error.type
    assert "150,000,000 pixels" in run("png_bomb.png").error.message


def test_a_worker_past_its_time_is_stopped_and_replaced(tmp_path):
    slow = tmp_path / "slow.txt"
    slow.write_bytes(make_hostile.one_line_text(40))  # a million characters on one line: ~40 s to extract
    plan = FIXTURES / "seeds" / "001_1b7a66c9567192c6.txt"
    w = Worker()
    try:
        stopped = w.run(Job(str(slow), False, True, Limits(max_seconds=1)))
        assert stopped.record.error.type == "timeout"
        assert stopped.record.error.message.startswith("stopped after 1 s")
        assert stopped.seconds < 30
        after = w.run(Job(str(plan), False, True, Limits()))
        assert after.record.error is None and after.record.metadata.issuer
    finally:
        w.close()


def test_a_worker_past_its_memory_is_stopped(tmp_path):
    plan = FIXTURES / "seeds" / "001_1b7a66c9567192c6.txt"
    w = Worker()
    try:
        # the models the extractors load take more than 64 MB: the watcher stops the worker
        out = w.run(Job(str(plan), False, True, Limits(max_memory=64 << 20)))
        assert out.record.error.type == "out_of_memory"
        assert "over the limit of 64 MiB" in out.record.error.message
        assert out.record.source.sha256  # the record still says which file it was
    finally:
        w.close()


def _encrypted_pdf(path):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Ke hoach giam ngheo nam 2023")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.output(str(path))


def _image_only_pdf(path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    pdf.output(str(path))


BAD = {
    "empty.pdf": (b"", "empty"),
    "blank.txt": (b"   \n\n  ", "empty"),
    "junk.pdf": (bytes(range(256)) * 40, "unsupported_format"),
    "photo.pdf": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "corrupt_image"),
    "sjis.txt": (("計画の予算と実施の報告。" * 30).encode("shift_jis"), "encoding"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "WordDocument".encode("utf-16-le") + b"\x00" * 50,
                "unsupported_format"),
    "sheet.docx": (b"PK\x03\x04" + b"\x00" * 60, "unsupported_format"),
    "english.txt": (("The committee shall publish the annual budget report and the audit findings. " * 20).encode(), "not_vietnamese"),
    "broken.pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF", "corrupt_pdf"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_bytes(tmp_path, name):
    data, expected = BAD[name]
    p = tmp_path / name
    p.write_bytes(data)
    rec = extract_path(p).record
    assert rec.error is not None and rec.error.type == expected
    assert rec.error.message and "\n" not in rec.error.message
    assert rec.source.path == str(p) and rec.source.size_bytes == len(data)
    assert rec.sections == [] and rec.legal_refs == []


def test_truncated_pdf(tmp_path):
    data = SEED_PDFS[0].read_bytes()
    p = tmp_path / "truncated.pdf"
    p.write_bytes(data[: len(data) // 3])
    rec = extract_path(p).record
    # a PDF cut before its cross-reference table: reported as damaged, with the parser's reason
    assert rec.error is not None and rec.error.type == "corrupt_pdf"
    assert rec.error.message.startswith("PDF cannot be parsed")
    assert rec.source.size_bytes == len(data) // 3 and rec.sections == []


def test_encrypted_pdf(tmp_path):
    p = tmp_path / "locked.pdf"
    _encrypted_pdf(p)
    rec = extract_path(p).record
    assert rec.error is not None and rec.error.type == "encrypted"


def test_a_pdf_of_pictures_without_words(tmp_path):
    p = tmp_path / "scan.pdf"
    _image_only_pdf(p)
    rec = extract_path(p).record
    # read by OCR when Tesseract is there (and found empty), else reported as needing OCR
    assert rec.error is not None
    assert rec.error.type == ("no_text" if shutil.which("tesseract") else "needs_ocr")
    assert extract_path(p, ocr=False).record.error.type == "needs_ocr"


def test_text_file_named_pdf_is_read_as_text(tmp_path):
    p = tmp_path / "plan.pdf"
    p.write_bytes((FIXTURES / "seeds" / "000_1998f8f499f4cb06.txt").read_bytes())
    rec = extract_path(p).record
    assert rec.error is None and rec.source.format == "txt"
    assert "extension .pdf but the content is txt; read as txt" in rec.warnings
    assert rec.metadata.issuer == "Ủy ban nhân dân tỉnh Quảng Nam"


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_bytes(SEED_PDFS[1].read_bytes())
    rec = extract_path(p).record
    assert rec.error is None and rec.source.format == "pdf" and rec.source.pages > 1


def test_batch_goes_on_and_reports(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a_empty.pdf").write_bytes(b"")
    (inbox / "b_plan.txt").write_bytes((FIXTURES / "seeds" / "001_1b7a66c9567192c6.txt").read_bytes())
    (inbox / "c_junk.pdf").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "kehoach.cli", "extract", str(inbox), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["source"]["path"].rsplit("/", 1)[1] for x in lines] == ["a_empty.pdf", "b_plan.txt", "c_junk.pdf"]
    assert [x["error"]["type"] if x["error"] else None for x in lines] == ["empty", None, "unsupported_format"]
    assert "3 documents" in proc.stderr and "2 failed" in proc.stderr
    assert "a_empty.pdf: empty" in proc.stderr


def test_nesting_is_counted_from_the_tags_before_parsing():
    from kehoach.pipeline.readers import IngestError
    from kehoach.pipeline.readers.guards import MAX_MARKUP_DEPTH, check_markup_depth

    # end tags a page may leave out do not nest: an old portal's 5,000 unclosed <p> and <li> pass
    check_markup_depth("<html><body>" + "<p>đoạn <br> <li>mục <img src=a.png>" * 5000 + "</body></html>")
    check_markup_depth("<div>" * MAX_MARKUP_DEPTH + "</div>" * MAX_MARKUP_DEPTH)
    with pytest.raises(IngestError) as exc:
        check_markup_depth("<div><span>" * MAX_MARKUP_DEPTH)
    assert exc.value.type == "too_deep"


def test_a_stopped_pool_ends_its_documents_now(tmp_path):
    """A run ended by a signal stops its workers: the batch waiting on a slow document ends at
    once (the file stays claimed for the next run), it does not wait out the time limit."""
    import threading
    import time

    from kehoach.pipeline.worker import WorkerPool, WorkerStopped

    slow = tmp_path / "slow.txt"
    slow.write_bytes(make_hostile.one_line_text(40))
    pool = WorkerPool(1)
    raised = []

    def batch():
        try:
            list(pool.extract([Job(str(slow), False, True, Limits())]))
        except WorkerStopped as exc:
            raised.append(exc)

    t = threading.Thread(target=batch)
    t.start()
    time.sleep(3)
    t0 = time.monotonic()
    pool.stop()
    t.join(30)
    assert not t.is_alive() and len(raised) == 1
    assert time.monotonic() - t0 < 10
    pool.shutdown()
