"""the sign-off and follow-up of an assessment: approver and time, ex-post ratings

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

A finished assessment may be approved (the approver's name and when); the ex-post rates the
whole and each follow-up indicator. New nullable columns (the approver's name empty): existing
assessments are unapproved and unrated.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ex_post_rating", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("approved_by", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("assessment_follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ex_post_rating", sa.String(length=20), nullable=True))


def downgrade() -> None:
    # recreate="never": SQLite drops the columns in place (3.35+). Copying the table instead would
    # drop the old one, and with foreign keys on, that empties every reference to an assessment
    # (report_archive.assessment_id, ON DELETE SET NULL).
    with op.batch_alter_table("assessment_follow_up", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("ex_post_rating")
    with op.batch_alter_table("assessment", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("approved_at")
        batch_op.drop_column("approved_by")
        batch_op.drop_column("ex_post_rating")
