"""Views for other tools: budget lines, assignments, targets and citations (docs/schema.md).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

VIEWS = {
    "budget_lines": """
        SELECT a.id AS amount_id, d.id AS document_id, d.sha256, d.title AS document_title, d.issuer,
               d.admin_level, d.province, d.district,
               CASE WHEN d.period_start = d.period_end THEN d.period_start ELSE d.issue_year END AS year,
               d.period_start, d.period_end,
               s.label AS section_label, s.heading AS section_heading, s.kind AS section_kind,
               a.component, a.funding_source, a.capital_type, a.location, a.per, a.bound,
               a.value_million_vnd, a.raw, a.page, a.span_start, a.span_end
        FROM amounts a
        JOIN documents d ON d.id = a.document_id
        LEFT JOIN sections s ON s.id = a.section_id
        WHERE a.kind = 'budget'""",
    "assignment_lines": """
        SELECT aa.id AS assignment_agency_id, asg.id AS assignment_id, d.id AS document_id, d.sha256,
               d.title AS document_title, d.province, d.district, asg.component, asg.task,
               aa.role, aa.position, ag.id AS agency_id, ag.name AS agency, ag.catalog_id AS agency_catalog_id,
               asg.page, asg.span_start, asg.span_end
        FROM assignment_agencies aa
        JOIN assignments asg ON asg.id = aa.assignment_id
        JOIN agencies ag ON ag.id = aa.agency_id
        JOIN documents d ON d.id = asg.document_id""",
    "target_lines": """
        SELECT t.id AS target_id, d.id AS document_id, d.sha256, d.title AS document_title, d.province,
               d.district, s.label AS section_label, s.kind AS section_kind, t.indicator, t.location,
               t.baseline, t.target, t.target_max, t.unit, t.year, t.direction, t.comparator, t.raw, t.page
        FROM targets t
        JOIN documents d ON d.id = t.document_id
        LEFT JOIN sections s ON s.id = t.section_id""",
    "citations": """
        SELECT lr.id AS reference_id, d.id AS document_id, d.sha256, d.title AS document_title,
               d.issuer AS citing_issuer, d.province, c.id AS cited_document_id, c.doc_type, c.number,
               c.date AS cited_date, c.issuer AS cited_issuer, lr.role, lr.mentions, lr.page
        FROM legal_references lr
        JOIN documents d ON d.id = lr.document_id
        JOIN cited_documents c ON c.id = lr.cited_document_id""",
}


def upgrade() -> None:
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body}")


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
