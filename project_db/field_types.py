"""The field types both document schemas share (the registry's and the assessment's), their
error types, and how a pydantic error becomes a message in the user's language.

Every problem is raised with a stable error type (``PydanticCustomError``) so that
``problems_from_validation_error`` can turn it into a message id that names the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError
from pydantic_core import PydanticCustomError

from . import validators as v
from .errors import N_, Problem

MAX_LINE = 500
MAX_TEXT = 200_000  # about 100 pages: a 10 MB paste is refused with a clear message

# --- reusable field types ---------------------------------------------------------------


@dataclass(frozen=True)
class CellKind:
    """How the tables (CSV, XLSX) hold a field where its type alone does not tell
    (``project_db.fields``): ``"longtext"`` (a wide, wrapped column) or ``"money"`` (euros)."""

    kind: str


@dataclass(frozen=True)
class Headers:
    """Other headers a spreadsheet's column of this field may have (compared case-folded,
    ``_`` and ``-`` as spaces), e.g. the Finnish ones of hand-written project lists."""

    names: tuple[str, ...]

    def __init__(self, *names: str) -> None:
        object.__setattr__(self, "names", names)


LONG = CellKind("longtext")
MONEY = CellKind("money")


# Our own error types and their message ids (translated where they are shown).
_CUSTOM_MESSAGES = {
    "too_long": N_("is too long ({length} characters, at most {limit})"),
    "blank": N_("is required"),
    "date": N_("is not a valid date: {value}"),
    "number": N_("is not a number: {value}"),
    "ytunnus": N_("is not a valid Y-tunnus (business ID): {value}"),
    "email": N_("is not a valid e-mail address: {value}"),
    "negative": N_("must not be negative"),
    "unknown_goal": N_("refers to a goal that does not exist"),
    "unknown_measure": N_("refers to a measure that does not exist"),
    "unknown_period": N_("refers to reporting period {number} that does not exist"),
    "duplicate_value": N_("has two values for reporting period {number}"),
    "end_before_start": N_("end date {end} is before start date {start}"),
    "period_end_before_start": N_("end date {end} is before start date {start}"),
    "period_numbering": N_("reporting periods must be numbered 1, 2, 3 … without gaps"),
    "period_gap": N_("reporting period {number} must start the day after period {previous} ends"),
    "semicolon": N_("must not contain a semicolon (;)"),
    "duplicate_budget": N_("cost category {category} of scheme {scheme} is given twice"),
    "duplicate_cost": N_(
        "cost category {category} of scheme {scheme} is given twice for reporting period {number}"
    ),
    "duplicate_participants": N_("the same participant group is given twice ({group})"),
}


def fail(error_type: str, ctx: dict[str, Any] | None = None) -> PydanticCustomError:
    return PydanticCustomError(error_type, _CUSTOM_MESSAGES[error_type], ctx)


def strip_line(value: Any) -> Any:
    return v.clean_line(value) if isinstance(value, str) else value


def strip_text(value: Any) -> Any:
    return v.clean_block(value) if isinstance(value, str) else value


def too_long(limit: int) -> Any:
    def check(value: str | None) -> str | None:
        if value is not None and len(value) > limit:
            raise fail("too_long", {"length": len(value), "limit": limit})
        return value

    return AfterValidator(check)


def not_blank(value: str) -> str:
    if not value:
        raise fail("blank")
    return value


def _parsed(parse: Callable[[str], Any], error_type: str) -> Callable[[Any], Any]:
    """A before-validator: blank text is None, other text goes through ``parse``."""

    def before(value: Any) -> Any:
        if isinstance(value, float):
            value = str(value)
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return parse(value)
            except ValueError:
                raise fail(error_type, {"value": value}) from None
        return value

    return before


_date = _parsed(v.parse_date, "date")
_decimal = _parsed(v.parse_decimal, "number")
_ytunnus = _parsed(v.normalise_ytunnus, "ytunnus")
_email = _parsed(v.normalise_email, "email")


def _phone(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            return None
        return v.normalise_phone(value)[0]
    return value


def _non_negative(value: Decimal | None) -> Decimal | None:
    if value is not None and value < 0:
        raise fail("negative")
    return value


Line = Annotated[str, BeforeValidator(strip_line), too_long(MAX_LINE)]
Name = Annotated[str, BeforeValidator(strip_line), too_long(MAX_LINE), AfterValidator(not_blank)]
LongText = Annotated[str, BeforeValidator(strip_text), too_long(MAX_TEXT), LONG]
Code = Annotated[str, BeforeValidator(strip_line), too_long(80), AfterValidator(not_blank)]
OptCode = Annotated[str | None, BeforeValidator(lambda x: strip_line(x) or None), too_long(80)]
OptLine = Annotated[
    str | None, BeforeValidator(lambda x: strip_line(x) or None), too_long(MAX_LINE)
]
OptDate = Annotated[date | None, BeforeValidator(_date)]
ReqDate = Annotated[date, BeforeValidator(_date)]


def _opt_line(value: Any) -> Any:
    return strip_line(value) or None


# The same kinds with the length of their database column: PostgreSQL refuses longer text,
# so it is refused here first, with a message that names the field.
Line300 = Annotated[str, BeforeValidator(strip_line), too_long(300)]
Line120 = Annotated[str, BeforeValidator(strip_line), too_long(120)]
Line80 = Annotated[str, BeforeValidator(strip_line), too_long(80)]
Name300 = Annotated[str, BeforeValidator(strip_line), too_long(300), AfterValidator(not_blank)]
Name255 = Annotated[str, BeforeValidator(strip_line), too_long(255), AfterValidator(not_blank)]
Name200 = Annotated[str, BeforeValidator(strip_line), too_long(200), AfterValidator(not_blank)]
Code20 = Annotated[str, BeforeValidator(strip_line), too_long(20), AfterValidator(not_blank)]
OptLine300 = Annotated[str | None, BeforeValidator(_opt_line), too_long(300)]
OptLine120 = Annotated[str | None, BeforeValidator(_opt_line), too_long(120)]
OptLine100 = Annotated[str | None, BeforeValidator(_opt_line), too_long(100)]
OptLine40 = Annotated[str | None, BeforeValidator(_opt_line), too_long(40)]
Key = Annotated[str | None, too_long(36)]


Money = Annotated[
    Annotated[Decimal, Field(max_digits=14, decimal_places=2)] | None,
    BeforeValidator(_decimal),
    AfterValidator(_non_negative),
    MONEY,
]
Figure = Annotated[
    Annotated[Decimal, Field(max_digits=18, decimal_places=4)] | None, BeforeValidator(_decimal)
]
Percent = Annotated[
    Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] | None,
    BeforeValidator(_decimal),
]
ReqFigure = Annotated[Decimal, BeforeValidator(_decimal), Field(max_digits=18, decimal_places=4)]
YTunnus = Annotated[str | None, BeforeValidator(_ytunnus)]
Email = Annotated[str | None, BeforeValidator(_email)]
Phone = Annotated[str | None, BeforeValidator(_phone), too_long(40)]
ReqMoney = Annotated[
    Decimal,
    BeforeValidator(_decimal),
    Field(max_digits=14, decimal_places=2),
    AfterValidator(_non_negative),
    MONEY,
]
Hours = Annotated[
    Annotated[Decimal, Field(max_digits=12, decimal_places=1)] | None,
    BeforeValidator(_decimal),
    AfterValidator(_non_negative),
]
OptCode40 = Annotated[str | None, BeforeValidator(lambda x: strip_line(x) or None), too_long(40)]


# --- turning pydantic errors into user messages ----------------------------------------

# Message ids for pydantic's own error types; our custom types carry their own message.
_BUILTIN_MESSAGES = {
    "missing": N_("is required"),
    "extra_forbidden": N_("is not a known field"),
    "string_type": N_("must be text"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "bool_parsing": N_("must be yes or no"),
    "bool_type": N_("must be yes or no"),
    "decimal_parsing": N_("is not a number"),
    "decimal_type": N_("is not a number"),
    "decimal_max_digits": N_("is too large"),
    "decimal_max_places": N_("has too many decimals (at most {decimal_places})"),
    "decimal_whole_digits": N_("is too large"),
    "date_type": N_("is not a valid date"),
    "date_parsing": N_("is not a valid date"),
    "date_from_datetime_parsing": N_("is not a valid date"),
    "date_from_datetime_inexact": N_("is not a valid date"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than_equal": N_("must be at most {le}"),
    "literal_error": N_("must be one of: {expected}"),
    "list_type": N_("must be a list"),
    "model_type": N_("must be an object"),
    "dict_type": N_("must be an object"),
    "string_pattern_mismatch": N_("has the wrong form"),
    "too_long": N_("is too long ({length} characters, at most {limit})"),
}


_RECORD_CHECK_FIELD = {
    "end_before_start": "end_date",
    "period_end_before_start": "period_end",
    "period_numbering": "periods",
    "period_gap": "periods",
    "unknown_goal": "goals",
    "unknown_measure": "measures",
    "unknown_period": "periods",
    "duplicate_value": "values",
    "duplicate_participants": "participant_stats",
    "duplicate_budget": "budget_lines",
    "duplicate_cost": "cost_actuals",
}


def problems_from_validation_error(exc: ValidationError, prefix: str = "") -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        # Whole-record checks have no field of their own: name the field they are about.
        if error["type"] in _RECORD_CHECK_FIELD:
            loc.append(_RECORD_CHECK_FIELD[error["type"]])
        path = ".".join(loc)
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        ctx = {k: str(val) for k, val in (error.get("ctx") or {}).items()}
        message = _CUSTOM_MESSAGES.get(error["type"]) or _BUILTIN_MESSAGES.get(error["type"])
        if message is None:
            message, ctx = N_("is not valid: {detail}"), {"detail": error["msg"]}
        problems.append(Problem(field=path, message=message, params=ctx))
    return problems
