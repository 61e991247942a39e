"""money and participants: budget lines, actual costs, participant dimensions, volunteers,
indicator direction

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Existing indicators get the direction "more" (more is better); existing participant rows keep
their groups, with labour-market status and education not recorded (NULL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _child_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        'budget_line',
        sa.Column('scheme', sa.String(length=20), nullable=False),
        sa.Column('category', sa.String(length=80), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        *_child_columns(),
        sa.CheckConstraint('amount >= 0', name=op.f('ck_budget_line_amount_not_negative')),
        sa.ForeignKeyConstraint(
            ['project_id'], ['project.id'],
            name=op.f('fk_budget_line_project_id_project'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line')),
        sa.UniqueConstraint(
            'project_id', 'scheme', 'category',
            name=op.f('uq_budget_line_project_id_scheme_category'),
        ),
    )
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_line_project_id'), ['project_id'], unique=False)

    op.create_table(
        'cost_actual',
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('scheme', sa.String(length=20), nullable=False),
        sa.Column('category', sa.String(length=80), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        *_child_columns(),
        sa.CheckConstraint('amount >= 0', name=op.f('ck_cost_actual_amount_not_negative')),
        sa.ForeignKeyConstraint(
            ['period_id'], ['reporting_period.id'],
            name=op.f('fk_cost_actual_period_id_reporting_period'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['project_id'], ['project.id'],
            name=op.f('fk_cost_actual_project_id_project'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_actual')),
        sa.UniqueConstraint(
            'project_id', 'period_id', 'scheme', 'category',
            name=op.f('uq_cost_actual_project_id_period_id_scheme_category'),
        ),
    )
    with op.batch_alter_table('cost_actual', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_actual_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cost_actual_project_id'), ['project_id'], unique=False)

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('direction', sa.String(length=20), server_default='more', nullable=False)
        )

    with op.batch_alter_table('reporting_period', schema=None) as batch_op:
        batch_op.add_column(sa.Column('volunteers', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('volunteer_hours', sa.Numeric(precision=12, scale=1), nullable=True)
        )
        batch_op.add_column(sa.Column('volunteers_basis', sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column('feedback_methods', sa.Text(), server_default='', nullable=False)
        )

    with op.batch_alter_table('participant_stat', schema=None) as batch_op:
        batch_op.add_column(sa.Column('labour_status', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('education', sa.String(length=40), nullable=True))
        batch_op.drop_constraint(
            'uq_participant_stat_project_id_period_id_gender_age_class', type_='unique'
        )
        batch_op.create_unique_constraint(
            'uq_participant_stat_group',
            ['project_id', 'period_id', 'gender', 'age_class', 'labour_status', 'education'],
        )


def downgrade() -> None:
    # Rows that differ only by the dropped dimensions would break the old unique constraint.
    stat = sa.table(
        'participant_stat',
        sa.column('labour_status', sa.String),
        sa.column('education', sa.String),
    )
    op.execute(
        stat.delete().where(sa.or_(stat.c.labour_status.isnot(None), stat.c.education.isnot(None)))
    )
    with op.batch_alter_table('participant_stat', schema=None) as batch_op:
        batch_op.drop_constraint('uq_participant_stat_group', type_='unique')
        batch_op.create_unique_constraint(
            'uq_participant_stat_project_id_period_id_gender_age_class',
            ['project_id', 'period_id', 'gender', 'age_class'],
        )
        batch_op.drop_column('education')
        batch_op.drop_column('labour_status')
    with op.batch_alter_table('reporting_period', schema=None) as batch_op:
        batch_op.drop_column('feedback_methods')
        batch_op.drop_column('volunteers_basis')
        batch_op.drop_column('volunteer_hours')
        batch_op.drop_column('volunteers')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('direction')
    with op.batch_alter_table('cost_actual', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_actual_project_id'))
        batch_op.drop_index(batch_op.f('ix_cost_actual_period_id'))
    op.drop_table('cost_actual')
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_line_project_id'))
    op.drop_table('budget_line')
