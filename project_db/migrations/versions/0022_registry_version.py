"""the registry's version, which every write moves on (project_db.search_cache)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07

One row counting the committed transactions that wrote to the registry. Servers keep search
pages by it: a page found at version *v* is answered again until some process writes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "registry_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("registry_version")
