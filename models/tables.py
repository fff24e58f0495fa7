"""The relational store: SQLAlchemy 2.0 typed ORM models.

Other tools query these tables and the views over them directly (docs/schema.md), so names
are plain and stable; the Alembic migrations in models/migrations are the schema's source of
truth for a database, and these models must match them (tests/test_store.py checks).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy import (JSON, Boolean, DateTime, ForeignKey, Index, Integer, MetaData, Numeric, String,
                        Text, UniqueConstraint, false)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {"ix": "ix_%(table_name)s_%(column_0_name)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}
MILLION_VND = Numeric(20, 6)  # money in million đồng, exact to the đồng
QUANTITY = Numeric(20, 6)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _doc_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)


def _section_fk() -> Mapped[Optional[int]]:
    return mapped_column(ForeignKey("sections.id", ondelete="SET NULL"), nullable=True)


class Document(Base):
    """One plan document, identified by the sha256 of its bytes."""
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(16))
    pages: Mapped[Optional[int]]
    ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    doc_type: Mapped[Optional[str]] = mapped_column(String(32))
    title: Mapped[Optional[str]] = mapped_column(Text)
    issuer: Mapped[Optional[str]] = mapped_column(Text)
    admin_level: Mapped[Optional[str]] = mapped_column(String(16))
    province: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    district: Mapped[Optional[str]] = mapped_column(String(64))
    doc_number: Mapped[Optional[str]] = mapped_column(String(64))
    place: Mapped[Optional[str]] = mapped_column(String(64))
    issue_year: Mapped[Optional[int]]
    issue_month: Mapped[Optional[int]]
    issue_day: Mapped[Optional[int]]
    period_start: Mapped[Optional[int]]
    period_end: Mapped[Optional[int]]
    signer_name: Mapped[Optional[str]] = mapped_column(String(128))
    signer_title: Mapped[Optional[str]] = mapped_column(String(128))
    # the issuing unit with its official code, as issued and today (revision 0004)
    units_era: Mapped[Optional[str]] = mapped_column(String(16))  # before_2025 | from_2025
    province_issued: Mapped[Optional[str]] = mapped_column(String(64))
    province_code: Mapped[Optional[str]] = mapped_column(String(8))
    province_today: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    province_today_code: Mapped[Optional[str]] = mapped_column(String(8))
    district_code: Mapped[Optional[str]] = mapped_column(String(8))
    commune: Mapped[Optional[str]] = mapped_column(String(64))
    commune_code: Mapped[Optional[str]] = mapped_column(String(8))
    warnings: Mapped[Optional[list]] = mapped_column(JSON)
    text: Mapped[Optional[str]] = mapped_column(Text)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    extracted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DocumentPath(Base):
    """Every file name a document arrived under (the same bytes are stored once)."""
    __tablename__ = "document_paths"
    __table_args__ = (UniqueConstraint("document_id", "path", name="uq_document_paths_document_id_path"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    path: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SectionRow(Base):
    """The section tree: A./B. parts, I./II., 1./1.1., a)/b) items."""
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("document_id", "sid", name="uq_sections_document_id_sid"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    sid: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), nullable=True)
    level: Mapped[int]
    label: Mapped[Optional[str]] = mapped_column(String(16))
    heading: Mapped[Optional[str]] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    span_start: Mapped[int]
    span_end: Mapped[int]
    page_first: Mapped[Optional[int]]
    page_last: Mapped[Optional[int]]


class AmountRow(Base):
    """A money amount in million đồng, with its attributes and where it was written."""
    __tablename__ = "amounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    section_id: Mapped[Optional[int]] = _section_fk()
    value_million_vnd: Mapped[Decimal] = mapped_column(MILLION_VND)
    raw: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    component: Mapped[Optional[str]] = mapped_column(String(64))
    funding_source: Mapped[Optional[str]] = mapped_column(String(16))
    capital_type: Mapped[Optional[str]] = mapped_column(String(16))
    location: Mapped[Optional[str]] = mapped_column(String(128))
    per: Mapped[Optional[str]] = mapped_column(String(64))
    bound: Mapped[Optional[str]] = mapped_column(String(8))
    year: Mapped[Optional[int]]  # the year a table column names
    table_row: Mapped[Optional[str]] = mapped_column(Text)  # a table cell's row label
    table_column: Mapped[Optional[str]] = mapped_column(Text)  # a table cell's column header path
    span_start: Mapped[int]
    span_end: Mapped[int]
    page: Mapped[Optional[int]]
    # the official code of location, its level and its province today (revision 0004)
    location_code: Mapped[Optional[str]] = mapped_column(String(8))
    location_level: Mapped[Optional[str]] = mapped_column(String(16))
    location_province_today: Mapped[Optional[str]] = mapped_column(String(64))
    location_province_today_code: Mapped[Optional[str]] = mapped_column(String(8))


class TargetRow(Base):
    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    section_id: Mapped[Optional[int]] = _section_fk()
    indicator: Mapped[str] = mapped_column(Text)
    location: Mapped[Optional[str]] = mapped_column(String(128))
    baseline: Mapped[Optional[Decimal]] = mapped_column(QUANTITY)
    target: Mapped[Optional[Decimal]] = mapped_column(QUANTITY)
    target_max: Mapped[Optional[Decimal]] = mapped_column(QUANTITY)
    unit: Mapped[Optional[str]] = mapped_column(String(64))
    year: Mapped[Optional[int]]
    direction: Mapped[Optional[str]] = mapped_column(String(16))
    comparator: Mapped[Optional[str]] = mapped_column(String(8))
    raw: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int]
    span_end: Mapped[int]
    page: Mapped[Optional[int]]
    # the official code of location, its level and its province today (revision 0004)
    location_code: Mapped[Optional[str]] = mapped_column(String(8))
    location_level: Mapped[Optional[str]] = mapped_column(String(16))
    location_province_today: Mapped[Optional[str]] = mapped_column(String(64))
    location_province_today_code: Mapped[Optional[str]] = mapped_column(String(8))
    # the shared indicator (catalogs/indicators.json) it measures: what lines targets up across plans
    indicator_key: Mapped[Optional[str]] = mapped_column(String(64), index=True)


class IndicatorRow(Base):
    """The shared indicators of catalogs/indicators.json, as rows (synced on every open)."""
    __tablename__ = "indicators"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    # the level indicator a change key measures the change of ('muc_giam_ty_le_ho_ngheo' →
    # 'ty_le_ho_ngheo'); its own key otherwise: one series holds a plan's levels and its reductions
    series_key: Mapped[Optional[str]] = mapped_column(String(64))


class Agency(Base):
    """Agencies: the catalog's canonical names, and names kept as written when unknown."""
    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    catalog_id: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    level: Mapped[Optional[str]] = mapped_column(String(32))
    category: Mapped[Optional[str]] = mapped_column(String(32))


class AgencyAlias(Base):
    __tablename__ = "agency_aliases"
    __table_args__ = (UniqueConstraint("agency_id", "alias", name="uq_agency_aliases_agency_id_alias"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(255))


class AgencySuccessor(Base):
    """Who holds an agency's duties today, when the 2025 reform ended it (models/successors.py;
    refreshed whenever the store opens, so 'today' is the day it last opened)."""
    __tablename__ = "agency_successors"
    __table_args__ = (UniqueConstraint("agency_id", "successor_id", name="uq_agency_successors_agency_id_successor_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    share: Mapped[str] = mapped_column(String(8))  # all | main | part
    duties: Mapped[Optional[str]] = mapped_column(Text)  # a part's duties: 'giảm nghèo; hộ nghèo'
    since: Mapped[dt.date]  # the day the duties passed to the successor
    source: Mapped[str] = mapped_column(Text)  # 'Nghị định 45/2025/NĐ-CP ngày 28/02/2025'


class AssignmentRow(Base):
    """A task or component given to agencies; the agencies and their roles are in assignment_agencies."""
    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    section_id: Mapped[Optional[int]] = _section_fk()
    component: Mapped[Optional[str]] = mapped_column(String(64))
    task: Mapped[Optional[str]] = mapped_column(Text)
    deadline: Mapped[Optional[str]] = mapped_column(Text)  # as written
    deadline_normalized: Mapped[Optional[str]] = mapped_column(String(16))  # 2026-Q4, 2026-06-30, yearly …
    output: Mapped[Optional[str]] = mapped_column(Text)  # the product: Kế hoạch, Báo cáo …
    span_start: Mapped[int]
    span_end: Mapped[int]
    page: Mapped[Optional[int]]
    location: Mapped[Optional[str]] = mapped_column(String(128))  # the place its section heading names
    # the official code of location, its level and its province today (revision 0004)
    location_code: Mapped[Optional[str]] = mapped_column(String(8))
    location_level: Mapped[Optional[str]] = mapped_column(String(16))
    location_province_today: Mapped[Optional[str]] = mapped_column(String(64))
    location_province_today_code: Mapped[Optional[str]] = mapped_column(String(8))


class AssignmentAgency(Base):
    __tablename__ = "assignment_agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # lead | coordinating
    position: Mapped[int] = mapped_column(Integer, default=0)


class CitedDocument(Base):
    """A legal or party document cited by plans; citations across plans join here."""
    __tablename__ = "cited_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)  # type|NUMBER|year
    doc_type: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(96), index=True)
    date: Mapped[Optional[dt.date]]
    issuer: Mapped[Optional[str]] = mapped_column(Text)


class LegalReference(Base):
    """One plan citing one document (all its mentions counted)."""
    __tablename__ = "legal_references"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    cited_document_id: Mapped[int] = mapped_column(ForeignKey("cited_documents.id"), index=True)
    section_id: Mapped[Optional[int]] = _section_fk()
    role: Mapped[Optional[str]] = mapped_column(String(16))
    number_as_written: Mapped[str] = mapped_column(String(96))
    date: Mapped[Optional[dt.date]]
    issuer: Mapped[Optional[str]] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    span_start: Mapped[int]
    span_end: Mapped[int]
    page: Mapped[Optional[int]]


class CheckRow(Base):
    __tablename__ = "checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    rule: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    total: Mapped[Optional[Decimal]] = mapped_column(MILLION_VND)
    parts_sum: Mapped[Optional[Decimal]] = mapped_column(MILLION_VND)
    difference: Mapped[Optional[Decimal]] = mapped_column(MILLION_VND)
    spans: Mapped[Optional[list]] = mapped_column(JSON)


class IngestionRun(Base):
    """One run of `kehoach extract --db` or of the nightly flow."""
    __tablename__ = "ingestion_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    command: Mapped[str] = mapped_column(String(64))
    pipeline_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="running")
    documents: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    checks_raised: Mapped[int] = mapped_column(Integer, default=0)
    duration_seconds: Mapped[Optional[float]]


class FileOutcome(Base):
    """What happened to each file of a run: loaded, unchanged or failed (with the error)."""
    __tablename__ = "file_outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingestion_runs.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    document_id: Mapped[Optional[int]] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    error_type: Mapped[Optional[str]] = mapped_column(String(32))
    error_message: Mapped[Optional[str]] = mapped_column(Text)
    pages: Mapped[Optional[int]]
    extract_seconds: Mapped[Optional[float]]
    load_seconds: Mapped[Optional[float]]


Index("ix_amounts_component", AmountRow.component)


class SearchDocument(Base):
    """A document's extracted items as search entries (models/search.py); its words' index is not
    a model: the FTS5 table search_fts on SQLite, the column words (tsvector) on PostgreSQL
    (migration 0006, docs/schema.md)."""
    __tablename__ = "search_documents"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    items: Mapped[list] = mapped_column(JSON)  # [kind, span_start, span_end, section_id, page, words] each
    indexed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # its words in the index yet
