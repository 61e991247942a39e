"""the indicator catalogue: shared indicator definitions, and the links to them

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10

A new table ``indicator_catalogue`` holds the shared definitions an administrator maintains
(names in Finnish, Swedish and English, unit, direction, definition, source and the source's
id, producer, quantitative or qualitative, active). Project indicators and assessment follow-up
indicators get a nullable ``catalogue_key`` that refers to an entry's key (ON DELETE SET NULL):
existing indicators stay free, nothing is linked by the upgrade.

SQLite: the columns are added and dropped in place (ALTER TABLE … ADD/DROP COLUMN), never by
copying the tables: dropping the old ``indicator`` table under the foreign keys would delete
every indicator value and target revision (ON DELETE CASCADE).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_LINKED = ("indicator", "assessment_follow_up")


def _fk_name(table: str) -> str:
    return f"fk_{table}_catalogue_key_indicator_catalogue"


def upgrade() -> None:
    op.create_table(
        "indicator_catalogue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name_fi", sa.String(length=500), nullable=False),
        sa.Column("name_sv", sa.String(length=500), nullable=False),
        sa.Column("name_en", sa.String(length=500), nullable=False),
        sa.Column("unit", sa.String(length=80), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=True),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_id", sa.String(length=80), nullable=True),
        sa.Column("producer", sa.String(length=300), nullable=False),
        sa.Column("measure_type", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_name", sa.String(length=500), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "direction IS NULL OR direction IN ('more', 'less', 'target')",
            name=op.f("ck_indicator_catalogue_direction_known"),
        ),
        sa.CheckConstraint(
            "measure_type IN ('quantitative', 'qualitative')",
            name=op.f("ck_indicator_catalogue_measure_type_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_catalogue")),
        sa.UniqueConstraint("key", name=op.f("uq_indicator_catalogue_key")),
        sa.UniqueConstraint(
            "source", "source_id", name=op.f("uq_indicator_catalogue_source_source_id")
        ),
    )
    op.create_index(op.f("ix_indicator_catalogue_sort_name"), "indicator_catalogue", ["sort_name"])
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in _LINKED:
        if sqlite:
            # In place: SQLite adds a column with its reference (default NULL) without a copy.
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN catalogue_key VARCHAR(80) "
                f"CONSTRAINT {_fk_name(table)} REFERENCES indicator_catalogue (key) "
                "ON DELETE SET NULL"
            )
        else:
            op.add_column(table, sa.Column("catalogue_key", sa.String(length=80), nullable=True))
            op.create_foreign_key(
                op.f(_fk_name(table)),
                table,
                "indicator_catalogue",
                ["catalogue_key"],
                ["key"],
                ondelete="SET NULL",
            )
        op.create_index(op.f(f"ix_{table}_catalogue_key"), table, ["catalogue_key"])


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in reversed(_LINKED):
        op.drop_index(op.f(f"ix_{table}_catalogue_key"), table_name=table)
        if not sqlite:
            op.drop_constraint(op.f(_fk_name(table)), table, type_="foreignkey")
        # recreate="never": SQLite drops the column in place (3.35+), as in 0014.
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.drop_column("catalogue_key")
    op.drop_index(op.f("ix_indicator_catalogue_sort_name"), table_name="indicator_catalogue")
    op.drop_table("indicator_catalogue")
