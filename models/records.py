"""Typed records passed between stages, and the output contract's record.

The contract (``docs/contract.md``) fixes field names and vocabularies; fields
added here beyond it are documented in ``docs/contract-additions.md``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

Span = tuple[int, int]

DocType = Literal["ke_hoach", "quyet_dinh", "nghi_quyet", "nghi_dinh", "thong_tu", "chi_thi",
                  "cong_van", "bao_cao", "to_trinh", "thong_bao", "chuong_trinh", "de_an", "luat",
                  "other"]
AdminLevel = Literal["national", "province", "district", "commune"]
SectionKind = Literal["preamble", "purpose_requirements", "objectives", "scope", "content",
                      "tasks_solutions", "budget", "organization", "expected_results",
                      "results_review", "context", "part", "other"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Source(_Model):
    path: str
    sha256: str
    format: str
    pages: Optional[int] = None
    ocr: bool = False
    size_bytes: int = 0
    pages_needing_ocr: list[int] = Field(default_factory=list)
    page_methods: list["PageMethod"] = Field(default_factory=list)


class PageMethod(_Model):
    """How one page's text was read: its PDF text layer, or OCR with the engine's confidence."""
    page: int
    method: Literal["text", "tesseract", "blank"]  # blank: a white page, not sent to OCR
    confidence: Optional[float] = None
    reason: Optional[str] = None


class PartialDate(_Model):
    year: Optional[int] = None
    month: Optional[int] = None
    day: Optional[int] = None


class Period(_Model):
    start: Optional[int] = None
    end: Optional[int] = None


class Signer(_Model):
    name: Optional[str] = None
    title: Optional[str] = None


class Metadata(_Model):
    doc_type: Optional[DocType] = None
    title: Optional[str] = None
    issuer: Optional[str] = None
    admin_level: Optional[AdminLevel] = None
    province: Optional[str] = None
    district: Optional[str] = None
    doc_number: Optional[str] = None
    place: Optional[str] = None
    issue_date: Optional[PartialDate] = None
    period: Optional[Period] = None
    signer: Optional[Signer] = None
    # fields filled from a portal's block about the document, which the plan's own header left out
    from_wrapper: list[str] = Field(default_factory=list)
    # the issuing unit with its official code, as issued and today (after the 1 July 2025
    # reform); filled by extractors.places, also where the text names only the district
    units_era: Optional[Literal["before_2025", "from_2025"]] = None  # the units the plan was issued under
    province_issued: Optional[str] = None  # 'Bắc Kạn' of a Bạch Thông plan whose text never names it
    province_code: Optional[str] = None  # '06'
    province_today: Optional[str] = None  # 'Thái Nguyên'
    province_today_code: Optional[str] = None  # '19'
    district_code: Optional[str] = None  # '063'
    commune: Optional[str] = None  # 'Xã Long Phụng', of a commune's plan
    commune_code: Optional[str] = None  # '21409'


class Section(_Model):
    id: str
    parent: Optional[str]
    level: int
    label: Optional[str]
    heading: Optional[str]
    kind: SectionKind
    span: Span
    pages: list[int] = Field(default_factory=list)
    heading_span: Optional[Span] = None


class LegalRef(_Model):
    type: DocType
    number: str
    date: Optional[str] = None
    issuer: Optional[str] = None
    role: Optional[Literal["basis", "implements", "cites"]] = None
    raw: str
    span: Span
    page: Optional[int] = None
    section: Optional[str] = None
    mentions: int = 1


class Amount(_Model):
    value_million_vnd: Decimal
    raw: str
    kind: Literal["budget", "reported", "target", "other"]
    component: Optional[str] = None
    funding_source: Optional[str] = None
    capital_type: Optional[str] = None
    location: Optional[str] = None
    per: Optional[str] = None
    bound: Optional[Literal["min", "max"]] = None
    year: Optional[int] = None  # the year a table column names ('Năm 2026')
    table_row: Optional[str] = None  # a table cell's row label
    table_column: Optional[str] = None  # a table cell's column header, through merged cells
    section: Optional[str] = None
    span: Span
    page: Optional[int] = None
    # the official code of ``location`` (as issued), its level, and the province it is in today
    location_code: Optional[str] = None
    location_level: Optional[AdminLevel] = None
    location_province_today: Optional[str] = None
    location_province_today_code: Optional[str] = None


class Target(_Model):
    indicator: str
    location: Optional[str] = None
    baseline: Optional[float] = None
    target: Optional[float] = None
    target_max: Optional[float] = None
    unit: Optional[str] = None
    year: Optional[int] = None
    direction: Optional[str] = None
    comparator: Optional[str] = None
    raw: str
    section: Optional[str] = None
    span: Span
    page: Optional[int] = None
    # the official code of ``location`` (as issued), its level, and the province it is in today
    location_code: Optional[str] = None
    location_level: Optional[AdminLevel] = None
    location_province_today: Optional[str] = None
    location_province_today_code: Optional[str] = None
    # the shared indicator it measures (catalogs/indicators.json), None when the catalog has none
    indicator_key: Optional[str] = None


class Assignment(_Model):
    component: Optional[str] = None
    task: Optional[str] = None
    lead: Optional[str] = None
    coordinating: list[str] = Field(default_factory=list)
    # the agency catalog's id of the lead and of each coordinating party (None: not in the catalog)
    lead_catalog_id: Optional[str] = None
    coordinating_catalog_ids: list[Optional[str]] = Field(default_factory=list)
    # who holds the lead's duty today (models/successors.py): the lead itself, or the agency the
    # 2025 reform passed this duty to; inherited when lead_today_catalog_id differs from lead_catalog_id
    lead_today: Optional[str] = None
    lead_today_catalog_id: Optional[str] = None
    deadline: Optional[str] = None  # as written: 'Quý IV/2026', 'Thường xuyên'
    deadline_normalized: Optional[str] = None  # '2026-Q4', '2026-06-30', '2026', 'continuous', 'yearly'
    output: Optional[str] = None  # the product: 'Kế hoạch', 'Báo cáo', 'Quyết định …'
    section: Optional[str] = None
    span: Span
    page: Optional[int] = None
    # the place its section heading names ('Huyện Phước Sơn'), as on targets and amounts
    location: Optional[str] = None
    # the official code of ``location`` (as issued), its level, and the province it is in today
    location_code: Optional[str] = None
    location_level: Optional[AdminLevel] = None
    location_province_today: Optional[str] = None
    location_province_today_code: Optional[str] = None


class Check(_Model):
    rule: str
    severity: Literal["info", "warning", "error"]
    message: str
    spans: list[Span] = Field(default_factory=list)
    total: Optional[Decimal] = None
    parts_sum: Optional[Decimal] = None
    difference: Optional[Decimal] = None


class ErrorInfo(_Model):
    type: str
    message: str


Source.model_rebuild()


class Record(_Model):
    schema_version: str = SCHEMA_VERSION
    source: Source
    metadata: Metadata = Field(default_factory=Metadata)
    sections: list[Section] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    legal_refs: list[LegalRef] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    pipeline_version: str = ""
    text: Optional[str] = None
    error: Optional[ErrorInfo] = None

    def frames(self) -> dict:
        """This record's lists as pandas frames (``models.frames.to_frames``; needs the frames extra)."""
        from kehoach.models.frames import to_frames

        return to_frames([self])


def _json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def record_json(record: Record) -> str:
    """One JSON Lines line of the output contract (money as JSON numbers, exact digits kept)."""
    data = record.model_dump(mode="python", exclude_none=False)
    if data.get("text") is None:
        data.pop("text", None)
    return json.dumps(data, ensure_ascii=False, default=_json_default)


# --- internal records between stages ---------------------------------------------------------

@dataclass(slots=True)
class TableCell:
    text: str
    start: int  # source offset of the cell's text, -1 when it could not be placed


@dataclass(slots=True)
class Table:
    """A table as rows of cells (Markdown pipe tables; PDF tables that assign tasks)."""
    rows: list[list[TableCell]]
    page: Optional[int] = None
    source_start: int = 0  # where to search for cells that have no offset (a PDF table: its page)


@dataclass(slots=True)
class RawDocument:
    """What ingestion read: the source text (pages joined by form feeds) and where pages start."""
    path: str
    sha256: str
    format: str
    size_bytes: int
    text: str
    page_starts: list[int] = field(default_factory=lambda: [0])
    paged: bool = False
    pages_needing_ocr: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # PDF layout per line, keyed by the line's source offset: (set in bold, how far across the
    # text block the line reaches, how wide its first word is; both as shares of the block's width)
    line_layout: dict[int, tuple[bool, float, float]] = field(default_factory=dict)
    page_methods: list[dict] = field(default_factory=list)  # PageMethod fields per page of a PDF
    tables: list[Table] = field(default_factory=list)
    # 'md' when the text is Markdown: .md files, and what the DOCX and HTML readers write
    markup: str = ""

    @property
    def is_markdown(self) -> bool:
        return self.format == "md" or self.markup == "md"

    @property
    def page_count(self) -> Optional[int]:
        return len(self.page_starts) if self.paged else None


@dataclass
class Frame:
    """The parts of a document, as paragraph indices of its normalised text."""
    type_para: int | None  # index of the 'KẾ HOẠCH' line
    doc_type: str | None
    title_paras: list[int]
    body_start: int  # first paragraph of the body
    body_end: int  # paragraph index where the closing starts (exclusive end of the body)
    header_end: int  # paragraphs before this index are the header block
    plan_type_para: int | None = None  # a plan carried by a decision
    header_start: int = 0  # first paragraph of the header block: what comes before is a capture's wrapper


@dataclass(slots=True)
class Paragraph:
    """A logical paragraph of the normalised text, after hard wraps are undone."""
    start: int
    end: int
    heading_hint: bool = False  # Markdown heading or a line set entirely in bold
    table_cell: bool = False  # a cell of a table (read by the table rules, not as prose)
