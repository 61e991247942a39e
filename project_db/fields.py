"""The scalar fields of the interchange schemas, read from the schemas themselves.

A scalar field (one value: text, number, date, yes/no) is declared once, in its pydantic
model in ``schemas`` (and its column in ``models``). What else needs to know the field reads
it from here: the store copies scalars both ways by these names, bulk creation writes the
same values, and the tables (``tabular_columns``) make a column of each, of the kind its type
gives, with the extra headers its ``field_types.Headers`` names.
"""

from __future__ import annotations

import inspect
import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from .field_types import CellKind, Headers

Kind = Literal["text", "longtext", "date", "money", "number", "int", "bool"]


@dataclass(frozen=True)
class ScalarField:
    """One scalar field: its name, the kind of value, its longest text and other headers."""

    name: str
    kind: Kind
    max_length: int | None = None
    headers: tuple[str, ...] = ()
    required: bool = False


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _value_types(annotation: Any) -> list[Any]:
    """The types a field's value can have, without None and without ``Annotated``."""
    annotation = _strip_annotated(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _value_types(arg)]
    return [] if annotation is type(None) else [annotation]


def _is_scalar(value_type: Any) -> bool:
    if typing.get_origin(value_type) is Literal:
        return True
    return isinstance(value_type, type) and value_type in (str, int, bool, Decimal, date)


def _kind(value_type: Any, metadata: list[Any]) -> Kind:
    marks = [item.kind for item in metadata if isinstance(item, CellKind)]
    if value_type is bool:
        return "bool"
    if value_type is int:
        return "int"
    if value_type is date:
        return "date"
    if value_type is Decimal:
        return "money" if "money" in marks else "number"
    return "longtext" if "longtext" in marks else "text"


def max_length(metadata: list[Any]) -> int | None:
    """The ``limit`` of a ``field_types.too_long`` check among a field's metadata."""
    for item in metadata:
        func = getattr(item, "func", None)
        name = getattr(func, "__qualname__", "")
        if isinstance(item, AfterValidator) and name.startswith("too_long."):
            limit = inspect.getclosurevars(func).nonlocals.get("limit")  # type: ignore[arg-type]
            if isinstance(limit, int):
                return limit
    return None


def scalar_field(name: str, info: FieldInfo) -> ScalarField | None:
    """The field as a ``ScalarField``; None for a list or a nested model."""
    value_types = _value_types(info.annotation)
    if len(value_types) != 1 or not _is_scalar(value_types[0]):
        return None
    headers = tuple(h for item in info.metadata if isinstance(item, Headers) for h in item.names)
    return ScalarField(
        name=name,
        kind=_kind(value_types[0], info.metadata),
        max_length=max_length(info.metadata),
        headers=headers,
        required=info.is_required(),
    )


@cache
def scalar_fields(model: type[BaseModel]) -> tuple[ScalarField, ...]:
    """The model's scalar fields in the order they are declared."""
    found = (scalar_field(name, info) for name, info in model.model_fields.items())
    return tuple(field for field in found if field is not None)


@cache
def scalar_names(model: type[BaseModel], exclude: frozenset[str] = frozenset()) -> tuple[str, ...]:
    return tuple(f.name for f in scalar_fields(model) if f.name not in exclude)


def nested_models(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """The fields that hold one nested model (not a list), with that model."""
    found = {}
    for name, info in model.model_fields.items():
        value_types = _value_types(info.annotation)
        single = value_types[0] if len(value_types) == 1 else None
        if isinstance(single, type) and issubclass(single, BaseModel):
            found[name] = single
    return found
