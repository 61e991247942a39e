"""The indicator catalogue: shared indicator definitions, their import, links and suggestions.

Everyone signed in reads the catalogue (a project's manager picks an entry for an indicator);
only administrators add, change, deactivate, delete or import entries. An entry that an
indicator or a follow-up indicator refers to is never deleted, only deactivated: links stay,
and the entry is no longer suggested or offered. Every write goes through the audited session
(``set_actor``); the links are fields of the project document (``IndicatorIn.catalogue_key``),
so linking goes through the project's own save path with its rights and history.

The import reads a file in the shape of THL Sotkanet's indicator metadata (the JSON of the
public API's ``/rest/1.1/indicators`` list or of one indicator's metadata, or a CSV table with
the same fields). It is idempotent by the source's id: a second import of the same file changes
nothing, a changed title updates the entry with the same id. Its preview is the same work
without the writes. A bad row is refused with the row and the field named, and nothing is
saved.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from project_db import indicator_catalogue as queries
from project_db.audit import set_actor
from project_db.errors import (
    N_,
    ConflictError,
    ConflictInfo,
    ImportFailed,
    NotFound,
    Problem,
    ValidationFailed,
)
from project_db.field_types import problems_from_validation_error
from project_db.indicator_catalogue import CatalogueEntry, CataloguePage, EntryIn
from project_db.schemas import ProjectDoc

from ..settings import get_settings
from .access import Actor, require_admin, require_read

# --- messages ----------------------------------------------------------------------------------

KEY_TAKEN = N_("is already the key of another indicator: {key}")
SOURCE_ID_TAKEN = N_("is already the id of another indicator of the source {source}: {value}")
IN_USE = N_(
    "The indicator {name} is linked to {count} indicators, so it cannot be deleted. "
    "Deactivate it instead."
)
NOT_A_CATALOGUE_FILE = N_(
    "The file is not an indicator list: give a JSON list of indicators (as THL Sotkanet's "
    "/rest/1.1/indicators gives them) or a CSV table with the columns id and title_fi."
)
NOT_AN_OBJECT = N_("must be an object with the fields id and title")
DUPLICATE_ID = N_("the same id {value} is on row {row} already")
MISSING_COLUMN = N_("The CSV table has no column {column}.")
TOO_MANY_ROWS = N_("The file has more than {limit} indicators.")
TOO_LONG_TIME = N_("The import took longer than {seconds} seconds and was stopped.")

# The reasons a suggestion gives, by the language of the name that matched.
SAME_NAME = {
    "fi": N_("same name in Finnish"),
    "sv": N_("same name in Swedish"),
    "en": N_("same name in English"),
}
SIMILAR_NAME = {
    "fi": N_("similar name in Finnish ({percent} %)"),
    "sv": N_("similar name in Swedish ({percent} %)"),
    "en": N_("similar name in English ({percent} %)"),
}
SAME_UNIT = N_("same unit ({unit})")
OTHER_UNIT = N_("another unit ({unit})")

# The source an import file's rows come from, unless a row names its own.
SOTKANET = "THL Sotkanet"
SOURCE_PREFIXES = {SOTKANET: "sotkanet"}
MAX_ROWS = 100_000


def _prefix(source: str) -> str:
    """The key prefix of a source: ``sotkanet`` for THL Sotkanet, else its folded name."""
    known = SOURCE_PREFIXES.get(source)
    if known:
        return known
    folded = re.sub(r"[^a-z0-9]+", "-", _fold(source)).strip("-")
    return folded[:40] or "source"


# --- reading -------------------------------------------------------------------------------------


def list_catalogue(
    session: Session,
    *,
    search: str = "",
    active_only: bool = False,
    limit: int = 200,
    offset: int = 0,
    actor: Actor,
) -> CataloguePage:
    """One page of entries whose names, key, unit, source or source id contain every word of
    ``search``, in Finnish alphabetical order."""
    require_read(actor)
    limit = max(1, min(limit, 1000))
    return queries.list_entries(
        session, search=search, active_only=active_only, limit=limit, offset=max(0, offset)
    )


def get_entry(session: Session, key: str, *, actor: Actor) -> CatalogueEntry:
    require_read(actor)
    return _entry(session, key)


def _entry(session: Session, key: str) -> CatalogueEntry:
    entry = queries.by_key(session, key)
    if entry is None:
        raise NotFound("indicator catalogue entry", key)
    return entry


def usage(session: Session, keys: Iterable[str], *, actor: Actor) -> dict[str, int]:
    """How many project and follow-up indicators are linked to each entry (0 omitted)."""
    require_read(actor)
    return queries.link_counts(session, set(keys))


@dataclass(frozen=True)
class EntrySummary:
    """What an indicator's editor shows of a linked or offered entry, in one language."""

    key: str
    name: str
    unit: str
    source: str
    source_id: str | None
    active: bool

    @staticmethod
    def of(entry: CatalogueEntry, lang: str) -> EntrySummary:
        return EntrySummary(
            entry.key,
            entry.name_in(lang),
            entry.unit,
            entry.source,
            entry.source_id,
            entry.active,
        )


def summaries(
    session: Session, keys: Iterable[str], *, lang: str, actor: Actor
) -> dict[str, EntrySummary]:
    """The entries of these keys (linked ones: deactivated entries too), by key."""
    require_read(actor)
    wanted = {key for key in keys if key}
    return {k: EntrySummary.of(e, lang) for k, e in queries.by_keys(session, wanted).items()}


PICK_LIMIT = 20


def search_for_link(
    session: Session, search: str, *, lang: str, actor: Actor, limit: int = PICK_LIMIT
) -> tuple[list[EntrySummary], int]:
    """The entries in use that an indicator may be linked to, matching ``search`` (names in
    every language, key, unit, source, source id); an entry whose source id is the search
    comes first (Sotkanet's 127). Returns the first ``limit`` entries and how many match."""
    require_read(actor)
    limit = max(1, min(limit, 200))
    page = queries.list_entries(session, search=search, active_only=True, limit=200)
    wanted = search.strip()
    entries = sorted(page.entries, key=lambda e: e.source_id != wanted) if wanted else page.entries
    return [EntrySummary.of(e, lang) for e in entries[:limit]], page.total


# --- writing -------------------------------------------------------------------------------------


def _validated(data: EntryIn | dict[str, Any]) -> EntryIn:
    if isinstance(data, EntryIn):
        return data
    try:
        return EntryIn.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(problems_from_validation_error(exc)) from None


def _uniqueness_problems(
    session: Session, entry: EntryIn, *, key: str | None, own_id: int | None
) -> list[Problem]:
    problems = []
    if key is not None:
        other = queries.by_key(session, key)
        if other is not None and other.id != own_id:
            problems.append(Problem("key", KEY_TAKEN, {"key": key}))
    if entry.source_id is not None:
        found = queries.by_source(session, entry.source, [entry.source_id]).get(entry.source_id)
        if found is not None and found.id != own_id:
            params = {"source": entry.source or "–", "value": entry.source_id}
            problems.append(Problem("source_id", SOURCE_ID_TAKEN, params))
    return problems


def create_entry(
    session: Session, data: EntryIn | dict[str, Any], *, actor: Actor
) -> CatalogueEntry:
    """A new entry; its key is the one given, else a new one."""
    require_admin(actor)
    entry_in = _validated(data)
    problems = _uniqueness_problems(session, entry_in, key=entry_in.key, own_id=None)
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor.username)
    entry = CatalogueEntry()
    if entry_in.key:
        entry.key = entry_in.key
    queries.assign(entry, entry_in.model_dump(include=set(queries.EDITABLE_FIELDS)))
    session.add(entry)
    session.commit()
    return entry


def _ensure_version(entry: CatalogueEntry, expected_version: int | None) -> None:
    if expected_version is not None and entry.version != expected_version:
        raise ConflictError(
            ConflictInfo(
                entity="indicator catalogue entry",
                entity_id=entry.id,
                expected_version=expected_version,
                current_version=entry.version,
            )
        )


def update_entry(
    session: Session,
    key: str,
    data: EntryIn | dict[str, Any],
    *,
    expected_version: int | None = None,
    actor: Actor,
) -> CatalogueEntry:
    """Change an entry's fields; its key stays (links refer to it)."""
    require_admin(actor)
    entry = _entry(session, key)
    _ensure_version(entry, expected_version)
    entry_in = _validated(data)
    problems = _uniqueness_problems(session, entry_in, key=None, own_id=entry.id)
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor.username)
    queries.assign(entry, entry_in.model_dump(include=set(queries.EDITABLE_FIELDS)))
    session.commit()
    return entry


def set_active(session: Session, key: str, active: bool, *, actor: Actor) -> CatalogueEntry:
    """Deactivate an entry (its links stay; it is no longer offered or suggested) or take it
    back into use."""
    require_admin(actor)
    entry = _entry(session, key)
    set_actor(session, actor.username)
    if entry.active != active:
        entry.active = active
    session.commit()
    return entry


def delete_entry(session: Session, key: str, *, actor: Actor) -> None:
    """Delete an entry that nothing links to; a linked one is refused (deactivate it)."""
    require_admin(actor)
    entry = _entry(session, key)
    count = queries.link_counts(session, {key}).get(key, 0)
    if count:
        raise ValidationFailed([Problem("", IN_USE, {"name": entry.name_fi, "count": count})])
    set_actor(session, actor.username)
    session.delete(entry)
    session.commit()


# --- links ---------------------------------------------------------------------------------------


def link_indicator(
    session: Session,
    project_id: int,
    indicator_key: str,
    catalogue_key: str | None,
    *,
    expected_version: int | None = None,
    actor: Actor,
) -> None:
    """Link a project's indicator to a catalogue entry (``None``: make it free again), through
    the project's save path: the project's managers and administrators may, it is in the
    project's history, and a stale ``expected_version`` is a conflict."""
    from . import projects  # the project services import the catalogue check from here

    doc = projects.get_project_doc(session, project_id, actor=actor)
    indicators = [i for i in doc.indicators if i.key == indicator_key]
    if not indicators:
        raise NotFound("indicator", indicator_key)
    if catalogue_key is not None:
        entry = _entry(session, catalogue_key)
        if not entry.active and indicators[0].catalogue_key != catalogue_key:
            raise ValidationFailed(
                [Problem("catalogue_key", N_("is not in use: {key}"), {"key": catalogue_key})]
            )
    changed = [
        i.model_copy(update={"catalogue_key": catalogue_key}) if i.key == indicator_key else i
        for i in doc.indicators
    ]
    projects.save_project_doc(
        session,
        project_id,
        doc.model_copy(update={"indicators": changed}),
        expected_version=expected_version,
        actor=actor,
    )


# --- match suggestions ---------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_MATCH_CHARS = 300  # a name is compared by its first characters: bounded work for any input
SUGGEST_THRESHOLD = 0.5


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _normal(name: str) -> str:
    """A name as compared: folded, words only, single spaces."""
    return " ".join(_WORD.findall(_fold(name[: _MATCH_CHARS * 2])))[:_MATCH_CHARS]


def _unit(unit: str) -> str:
    return " ".join(_fold(unit[:200]).split())


def _trigrams(normal: str) -> set[str]:
    padded = f"  {normal} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class Reason:
    """Why an entry is suggested: a message id and its parameters (translated when shown)."""

    message: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    key: str
    name_fi: str
    name_sv: str
    name_en: str
    unit: str
    score: float  # 0…1: how alike the names are, the unit counted in
    reasons: tuple[Reason, ...]

    def name_in(self, lang: str) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(lang) or self.name_fi


class _Matcher:
    """The active entries' names as trigram sets, with an index from each name to its names and
    from each trigram to the names that have it.

    A similar name is found through the query's trigrams that few names share (at most
    ``_RARE`` of them, or a twentieth of all names): trigrams nearly every name has ("ste",
    "väe") tell nothing and would make each query read the whole index. The candidates most
    alike by those are then compared by all their trigrams (Dice's coefficient)."""

    _RARE = 50
    _CANDIDATES = 40

    def __init__(self, rows: Sequence[tuple[str, str, str, str, str, bool]]) -> None:
        self.rows = [row for row in rows if row[5]]
        self.names: list[tuple[int, str, str, set[str]]] = []  # (row, lang, normal, trigrams)
        self.exact: dict[str, list[int]] = {}  # normal name → its names
        self.index: dict[str, list[int]] = {}
        for r, row in enumerate(self.rows):
            for lang, name in zip(("fi", "sv", "en"), row[1:4], strict=True):
                normal = _normal(name)
                if not normal:
                    continue
                grams = _trigrams(normal)
                n = len(self.names)
                self.names.append((r, lang, normal, grams))
                self.exact.setdefault(normal, []).append(n)
                for gram in grams:
                    self.index.setdefault(gram, []).append(n)
        self.rare = max(self._RARE, len(self.names) // 20)

    def _similar(self, normal: str) -> dict[int, tuple[float, str, bool]]:
        """row → (similarity, the language of the name, whether the name is the same)."""
        best: dict[int, tuple[float, str, bool]] = {}
        for n in self.exact.get(normal, ()):
            r, lang, _other, _grams = self.names[n]
            best.setdefault(r, (1.0, lang, True))
        grams = _trigrams(normal)
        shared: Counter[int] = Counter()
        for gram in grams:
            postings = self.index.get(gram, ())
            if len(postings) <= self.rare:
                shared.update(postings)
        for n, _count in shared.most_common(self._CANDIDATES):
            r, lang, _other, other_grams = self.names[n]
            similarity = 2 * len(grams & other_grams) / (len(grams) + len(other_grams))
            if similarity >= SUGGEST_THRESHOLD and similarity > best.get(r, (0.0, "", False))[0]:
                best[r] = (similarity, lang, False)
        return best

    def suggest(self, name: str, unit: str, limit: int) -> list[Suggestion]:
        normal = _normal(name)
        if not normal:
            return []
        best = self._similar(normal)
        unit_normal = _unit(unit)
        found = []
        for r, (similarity, lang, exact) in best.items():
            row = self.rows[r]
            reasons = [
                Reason(SAME_NAME[lang])
                if exact
                else Reason(SIMILAR_NAME[lang], {"percent": str(round(similarity * 100))})
            ]
            score = similarity
            entry_unit = _unit(row[4])
            if unit_normal and entry_unit:
                if unit_normal == entry_unit:
                    reasons.append(Reason(SAME_UNIT, {"unit": row[4]}))
                    score += 0.05
                else:
                    reasons.append(Reason(OTHER_UNIT, {"unit": row[4]}))
                    score -= 0.05
            found.append(Suggestion(*row[:5], score=round(score, 3), reasons=tuple(reasons)))
        found.sort(key=lambda s: (-s.score, s.name_fi.casefold(), s.key))
        return found[:limit]


def suggest_matches(
    session: Session, name: str, unit: str = "", *, limit: int = 3, actor: Actor
) -> list[Suggestion]:
    """Active catalogue entries like an indicator (the same or a very similar name in Finnish,
    Swedish or English; the same unit counts for, another unit against), best first, each with
    its reasons. Nothing is linked: the user chooses."""
    return suggest_for_indicators(session, [(name, unit)], limit=limit, actor=actor)[0]


def suggest_for_indicators(
    session: Session,
    indicators: Sequence[tuple[str, str]],
    *,
    limit: int = 3,
    actor: Actor,
) -> list[list[Suggestion]]:
    """``suggest_matches`` for each (name, unit), reading the catalogue once."""
    require_read(actor)
    if not indicators:
        return []
    matcher = _Matcher(queries.names_for_matching(session))
    return [matcher.suggest(name, unit, limit) for name, unit in indicators]


@dataclass(frozen=True)
class IndicatorSuggestions:
    """The suggestions for one indicator of a project document of an import."""

    project: int  # the document's place in the file
    indicator: int  # the indicator's place in the document
    name: str
    unit: str
    linked: str | None  # the key the file links it to already
    suggestions: list[Suggestion]


def suggest_for_docs(
    session: Session, docs: Sequence[ProjectDoc], *, limit: int = 3, actor: Actor
) -> list[IndicatorSuggestions]:
    """Suggestions for every indicator of the documents that the file does not link yet."""
    wanted = [
        (p, i, indicator)
        for p, doc in enumerate(docs)
        for i, indicator in enumerate(doc.indicators)
        if not indicator.catalogue_key
    ]
    found = suggest_for_indicators(
        session, [(x.name, x.unit) for _p, _i, x in wanted], limit=limit, actor=actor
    )
    return [
        IndicatorSuggestions(p, i, x.name, x.unit, x.catalogue_key, suggestions)
        for (p, i, x), suggestions in zip(wanted, found, strict=True)
        if suggestions
    ]


MAX_SUGGESTED = 50  # indicators of one import file that get suggestions (bounded work)


@dataclass(frozen=True)
class SourceSuggestions:
    """The suggestions for the indicators of an import file's projects."""

    project_names: list[str]  # by the project's place in the file
    items: list[IndicatorSuggestions]


def suggest_for_source(
    session: Session,
    data: bytes,
    *,
    filename: str | None = None,
    format_name: str | None = None,
    actor: Actor,
) -> SourceSuggestions:
    """Suggestions for the indicators of a source that an import reads (a project card, a
    table, a registry file), for its preview: at most ``MAX_SUGGESTED`` indicators. A file
    that cannot be read has none (the import itself says why)."""
    from project_db.importers import parse_source

    require_admin(actor)
    try:
        _importer, parsed = parse_source(data, filename, format_name)
    except (ImportFailed, ValidationFailed):
        return SourceSuggestions([], [])
    docs = [item.doc for item in parsed]
    items = suggest_for_docs(session, docs, actor=actor)
    return SourceSuggestions([doc.name for doc in docs], items[:MAX_SUGGESTED])


def link_imported(
    session: Session,
    project_id: int,
    indicator_name: str,
    catalogue_key: str,
    *,
    actor: Actor,
) -> bool:
    """After an import: link the project's indicator with this name (the first one not linked
    yet) to a catalogue entry the user chose. False when the project has no such indicator."""
    from . import projects

    doc = projects.get_project_doc(session, project_id, actor=actor)
    wanted = _fold(indicator_name.strip())
    for indicator in doc.indicators:
        if indicator.key and not indicator.catalogue_key and _fold(indicator.name) == wanted:
            link_indicator(session, project_id, indicator.key, catalogue_key, actor=actor)
            return True
    return False


# --- import --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedEntry:
    row: int
    key: str
    name: str
    action: str  # created | updated | unchanged
    changed: tuple[str, ...] = ()  # the fields an update changes


@dataclass
class CatalogueImport:
    dry_run: bool
    entries: list[ImportedEntry]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for entry in self.entries:
            counts[entry.action] += 1
        return counts


@dataclass(frozen=True)
class _Row:
    number: int  # the row's number as the user sees it (JSON: the item; CSV: the line)
    values: dict[str, Any]  # EntryIn's fields that the row gives
    columns: dict[str, str]  # EntryIn's field → the file's field, for messages
    not_an_object: bool = False  # a JSON item that is not an object at all


def _text_of(value: Any, lang: str = "fi") -> Any:
    """A localised value (``{"fi": …, "sv": …}``) in one language; other values as they are."""
    if isinstance(value, dict):
        return value.get(lang, "")
    return value


def _json_rows(data: bytes) -> Iterator[_Row]:
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ImportFailed(NOT_A_CATALOGUE_FILE) from None
    if isinstance(parsed, dict):
        parsed = parsed.get("indicators", [parsed])
    if not isinstance(parsed, list):
        raise ImportFailed(NOT_A_CATALOGUE_FILE)
    for number, item in enumerate(parsed, start=1):
        yield _json_row(number, item) if isinstance(item, dict) else _Row(number, {}, {}, True)


def _json_row(number: int, item: dict[str, Any]) -> _Row:
    values: dict[str, Any] = {}
    columns: dict[str, str] = {}

    def put(name: str, value: Any, column: str) -> None:
        values[name], columns[name] = value, column

    if "id" in item:
        put("source_id", item["id"], "id")
    title = item.get("title")
    if isinstance(title, dict):
        for lang in ("fi", "sv", "en"):
            if lang in title:
                put(f"name_{lang}", title[lang], f"title.{lang}")
    elif title is not None:
        put("name_fi", title, "title")
    if "name_fi" not in values:
        put("name_fi", "", "title.fi")
    description = item.get("description")
    if description is not None:
        put("definition", _text_of(description), "description.fi")
    unit = item.get("unit")
    value_type = item.get("primaryValueType")
    if unit is not None:
        put("unit", _text_of(unit), "unit")
    elif isinstance(value_type, dict) and "title" in value_type:
        put("unit", _text_of(value_type["title"]), "primaryValueType.title.fi")
    organization = item.get("organization")
    if organization is not None:
        name = _text_of(organization.get("title")) if isinstance(organization, dict) else None
        put("producer", name if name is not None else organization, "organization.title.fi")
    for name, column in (
        ("source", "source"),
        ("direction", "direction"),
        ("measure_type", "measureType"),
        ("measure_type", "measure_type"),
    ):
        if column in item:
            put(name, item[column], column)
    return _Row(number, values, columns)


# CSV headers (folded; "_", "-", "." and spaces alike) → EntryIn's field.
_CSV_HEADERS = {
    "id": "source_id",
    "title": "name_fi",
    "title fi": "name_fi",
    "nimi": "name_fi",
    "title sv": "name_sv",
    "title en": "name_en",
    "unit": "unit",
    "yksikkö": "unit",
    "primaryvaluetype": "unit",
    "description": "definition",
    "description fi": "definition",
    "määritelmä": "definition",
    "organization": "producer",
    "organization title fi": "producer",
    "source": "source",
    "direction": "direction",
    "measure type": "measure_type",
    "measuretype": "measure_type",
}


def _header(text: str) -> str:
    return " ".join(re.sub(r"[_\-.]", " ", text.replace("\ufeff", "").casefold()).split())


def _csv_rows(data: bytes) -> Iterator[_Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    csv.field_size_limit(max(csv.field_size_limit(), len(data) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportFailed(NOT_A_CATALOGUE_FILE) from None
    chosen: dict[str, tuple[int, str, str]] = {}  # EntryIn's field → (column, header, folded)
    for index, name in enumerate(header):
        folded = _header(name)
        target = _CSV_HEADERS.get(folded)
        if target is None:
            continue
        # A second column of the same field is ignored, except that a "unit" column wins
        # over the value type's title ("primaryValueType").
        if target in chosen and chosen[target][2] != "primaryvaluetype":
            continue
        chosen[target] = (index, name.replace("\ufeff", "").strip(), folded)
    seen = set(chosen)
    fields = [(index, target, name) for target, (index, name, _f) in chosen.items()]
    for required, column in (("source_id", "id"), ("name_fi", "title_fi")):
        if required not in seen:
            raise ImportFailed(MISSING_COLUMN, column=column)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            number = reader.line_num
            values = {t: cells[i] if i < len(cells) else "" for i, t, _h in fields}
            yield _Row(number, values, {t: h for _i, t, h in fields})
    except csv.Error:
        raise ImportFailed(NOT_A_CATALOGUE_FILE) from None


def _rows(data: bytes, filename: str | None) -> Iterator[_Row]:
    suffix = (filename or "").casefold().rsplit(".", 1)[-1] if filename and "." in filename else ""
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if suffix == "json" or (suffix != "csv" and start in (b"[", b"{")):
        return _json_rows(data)
    return _csv_rows(data)


def _source_id(value: Any) -> Any:
    """Sotkanet's ids are whole numbers: 127 and "127" are the same id."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _entry_in(row: _Row) -> EntryIn:
    values = dict(row.values)
    if "source_id" in values:
        values["source_id"] = _source_id(values["source_id"])
    values.setdefault("source", SOTKANET)
    if not values["source"]:
        values["source"] = SOTKANET
    try:
        entry = EntryIn.model_validate(values)
    except ValidationError as exc:
        problems = []
        for problem in problems_from_validation_error(exc):
            column = row.columns.get(problem.field.split(".")[0], problem.field)
            path = f"indicators[{row.number}].{column.replace('.', '_')}"
            problems.append(Problem(path, problem.message, problem.params))
        raise ValidationFailed(problems) from None
    if entry.source_id is None:
        path = f"indicators[{row.number}].{row.columns.get('source_id', 'id')}"
        raise ValidationFailed([Problem(path, N_("is required"))])
    return entry


def parse_catalogue_file(
    data: bytes, filename: str | None = None, *, deadline: float | None = None
) -> list[tuple[int, EntryIn, frozenset[str]]]:
    """The file's rows as (row number, entry, the fields the row gives). Every bad row is
    reported (up to 50), each naming its row and field; nothing is returned then."""
    parsed: list[tuple[int, EntryIn, frozenset[str]]] = []
    problems: list[Problem] = []
    first_row: dict[tuple[str, str], int] = {}
    for count, row in enumerate(_rows(data, filename), start=1):
        if count > MAX_ROWS:
            raise ImportFailed(TOO_MANY_ROWS, limit=MAX_ROWS)
        if deadline is not None and count % 200 == 0:
            _check_time(deadline)
        try:
            if row.not_an_object:
                raise ValidationFailed([Problem(f"indicators[{row.number}]", NOT_AN_OBJECT)])
            entry = _entry_in(row)
        except ValidationFailed as exc:
            problems += exc.problems
            if len(problems) >= 50:
                break
            continue
        assert entry.source_id is not None
        identity = (entry.source, entry.source_id)
        if identity in first_row:
            path = f"indicators[{row.number}].{row.columns.get('source_id', 'id')}"
            params = {"value": entry.source_id, "row": str(first_row[identity])}
            problems.append(Problem(path, DUPLICATE_ID, params))
            continue
        first_row[identity] = row.number
        given = frozenset(row.values) | {"source"}
        parsed.append((row.number, entry, given))
    if problems:
        raise ValidationFailed(problems[:50])
    if not parsed:
        raise ImportFailed(NOT_A_CATALOGUE_FILE)
    return parsed


def _check_time(deadline: float) -> None:
    if time.monotonic() > deadline:
        seconds = get_settings().import_time_limit
        raise ImportFailed(TOO_LONG_TIME, seconds=f"{seconds:g}")


def import_catalogue(
    session: Session,
    data: bytes,
    *,
    filename: str | None = None,
    dry_run: bool = False,
    actor: Actor,
    time_limit: float | None = None,
) -> CatalogueImport:
    """Create or update the file's entries, matched by source and source id. A field the file
    does not give (the direction, whether the entry is active) keeps its value. With
    ``dry_run`` nothing is written: the result is the preview of the same import."""
    require_admin(actor)
    settings = get_settings()
    if len(data) > settings.max_import_bytes:
        raise ImportFailed(
            N_("The file is too large ({size} MB, at most {limit} MB)."),
            size=f"{len(data) / 1_048_576:.1f}",
            limit=f"{settings.max_import_bytes / 1_048_576:.0f}",
        )
    limit = settings.import_time_limit if time_limit is None else time_limit
    deadline = time.monotonic() + limit
    rows = parse_catalogue_file(data, filename, deadline=deadline)
    existing: dict[tuple[str, str], CatalogueEntry] = {}
    by_source: dict[str, list[str]] = {}
    for _number, entry_in, _given in rows:
        by_source.setdefault(entry_in.source, []).append(entry_in.source_id or "")
    for source, ids in by_source.items():
        for start in range(0, len(ids), 500):
            found = queries.by_source(session, source, ids[start : start + 500])
            existing |= {(source, source_id): e for source_id, e in found.items()}
    new_keys = {
        (entry_in.key or f"{_prefix(entry_in.source)}:{entry_in.source_id}"): number
        for number, entry_in, _given in rows
        if (entry_in.source, entry_in.source_id or "") not in existing
    }
    taken = set()
    for start in range(0, len(keys := list(new_keys)), 500):
        taken |= queries.existing_keys(session, keys[start : start + 500])
    if taken:
        raise ValidationFailed(
            [
                Problem(f"indicators[{new_keys[key]}].id", KEY_TAKEN, {"key": key})
                for key in sorted(taken, key=new_keys.__getitem__)[:50]
            ]
        )
    set_actor(session, actor.username)
    results: list[ImportedEntry] = []
    try:
        for count, (number, entry_in, given) in enumerate(rows, start=1):
            if count % 200 == 0:
                _check_time(deadline)
            values = entry_in.model_dump(include=set(given) & set(queries.EDITABLE_FIELDS))
            current = existing.get((entry_in.source, entry_in.source_id or ""))
            if current is None:
                key = entry_in.key or f"{_prefix(entry_in.source)}:{entry_in.source_id}"
                full = entry_in.model_dump(include=set(queries.EDITABLE_FIELDS))
                if not dry_run:
                    entry = CatalogueEntry(key=key)
                    queries.assign(entry, full)
                    session.add(entry)
                results.append(ImportedEntry(number, key, entry_in.name_fi, "created"))
                continue
            changed = tuple(n for n, v in values.items() if getattr(current, n) != v)
            if changed and not dry_run:
                queries.assign(current, values)
            action = "updated" if changed else "unchanged"
            results.append(ImportedEntry(number, current.key, entry_in.name_fi, action, changed))
        _check_time(deadline)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    return CatalogueImport(dry_run=dry_run, entries=results)


__all__ = [
    "CatalogueImport",
    "EntryIn",
    "EntrySummary",
    "ImportedEntry",
    "IndicatorSuggestions",
    "Reason",
    "SourceSuggestions",
    "Suggestion",
    "create_entry",
    "delete_entry",
    "get_entry",
    "import_catalogue",
    "link_imported",
    "link_indicator",
    "list_catalogue",
    "parse_catalogue_file",
    "search_for_link",
    "set_active",
    "suggest_for_docs",
    "suggest_for_indicators",
    "suggest_for_source",
    "suggest_matches",
    "summaries",
    "update_entry",
    "usage",
]
