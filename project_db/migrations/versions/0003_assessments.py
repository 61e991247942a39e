"""ex-ante impact assessments (EVAUS), installed frameworks, audit per assessment

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assessment_framework',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.String(length=80), nullable=False),
    sa.Column('framework_version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('installed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('installed_by', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_framework')),
    sa.UniqueConstraint('framework_id', 'framework_version', name=op.f('uq_assessment_framework_framework_id_framework_version'))
    )
    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('series_key', sa.String(length=36), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('framework_id', sa.String(length=80), nullable=False),
    sa.Column('framework_version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('preparers', sa.String(length=500), nullable=False),
    sa.Column('organisation', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('ex_post_date', sa.Date(), nullable=True),
    sa.Column('screening_needed', sa.Boolean(), nullable=True),
    sa.Column('screening_criteria', sa.Text(), nullable=False),
    sa.Column('screening_reason', sa.Text(), nullable=False),
    sa.Column('crossing_impacts', sa.Text(), nullable=False),
    sa.Column('recommended_key', sa.String(length=36), nullable=True),
    sa.Column('recommendation_reasoning', sa.Text(), nullable=False),
    sa.Column('trade_offs', sa.Text(), nullable=False),
    sa.Column('uncertainties', sa.Text(), nullable=False),
    sa.Column('chosen_key', sa.String(length=36), nullable=True),
    sa.Column('ex_post_summary', sa.Text(), nullable=False),
    sa.Column('key', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['previous_id'], ['assessment.id'], name=op.f('fk_assessment_previous_id_assessment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_assessment_project_id_project'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment')),
    sa.UniqueConstraint('key', name=op.f('uq_assessment_key'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_series_key'), ['series_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_status'), ['status'], unique=False)

    op.create_table('assessment_alternative',
    sa.Column('is_zero', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cost_per_year', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('staff_fte', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('premises', sa.Text(), nullable=False),
    sa.Column('key_figures', sa.Text(), nullable=False),
    sa.Column('key', sa.String(length=36), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_alternative_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_alternative')),
    sa.UniqueConstraint('assessment_id', 'key', name=op.f('uq_assessment_alternative_assessment_id_key'))
    )
    with op.batch_alter_table('assessment_alternative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_alternative_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('assessment_answer',
    sa.Column('question_key', sa.String(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_answer_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_answer')),
    sa.UniqueConstraint('assessment_id', 'question_key', name=op.f('uq_assessment_answer_assessment_id_question_key'))
    )
    with op.batch_alter_table('assessment_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_answer_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('assessment_area',
    sa.Column('area_code', sa.String(length=80), nullable=False),
    sa.Column('relevant', sa.Boolean(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_area_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_area')),
    sa.UniqueConstraint('assessment_id', 'area_code', name=op.f('uq_assessment_area_assessment_id_area_code'))
    )
    with op.batch_alter_table('assessment_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_area_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('assessment_hearing',
    sa.Column('group_name', sa.String(length=500), nullable=False),
    sa.Column('method', sa.String(length=500), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('key', sa.String(length=36), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_hearing_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_hearing')),
    sa.UniqueConstraint('assessment_id', 'key', name=op.f('uq_assessment_hearing_assessment_id_key'))
    )
    with op.batch_alter_table('assessment_hearing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_hearing_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('assessment_impact',
    sa.Column('alternative_id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=80), nullable=False),
    sa.Column('assessed', sa.Boolean(), nullable=False),
    sa.Column('not_assessed_reason', sa.String(length=500), nullable=False),
    sa.Column('direction', sa.String(length=2), nullable=True),
    sa.Column('size', sa.String(length=20), nullable=True),
    sa.Column('time_span', sa.String(length=20), nullable=True),
    sa.Column('certainty', sa.String(length=20), nullable=True),
    sa.Column('groups', sa.Text(), nullable=False),
    sa.Column('falls_on', sa.Text(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('mitigation', sa.Text(), nullable=False),
    sa.Column('ex_post_recorded', sa.Boolean(), nullable=False),
    sa.Column('realised_direction', sa.String(length=2), nullable=True),
    sa.Column('realised_size', sa.String(length=20), nullable=True),
    sa.Column('ex_post_evidence', sa.Text(), nullable=False),
    sa.Column('ex_post_values', sa.Text(), nullable=False),
    sa.Column('ex_post_note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alternative_id'], ['assessment_alternative.id'], name=op.f('fk_assessment_impact_alternative_id_assessment_alternative'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_impact_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_impact')),
    sa.UniqueConstraint('alternative_id', 'area_code', name=op.f('uq_assessment_impact_alternative_id_area_code'))
    )
    with op.batch_alter_table('assessment_impact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_impact_alternative_id'), ['alternative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_impact_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('assessment_risk',
    sa.Column('alternative_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('likelihood', sa.String(length=20), nullable=True),
    sa.Column('consequence', sa.String(length=20), nullable=True),
    sa.Column('mitigation', sa.Text(), nullable=False),
    sa.Column('key', sa.String(length=36), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alternative_id'], ['assessment_alternative.id'], name=op.f('fk_assessment_risk_alternative_id_assessment_alternative'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_risk_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_risk')),
    sa.UniqueConstraint('assessment_id', 'key', name=op.f('uq_assessment_risk_assessment_id_key'))
    )
    with op.batch_alter_table('assessment_risk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_risk_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('assessment_follow_up',
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('baseline', sa.String(length=500), nullable=False),
    sa.Column('target', sa.String(length=500), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('schedule', sa.String(length=500), nullable=False),
    sa.Column('responsible', sa.String(length=500), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('key', sa.String(length=36), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_follow_up_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_assessment_follow_up_indicator_id_indicator'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_follow_up')),
    sa.UniqueConstraint('assessment_id', 'key', name=op.f('uq_assessment_follow_up_assessment_id_key'))
    )
    with op.batch_alter_table('assessment_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_follow_up_assessment_id'), ['assessment_id'], unique=False)

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assessment_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entry_assessment_id'), ['assessment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_assessment_id'))
        batch_op.drop_column('assessment_id')

    with op.batch_alter_table('assessment_follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_follow_up_assessment_id'))

    op.drop_table('assessment_follow_up')
    with op.batch_alter_table('assessment_risk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_risk_assessment_id'))

    op.drop_table('assessment_risk')
    with op.batch_alter_table('assessment_impact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_impact_assessment_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_impact_alternative_id'))

    op.drop_table('assessment_impact')
    with op.batch_alter_table('assessment_hearing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_hearing_assessment_id'))

    op.drop_table('assessment_hearing')
    with op.batch_alter_table('assessment_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_area_assessment_id'))

    op.drop_table('assessment_area')
    with op.batch_alter_table('assessment_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_answer_assessment_id'))

    op.drop_table('assessment_answer')
    with op.batch_alter_table('assessment_alternative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_alternative_assessment_id'))

    op.drop_table('assessment_alternative')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_status'))
        batch_op.drop_index(batch_op.f('ix_assessment_series_key'))
        batch_op.drop_index(batch_op.f('ix_assessment_project_id'))

    op.drop_table('assessment')
    op.drop_table('assessment_framework')
