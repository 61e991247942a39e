"""portfolio reports in the report archive

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07

A portfolio report is made of a selection of projects over a period, not of one project: its
archive row has no project, its ``project_name`` is the selection's title, and the new column
``selection`` keeps the selection and the period as JSON (the codes, municipalities, themes,
project ids, first and last day). Project reports leave it NULL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_archive") as batch:
        batch.add_column(sa.Column("selection", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_archive") as batch:
        batch.drop_column("selection")
