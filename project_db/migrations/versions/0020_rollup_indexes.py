"""indexes for the portfolio roll-ups (project_db.rollups)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07

The roll-ups add up budget lines and actual costs by scheme and cost category over a selection
of projects. At 100 000 generated projects on SQLite (tests/bench/bench_portfolio.py, CPU time
of the status and money queries):

* ``(project_id, …, amount)``: a selection's rows are read from the index alone, without the
  table rows (a funder's quarter of the registry: 0.93 → 0.75 s);
* ``(scheme, category, project_id, …, amount)``: the whole registry is added up in the index's
  order, without sorting 1.7 million cost rows for the GROUP BY (3.3 → 1.0 s);
* ``project.municipality``: a municipality's projects without reading every project row
  (0.68 → 0.16 s).

Only indexes: nothing is changed in the data.
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

INDEXES = (
    (
        "ix_cost_actual_rollup",
        "cost_actual",
        ["project_id", "period_id", "scheme", "category", "amount"],
    ),
    (
        "ix_cost_actual_by_category",
        "cost_actual",
        ["scheme", "category", "project_id", "period_id", "amount"],
    ),
    ("ix_budget_line_rollup", "budget_line", ["project_id", "scheme", "category", "amount"]),
    ("ix_budget_line_by_category", "budget_line", ["scheme", "category", "project_id", "amount"]),
    ("ix_project_municipality", "project", ["municipality"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
