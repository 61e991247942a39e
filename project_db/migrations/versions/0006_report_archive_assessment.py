"""report archive: the assessment of an EVAUS report in its own column

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

EVAUS reports kept their assessment's id in ``period``; it moves to ``assessment_id`` (a
foreign key, so a deleted assessment no longer leaves a dangling number) and ``period`` is
cleared. An id whose assessment is gone becomes NULL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

archive = sa.table(
    'report_archive',
    sa.column('kind', sa.String),
    sa.column('period', sa.Integer),
    sa.column('assessment_id', sa.Integer),
)
assessment = sa.table('assessment', sa.column('id', sa.Integer))


def upgrade() -> None:
    with op.batch_alter_table('report_archive', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assessment_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_report_archive_assessment_id'), ['assessment_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_report_archive_assessment_id_assessment'),
            'assessment',
            ['assessment_id'],
            ['id'],
            ondelete='SET NULL',
        )
    # The EVAUS report is the one archived kind whose scope is an assessment.
    op.execute(
        archive.update()
        .where(archive.c.kind == 'evaus', archive.c.period.in_(sa.select(assessment.c.id)))
        .values(assessment_id=archive.c.period)
    )
    op.execute(archive.update().where(archive.c.kind == 'evaus').values(period=None))


def downgrade() -> None:
    op.execute(
        archive.update()
        .where(archive.c.kind == 'evaus')
        .values(period=archive.c.assessment_id)
    )
    with op.batch_alter_table('report_archive', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_report_archive_assessment_id_assessment'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_report_archive_assessment_id'))
        batch_op.drop_column('assessment_id')
