"""The indicator catalogue: shared indicator definitions that an administrator maintains.

An entry has a name in Finnish, Swedish and English, a unit, which way is better (the direction
codes of project indicators: ``more``, ``less``, ``target``; NULL = neither), a definition, its
source ("THL Sotkanet" with the source's own id, or the project's own data), whether it is
measured in numbers or in words, and whether it is offered for new links (``active``).

Its ``key`` is its stable identity: project indicators (``indicator.catalogue_key``) and
assessment follow-up indicators (``assessment_follow_up.catalogue_key``) refer to it by the key,
so the JSON, CSV and XLSX files carry the key, never a number of this database. An entry
imported from a source has the key ``<source prefix>:<source id>`` (``sotkanet:127``), which
makes a second import of the same file update the same entries. The key never changes.

Every write goes through the ORM, so the audit hook records it like other writes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from .assessment_models import AssessmentFollowUp
from .base import Base, Versioned, new_key
from .errors import N_, Problem
from .field_types import OptCode, not_blank, strip_line, strip_text, too_long
from .models import Indicator
from .schemas import ProjectDoc
from .store import finnish_sort_key
from .validators import search_fold

KEY_MAX = 80
NAME_MAX = 500
UNIT_MAX = 80
SOURCE_MAX = 300
SOURCE_ID_MAX = 80
DEFINITION_MAX = 20_000

QUANTITATIVE: Final = "quantitative"
QUALITATIVE: Final = "qualitative"
MEASURE_TYPES = (QUANTITATIVE, QUALITATIVE)
MeasureType = Literal["quantitative", "qualitative"]


class CatalogueEntry(Versioned, Base):
    """One shared indicator definition."""

    __tablename__ = "indicator_catalogue"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        CheckConstraint(
            "direction IS NULL OR direction IN ('more', 'less', 'target')", name="direction_known"
        ),
        CheckConstraint(
            "measure_type IN ('quantitative', 'qualitative')", name="measure_type_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True, default=new_key)
    name_fi: Mapped[str] = mapped_column(String(NAME_MAX))
    name_sv: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    name_en: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    unit: Mapped[str] = mapped_column(String(UNIT_MAX), default="")
    # more | less | target (as project indicators); NULL: neither way is better.
    direction: Mapped[str | None] = mapped_column(String(20))
    definition: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(SOURCE_MAX), default="")
    # The entry's id in its source (Sotkanet's indicator id), NULL for an entry of our own.
    source_id: Mapped[str | None] = mapped_column(String(SOURCE_ID_MAX))
    # Who produces the figures (Sotkanet's "organization": THL, Tilastokeskus …).
    producer: Mapped[str] = mapped_column(String(SOURCE_MAX), default="")
    measure_type: Mapped[str] = mapped_column(String(20), default=QUANTITATIVE)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Derived, for the list: the names in Finnish alphabetical order, and the folded texts the
    # search looks through.
    sort_name: Mapped[str] = mapped_column(String(NAME_MAX), index=True, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    def name_in(self, lang: str) -> str:
        """The name in ``lang``, else in Finnish."""
        return {"sv": self.name_sv, "en": self.name_en}.get(lang) or self.name_fi


def _blank_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


_Name = Annotated[str, BeforeValidator(strip_line), too_long(NAME_MAX), AfterValidator(not_blank)]
_Line = Annotated[str, BeforeValidator(strip_line), too_long(NAME_MAX)]


class EntryIn(BaseModel):
    """An entry as a form, the API or an import file gives it (validated; texts cleaned)."""

    model_config = ConfigDict(extra="forbid")

    # Given only when the entry is created (else a new one is made); never changed after.
    key: OptCode = None
    name_fi: _Name
    name_sv: _Line = ""
    name_en: _Line = ""
    unit: Annotated[str, BeforeValidator(strip_line), too_long(UNIT_MAX)] = ""
    direction: Annotated[Literal["more", "less", "target"] | None, BeforeValidator(_blank_none)] = (
        None
    )
    definition: Annotated[str, BeforeValidator(strip_text), too_long(DEFINITION_MAX)] = ""
    source: Annotated[str, BeforeValidator(strip_line), too_long(SOURCE_MAX)] = ""
    source_id: Annotated[
        str | None, BeforeValidator(lambda x: strip_line(x) or None), too_long(SOURCE_ID_MAX)
    ] = None
    producer: Annotated[str, BeforeValidator(strip_line), too_long(SOURCE_MAX)] = ""
    measure_type: MeasureType = QUANTITATIVE
    active: bool = True


EDITABLE_FIELDS = tuple(name for name in EntryIn.model_fields if name != "key")


def search_text_of(entry: CatalogueEntry) -> str:
    parts = (
        entry.key,
        entry.name_fi,
        entry.name_sv,
        entry.name_en,
        entry.unit,
        entry.source,
        entry.source_id or "",
        entry.producer,
    )
    return search_fold(" ".join(p for p in parts if p))


def assign(entry: CatalogueEntry, values: dict[str, Any]) -> list[str]:
    """Set the values that differ from the entry's (so an unchanged field is neither written nor
    audited); the sort name and the search text follow. Returns the changed fields' names."""
    changed = [name for name, value in values.items() if getattr(entry, name) != value]
    for name in changed:
        setattr(entry, name, values[name])
    derived = {
        "sort_name": finnish_sort_key(entry.name_fi)[:NAME_MAX],
        "search_text": search_text_of(entry),
    }
    for name, value in derived.items():
        if getattr(entry, name) != value:
            setattr(entry, name, value)
    return changed


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CataloguePage:
    entries: list[CatalogueEntry]
    total: int


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_entries(
    session: Session,
    *,
    search: str = "",
    active_only: bool = False,
    limit: int = 200,
    offset: int = 0,
) -> CataloguePage:
    """Entries whose names, key, unit, source or id contain every word of ``search`` (case
    folded), in Finnish alphabetical order of the Finnish name."""
    query = select(CatalogueEntry)
    for word in search_fold(search).split()[:10]:
        pattern = f"%{_escape_like(word[:200])}%"
        query = query.where(CatalogueEntry.search_text.like(pattern, escape="\\"))
    if active_only:
        query = query.where(CatalogueEntry.active.is_(True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(CatalogueEntry.sort_name, CatalogueEntry.id).limit(limit).offset(offset)
    )
    return CataloguePage(list(rows), int(total))


def all_entries(session: Session, *, active_only: bool = False) -> list[CatalogueEntry]:
    query = select(CatalogueEntry)
    if active_only:
        query = query.where(CatalogueEntry.active.is_(True))
    return list(session.scalars(query.order_by(CatalogueEntry.sort_name, CatalogueEntry.id)))


def by_key(session: Session, key: str) -> CatalogueEntry | None:
    return session.scalars(select(CatalogueEntry).where(CatalogueEntry.key == key)).first()


def by_keys(session: Session, keys: Collection[str]) -> dict[str, CatalogueEntry]:
    if not keys:
        return {}
    rows = session.scalars(select(CatalogueEntry).where(CatalogueEntry.key.in_(list(keys))))
    return {row.key: row for row in rows}


def existing_keys(session: Session, keys: Collection[str]) -> set[str]:
    """Which of ``keys`` are keys of entries."""
    if not keys:
        return set()
    found = session.scalars(select(CatalogueEntry.key).where(CatalogueEntry.key.in_(list(keys))))
    return set(found)


def by_source(
    session: Session, source: str, source_ids: Sequence[str]
) -> dict[str, CatalogueEntry]:
    """The entries of ``source`` with these source ids, by source id."""
    if not source_ids:
        return {}
    rows = session.scalars(
        select(CatalogueEntry).where(
            CatalogueEntry.source == source, CatalogueEntry.source_id.in_(list(source_ids))
        )
    )
    return {row.source_id or "": row for row in rows}


UNKNOWN_KEY = N_("there is no indicator with the key {key} in the indicator catalogue")


def unknown_key_problems(session: Session, keys_by_path: dict[str, str | None]) -> list[Problem]:
    """A problem for each path whose catalogue key is not the key of an entry."""
    wanted = {key for key in keys_by_path.values() if key}
    missing = wanted - existing_keys(session, wanted)
    return [
        Problem(path, UNKNOWN_KEY, {"key": key})
        for path, key in keys_by_path.items()
        if key in missing
    ]


def catalogue_problems(session: Session, doc: ProjectDoc, prefix: str = "") -> list[Problem]:
    """The project document's indicators that name a key the catalogue does not have."""
    pre = f"{prefix}." if prefix else ""
    paths = {
        f"{pre}indicators.{i}.catalogue_key": indicator.catalogue_key
        for i, indicator in enumerate(doc.indicators)
    }
    return unknown_key_problems(session, paths)


def link_counts(session: Session, keys: Collection[str]) -> dict[str, int]:
    """How many project indicators and follow-up indicators refer to each key (0 omitted)."""
    counts: dict[str, int] = {}
    if not keys:
        return counts
    for column in (Indicator.catalogue_key, AssessmentFollowUp.catalogue_key):
        rows = session.execute(
            select(column, func.count()).where(column.in_(list(keys))).group_by(column)
        )
        for key, count in rows:
            if key is not None:
                counts[key] = counts.get(key, 0) + int(count)
    return counts


def names_for_matching(session: Session) -> list[tuple[str, str, str, str, str, bool]]:
    """(key, name_fi, name_sv, name_en, unit, active) of every entry: what match suggestions
    compare with, without loading whole entries."""
    rows = session.execute(
        select(
            CatalogueEntry.key,
            CatalogueEntry.name_fi,
            CatalogueEntry.name_sv,
            CatalogueEntry.name_en,
            CatalogueEntry.unit,
            CatalogueEntry.active,
        ).order_by(CatalogueEntry.sort_name, CatalogueEntry.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


__all__ = [
    "EDITABLE_FIELDS",
    "MEASURE_TYPES",
    "QUALITATIVE",
    "QUANTITATIVE",
    "CatalogueEntry",
    "CataloguePage",
    "EntryIn",
    "all_entries",
    "assign",
    "by_key",
    "by_keys",
    "by_source",
    "catalogue_problems",
    "existing_keys",
    "link_counts",
    "list_entries",
    "names_for_matching",
    "search_text_of",
    "unknown_key_problems",
]
