"""Finnish full-text search: what is indexed for a project, how a query is read, and the index on
SQLite (FTS5) and PostgreSQL (tsvector).

Finnish is inflected ("päihteiden", "asunnottomien") and compounds freely ("päihdepalvelut"), so
each word is indexed as several terms, computed in Python on both backends:

* the word itself (lower-cased; ä, ö and å stay distinct from a and o), so exact and prefix
  matches work;
* its ``stem``: Snowball's Finnish stemmer followed by a small normalisation of derivational
  endings (asunnottomuus/asunnottomuuden → asunnottom, kuntoutus/kuntoutuksen → kuntout);
* with Voikko (``libvoikko``, the Finnish morphology; optional): its base forms (päihteiden,
  päihteet → päihde: consonant gradation undone) and, for a compound, the base forms of its
  parts (päihdepalvelut → päihde, palvelu; sosiaaliohjaajana → sosiaali, ohjaaja).

A query word matches its stem as a prefix (so a partly typed word, a name or a code is found as
before) and, when Voikko knows it, its base forms (päihteet → päihde, which finds päihteiden,
päihdetyö and päihdepalvelut). All query words must match. A search that finds nothing gets
suggestions ("did you mean", ``listing``): Voikko's corrections and the index's own terms.

Without Voikko (the library or its Finnish dictionary not installed) base forms and compound
parts are left out: the search works on stems as before, and this is logged once. The index
needs rebuilding once Voikko is installed (``evaus db reindex``).

What is indexed for a project (``index_text``): its name (twice: a name match ranks higher), its
search text (name, short name, EURA code, summary, themes, goals, measures, results, narrative
sections — ``store.build_search_text``) and ``related_text``: the names and roles of its people
and their organisations, its implementers and funders, the municipality, programme, action line
and specific objective, who is responsible for a measure, the indicators and the reporting
periods' narratives. ``reindex`` computes the same from the stored rows: for a migration, for
``evaus db reindex``, and for the projects of a renamed (or erased) person or organisation.

The public catalogue searches only what its cards show: the terms of what only the registry shows
(people other than the public contact, who answers for a measure, an indicator's source, the
periods' narratives) follow the separator ``PRIVATE`` in ``search_index``.

* SQLite: the FTS5 table ``project_fts`` (rowid = project id; columns ``search_index``, the public
  terms, and ``private_index``) is kept in sync by mapper events on ``Project`` (insert, update
  of ``search_index``, delete); ranking is ``bm25`` (the private column weighs 0.25). Its terms
  are listed by the ``fts5vocab`` table ``project_fts_vocab`` (for "did you mean").
* PostgreSQL: ``project.search_vector`` is a stored generated column, the public terms weighed A
  and the private ones D, with a GIN index; ranking is ``ts_rank``.

Bounded work: words longer than ``MAX_ANALYSED_LENGTH`` characters are only stemmed, and at most
``MAX_ANALYSED_WORDS`` distinct words of one project go to Voikko (a 1 MB narrative of random
words costs no more); analyses are cached (bounded LRUs). Voikko's handle is not thread-safe:
every call holds a lock.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import snowballstemmer
from sqlalchemy import bindparam, event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, attributes

from .models import Organisation, Person, Project, ProjectPerson

if TYPE_CHECKING:
    from .schemas import ProjectDoc

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+")
_STEMMER = snowballstemmer.stemmer("finnish")

# Derivational endings Snowball keeps apart; stripped from stems (longest first).
_DERIVATIONAL = ("uud", "yyd", "uut", "yyt", "uus", "yys", "uks", "yks", "ud", "yd", "us", "ys")
_MIN_STEM = 4

# Longer words are only stemmed; at most this many distinct words of a project go to Voikko.
MAX_ANALYSED_LENGTH = 60
MAX_ANALYSED_WORDS = 20_000

FTS_TABLE = "project_fts"
FTS_VOCAB_TABLE = "project_fts_vocab"
_FTS_DELETE = text("DELETE FROM project_fts WHERE rowid = :id")
# ``search_index`` holds the public terms, then (after PRIVATE) the terms of what only signed-in
# users see; FTS5 keeps them in two columns, PostgreSQL's tsvector weighs them A and D.
PRIVATE = "\x1f"
_FTS_INSERT = text(
    "INSERT INTO project_fts (rowid, search_index, private_index) VALUES (:id, "
    "substr(:content, 1, instr(:content || char(31), char(31)) - 1), "
    "substr(:content, instr(:content || char(31), char(31)) + 1))"
)


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


# --- Voikko: base forms and compound parts ------------------------------------------------


class _Voikko:
    """One Voikko handle for the process, made on first use; every call holds the lock (a
    handle must not be used by two threads at once). ``None`` when Voikko is not installed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.handle: Any = None
        self.tried = False
        self.enabled = True

    def get(self) -> Any:
        if not self.enabled:
            return None
        if not self.tried:
            with self.lock:
                if not self.tried:
                    self.handle = _open_voikko()
                    self.tried = True
        return self.handle

    def call(self, method: str, word: str) -> Any:
        handle = self.get()
        if handle is None:
            return []
        with self.lock:
            return getattr(handle, method)(word)


def _open_voikko() -> Any:
    try:
        # Optional: the search works without it (imported by name, it has no type hints).
        return importlib.import_module("libvoikko").Voikko("fi")
    except Exception as exc:  # no module, no library or no Finnish dictionary
        log.warning(
            "Finnish morphology (Voikko) is not available (%s): the search uses word stems only. "
            "Install voikko-fi and libvoikko1, then run `evaus db reindex`.",
            exc,
        )
        return None


_VOIKKO = _Voikko()
# A child process forked while another thread held the lock would wait for it for ever.
os.register_at_fork(after_in_child=lambda: setattr(_VOIKKO, "lock", threading.Lock()))


def voikko_available() -> bool:
    """Whether base forms and compound parts are indexed and searched (Voikko is installed)."""
    return _VOIKKO.get() is not None


def use_voikko(enabled: bool) -> None:
    """Use Voikko when it is installed (the default), or not: stems only, as without it.
    Cached analyses are dropped; an index built the other way needs ``reindex``."""
    _VOIKKO.enabled = enabled
    analyse.cache_clear()
    word_terms.cache_clear()


def _components(word: str, structure: str) -> list[str]:
    """The parts of a compound by Voikko's STRUCTURE (``=`` starts a part, one symbol per
    letter otherwise); the word itself when the structure does not line up."""
    parts: list[str] = []
    current: list[str] = []
    position = 0
    for symbol in structure:
        if symbol == "=":
            if current:
                parts.append("".join(current))
                current = []
            continue
        if position >= len(word):
            return [word]
        current.append(word[position])
        position += 1
    if current:
        parts.append("".join(current))
    return parts if position == len(word) else [word]


@lru_cache(maxsize=100_000)
def analyse(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A lower-cased word's base forms and, for a compound, its parts' base forms (a part Voikko
    does not know on its own, like "sosiaali", as itself and its stem). Both empty when Voikko
    does not know the word, is not installed, or the word is too long or not all letters."""
    if len(word) > MAX_ANALYSED_LENGTH or not word.isalpha():
        return (), ()
    lemmas: dict[str, None] = {}
    parts: dict[str, None] = {}
    for result in _VOIKKO.call("analyze", word):
        lemmas.update(dict.fromkeys(words(result.get("BASEFORM") or "")))
        pieces = _components(word, result.get("STRUCTURE") or "")
        if len(pieces) < 2:
            continue
        for piece in pieces:
            piece_lemmas = analyse(piece)[0] if len(piece) > 1 else ()
            for term in piece_lemmas or (piece, stem(piece)):
                parts[term] = None
    return tuple(lemmas), tuple(p for p in parts if p not in lemmas)


@lru_cache(maxsize=100_000)
def word_terms(word: str) -> tuple[str, ...]:
    """What one word is indexed as: itself, its stem, its base forms and compound parts."""
    lemmas, parts = analyse(word)
    return tuple(dict.fromkeys((word, stem(word), *lemmas, *parts)))


def spelling_suggestions(word: str, limit: int = 5) -> list[str]:
    """Voikko's corrections of a misspelt word (single words only); none for a correct word or
    without Voikko."""
    if len(word) > MAX_ANALYSED_LENGTH or not word.isalpha() or _VOIKKO.call("spell", word):
        return []
    found: list[str] = []
    for suggestion in _VOIKKO.call("suggest", word):
        folded = unicodedata.normalize("NFC", suggestion).casefold()
        if _WORD.fullmatch(folded) and folded != word and folded not in found:
            found.append(folded)
    return found[:limit]


def is_known_word(word: str) -> bool:
    """Whether Voikko accepts the word as correct Finnish (False without Voikko)."""
    return bool(len(word) <= MAX_ANALYSED_LENGTH and word.isalpha() and _VOIKKO.call("spell", word))


# --- what is indexed ----------------------------------------------------------------------


def _terms(pieces: Iterable[str], analysed: dict[str, tuple[str, ...]]) -> Iterator[str]:
    """The index terms of the words of ``pieces``, word by word. Only the first
    ``MAX_ANALYSED_WORDS`` distinct words (``analysed`` holds them, shared by the calls for one
    project) are analysed; later new words give their stems only."""
    for piece in pieces:
        for word in words(piece):
            terms = analysed.get(word)
            if terms is None:
                if len(analysed) < MAX_ANALYSED_WORDS:
                    terms = analysed[word] = word_terms(word)
                else:
                    terms = (word, stem(word))
            yield from terms


@dataclass(frozen=True)
class Related:
    """A project's searchable texts beyond its search text (see the module's docstring), each
    list distinct and sorted: ``public`` what the public catalogue's card shows too, ``private``
    what only the registry shows (people other than the public contact, who answers for a
    measure, an indicator's source, the periods' narratives)."""

    public: list[str]
    private: list[str]


def _related(public: Iterable[str | None], private: Iterable[str | None]) -> Related:
    def distinct(pieces: Iterable[str | None]) -> list[str]:
        return sorted({p for p in pieces if p and p.strip()})

    return Related(distinct(public), distinct(private))


def related_text(doc: ProjectDoc) -> Related:
    """The related texts of a project document; ``stored_related_text`` reads the same from the
    stored rows."""
    public: list[str | None] = [
        doc.municipality,
        doc.programme,
        doc.action_line,
        doc.specific_objective,
        doc.responsible_authority,
    ]
    private: list[str | None] = []
    for member in doc.people:
        (public if member.public_contact else private).extend(
            [member.person.name, member.role, member.person.organisation]
        )
    public += [o.organisation.name for o in doc.organisations]
    for funding in doc.funding:
        public += [funding.funder.name, funding.funder_code]
    private += [m.responsible for m in doc.measures]
    for indicator in doc.indicators:
        public.append(indicator.name)
        private.append(indicator.source)
    for period in doc.periods:
        private += [
            period.done,
            period.changes,
            period.deviations,
            period.next_steps,
            period.feedback_methods,
        ]
    return _related(public, private)


def index_text(name: str, search_text: str, doc: ProjectDoc | None = None) -> str:
    """What is indexed for a project: the terms of its name (counted twice: its search text has
    it too), its search text and, given the document, its ``related_text`` (the private part
    after ``PRIVATE``)."""
    related = related_text(doc) if doc is not None else Related([], [])
    return _index_content(name, search_text, related)


def _index_content(name: str, search_text: str, related: Related) -> str:
    analysed: dict[str, tuple[str, ...]] = {}
    public = " ".join(_terms([name, search_text, *related.public], analysed))
    private = " ".join(_terms(related.private, analysed))
    return f"{public} {PRIVATE} {private}" if private else public


# --- reading a query ----------------------------------------------------------------------


@dataclass(frozen=True)
class QueryWord:
    """One word of a query and the index terms that match it: any of ``exact`` as such, any of
    ``prefixes`` as the start of a term."""

    word: str
    exact: tuple[str, ...]
    prefixes: tuple[str, ...]


def query_word(word: str) -> QueryWord:
    """The terms a query word matches: its stem as a prefix (so a partly typed word, an
    inflection and a derivation Voikko does not know are found, as before Voikko), and the base
    forms Voikko knows it by, as such (päihteet → päihde: the gradation Snowball leaves)."""
    lemmas, _parts = analyse(word)
    prefixes = [stem(word), word]
    exact = list(lemmas)
    prefixes = [
        p for p in dict.fromkeys(prefixes) if not any(p != q and p.startswith(q) for q in prefixes)
    ]
    # A base form stays even when a prefix covers it: a project that has the word itself ranks
    # above one that only has a longer word with the same start (työllisyys, työllistyneet).
    exact = [e for e in dict.fromkeys(exact) if e not in prefixes]
    return QueryWord(word, tuple(exact), tuple(prefixes))


def query_words(value: str) -> list[QueryWord]:
    """A query's distinct words, in order, with the terms each matches."""
    return [query_word(w) for w in dict.fromkeys(words(value))]


def query_stems(value: str) -> list[str]:
    """A query's distinct stems, in order (stems only: the search before Voikko)."""
    return list(dict.fromkeys(stems(value)))


def fts5_query(terms: Iterable[str]) -> str:
    """An FTS5 MATCH expression: every term as a prefix (terms are letters and digits only)."""
    return " AND ".join(f'"{t}"*' for t in terms)


def tsquery(terms: Iterable[str]) -> str:
    """A PostgreSQL ``to_tsquery('simple', …)`` expression: every term as a prefix."""
    return " & ".join(f"'{t}':*" for t in terms)


def fts5_match(query: Sequence[QueryWord], *, public_only: bool = False) -> str:
    """An FTS5 MATCH expression: every query word must match one of its terms (with
    ``public_only``, in the public column)."""
    groups = []
    for word in query:
        options = [f'"{t}"' for t in word.exact] + [f'"{t}"*' for t in word.prefixes]
        groups.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    expression = " AND ".join(groups)
    return f"search_index : ({expression})" if public_only else expression


def ts_match(query: Sequence[QueryWord], *, public_only: bool = False) -> str:
    """The same as a PostgreSQL ``to_tsquery('simple', …)`` expression (``public_only``: the
    terms weighed A)."""
    weight = "A" if public_only else ""
    groups = []
    for word in query:
        options = [f"'{t}':{weight}" if weight else f"'{t}'" for t in word.exact]
        options += [f"'{t}':*{weight}" for t in word.prefixes]
        groups.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
    return " & ".join(groups)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent transpositions, or ``limit + 1`` once it is over."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            cost = x != y
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


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


def _renamed(target: Any) -> bool:
    return bool(inspect(target).attrs.name.history.has_changes())


def _after_flush(session: Session, _context: Any) -> None:
    """A person or an organisation renamed (or pseudonymised), or someone's role removed: the
    projects they appear in are indexed again from the stored rows."""
    people = [o.id for o in session.dirty if isinstance(o, Person) and _renamed(o)]
    organisations = [o.id for o in session.dirty if isinstance(o, Organisation) and _renamed(o)]
    removed = {o.project_id for o in session.deleted if isinstance(o, ProjectPerson)}
    if not (people or organisations or removed):
        return
    connection = session.connection()
    ids = removed | _projects_of(connection, people, organisations)
    mapper = inspect(Project)

    def loaded(project_id: int, content: str) -> None:
        project = session.identity_map.get(mapper.identity_key_from_primary_key((project_id,)))
        if project is not None and project not in session.deleted:
            attributes.set_committed_value(project, "search_index", content)

    reindex(connection, ids, indexed=loaded)


def _projects_of(
    connection: Connection, people: Collection[int], organisations: Collection[int]
) -> set[int]:
    found: set[int] = set()
    queries = []
    if people:
        queries.append(("SELECT project_id FROM project_person WHERE person_id IN :ids", people))
    if organisations:
        queries += [
            (
                "SELECT project_id FROM project_organisation WHERE organisation_id IN :ids",
                organisations,
            ),
            ("SELECT project_id FROM funding WHERE organisation_id IN :ids", organisations),
            (
                "SELECT project_person.project_id FROM project_person JOIN person "
                "ON person.id = project_person.person_id WHERE person.organisation_id IN :ids",
                organisations,
            ),
        ]
    for sql, ids in queries:
        statement = text(sql).bindparams(bindparam("ids", expanding=True))
        found.update(connection.scalars(statement, {"ids": list(ids)}))
    return found


def install() -> None:
    """Keep the index in sync with every ORM write (idempotent): the FTS5 table with each
    project's ``search_index``, and the projects of a renamed person or organisation."""
    for name, handler in (
        ("after_insert", _after_insert),
        ("after_update", _after_update),
        ("after_delete", _after_delete),
    ):
        if not event.contains(Project, name, handler):
            event.listen(Project, name, handler)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


# --- building the index from the stored rows ------------------------------------------------

# The stored rows ``related_text`` reads from a document: SQL giving (project id, is it
# private, text …) rows.
_RELATED_SQL = (
    "SELECT id, FALSE, municipality, programme, action_line, specific_objective, "
    "responsible_authority FROM project WHERE id IN :ids",
    "SELECT project_person.project_id, NOT project_person.public_contact, person.name, "
    "project_person.role, organisation.name FROM project_person "
    "JOIN person ON person.id = project_person.person_id "
    "LEFT JOIN organisation ON organisation.id = person.organisation_id "
    "WHERE project_person.project_id IN :ids",
    "SELECT project_organisation.project_id, FALSE, organisation.name FROM project_organisation "
    "JOIN organisation ON organisation.id = project_organisation.organisation_id "
    "WHERE project_organisation.project_id IN :ids",
    "SELECT funding.project_id, FALSE, organisation.name, funding.funder_code FROM funding "
    "JOIN organisation ON organisation.id = funding.organisation_id "
    "WHERE funding.project_id IN :ids",
    "SELECT project_id, TRUE, responsible FROM measure WHERE project_id IN :ids",
    "SELECT project_id, FALSE, name FROM indicator WHERE project_id IN :ids",
    "SELECT project_id, TRUE, source FROM indicator WHERE project_id IN :ids",
    "SELECT project_id, TRUE, done, changes, deviations, next_steps, feedback_methods "
    "FROM reporting_period WHERE project_id IN :ids",
)


def stored_related_text(connection: Connection, ids: Collection[int]) -> dict[int, Related]:
    """``related_text`` of the stored projects ``ids``, read from their rows."""
    public: dict[int, list[str]] = {i: [] for i in ids}
    private: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return {}
    for sql in _RELATED_SQL:
        statement = text(sql).bindparams(bindparam("ids", expanding=True))
        for project_id, is_private, *values in connection.execute(statement, {"ids": list(ids)}):
            (private if is_private else public)[project_id].extend(values)
    return {i: _related(public[i], private[i]) for i in ids}


def reindex(
    connection: Connection,
    ids: Iterable[int] | None = None,
    batch: int = 500,
    *,
    indexed: Callable[[int, str], None] | None = None,
) -> int:
    """Index the projects ``ids`` (every project by default) again from their stored rows,
    ``batch`` projects at a time (``search_index`` and the FTS5 rows); how many were indexed.
    ``indexed`` is told each project's new content."""
    done = 0
    for rows in _project_batches(connection, ids, batch):
        related = stored_related_text(connection, [r[0] for r in rows])
        for project_id, name, search_text in rows:
            content = _index_content(name or "", search_text or "", related[project_id])
            _store(connection, project_id, content)
            if indexed is not None:
                indexed(project_id, content)
        done += len(rows)
    return done


def _project_batches(
    connection: Connection, ids: Iterable[int] | None, batch: int
) -> Iterator[Sequence[Any]]:
    """(id, name, search_text) of the projects ``ids`` (or of all), ``batch`` rows at a time."""
    if ids is not None:
        wanted = sorted(set(ids))
        select_some = text(
            "SELECT id, name, search_text FROM project WHERE id IN :ids ORDER BY id"
        ).bindparams(bindparam("ids", expanding=True))
        for start in range(0, len(wanted), batch):
            rows = connection.execute(select_some, {"ids": wanted[start : start + batch]}).all()
            if rows:
                yield rows
        return
    select_next = text(
        "SELECT id, name, search_text FROM project WHERE id > :last ORDER BY id LIMIT :n"
    )
    last_id = 0
    while rows := connection.execute(select_next, {"last": last_id, "n": batch}).all():
        yield rows
        last_id = rows[-1][0]


def project_ids_after(connection: Connection, last_id: int, limit: int) -> list[int]:
    """The ids of up to ``limit`` projects after ``last_id``, in order (``reindex`` in batches)."""
    return list(
        connection.scalars(
            text("SELECT id FROM project WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last_id, "n": limit},
        )
    )


def remove_stale_rows(connection: Connection) -> None:
    """SQLite: drop the FTS5 rows of projects that are gone (a restore writes the tables without
    the ORM's events), which the count of a search would otherwise include."""
    if _is_sqlite(connection):
        connection.execute(
            text("DELETE FROM project_fts WHERE rowid NOT IN (SELECT id FROM project)")
        )


def rebuild_index(connection: Connection, batch: int = 500) -> int:
    """Recompute ``search_index`` (and the FTS5 rows) of every project from its name and search
    text only, for migration 0005: what its schema has (one FTS5 column, no related rows).
    Migration 0019 and ``reindex`` index everything."""
    done = 0
    for rows in _project_batches(connection, None, batch):
        for project_id, name, search_text in rows:
            content = _index_content(name or "", search_text or "", Related([], []))
            connection.execute(
                text("UPDATE project SET search_index = :c WHERE id = :id"),
                {"c": content, "id": project_id},
            )
            if _is_sqlite(connection):
                connection.execute(_FTS_DELETE, {"id": project_id})
                connection.execute(
                    text("INSERT INTO project_fts (rowid, search_index) VALUES (:id, :c)"),
                    {"id": project_id, "c": content},
                )
        done += len(rows)
    return done


def _store(connection: Connection, project_id: int, content: str) -> None:
    connection.execute(
        text("UPDATE project SET search_index = :c WHERE id = :id"),
        {"c": content, "id": project_id},
    )
    if _is_sqlite(connection):
        write_fts_row(connection, project_id, content)


install()

__all__ = [
    "FTS_TABLE",
    "FTS_VOCAB_TABLE",
    "MAX_ANALYSED_LENGTH",
    "MAX_ANALYSED_WORDS",
    "PRIVATE",
    "QueryWord",
    "Related",
    "analyse",
    "edit_distance",
    "fts5_match",
    "fts5_query",
    "index_text",
    "install",
    "is_known_word",
    "project_ids_after",
    "query_stems",
    "query_word",
    "query_words",
    "rebuild_index",
    "reindex",
    "related_text",
    "remove_stale_rows",
    "spelling_suggestions",
    "stem",
    "stems",
    "stored_related_text",
    "ts_match",
    "tsquery",
    "use_voikko",
    "voikko_available",
    "word_terms",
    "words",
]
