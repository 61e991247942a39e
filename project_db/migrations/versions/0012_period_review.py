"""the review of reporting periods: period_review, period_review_event

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

Each reporting period's review state (draft, submitted, approved, returned) and the history of
its transitions with who, when and why. New tables: existing data is not touched (a period
without a row is a draft).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "period_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("submitted_by", sa.String(length=120), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'approved', 'returned')",
            name=op.f("ck_period_review_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_period_review_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_review")),
        sa.UniqueConstraint(
            "project_id", "period", name=op.f("uq_period_review_project_id_period")
        ),
    )
    with op.batch_alter_table("period_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_period_review_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "period_review_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=False),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("archive_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "to_state IN ('draft', 'submitted', 'approved', 'returned')",
            name=op.f("ck_period_review_event_to_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["archive_id"],
            ["report_archive.id"],
            name=op.f("fk_period_review_event_archive_id_report_archive"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_period_review_event_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_review_event")),
    )
    with op.batch_alter_table("period_review_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_period_review_event_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("period_review_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_review_event_project_id"))
    op.drop_table("period_review_event")
    with op.batch_alter_table("period_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_review_project_id"))
    op.drop_table("period_review")
