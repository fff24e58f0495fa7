"""Agencies over time and who owes what by when: the agency_successors table and the
agency_obligations view (docs/schema.md).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# One row per duty, party named in it and holder of that party's duties today: a party the 2025
# reform ended gives a row for each successor (main and part), marked inherited; a party that
# still exists (or that the catalog does not know) gives one row, holding its own duty.
# The catalog's canonical name of a party is the agencies row the catalog itself wrote
# (category set); the names plans wrote carry the catalog id but no category. Today's holder of
# a duty still held is that canonical name, except for a body of every level ('Ủy ban nhân
# dân', 'Hội Nông dân'), whose name as written keeps its level and place.
VIEWS = {
    "agency_obligations": """
        SELECT aa.id AS assignment_agency_id, asg.id AS assignment_id, d.id AS document_id, d.sha256,
               d.title AS document_title, d.doc_number, d.issuer, d.issue_year, d.issue_month, d.issue_day,
               COALESCE(d.province_issued, d.province) AS province_issued,
               d.province_today, d.province_today_code,
               d.district, aa.role, aa.position,
               ag.name AS agency, ag.catalog_id AS agency_catalog_id,
               COALESCE(cat.name, ag.name) AS agency_canonical,
               COALESCE(su.name, CASE WHEN cat.level IN ('any_local', 'any_level') THEN ag.name END,
                        cat.name, ag.name) AS agency_today,
               COALESCE(su.catalog_id, ag.catalog_id) AS agency_today_catalog_id,
               CASE WHEN s.id IS NULL THEN 0 ELSE 1 END AS inherited,
               s.share AS succession_share, s.duties AS succession_duties, s.since AS succession_since,
               s.source AS succession_source,
               asg.component, asg.task, asg.deadline, asg.deadline_normalized, asg.output,
               sec.sid AS section_sid, sec.label AS section_label, sec.heading AS section_heading,
               asg.page, asg.span_start, asg.span_end
        FROM assignment_agencies aa
        JOIN assignments asg ON asg.id = aa.assignment_id
        JOIN agencies ag ON ag.id = aa.agency_id
        JOIN documents d ON d.id = asg.document_id
        LEFT JOIN sections sec ON sec.id = asg.section_id
        LEFT JOIN (SELECT catalog_id, MIN(name) AS name, MIN(level) AS level FROM agencies
                   WHERE catalog_id IS NOT NULL AND category IS NOT NULL GROUP BY catalog_id) cat
               ON cat.catalog_id = ag.catalog_id
        LEFT JOIN agency_successors s ON s.agency_id = ag.id
        LEFT JOIN agencies su ON su.id = s.successor_id""",
}


def upgrade() -> None:
    op.create_table(
        "agency_successors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("share", sa.String(8), nullable=False),
        sa.Column("duties", sa.Text(), nullable=True),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name="fk_agency_successors_agency_id_agencies",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["successor_id"], ["agencies.id"],
                                name="fk_agency_successors_successor_id_agencies", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_agency_successors"),
        sa.UniqueConstraint("agency_id", "successor_id", name="uq_agency_successors_agency_id_successor_id"),
    )
    op.create_index("ix_agency_successors_agency_id", "agency_successors", ["agency_id"])
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body}")


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    op.drop_index("ix_agency_successors_agency_id", table_name="agency_successors")
    op.drop_table("agency_successors")
