"""The Prefect flows, run against Prefect's test harness (a temporary local API)."""
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import FIXTURES, SEED_TEXTS

pytest.importorskip("prefect")


@pytest.fixture(scope="module", autouse=True)
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def make_inbox(root: Path) -> Path:
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    for p in SEED_TEXTS:
        shutil.copy(p, inbox / p.name)
    (inbox / "empty.pdf").write_bytes(b"")
    pdf = (FIXTURES / "pdf" / "000_1998f8f499f4cb06.pdf").read_bytes()
    (inbox / "corrupt.pdf").write_bytes(pdf[:2000])
    _age(inbox)
    return inbox


def _age(folder: Path) -> None:
    past = time.time() - 3600
    for f in folder.rglob("*"):
        if f.is_file() and not f.is_symlink():
            os.utime(f, (past, past))


def run(inbox: Path, db: str, **kw):
    from kehoach.flows.nightly import nightly_ingest

    return nightly_ingest(inbox=str(inbox), db=db, settle_seconds=kw.pop("settle_seconds", 60), **kw)


def files_under(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file() and not p.name.endswith(".error.json"))


def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def test_nightly_run_loads_quarantines_and_loses_nothing(tmp_path):
    from kehoach.models.store import Store

    inbox = make_inbox(tmp_path)
    before = files_under(inbox)
    summary = run(inbox, db_url(tmp_path))
    assert (summary["loaded"], summary["failed"], summary["quarantined"]) == (5, 2, 2)
    assert files_under(inbox) == []
    assert sorted(files_under(tmp_path / "archive") + files_under(tmp_path / "quarantine")) == before
    sidecars = {p.name: json.loads(p.read_text()) for p in (tmp_path / "quarantine").rglob("*.error.json")}
    assert {v["error"]["type"] for v in sidecars.values()} == {"empty", "corrupt_pdf"}
    store = Store(db_url(tmp_path))
    assert store.stats()["documents"] == 5
    with store.engine.connect() as conn:
        run_row = conn.execute(text("SELECT documents, failures, checks_raised, status FROM ingestion_runs")).one()
        assert tuple(run_row) == (7, 2, summary["checks_raised"], "finished")
        reasons = dict(conn.execute(text("SELECT path, error_type FROM file_outcomes WHERE status = 'failed'")).all())
        assert sorted(reasons.values()) == ["corrupt_pdf", "empty"]

    # a second run with the same files processes nothing, a changed file is processed again
    for p in SEED_TEXTS:
        shutil.copy(p, inbox / p.name)
    changed = inbox / SEED_TEXTS[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nPhụ lục bổ sung.\n", encoding="utf-8")
    _age(inbox)
    summary = run(inbox, db_url(tmp_path))
    assert (summary["loaded"], summary["unchanged"], summary["failed"]) == (1, 4, 0)
    assert store.stats()["documents"] == 6
    assert files_under(inbox) == []


def test_files_being_written_wait_and_outside_links_are_refused(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_TEXTS[1], inbox / "ready.txt")
    _age(inbox)
    shutil.copy(SEED_TEXTS[2], inbox / "growing.txt")  # modified just now
    outside = tmp_path / "secret.txt"
    outside.write_text("không phải kế hoạch", encoding="utf-8")
    (inbox / "link.txt").symlink_to(outside)
    summary = run(inbox, db_url(tmp_path), settle_seconds=600)
    assert (summary["loaded"], summary["left_for_next_run"], summary["failed"]) == (1, 1, 1)
    assert (inbox / "growing.txt").exists() and outside.exists()
    sidecar = next((tmp_path / "quarantine").rglob("link.txt.error.json"))
    assert "outside the inbox" in json.loads(sidecar.read_text())["error"]["message"]


def test_a_run_that_dies_halfway_leaves_whole_documents_and_the_next_run_finishes(tmp_path, monkeypatch):
    from kehoach.extractors import amounts  # noqa: F401  (warm imports outside the fault)
    from kehoach.flows import nightly
    from kehoach.models.store import Store
    from kehoach.pipeline.extract import extract_path

    inbox = make_inbox(tmp_path)
    real = nightly._settle
    calls = {"n": 0}

    def dies(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 2:
            raise RuntimeError("worker lost")
        return real(*args, **kwargs)
    monkeypatch.setattr(nightly, "_settle", dies)
    with pytest.raises(RuntimeError):
        run(inbox, db_url(tmp_path))
    store = Store(db_url(tmp_path))
    expected_sections = {extract_path(p).record.source.sha256: len(extract_path(p).record.sections) for p in SEED_TEXTS}
    with store.engine.connect() as conn:
        stored = dict(conn.execute(text(
            "SELECT d.sha256, COUNT(s.id) FROM documents d LEFT JOIN sections s ON s.document_id = d.id GROUP BY d.sha256")).all())
    assert stored and all(stored[sha] == expected_sections[sha] for sha in stored)  # no partial document
    monkeypatch.setattr(nightly, "_settle", real)
    summary = run(inbox, db_url(tmp_path))
    assert summary["loaded"] + summary["unchanged"] == 5 - 2
    assert store.stats()["documents"] == 5  # no duplicates
    assert files_under(inbox) == []


def test_dask_runner_gives_the_same_database(tmp_path):
    from kehoach.flows.nightly import dask_runner, nightly_ingest
    from kehoach.models.store import Store

    contents = []
    for name, flow_fn in (("default", nightly_ingest),
                          ("dask", nightly_ingest.with_options(task_runner=dask_runner(workers=2)))):
        root = tmp_path / name
        inbox = make_inbox(root)
        url = f"sqlite:///{root / 'store.db'}"
        summary = flow_fn(inbox=str(inbox), db=url, settle_seconds=60)
        assert summary["loaded"] == 5
        store = Store(url)
        with store.engine.connect() as conn:
            docs = sorted(conn.execute(text("SELECT sha256, title, issuer, province FROM documents")).all())
            amounts = conn.execute(text("SELECT COUNT(*), SUM(value_million_vnd) FROM amounts")).one()
            assignments = sorted(conn.execute(text(
                "SELECT component, role, agency FROM assignment_lines")).all(), key=repr)
        counts = {k: v for k, v in store.stats().items() if k not in ("ingestion_runs", "file_outcomes")}
        contents.append((docs, tuple(amounts), assignments, counts))
    assert contents[0] == contents[1]


def test_extract_folder_flow_leaves_files_in_place(tmp_path):
    from kehoach.flows.nightly import extract_folder

    folder = tmp_path / "plans"
    shutil.copytree(FIXTURES / "seeds", folder)
    out = tmp_path / "out.jsonl"
    summary = extract_folder(folder=str(folder), out=str(out), db=db_url(tmp_path))
    assert (summary["documents"], summary["failures"]) == (5, 0)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
    assert len(list(folder.iterdir())) == 5


def test_a_run_killed_mid_way_is_marked_abandoned_and_its_files_are_taken_by_the_next(tmp_path):
    import signal
    import subprocess
    import sys

    from kehoach.models.store import Store

    inbox = make_inbox(tmp_path)
    url = db_url(tmp_path)
    store = Store(url)
    dead = store.start_run("nightly_ingest", "0")
    hold = ("import sys, time\nfrom pathlib import Path\nfrom kehoach.pipeline.inbox import RunClaim\n"
            f"c = RunClaim(Path({str(inbox)!r}), {dead})\n"
            "for p in sorted(Path(sys.argv[1]).glob('*.txt'))[:3]:\n    c.take(p)\n"
            "print('claimed', flush=True)\ntime.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", hold, str(inbox)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "claimed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    summary = run(inbox, url)
    assert summary["loaded"] == 5 and store.stats()["documents"] == 5
    with store.engine.connect() as conn:
        status = dict(conn.execute(text("SELECT id, status FROM ingestion_runs")).all())
    assert status[dead] == "abandoned" and status[summary["run_id"]] == "finished"
    assert files_under(inbox) == []


def test_the_nightly_flow_loads_into_the_configured_store_when_no_url_is_given(tmp_path, monkeypatch):
    from kehoach.flows import nightly
    from kehoach.models.store import Store

    url = db_url(tmp_path)
    monkeypatch.setenv("KEHOACH_DATABASE_URL", url)
    monkeypatch.setattr(nightly, "_stores", {})
    inbox = make_inbox(tmp_path)
    summary = nightly.nightly_ingest(inbox=str(inbox), settle_seconds=60)  # no db: what `make sample` does
    assert summary["loaded"] == 5 and Store(url).stats()["documents"] == 5
