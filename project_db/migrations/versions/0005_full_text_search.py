"""Finnish full-text search (SQLite FTS5 / PostgreSQL tsvector) and list indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from project_db.search import rebuild_index

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column(
        'project', sa.Column('search_index', sa.Text(), nullable=False, server_default='')
    )
    op.create_index('ix_project_end_date', 'project', ['end_date'], unique=False)
    op.create_index('ix_project_updated_at', 'project', ['updated_at'], unique=False)
    op.create_index('ix_project_budget_amount', 'project', ['budget_amount'], unique=False)
    if bind.dialect.name == 'postgresql':
        op.execute(
            "ALTER TABLE project ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_index)) STORED"
        )
        op.execute('CREATE INDEX ix_project_search_vector ON project USING gin (search_vector)')
        # The list sorts names byte by byte (COLLATE "C"): an index in that collation.
        op.execute('CREATE INDEX ix_project_sort_name_c ON project (sort_name COLLATE "C")')
    else:
        op.execute(
            "CREATE VIRTUAL TABLE project_fts USING fts5("
            "search_index, tokenize = 'unicode61 remove_diacritics 0')"
        )
    # Backfill: the same stemming as the application, computed in Python, batch by batch.
    rebuild_index(bind, batch=500)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_project_sort_name_c')
        op.execute('DROP INDEX IF EXISTS ix_project_search_vector')
        op.execute('ALTER TABLE project DROP COLUMN IF EXISTS search_vector')
    else:
        op.execute('DROP TABLE IF EXISTS project_fts')
    op.drop_index('ix_project_budget_amount', table_name='project')
    op.drop_index('ix_project_updated_at', table_name='project')
    op.drop_index('ix_project_end_date', table_name='project')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('search_index')
