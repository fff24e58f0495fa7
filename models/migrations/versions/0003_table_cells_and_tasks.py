"""Table cells (year, row, column of an amount) and tasks (deadline, product) — and the views that show them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# the views as revision 0002 made them, read from that revision's file (migrations are files, not a package)
_spec = importlib.util.spec_from_file_location("_views_0002", Path(__file__).with_name("0002_views.py"))
_v2 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_v2)

VIEWS = dict(_v2.VIEWS)
VIEWS["budget_lines"] = VIEWS["budget_lines"].replace(
    "a.value_million_vnd, a.raw,",
    "a.year AS amount_year, a.table_row, a.table_column, a.value_million_vnd, a.raw,")
VIEWS["assignment_lines"] = VIEWS["assignment_lines"].replace(
    "asg.component, asg.task,", "asg.component, asg.task, asg.deadline, asg.deadline_normalized, asg.output,")
CHANGED = ("budget_lines", "assignment_lines")


def upgrade() -> None:
    for name in CHANGED:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    op.add_column("amounts", sa.Column("year", sa.Integer(), nullable=True))
    op.add_column("amounts", sa.Column("table_row", sa.Text(), nullable=True))
    op.add_column("amounts", sa.Column("table_column", sa.Text(), nullable=True))
    op.add_column("assignments", sa.Column("deadline", sa.Text(), nullable=True))
    op.add_column("assignments", sa.Column("deadline_normalized", sa.String(16), nullable=True))
    op.add_column("assignments", sa.Column("output", sa.Text(), nullable=True))
    for name in CHANGED:
        op.execute(f"CREATE VIEW {name} AS {VIEWS[name]}")


def downgrade() -> None:
    for name in CHANGED:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    with op.batch_alter_table("assignments") as batch:
        for col in ("output", "deadline_normalized", "deadline"):
            batch.drop_column(col)
    with op.batch_alter_table("amounts") as batch:
        for col in ("table_column", "table_row", "year"):
            batch.drop_column(col)
    for name in CHANGED:
        op.execute(f"CREATE VIEW {name} AS {_v2.VIEWS[name]}")
