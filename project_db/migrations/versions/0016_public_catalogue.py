"""the public project catalogue: a project's own choice, a portfolio's default, public contacts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-09

``project.public`` is the project's own choice (true, false; null = follow its portfolio),
``code_item.public_default`` the default of a portfolio (an item of the "portfolio" code list;
false on every other list) and ``project_person.public_contact`` marks the person whose name and
contact details the public card shows. Existing projects follow their portfolio, whose default
is off: nothing becomes public by the upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public", sa.Boolean(), nullable=True))
    with op.batch_alter_table("code_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("public_default", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("project_person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("public_contact", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    # recreate="never": SQLite drops the columns in place (3.35+), as in 0014; copying a table
    # would drop the old one under the foreign keys that refer to it (every project child).
    with op.batch_alter_table("project_person", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("public_contact")
    with op.batch_alter_table("code_item", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("public_default")
    with op.batch_alter_table("project", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("public")
