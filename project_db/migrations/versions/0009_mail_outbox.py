"""the mail outbox: mail_outbox

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Every e-mail is queued here first and sent by the delivery pass; the unique dedup key makes
queueing a reminder idempotent. A new table: existing data is not touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedup_key', sa.String(length=300), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=2000), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('queued', 'sent', 'failed')", name=op.f('ck_mail_outbox_state_known')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_mail_outbox_attempts_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_mail_outbox_user_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_mail_outbox_dedup_key'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_mail_outbox_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_user_id'))
        batch_op.drop_index('ix_mail_outbox_due')

    op.drop_table('mail_outbox')
