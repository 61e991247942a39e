"""the grant's period of use and the ESR programme: funding.period_start, funding.period_end,
project.programme

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Existing funding rows have no period of use of their own (NULL: the reports print the
project's term, labelled as the term); existing projects have no programme.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_end', sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_funding_period_in_order'),
            'period_end IS NULL OR period_start IS NULL OR period_end >= period_start',
        )
    # Not in batch mode: rebuilding the project table on SQLite would drop it, and with it
    # (ON DELETE CASCADE) every row of its child tables. SQLite adds and (since 3.35) drops a
    # plain column in place.
    op.add_column('project', sa.Column('programme', sa.String(length=300), nullable=True))


def downgrade() -> None:
    op.drop_column('project', 'programme')
    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_funding_period_in_order'), type_='check')
        batch_op.drop_column('period_end')
        batch_op.drop_column('period_start')
