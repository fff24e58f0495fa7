"""The store suite, run against SQLite and against the real PostgreSQL server of this machine.

PostgreSQL tests run in a schema of their own inside the database `test` and drop it after;
they are skipped (with the reason shown) only when the server cannot be reached, and fail
instead when KEHOACH_REQUIRE_POSTGRES is set (as .ci/run does).
"""
import os
import threading
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError

from kehoach.models import store as store_mod
from kehoach.models.store import Store, current_revision, downgrade, head_revision, upgrade
from kehoach.pipeline.extract import extract_path
from conftest import SEED_PDFS, SEED_TEXTS

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TABLES = {"documents", "document_paths", "sections", "amounts", "targets", "agencies", "agency_aliases",
          "assignments", "assignment_agencies", "cited_documents", "legal_references", "checks",
          "ingestion_runs", "file_outcomes", "search_documents", "indicators"}
VIEWS = {"budget_lines", "assignment_lines", "target_lines", "citations", "indicator_series"}


def _pg_schema_url():
    try:
        admin = create_engine(PG_ADMIN, connect_args={"connect_timeout": 3})
        with admin.connect():
            pass
    except OperationalError as exc:
        # on a developer's machine without the server they are skipped, saying so; in CI
        # (.ci/run sets KEHOACH_REQUIRE_POSTGRES) a server that does not answer is a failure
        message = f"PostgreSQL at 127.0.0.1:5432 unreachable: {str(exc).splitlines()[0]}"
        if os.environ.get("KEHOACH_REQUIRE_POSTGRES"):
            pytest.fail(message + " (KEHOACH_REQUIRE_POSTGRES is set: the PostgreSQL tests must run)")
        pytest.skip(message + ", PostgreSQL store tests skipped")
    schema = f"kh_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    return admin, schema, f"{PG_ADMIN}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kehoach.db'}"
        return
    admin, schema, url = _pg_schema_url()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


_records = {}


def record_of(path):
    if path not in _records:
        _records[path] = extract_path(path, include_text=True).record
    return _records[path].model_copy(deep=True)


def test_migrations_from_empty_to_head_down_and_up_again(db_url):
    s = Store(db_url, migrate=False)
    assert current_revision(s.engine) is None
    upgrade(s.engine)
    insp = inspect(s.engine)
    assert TABLES <= set(insp.get_table_names()) and VIEWS <= set(insp.get_view_names())
    assert current_revision(s.engine) == head_revision(s.engine)
    downgrade(s.engine, "base")
    insp = inspect(s.engine)
    assert not (TABLES & set(insp.get_table_names())) and not (VIEWS & set(insp.get_view_names()))
    upgrade(s.engine)
    assert TABLES <= set(inspect(s.engine).get_table_names())


def test_models_match_the_migrations(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kehoach.models.search import modelled
    from kehoach.models.tables import Base

    s = Store(db_url)
    with s.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": modelled}), Base.metadata)
    assert diff == []


def test_budget_view_sums_equal_the_json_output(db_url):
    s = Store(db_url)
    expected = {}
    for path in SEED_TEXTS + SEED_PDFS:
        rec = record_of(path)
        assert s.load(rec).status == "loaded"
        expected[rec.source.sha256] = sum((a.value_million_vnd for a in rec.amounts if a.kind == "budget"),
                                          Decimal(0))
    with s.engine.connect() as conn:
        got = dict(conn.execute(text(
            "SELECT d.sha256, COALESCE(SUM(b.value_million_vnd), 0) FROM documents d "
            "LEFT JOIN budget_lines b ON b.document_id = d.id GROUP BY d.sha256")).all())
    assert {k: Decimal(str(v)).quantize(Decimal("0.001")) for k, v in got.items()} == \
        {k: v.quantize(Decimal("0.001")) for k, v in expected.items()}
    assert expected[record_of(SEED_TEXTS[0]).source.sha256] > 0
    counts = s.stats()
    assert counts["documents"] == 10 and counts["document_paths"] == 10
    with s.engine.connect() as conn:
        # citations across plans join on the same cited document
        n = conn.execute(text("SELECT COUNT(DISTINCT document_id) FROM citations WHERE number = '90/QĐ-TTg'")).scalar()
        assert n >= 6
        leads = conn.execute(text("SELECT COUNT(*) FROM assignment_lines WHERE role = 'lead'")).scalar()
        assert leads == sum(len(record_of(p).assignments) for p in SEED_TEXTS + SEED_PDFS)
        # spans point into the stored text
        amount = conn.execute(text("SELECT a.raw, a.span_start, a.span_end, d.text FROM amounts a "
                                   "JOIN documents d ON d.id = a.document_id LIMIT 1")).one()
        assert amount.text[amount.span_start:amount.span_end] == amount.raw


def test_loading_is_idempotent_and_replaces_a_new_version(db_url):
    s = Store(db_url)
    rec = record_of(SEED_TEXTS[0])
    first = s.load(rec)
    before = s.stats()
    assert s.load(rec).status == "unchanged" and s.stats() == before
    rec.pipeline_version = "9.9.9"
    again = s.load(rec)
    assert (again.status, again.document_id) == ("replaced", first.document_id)
    after = s.stats()
    assert after == before
    with s.engine.connect() as conn:
        assert conn.execute(text("SELECT pipeline_version FROM documents")).scalar() == "9.9.9"


def test_same_bytes_under_another_name_are_stored_once(db_url):
    s = Store(db_url)
    rec = record_of(SEED_TEXTS[1])
    s.load(rec)
    rec.source.path = "elsewhere/renamed.txt"
    assert s.load(rec).status == "unchanged"
    counts = s.stats()
    assert counts["documents"] == 1 and counts["document_paths"] == 2


def test_a_failure_midway_leaves_the_previous_version(db_url, monkeypatch):
    s = Store(db_url)
    rec = record_of(SEED_TEXTS[0])
    s.load(rec)
    before = s.stats()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(store_mod, "_load_citations", broken)
    rec.pipeline_version = "9.9.9"
    with pytest.raises(RuntimeError):
        s.load(rec)
    assert s.stats() == before
    with s.engine.connect() as conn:
        assert conn.execute(text("SELECT pipeline_version FROM documents")).scalar() != "9.9.9"


def test_concurrent_loads_of_one_document_do_not_duplicate_it(db_url):
    rec = record_of(SEED_TEXTS[2])
    stores = [Store(db_url) for _ in range(4)]
    results, errors = [], []

    def work(st):
        try:
            results.append(st.load(rec.model_copy(deep=True)).status)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
    threads = [threading.Thread(target=work, args=(st,)) for st in stores]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sorted(results).count("loaded") == 1
    assert stores[0].stats()["documents"] == 1
    assert stores[0].stats()["sections"] == len(rec.sections)


def test_a_database_error_fails_that_document_only(db_url, monkeypatch):
    from kehoach.pipeline.batch import process_file, record_outcome

    s = Store(db_url)
    real = Store.load
    bad = record_of(SEED_TEXTS[0]).source.sha256

    def flaky(self, record, force=False):
        if record.source.sha256 == bad:
            raise RuntimeError("connection lost")
        return real(self, record, force)
    monkeypatch.setattr(Store, "load", flaky)
    run = s.start_run("test", "0")
    results = [process_file(p, s) for p in SEED_TEXTS[:3]]
    for r in results:
        record_outcome(s, run, r)
    assert [r.status for r in results] == ["failed", "loaded", "loaded"]
    assert "connection lost" in results[0].store_error
    with s.engine.connect() as conn:
        rows = conn.execute(text("SELECT status, error_type FROM file_outcomes ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("failed", "store_error"), ("loaded", None), ("loaded", None)]
    assert s.stats()["documents"] == 2


def test_cli_loads_and_counts(db_url, tmp_path):
    import subprocess
    import sys

    from conftest import FIXTURES
    cli = [sys.executable, "-m", "kehoach.cli"]
    proc = subprocess.run([*cli, "extract", str(FIXTURES / "seeds"), "--db", db_url], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "store: 5 loaded" in proc.stderr
    proc = subprocess.run([*cli, "db", "stats", "--db", db_url], capture_output=True, text=True)
    counts = dict(line.split() for line in proc.stdout.splitlines())
    assert counts["documents"] == "5" and int(counts["amounts"]) > 100 and counts["ingestion_runs"] == "1"


def test_schema_documentation_covers_every_table_column_and_view():
    import re

    from conftest import ROOT
    from kehoach.models.tables import Base

    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    words = set(re.findall(r"[a-z_0-9]+", doc))
    missing = [f"{t.name}.{c.name}" for t in Base.metadata.sorted_tables for c in t.columns
               if c.name not in words] + [t.name for t in Base.metadata.sorted_tables if f"### {t.name}" not in doc]
    missing += [v for v in VIEWS if f"### {v}" not in doc]
    assert missing == []


def test_indicator_series_lines_one_indicator_up_across_plans(db_url):
    s = Store(db_url)
    seed = {}
    for path in SEED_TEXTS:
        rec = record_of(path)
        s.load(rec)
        seed[rec.source.sha256] = path.name[:3]
    with s.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT indicator_key, indicator_label, province_as_issued, province_today, year, baseline, target, unit, "
            "doc_number, sha256, raw, span_start, span_end FROM indicator_series "
            "WHERE indicator_key = 'ty_le_ho_ngheo' ORDER BY sha256, span_start")).all()
        # Quảng Nam's two districts (000), Thanh Hóa (001), Sơn La's Quỳnh Nhai (002)
        got = sorted({(seed[r.sha256], r.province_as_issued, float(r.target)) for r in rows})
        assert got == [("000", "Quảng Nam", 16.98), ("000", "Quảng Nam", 19.45),
                       ("001", "Thanh Hóa", 1.32), ("002", "Sơn La", 1.0)]
        assert {r.indicator_label for r in rows} == {"Tỷ lệ hộ nghèo (chuẩn nghèo đa chiều)"}
        assert all(r.unit == "%" for r in rows)
        # across the 2025 reform: Quảng Nam's plans are Đà Nẵng's today
        assert sorted({(seed[r.sha256], r.province_today) for r in rows}) == [
            ("000", "Đà Nẵng"), ("001", "Thanh Hóa"), ("002", "Sơn La")]
        # one series holds the levels and the reductions plans state: four of the five seed plans
        both = conn.execute(text("SELECT DISTINCT sha256, indicator_kind FROM indicator_series "
                                 "WHERE series_key = 'ty_le_ho_ngheo'")).all()
        assert sorted({seed[r.sha256] for r in both}) == ["000", "001", "002", "004"]
        assert {r.indicator_kind for r in both} == {"level", "change"}
        quang_nam = [r for r in rows if seed[r.sha256] == "000"]
        assert sorted((float(r.baseline), r.year) for r in quang_nam) == [(42.46, 2025), (50.44, 2025)]
        # a stated reduction is its own series: seed 004's 'giảm tỷ lệ hộ nghèo năm 2023 … từ 1,5-2,0%'
        change = conn.execute(text(
            "SELECT sha256, target, unit, indicator_kind FROM indicator_series "
            "WHERE indicator_key = 'muc_giam_ty_le_ho_ngheo' ORDER BY sha256")).all()
        assert {(seed[r.sha256], float(r.target), r.unit, r.indicator_kind) for r in change} == \
            {("000", 6.0, "%/năm", "change"), ("004", 1.5, "%", "change")}
        # spans point at the target's words in the stored text
        row = conn.execute(text("SELECT i.raw, i.span_start, i.span_end, d.text FROM indicator_series i "
                                "JOIN documents d ON d.id = i.document_id WHERE i.indicator_key = 'ty_le_ho_can_ngheo' "
                                "LIMIT 1")).one()
        assert row.text[row.span_start:row.span_end] == row.raw
        # the catalog is in the store, and a second open keeps one row per key
        n = conn.execute(text("SELECT COUNT(*) FROM indicators")).scalar()
    Store(db_url).sync_catalog()
    with s.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM indicators")).scalar() == n >= 30
