"""Finnish search with Voikko: every project indexed again, public and private terms apart

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-14

The full-text index (``project.search_index``, which the SQLite FTS5 table ``project_fts`` and the
PostgreSQL tsvector column follow) now holds, besides the words and their stems, their base forms
and compound parts (Voikko, when installed) and what people search a project by beyond its search
text: its people and their roles, implementers and funders, indicators and the reporting periods'
narratives (``project_db.search``). What only the registry shows (people other than the public
contact, the periods' narratives …) comes after a separator (U+001F), so that the public
catalogue's search does not find a project by it:

* SQLite: ``project_fts`` gets a second column, ``private_index``; bm25 weighs it 0.25. The new
  ``project_fts_vocab`` (an ``fts5vocab`` table) lists the index's terms for the suggestions of
  a search that finds nothing.
* PostgreSQL: ``search_vector`` weighs the public terms A and the others D.

Every project is then indexed again from its stored rows, batch by batch — what
``evaus db reindex`` does.
"""

from __future__ import annotations

from alembic import op

from project_db.search import reindex

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None

_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"
_POSTGRES_VECTOR = (
    "setweight(to_tsvector('simple', split_part(search_index, E'\\x1f', 1)), 'A') || "
    "setweight(to_tsvector('simple', split_part(search_index, E'\\x1f', 2)), 'D')"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_project_search_vector")
        op.execute("ALTER TABLE project DROP COLUMN IF EXISTS search_vector")
        op.execute(
            "ALTER TABLE project ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({_POSTGRES_VECTOR}) STORED"
        )
        op.execute("CREATE INDEX ix_project_search_vector ON project USING gin (search_vector)")
    else:
        op.execute("DROP TABLE IF EXISTS project_fts")
        op.execute(
            f"CREATE VIRTUAL TABLE project_fts USING fts5(search_index, private_index, {_TOKENIZE})"
        )
        op.execute("INSERT INTO project_fts (project_fts, rank) VALUES ('rank', 'bm25(1.0, 0.25)')")
        op.execute("CREATE VIRTUAL TABLE project_fts_vocab USING fts5vocab(project_fts, row)")
    reindex(bind, batch=500)  # also writes the FTS5 rows


def downgrade() -> None:
    # search_index keeps the new terms (the earlier search reads them as more words).
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_project_search_vector")
        op.execute("ALTER TABLE project DROP COLUMN IF EXISTS search_vector")
        op.execute(
            "ALTER TABLE project ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_index)) STORED"
        )
        op.execute("CREATE INDEX ix_project_search_vector ON project USING gin (search_vector)")
    else:
        op.execute("DROP TABLE IF EXISTS project_fts_vocab")
        op.execute("DROP TABLE IF EXISTS project_fts")
        op.execute(f"CREATE VIRTUAL TABLE project_fts USING fts5(search_index, {_TOKENIZE})")
        op.execute(
            "INSERT INTO project_fts (rowid, search_index) SELECT id, search_index FROM project"
        )
