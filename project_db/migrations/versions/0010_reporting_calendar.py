"""the reporting calendar: reporting_rule, project_deadline

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

Per-funder calendar rules an administrator edits and deadlines added by hand per project; the
due items are computed from them, not stored. New tables: existing data is not touched (the
default rules are added at start-up).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "reporting_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("funder_code", sa.String(length=80), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("days_after", sa.Integer(), nullable=True),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("report_kind", sa.String(length=20), nullable=True),
        sa.Column("title_fi", sa.String(length=300), nullable=False),
        sa.Column("title_sv", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "basis IN ('period_end', 'yearly', 'decision')",
            name=op.f("ck_reporting_rule_basis_known"),
        ),
        sa.CheckConstraint(
            "days_after IS NULL OR days_after >= 0",
            name=op.f("ck_reporting_rule_days_not_negative"),
        ),
        sa.CheckConstraint(
            "month IS NULL OR (month >= 1 AND month <= 12)",
            name=op.f("ck_reporting_rule_month_valid"),
        ),
        sa.CheckConstraint(
            "day IS NULL OR (day >= 1 AND day <= 31)", name=op.f("ck_reporting_rule_day_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_rule")),
    )
    with op.batch_alter_table("reporting_rule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reporting_rule_funder_code"), ["funder_code"], unique=False
        )

    op.create_table(
        "project_deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("report_kind", sa.String(length=20), nullable=True),
        sa.Column("period", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_deadline_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_deadline")),
    )
    with op.batch_alter_table("project_deadline", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_deadline_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("project_deadline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_deadline_project_id"))
    op.drop_table("project_deadline")
    with op.batch_alter_table("reporting_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_rule_funder_code"))
    op.drop_table("reporting_rule")
