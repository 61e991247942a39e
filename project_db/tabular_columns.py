"""The tables of the CSV and XLSX formats and their columns, made from the schemas.

Every scalar field of an item model (``project_db.fields``) is a column of the item's table,
named like the field, in the order the model declares its fields, of the kind the field's
type gives. Explicit here, because a schema cannot say it:

* the projects table starts with ``project_key`` (the project's ``key``) and ``source_key``
  and ends with ``themes`` (joined with ``"; "``); the project's own fields are those of
  ``ProjectFields``, with the other headers their ``Headers`` name;
* a nested record (an organisation, a funder, a person) is flattened into columns of the row,
  named by ``_FLATTENED``;
* an indicator's revisions and values are tables of their own (``_INDICATOR_TABLES``).

``project_db.tabular`` reads and writes the tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel

from .fields import Kind, nested_models, scalar_fields
from .schemas import (
    AttachmentIn,
    BudgetLineIn,
    CostActualIn,
    FundingIn,
    GoalIn,
    IndicatorIn,
    IndicatorValueIn,
    LinkIn,
    MeasureIn,
    ParticipantStatIn,
    PeriodIn,
    ProjectFields,
    ProjectOrganisationIn,
    ProjectPersonIn,
    ResultIn,
    SectionIn,
    TargetRevisionIn,
)


@dataclass(frozen=True)
class Column:
    """One column: its name, where its value sits in the item model, and what it holds."""

    name: str
    path: tuple[str, ...]
    kind: Kind = "text"


def _col(name: str, kind: Kind = "text", path: str | None = None) -> Column:
    return Column(name, tuple((path or name).split(".")), kind)


_PROJECT_KEY = _col("project_key", path="key")
_INDICATOR_KEY = _col("indicator_key")

# Each table's item model (the projects table's is ProjectDoc), in the tables' order.
_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "sections": SectionIn,
    "organisations": ProjectOrganisationIn,
    "funding": FundingIn,
    "people": ProjectPersonIn,
    "goals": GoalIn,
    "measures": MeasureIn,
    "results": ResultIn,
    "indicators": IndicatorIn,
    "target_revisions": TargetRevisionIn,
    "indicator_values": IndicatorValueIn,
    "periods": PeriodIn,
    "participant_stats": ParticipantStatIn,
    "budget_lines": BudgetLineIn,
    "cost_actuals": CostActualIn,
    "links": LinkIn,
    "attachments": AttachmentIn,
}

# The tables below an indicator, and the IndicatorIn list each one fills.
_INDICATOR_TABLES = {"target_revisions": "revisions", "indicator_values": "values"}

# A nested record's columns: (table, field) → the prefix of its fields' columns and the
# columns named otherwise (the names the format has always had).
_FLATTENED: dict[tuple[str, str], tuple[str, dict[str, str]]] = {
    ("organisations", "organisation"): ("", {"name": "organisation_name"}),
    ("funding", "funder"): ("funder_", {"org_type": "funder_type"}),
    ("people", "person"): ("", {"name": "person_name", "organisation": "person_organisation"}),
}


def _scalar_cols(
    model: type[BaseModel], prefix: str = "", names: dict[str, str] | None = None, path: str = ""
) -> list[Column]:
    names = names or {}
    return [
        _col(names.get(f.name, prefix + f.name), f.kind, path + f.name)
        for f in scalar_fields(model)
    ]


def _item_cols(table: str, model: type[BaseModel]) -> tuple[Column, ...]:
    """The item model's columns: its scalar fields and its nested records, in field order."""
    nested = nested_models(model)
    scalars = {c.name: c for c in _scalar_cols(model)}
    cols: list[Column] = []
    for name in model.model_fields:
        if name in nested:
            prefix, names = _FLATTENED[(table, name)]
            cols += _scalar_cols(nested[name], prefix, names, path=name + ".")
        elif name in scalars:
            cols.append(scalars[name])
    return tuple(cols)


# --- the tables and their columns, in order ------------------------------------------------

_PROJECT_COLS = (
    _PROJECT_KEY,
    _col("source_key"),
    *_scalar_cols(ProjectFields),
    _col("themes"),
)

_ITEM_COLS: dict[str, tuple[Column, ...]] = {
    name: (_INDICATOR_KEY, *_item_cols(name, model))
    if name in _INDICATOR_TABLES
    else _item_cols(name, model)
    for name, model in _ITEM_MODELS.items()
}

_SPECS: dict[str, tuple[Column, ...]] = {
    "projects": _PROJECT_COLS,
    **{name: (_PROJECT_KEY, *cols) for name, cols in _ITEM_COLS.items()},
}

#: Every table's columns in their fixed order (the order of the CSV files and XLSX sheets).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(c.name for c in cols) for name, cols in _SPECS.items()
}
TABLE_NAMES: tuple[str, ...] = tuple(TABLE_COLUMNS)
PROJECT_COLUMNS = TABLE_COLUMNS["projects"]
SECTION_COLUMNS = TABLE_COLUMNS["sections"]
ORGANISATION_COLUMNS = TABLE_COLUMNS["organisations"]
FUNDING_COLUMNS = TABLE_COLUMNS["funding"]
PEOPLE_COLUMNS = TABLE_COLUMNS["people"]
GOAL_COLUMNS = TABLE_COLUMNS["goals"]
MEASURE_COLUMNS = TABLE_COLUMNS["measures"]
RESULT_COLUMNS = TABLE_COLUMNS["results"]
INDICATOR_COLUMNS = TABLE_COLUMNS["indicators"]
TARGET_REVISION_COLUMNS = TABLE_COLUMNS["target_revisions"]
INDICATOR_VALUE_COLUMNS = TABLE_COLUMNS["indicator_values"]
PERIOD_COLUMNS = TABLE_COLUMNS["periods"]
PARTICIPANT_STAT_COLUMNS = TABLE_COLUMNS["participant_stats"]
BUDGET_LINE_COLUMNS = TABLE_COLUMNS["budget_lines"]
COST_ACTUAL_COLUMNS = TABLE_COLUMNS["cost_actuals"]
LINK_COLUMNS = TABLE_COLUMNS["links"]
ATTACHMENT_COLUMNS = TABLE_COLUMNS["attachments"]


# --- headers -------------------------------------------------------------------------------


def _norm(header: str) -> str:
    """A header as compared: case-folded, '_' and '-' as spaces, spaces folded, no ':' or '*'."""
    text = header.replace("\ufeff", "").casefold().strip().rstrip(":*").strip()
    return " ".join(re.sub(r"[_\-]", " ", text).split())


# Finnish headers people use in hand-written project lists (compared with ``_norm``), from
# the fields' ``Headers``.
_FINNISH_PROJECT_HEADERS = {
    _norm(header): f.name for f in scalar_fields(ProjectFields) for header in f.headers
} | {"teemat": "themes"}

_TABLE_ALIASES = {"hankkeet": "projects", "hankkeet ja projektit": "projects"}


def _header_map(table: str) -> dict[str, str]:
    mapping = {_norm(name): name for name in TABLE_COLUMNS[table]}
    if table == "projects":
        mapping.update(_FINNISH_PROJECT_HEADERS)
    return mapping


def table_name(name: str) -> str:
    """The table a file or sheet name stands for ('Projects', 'hankkeet' → 'projects')."""
    normal = _norm(name)
    normal = _TABLE_ALIASES.get(normal, normal)
    return normal.replace(" ", "_")


def is_project_name_header(header: str) -> bool:
    """Whether a header names the project name column ('name', 'Hankkeen nimi' …)."""
    return _header_map("projects").get(_norm(header)) == "name"
