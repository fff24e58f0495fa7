"""Places as issued and today: the issuing unit's official codes and today's province on
documents, and each located amount's, target's and task's code and province today.

Self-contained (columns and one index, no view): the 1 July 2025 reform merged 63 provinces
into 34, so a plan is found under the province it belongs to now (docs/places.md).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DOCUMENT_COLUMNS = [
    ("units_era", sa.String(16)),
    ("province_issued", sa.String(64)),
    ("province_code", sa.String(8)),
    ("province_today", sa.String(64)),
    ("province_today_code", sa.String(8)),
    ("district_code", sa.String(8)),
    ("commune", sa.String(64)),
    ("commune_code", sa.String(8)),
]
LOCATION_COLUMNS = [
    ("location_code", sa.String(8)),
    ("location_level", sa.String(16)),
    ("location_province_today", sa.String(64)),
    ("location_province_today_code", sa.String(8)),
]
# assignments had no location: the place their section heading names
TABLE_COLUMNS = {
    "documents": DOCUMENT_COLUMNS,
    "amounts": LOCATION_COLUMNS,
    "targets": LOCATION_COLUMNS,
    "assignments": [("location", sa.String(128)), *LOCATION_COLUMNS],
}


def upgrade() -> None:
    for table, columns in TABLE_COLUMNS.items():
        for name, type_ in columns:
            op.add_column(table, sa.Column(name, type_, nullable=True))
    op.create_index("ix_documents_province_today", "documents", ["province_today"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_documents_province_today", table_name="documents")
    # a plain DROP COLUMN (SQLite 3.35 and later have it): batch mode's copy of the table
    # would break the views of revisions 0002–0003 that read these tables
    for table, columns in TABLE_COLUMNS.items():
        for name, _ in reversed(columns):
            op.drop_column(table, name)
