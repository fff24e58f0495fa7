"""Comparable indicators: targets.indicator_key, the indicator catalog as rows, the view indicator_series.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# One row per target that measures a shared indicator, with the plan it comes from: what lines
# one indicator up across provinces and years (docs/schema.md). year: the year the target names,
# else the end of the plan's period, else the year it was issued.
INDICATOR_SERIES = """
        SELECT t.id AS target_id, t.indicator_key, COALESCE(i.series_key, t.indicator_key) AS series_key,
               i.label AS indicator_label, i.kind AS indicator_kind,
               COALESCE(d.province_issued, d.province) AS province_as_issued,
               d.province_today, d.province_today_code,
               d.district, COALESCE(t.year, d.period_end, d.issue_year) AS year, t.year AS year_stated,
               t.baseline, t.target, t.target_max, t.unit, t.direction, t.comparator, t.location, t.indicator,
               d.id AS document_id, d.sha256, d.title AS document_title, d.doc_number,
               d.issue_year, d.issue_month, d.issue_day, d.period_start, d.period_end,
               t.raw, t.page, t.span_start, t.span_end
        FROM targets t
        JOIN documents d ON d.id = t.document_id
        LEFT JOIN indicators i ON i.key = t.indicator_key
        WHERE t.indicator_key IS NOT NULL"""


def upgrade() -> None:
    op.create_table(
        "indicators",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("series_key", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_indicators"),
    )
    op.add_column("targets", sa.Column("indicator_key", sa.String(64), nullable=True))
    op.create_index("ix_targets_indicator_key", "targets", ["indicator_key"])
    op.execute(f"CREATE VIEW indicator_series AS {INDICATOR_SERIES}")


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS indicator_series")
    op.drop_index("ix_targets_indicator_key", table_name="targets")
    # SQLite drops a column by copying the table; the views over targets go and come back
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("_views_0002", Path(__file__).with_name("0002_views.py"))
    v2 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(v2)
    op.execute("DROP VIEW IF EXISTS target_lines")
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("indicator_key")
    op.execute(f"CREATE VIEW target_lines AS {v2.VIEWS['target_lines']}")
    op.drop_table("indicators")
