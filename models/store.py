"""Loading extraction records into the relational store, and the store's housekeeping.

SQLite (./kehoach.db, WAL, foreign keys on) by default; PostgreSQL through psycopg 3 with a
``postgresql+psycopg://`` URL. Each document loads in one transaction: its previous rows are
replaced, so a failure midway leaves the previous version intact, and the unique sha256
makes concurrent loads of the same bytes collide instead of duplicating.
"""
from __future__ import annotations

import datetime as dt
import os
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import Engine, bindparam, create_engine, delete, event, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError, SAWarning

from kehoach.models import successor_rows
from kehoach.models import tables as t
from kehoach.models.search import queue_document, index_pending
from kehoach.catalogs import load as load_catalog
from kehoach.models.records import Record

DEFAULT_URL = "sqlite:///kehoach.db"
MIGRATIONS = Path(__file__).parent / "migrations"
CHILD_TABLES = (t.SearchDocument, t.AssignmentRow, t.AmountRow, t.TargetRow, t.LegalReference, t.CheckRow, t.SectionRow)

# SQLite keeps NUMERIC as a number with 15 significant digits: enough for million đồng
warnings.filterwarnings("ignore", category=SAWarning, message=".*Decimal objects natively.*")


def database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get("KEHOACH_DATABASE_URL") or DEFAULT_URL


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


@dataclass
class LoadResult:
    status: str  # loaded | replaced | unchanged
    document_id: int
    rows: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _upsert(engine: Engine, table, values: Iterable[dict], keys: list[str]):
    """INSERT … ON CONFLICT DO NOTHING in the engine's dialect."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing(index_elements=keys), list(values)


@cache
def _catalog_rows() -> tuple[list[dict], list[tuple[str, str]]]:
    agencies, aliases = [], []
    for a in load_catalog("agencies")["agencies"]:
        agencies.append({"name": a["canonical"], "catalog_id": a["id"], "level": a.get("level"),
                         "category": a.get("category")})
        for alias in a.get("aliases", []):
            aliases.append((a["canonical"], alias))
    return agencies, aliases


@cache
def _indicator_rows() -> list[dict]:
    entries = load_catalog("indicators")["indicators"]
    # a change key ('mức giảm tỷ lệ hộ nghèo') belongs to the series of the level it changes
    level_of = {e["change_key"]: e["key"] for e in entries if e.get("change_key")}
    return [{"key": e["key"], "label": e["label"], "unit": e["unit"], "direction": e["direction"],
             "kind": e.get("kind", "level"), "series_key": level_of.get(e["key"], e["key"])} for e in entries]


def _sync_indicators(engine: Engine, conn) -> None:
    """The indicator catalog as rows, labels kept current (idempotent)."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(t.IndicatorRow.__table__)
    stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={c: stmt.excluded[c] for c in
                                                                     ("label", "unit", "direction", "kind", "series_key")})
    conn.execute(stmt, _indicator_rows())


class Store:
    def __init__(self, url: str | None = None, migrate: bool = True):
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        if migrate:
            self.ensure_schema()

    def ensure_schema(self) -> None:
        if current_revision(self.engine) != head_revision(self.engine):
            upgrade(self.engine)
        self.sync_catalog()

    def sync_catalog(self) -> None:
        """The agency catalog with its aliases, as rows (idempotent)."""
        agencies, aliases = _catalog_rows()
        at = t.Agency.__table__
        with self.engine.begin() as conn:
            stmt, rows = _upsert(self.engine, at, agencies, ["name"])
            conn.execute(stmt, rows)
            ids = dict(conn.execute(select(at.c.name, at.c.id)).all())
            stmt, rows = _upsert(self.engine, t.AgencyAlias.__table__,
                                 [{"agency_id": ids[name], "alias": alias} for name, alias in aliases],
                                 ["agency_id", "alias"])
            conn.execute(stmt, rows)
            _sync_indicators(self.engine, conn)
            successor_rows.refresh_all(conn)

    # --- loading -----------------------------------------------------------------------------

    def load(self, record: Record, force: bool = False) -> LoadResult:
        """Load one document's record; replaces an earlier version of the same bytes."""
        if record.error is not None:
            raise ValueError("an error record has no document to load")
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    return _load(self.engine, conn, record, force)
            except IntegrityError:
                # a concurrent loader stored the same document first: load again as a replacement
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    # --- runs ------------------------------------------------------------------------------------

    def start_run(self, command: str, pipeline_version: str) -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(t.IngestionRun.__table__).returning(t.IngestionRun.id),
                                {"started_at": _now(), "command": command, "pipeline_version": pipeline_version,
                                 "status": "running"}).scalar_one()

    def record_outcome(self, run_id: int, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(t.FileOutcome.__table__), {"run_id": run_id, **values})

    def finish_run(self, run_id: int, status: str, **totals: Any) -> None:
        self.index_pending()
        with self.engine.begin() as conn:
            conn.execute(update(t.IngestionRun.__table__).where(t.IngestionRun.id == run_id)
                         .values(finished_at=_now(), status=status, **totals))

    def index_pending(self) -> int:
        """The search index of the documents loaded since it was last brought up to date (the end
        of a run, a search): one transaction for them all, outside each document's load."""
        return index_pending(self.engine)

    def abandon_run(self, run_id: int) -> dict[str, int]:
        """Mark a run that died as ``abandoned``, with what it had recorded before it did."""
        fo = t.FileOutcome.__table__
        with self.engine.begin() as conn:
            rows = conn.execute(select(fo.c.status, func.count()).where(fo.c.run_id == run_id).group_by(fo.c.status)).all()
            done = {status: n for status, n in rows}
            conn.execute(update(t.IngestionRun.__table__)
                         .where(t.IngestionRun.id == run_id, t.IngestionRun.status == "running")
                         .values(finished_at=_now(), status="abandoned", documents=sum(done.values()),
                                 failures=done.get("failed", 0)))
        return done

    def stats(self) -> dict[str, int]:
        names = inspect(self.engine).get_table_names()
        out = {}
        with self.engine.connect() as conn:
            for table in t.Base.metadata.sorted_tables:
                if table.name in names:
                    out[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        return out

    def stored_version(self, sha256: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(t.Document.pipeline_version).where(t.Document.sha256 == sha256)).scalar()


def _document_values(record: Record, now: dt.datetime) -> dict:
    m, s = record.metadata, record.source
    d, p, g = m.issue_date, m.period, m.signer
    return {
        "sha256": s.sha256, "path": s.path, "format": s.format, "pages": s.pages, "ocr": s.ocr,
        "size_bytes": s.size_bytes, "doc_type": m.doc_type, "title": m.title, "issuer": m.issuer,
        "admin_level": m.admin_level, "province": m.province, "district": m.district,
        "doc_number": m.doc_number, "place": m.place,
        "issue_year": d.year if d else None, "issue_month": d.month if d else None, "issue_day": d.day if d else None,
        "period_start": p.start if p else None, "period_end": p.end if p else None,
        "signer_name": g.name if g else None, "signer_title": g.title if g else None,
        "units_era": m.units_era, "province_issued": m.province_issued, "province_code": m.province_code,
        "province_today": m.province_today, "province_today_code": m.province_today_code,
        "district_code": m.district_code, "commune": m.commune, "commune_code": m.commune_code,
        "warnings": record.warnings or None, "text": record.text,
        "pipeline_version": record.pipeline_version, "extracted_at": now,
    }


def _load(engine: Engine, conn, record: Record, force: bool) -> LoadResult:
    now = _now()
    doc_t = t.Document.__table__
    q = select(doc_t.c.id, doc_t.c.pipeline_version).where(doc_t.c.sha256 == record.source.sha256)
    if engine.dialect.name == "postgresql":
        q = q.with_for_update()
    existing = conn.execute(q).first()
    values = _document_values(record, now)
    if existing is not None:
        doc_id = existing.id
        _remember_path(engine, conn, doc_id, record.source.path, now)
        if existing.pipeline_version == record.pipeline_version and not force:
            return LoadResult("unchanged", doc_id, 0)
        for model in CHILD_TABLES:
            conn.execute(delete(model.__table__).where(model.__table__.c.document_id == doc_id))
        conn.execute(update(doc_t).where(doc_t.c.id == doc_id).values(**values))
        status = "replaced"
    else:
        doc_id = conn.execute(insert(doc_t).returning(doc_t.c.id), values).scalar_one()
        _remember_path(engine, conn, doc_id, record.source.path, now)
        status = "loaded"
    rows = 1 + _load_children(engine, conn, doc_id, record)
    return LoadResult(status, doc_id, rows)


def _remember_path(engine: Engine, conn, doc_id: int, path: str, now: dt.datetime) -> None:
    pt = t.DocumentPath.__table__
    stmt, rows = _upsert(engine, pt, [{"document_id": doc_id, "path": path, "first_seen": now, "last_seen": now}],
                         ["document_id", "path"])
    conn.execute(stmt, rows)
    conn.execute(update(pt).where(pt.c.document_id == doc_id, pt.c.path == path).values(last_seen=now))


def _insert_returning(conn, table, rows: list[dict], column) -> list:
    if not rows:
        return []
    stmt = insert(table).returning(column, sort_by_parameter_order=True)
    return list(conn.execute(stmt, rows).scalars())


def _load_children(engine: Engine, conn, doc_id: int, record: Record) -> int:
    st = t.SectionRow.__table__
    section_rows = [{
        "document_id": doc_id, "sid": s.id, "level": s.level, "label": s.label, "heading": s.heading,
        "kind": s.kind, "span_start": s.span[0], "span_end": s.span[1],
        "page_first": s.pages[0] if s.pages else None, "page_last": s.pages[-1] if s.pages else None,
    } for s in record.sections]
    section_ids = dict(zip([s.id for s in record.sections], _insert_returning(conn, st, section_rows, st.c.id)))
    parents = [{"row_id": section_ids[s.id], "parent": section_ids[s.parent]}
               for s in record.sections if s.parent in section_ids]
    if parents:
        conn.execute(update(st).where(st.c.id == bindparam("row_id")).values(parent_id=bindparam("parent")), parents)
    sec = section_ids.get
    count = len(section_rows)

    amounts = [{
        "document_id": doc_id, "section_id": sec(a.section) if a.section else None,
        "value_million_vnd": a.value_million_vnd, "raw": a.raw, "kind": a.kind, "component": a.component,
        "funding_source": a.funding_source, "capital_type": a.capital_type, "location": a.location,
        "per": a.per, "bound": a.bound, "year": a.year, "table_row": a.table_row, "table_column": a.table_column,
        "span_start": a.span[0], "span_end": a.span[1], "page": a.page, **_location_values(a),
    } for a in record.amounts]
    targets = [{
        "document_id": doc_id, "section_id": sec(x.section) if x.section else None, "indicator": x.indicator,
        "location": x.location, "baseline": _dec(x.baseline), "target": _dec(x.target),
        "target_max": _dec(x.target_max), "unit": x.unit, "year": x.year, "direction": x.direction,
        "comparator": x.comparator, "raw": x.raw, "span_start": x.span[0], "span_end": x.span[1], "page": x.page,
        **_location_values(x),
        "indicator_key": x.indicator_key,
    } for x in record.targets]
    checks = [{
        "document_id": doc_id, "rule": c.rule, "severity": c.severity, "message": c.message, "total": c.total,
        "parts_sum": c.parts_sum, "difference": c.difference, "spans": [list(sp) for sp in c.spans],
    } for c in record.checks]
    for model, rows in ((t.AmountRow, amounts), (t.TargetRow, targets), (t.CheckRow, checks)):
        if rows:
            conn.execute(insert(model.__table__), rows)
            count += len(rows)
    count += _load_citations(engine, conn, doc_id, record, sec)
    count += _load_assignments(engine, conn, doc_id, record, sec)
    queue_document(conn, doc_id, record, section_ids)  # for the search index at the run's end: not counted as rows
    return count


def _location_values(item) -> dict:  # noqa: ANN001 - an Amount, Target or Assignment
    return {"location_code": item.location_code, "location_level": item.location_level,
            "location_province_today": item.location_province_today,
            "location_province_today_code": item.location_province_today_code}


def _dec(value):
    from decimal import Decimal

    return None if value is None else Decimal(str(value))


def cited_key(doc_type: str, number: str, date: str | None) -> str:
    """Numbers restart every year: a cited document is its type, number and year."""
    import regex

    year = date[:4] if date else (regex.search(r"/((?:19|20)\d{2})/", number) or [None, ""])[1]
    return f"{doc_type}|{number.upper()}|{year}"


def _load_citations(engine: Engine, conn, doc_id: int, record: Record, sec) -> int:
    if not record.legal_refs:
        return 0
    ct = t.CitedDocument.__table__
    cited = {}
    for r in record.legal_refs:
        key = cited_key(r.type, r.number, r.date)
        cited.setdefault(key, {"key": key, "doc_type": r.type, "number": r.number,
                               "date": dt.date.fromisoformat(r.date) if r.date else None, "issuer": r.issuer})
    stmt, rows = _upsert(engine, ct, cited.values(), ["key"])
    conn.execute(stmt, rows)
    ids = dict(conn.execute(select(ct.c.key, ct.c.id).where(ct.c.key.in_(list(cited)))).all())
    refs = [{
        "document_id": doc_id, "cited_document_id": ids[cited_key(r.type, r.number, r.date)],
        "section_id": sec(r.section) if r.section else None, "role": r.role, "number_as_written": r.number,
        "date": dt.date.fromisoformat(r.date) if r.date else None, "issuer": r.issuer, "raw": r.raw,
        "mentions": r.mentions, "span_start": r.span[0], "span_end": r.span[1], "page": r.page,
    } for r in record.legal_refs]
    conn.execute(insert(t.LegalReference.__table__), refs)
    return len(refs) + len(cited)


def _load_assignments(engine: Engine, conn, doc_id: int, record: Record, sec) -> int:
    if not record.assignments:
        return 0
    at = t.Agency.__table__
    levels = {row["catalog_id"]: row["level"] for row in _catalog_rows()[0]}
    ids_of = {}  # name → catalog id, as the extractor found them
    for a in record.assignments:
        if a.lead:
            ids_of[a.lead] = a.lead_catalog_id
        for n, cid in zip(a.coordinating, a.coordinating_catalog_ids or [None] * len(a.coordinating)):
            ids_of[n] = cid
    names = set(ids_of)
    new = [{"name": n, "catalog_id": cid, "level": levels.get(cid), "category": None} for n, cid in ids_of.items()]
    stmt, rows = _upsert(engine, at, new, ["name"])
    created = set(conn.execute(stmt.returning(at.c.name), rows).scalars()) if rows else set()
    ids = dict(conn.execute(select(at.c.name, at.c.id).where(at.c.name.in_(list(names)))).all())
    # a name new to the store gets its successors now; the others got theirs when they came
    # or when the store last opened
    successor_rows.add_for(engine, conn, {n: (ids[n], ids_of[n]) for n in created})
    asg_t = t.AssignmentRow.__table__
    asg_rows = [{"document_id": doc_id, "section_id": sec(a.section) if a.section else None,
                 "component": a.component, "task": a.task, "deadline": a.deadline,
                 "deadline_normalized": a.deadline_normalized, "output": a.output,
                 "span_start": a.span[0], "span_end": a.span[1],
                 "page": a.page, "location": a.location, **_location_values(a)} for a in record.assignments]
    asg_ids = _insert_returning(conn, asg_t, asg_rows, asg_t.c.id)
    links = []
    for a, asg_id in zip(record.assignments, asg_ids):
        if a.lead:
            links.append({"assignment_id": asg_id, "agency_id": ids[a.lead], "role": "lead", "position": 0})
        for i, n in enumerate(a.coordinating):
            links.append({"assignment_id": asg_id, "agency_id": ids[n], "role": "coordinating", "position": i})
    if links:
        conn.execute(insert(t.AssignmentAgency.__table__), links)
    return len(asg_rows) + len(links)
