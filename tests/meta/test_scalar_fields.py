"""A scalar field is declared once, in its schema: everything else follows it.

Generated from the schemas (``project_db.fields``: ``scalar_fields``, ``nested_models``; and
the document's lists of records), so a field added to a schema is checked without touching
this file: every scalar field of a project document and of each of its records has a column
in its table (with room for the longest text the schema takes) and a label, and a value in
each of them comes back unchanged through the store (both ways), bulk creation and the CSV
and XLSX formats. A table column that no schema field declares must be one of the documented
exceptions below, and a record the document gains must name its table below.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import String
from sqlalchemy.orm import Session

from evaus.db import Database
from evaus.i18n import FIELD_LABELS
from project_db import models, tabular
from project_db.bulk import create_projects
from project_db.fields import ScalarField, nested_models, scalar_fields
from project_db.indicator_catalogue import CatalogueEntry
from project_db.schemas import ProjectDoc, ProjectFields, ProjectUpdate, RegistryDoc
from project_db.store import apply_doc, to_doc

_PROJECT = "project"


def _record_lists(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """The fields that hold a list of records, with the record's model."""
    found = {}
    for name, info in model.model_fields.items():
        if typing.get_origin(info.annotation) is list:
            [item] = typing.get_args(info.annotation)
            if isinstance(item, type) and issubclass(item, BaseModel):
                found[name] = item
    return found


def _walk(model: type[BaseModel], path: str) -> Iterator[tuple[str, type[BaseModel]]]:
    yield path, model
    for name, inner in (nested_models(model) | _record_lists(model)).items():
        yield from _walk(inner, name if path == _PROJECT else f"{path}.{name}")


# Every record model of a project document by its place in it (``funding.funder``: a
# funding's funder), read from the schemas: the project itself, nested records, list items.
RECORDS: dict[str, type[BaseModel]] = dict(_walk(ProjectDoc, _PROJECT))

# The table that stores each record.
STORED_AS: dict[str, type[Any]] = {
    _PROJECT: models.Project,
    "sections": models.NarrativeSection,
    "organisations": models.ProjectOrganisation,
    "organisations.organisation": models.Organisation,
    "funding": models.Funding,
    "funding.funder": models.Organisation,
    "people": models.ProjectPerson,
    "people.person": models.Person,
    "goals": models.Goal,
    "measures": models.Measure,
    "results": models.Result,
    "indicators": models.Indicator,
    "indicators.revisions": models.TargetRevision,
    "indicators.values": models.IndicatorValue,
    "periods": models.ReportingPeriod,
    "participant_stats": models.ParticipantStat,
    "budget_lines": models.BudgetLine,
    "cost_actuals": models.CostActual,
    "links": models.ProjectLink,
    "attachments": models.Attachment,
}

# Columns no schema field declares, and why.
_BOOKKEEPING = {"id", "version", "created_at", "updated_at"}  # every stored record
_KEY = {"key"}  # a record with its own identity (documents give it only for some records)
_OWNED = {"project_id", "position"}  # a project's record: whose it is, its place in the list
NOT_IN_SCHEMA: dict[type[Any], set[str]] = {
    # sort_name, search_text, search_index: made from the document when it is saved.
    models.Project: _BOOKKEEPING | {"sort_name", "search_text", "search_index"},
    models.Organisation: _BOOKKEEPING | _KEY,
    models.Person: _BOOKKEEPING | _KEY | {"organisation_id"},  # PersonIn names it
    models.NarrativeSection: _BOOKKEEPING | _OWNED,
    models.ProjectOrganisation: _BOOKKEEPING | _OWNED | {"organisation_id"},
    models.Funding: _BOOKKEEPING | _OWNED | {"organisation_id"},  # the funder
    models.ProjectPerson: _BOOKKEEPING | _OWNED | {"person_id"},
    # References: the document names a goal, measure or period by its key or number.
    models.Goal: _BOOKKEEPING | _OWNED | _KEY | {"parent_id"},
    models.Measure: _BOOKKEEPING | _OWNED | _KEY | {"goal_id"},
    models.Result: _BOOKKEEPING | _OWNED | _KEY | {"goal_id", "measure_id"},
    models.Indicator: _BOOKKEEPING | _OWNED | _KEY | {"goal_id", "measure_id"},
    models.TargetRevision: _BOOKKEEPING | {"indicator_id"},
    models.IndicatorValue: _BOOKKEEPING | {"indicator_id", "period_id"},
    models.ReportingPeriod: _BOOKKEEPING | _OWNED,
    models.ParticipantStat: _BOOKKEEPING | _OWNED | {"period_id"},
    models.BudgetLine: _BOOKKEEPING | _OWNED,
    models.CostActual: _BOOKKEEPING | _OWNED | {"period_id"},
    models.ProjectLink: _BOOKKEEPING | _OWNED,
    models.Attachment: _BOOKKEEPING | _OWNED | _KEY,
}
# Scalar fields of a document model that are a reference, stored as the referenced row's id:
# a goal's or measure's key, a period's number, a person's organisation by its name.
REFERENCES = {"parent_key", "goal_key", "measure_key", "period", "organisation"}
# Texts whose length their format bounds (a Y-tunnus, an e-mail address, a checksum).
FORMATTED = {"y_tunnus", "email", "sha256"}


def _columns(table: type[Any]) -> set[str]:
    return {column.key for column in table.__table__.columns}


def test_every_record_of_the_document_names_its_table() -> None:
    assert set(RECORDS) == set(STORED_AS)


@pytest.mark.parametrize("path", list(STORED_AS))
def test_every_column_is_a_scalar_field_of_the_schema(path: str) -> None:
    model, table = RECORDS[path], STORED_AS[path]
    scalars = {f.name for f in scalar_fields(model)} - REFERENCES
    assert scalars - _columns(table) == set(), "schema fields without a column"
    assert _columns(table) - scalars == NOT_IN_SCHEMA[table] - scalars, "undeclared columns"


@pytest.mark.parametrize("path", list(STORED_AS))
def test_text_columns_hold_what_the_schema_takes(path: str) -> None:
    model, columns = RECORDS[path], STORED_AS[path].__table__.columns
    for field in scalar_fields(model):
        column = columns.get(field.name)
        if column is None or not isinstance(column.type, String) or not column.type.length:
            continue
        if field.max_length is None:  # bounded by its format or its choices instead
            info = model.model_fields[field.name]
            assert field.name in FORMATTED or _literal(info.annotation), field.name
        else:
            assert field.max_length <= column.type.length, field.name


def test_every_project_field_has_a_label_and_an_update() -> None:
    for field in scalar_fields(ProjectFields):
        assert field.name in FIELD_LABELS, field.name
    assert set(ProjectUpdate.model_fields) == set(ProjectFields.model_fields)
    assert ProjectUpdate.model_validate({}).model_dump(exclude_unset=True) == {}


# --- a document with a value in every scalar field -----------------------------------------

# Values whose format the schema checks beyond their type, and references that must resolve.
SPECIAL: dict[str, Any] = {
    "y_tunnus": "0201256-6",
    "email": "liisa.esimerkki@example.fi",
    "phone": "+358 40 1234567",
    "sha256": "ab" * 32,
    "url": "https://example.fi/hanke",
    "key": None,  # set per record below
    "parent_key": None,
    "goal_key": "goal-1",
    "measure_key": "measure-1",
    "period": 1,
    "number": 1,
    "catalogue_key": "sotkanet:127",  # an entry of the indicator catalogue (made below)
}
_DAY = date(2021, 1, 1)


def _value(model: type[BaseModel], field: ScalarField, index: int) -> Any:
    """A value unlike the field's default: long texts, figures with decimals, later dates."""
    if field.name in SPECIAL:
        return SPECIAL[field.name]
    info = model.model_fields[field.name]
    choices = [a for a in typing.get_args(_literal(info.annotation)) if a != info.default]
    if choices:
        return choices[-1]
    if field.kind == "bool":
        return not info.default
    if field.kind == "int":
        return 7 + index
    if field.kind == "date":
        return _DAY + timedelta(days=30 * index)  # a start field comes before its end field
    if field.kind == "money":
        return Decimal("12345.60") + index
    if field.kind == "number":
        return Decimal("12.5") + index
    text = f"{model.__name__}.{field.name} Åäö – "
    length = min(field.max_length or 1000, 1000)
    return (text * (length // len(text) + 1))[:length].strip()


def _literal(annotation: Any) -> Any:
    """The ``Literal`` among an annotation's types (of an optional field too), else None."""
    if typing.get_origin(annotation) is typing.Literal:
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _literal(arg)) is not None:
            return found
    return None


# Keys that the references (SPECIAL) resolve to, and the ones whose records need one.
KEYS = {
    "goals": "goal-1",
    "measures": "measure-1",
    "results": "result-1",
    "indicators": "indicator-1",
    "attachments": "attachment-1",
}


def _record(model: type[BaseModel], path: str) -> dict[str, Any]:
    """A value in each scalar field, each nested record and one item in each list of records."""
    data: dict[str, Any] = {
        field.name: _value(model, field, index) for index, field in enumerate(scalar_fields(model))
    }
    for name, nested in nested_models(model).items():
        data[name] = _record(nested, f"{path}.{name}")
    for name, item in _record_lists(model).items():
        data[name] = [_record(item, name if path == _PROJECT else f"{path}.{name}")]
    if path in KEYS:
        data["key"] = KEYS[path]
    return data


def full_doc(key: str) -> ProjectDoc:
    data = _record(ProjectDoc, _PROJECT) | {"key": key, "source_key": f"scalars:{key}"}
    data["themes"] = ["Osallisuus"]
    [period] = data["periods"]
    period["end_date"] = period["start_date"] + timedelta(days=180)
    return ProjectDoc.model_validate(data)


def _every_scalar_set(item: BaseModel) -> None:
    """The generated document leaves no scalar field at its default (else a field the store
    forgot would come back as the default and go unnoticed), in no record of it."""
    model = type(item)
    for field in scalar_fields(model):
        default = model.model_fields[field.name].default
        if field.name not in ("key", "parent_key"):
            assert getattr(item, field.name) != default, f"{model.__name__}.{field.name}"
    for name in nested_models(model):
        _every_scalar_set(getattr(item, name))
    for name in _record_lists(model):
        [record] = getattr(item, name)
        _every_scalar_set(record)


def test_the_generated_document_sets_every_scalar() -> None:
    _every_scalar_set(full_doc("scalars"))


def _same(expected: ProjectDoc, found: ProjectDoc) -> None:
    assert found.model_dump() == expected.model_dump()


def test_every_scalar_field_round_trips_through_the_store_and_bulk(database: Database) -> None:
    stored_doc, bulk_doc = full_doc("scalars-stored"), full_doc("scalars-bulk")
    with Session(database.engine) as session:
        session.add(CatalogueEntry(key=SPECIAL["catalogue_key"], name_fi="Sotkanet-mittari"))
        project = apply_doc(session, models.Project(), stored_doc)
        session.commit()
        project_id = project.id
        [bulk_id] = create_projects(session, [bulk_doc])
        session.commit()
    with Session(database.engine) as session:
        _same(stored_doc, to_doc(session.get_one(models.Project, project_id)))
        _same(bulk_doc, to_doc(session.get_one(models.Project, bulk_id)))


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_every_scalar_field_round_trips_through_the_tables(form: str) -> None:
    doc = full_doc("scalars-tables")
    registry = RegistryDoc(projects=[doc])
    if form == "csv":
        tables = tabular.read_csv_zip(tabular.registry_to_csv_zip(registry))
    else:
        tables = tabular.registry_from_xlsx(tabular.registry_to_xlsx(registry))
    found, warnings = tabular.tables_to_registry(tables)
    assert warnings == []
    [back] = found.projects
    _same(doc, back)
