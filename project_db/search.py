"""Finnish full-text search: stemmed tokens, and the index on SQLite (FTS5) and PostgreSQL.

Finnish is inflected ("asunnottomien", "kuntoutuksen"), so the text is indexed as word stems and a
query's words are stemmed the same way, in Python, on both backends:

* ``stem`` is Snowball's Finnish stemmer followed by a small normalisation of derivational endings
  Snowball leaves apart (asunnottomuus/asunnottomuuden → asunnottom, kuntoutus/kuntoutuksen →
  kuntout, nuoret/nuori → nuor, syrjäytyminen/syrjäytymisen → syrjäytym). Letters are
  lower-cased; ä, ö and å stay distinct from a and o.
* ``index_text`` is the text stored in ``project.search_index`` (one stem per word).
* SQLite: the FTS5 table ``project_fts`` (rowid = project id) is kept in sync by mapper events on
  ``Project`` (insert, update of ``search_index``, delete); ranking is ``bm25``.
* PostgreSQL: ``project.search_vector`` is a stored generated column
  ``to_tsvector('simple', search_index)`` with a GIN index; ranking is ``ts_rank``.

Every query word is a prefix query (``stem*`` / ``stem:*``), so a partly typed word finds longer
words, and all words must match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import snowballstemmer
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper

from .models import Project

_WORD = re.compile(r"[^\W_]+")
_STEMMER = snowballstemmer.stemmer("finnish")

# Derivational endings Snowball keeps apart; stripped from stems (longest first).
_DERIVATIONAL = ("uud", "yyd", "uut", "yyt", "uus", "yys", "uks", "yks", "ud", "yd", "us", "ys")
_MIN_STEM = 4

FTS_TABLE = "project_fts"
_FTS_DELETE = text("DELETE FROM project_fts WHERE rowid = :id")
_FTS_INSERT = text("INSERT INTO project_fts (rowid, search_index) VALUES (:id, :content)")


def words(value: str) -> list[str]:
    """The lower-cased words of a text (letters and digits; ä, ö, å kept)."""
    return _WORD.findall(unicodedata.normalize("NFC", value).casefold())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A Finnish word's search stem (the word is already lower-cased)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    result: str = _STEMMER.stemWord(word)
    for ending in _DERIVATIONAL:
        if result.endswith(ending) and len(result) - len(ending) >= _MIN_STEM:
            return result[: -len(ending)]
    if result[-2:] in {"in", "is"} and len(result) - 2 > _MIN_STEM:
        return result[:-2]  # syrjäytyminen/-misen → syrjäytym, sosiaalinen/-sen → sosiaal
    if result[-2:] in {"tu", "ty"} and len(result) > _MIN_STEM:
        return result[:-1]  # kuntoutu(sta) → kuntout
    if result[-1] in "ei" and len(result) > _MIN_STEM and result[-2] not in "aeiouyäöå":
        return result[:-1]  # nuore(t), nuori → nuor
    return result


def stems(value: str) -> list[str]:
    return [stem(w) for w in words(value)]


def index_text(name: str, search_text: str) -> str:
    """What is indexed for a project: the stems of its searchable text, the name counted twice."""
    return " ".join(stems(name) + stems(search_text))


def query_stems(value: str) -> list[str]:
    """A query's distinct stems, in order."""
    return list(dict.fromkeys(stems(value)))


def fts5_query(terms: Iterable[str]) -> str:
    """An FTS5 MATCH expression: every term as a prefix (terms are letters and digits only)."""
    return " AND ".join(f'"{t}"*' for t in terms)


def tsquery(terms: Iterable[str]) -> str:
    """A PostgreSQL ``to_tsquery('simple', …)`` expression: every term as a prefix."""
    return " & ".join(f"'{t}':*" for t in terms)


# --- keeping SQLite's FTS5 table in sync -----------------------------------------------------


def _is_sqlite(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite"


def write_fts_row(connection: Connection, project_id: int, content: str) -> None:
    connection.execute(_FTS_DELETE, {"id": project_id})
    connection.execute(_FTS_INSERT, {"id": project_id, "content": content})


def _after_insert(_mapper: Mapper[Any], connection: Connection, target: Project) -> None:
    if _is_sqlite(connection):
        write_fts_row(connection, target.id, target.search_index or "")


def _after_update(_mapper: Mapper[Any], connection: Connection, target: Project) -> None:
    if _is_sqlite(connection) and inspect(target).attrs.search_index.history.has_changes():
        write_fts_row(connection, target.id, target.search_index or "")


def _after_delete(_mapper: Mapper[Any], connection: Connection, target: Project) -> None:
    if _is_sqlite(connection):
        connection.execute(_FTS_DELETE, {"id": target.id})


def install() -> None:
    """Keep the FTS5 table in sync with every ORM write of a project (idempotent)."""
    for name, handler in (
        ("after_insert", _after_insert),
        ("after_update", _after_update),
        ("after_delete", _after_delete),
    ):
        if not event.contains(Project, name, handler):
            event.listen(Project, name, handler)


def rebuild_index(connection: Connection, batch: int = 500) -> int:
    """Recompute ``search_index`` (and the FTS5 rows) of every project; returns the count."""
    done = 0
    last_id = 0
    while True:
        rows = connection.execute(
            text("SELECT id, name, search_text FROM project WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last_id, "n": batch},
        ).all()
        if not rows:
            return done
        for project_id, name, search_text in rows:
            content = index_text(name or "", search_text or "")
            connection.execute(
                text("UPDATE project SET search_index = :c WHERE id = :id"),
                {"c": content, "id": project_id},
            )
            if _is_sqlite(connection):
                write_fts_row(connection, project_id, content)
        done += len(rows)
        last_id = rows[-1][0]


install()

__all__ = [
    "FTS_TABLE",
    "fts5_query",
    "index_text",
    "install",
    "query_stems",
    "rebuild_index",
    "stem",
    "stems",
    "tsquery",
    "words",
]
