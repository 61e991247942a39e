"""pydantic v2 schemas: the interchange format (JSON import/export) and create/update input.

Every problem is raised with a stable error type (``PydanticCustomError``) so that
``problems_from_validation_error`` can turn it into a message in the user's language that
names the field.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import validators as v
from .errors import N_, Problem

MAX_LINE = 500
MAX_TEXT = 200_000  # about 100 pages: a 10 MB paste is refused with a clear message

# --- reusable field types ---------------------------------------------------------------


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
    "period_numbering": N_("reporting periods must be numbered 1, 2, 3 … without gaps"),
    "period_gap": N_("reporting period {number} must start the day after period {previous} ends"),
    "semicolon": N_("must not contain a semicolon (;)"),
    "duplicate_budget": N_("cost category {category} of scheme {scheme} is given twice"),
    "duplicate_cost": N_(
        "cost category {category} of scheme {scheme} is given twice for reporting period {number}"
    ),
    "duplicate_participants": N_("the same participant group is given twice ({group})"),
}


def _fail(error_type: str, ctx: dict[str, Any] | None = None) -> PydanticCustomError:
    return PydanticCustomError(error_type, _CUSTOM_MESSAGES[error_type], ctx)


def _line(value: Any) -> Any:
    return v.clean_line(value) if isinstance(value, str) else value


def _text(value: Any) -> Any:
    return v.clean_block(value) if isinstance(value, str) else value


def _too_long(limit: int) -> Any:
    def check(value: str | None) -> str | None:
        if value is not None and len(value) > limit:
            raise _fail("too_long", {"length": len(value), "limit": limit})
        return value

    return AfterValidator(check)


def _not_blank(value: str) -> str:
    if not value:
        raise _fail("blank")
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
                raise _fail(error_type, {"value": value}) from None
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
        raise _fail("negative")
    return value


Line = Annotated[str, BeforeValidator(_line), _too_long(MAX_LINE)]
Name = Annotated[str, BeforeValidator(_line), _too_long(MAX_LINE), AfterValidator(_not_blank)]
LongText = Annotated[str, BeforeValidator(_text), _too_long(MAX_TEXT)]
Code = Annotated[str, BeforeValidator(_line), _too_long(80), AfterValidator(_not_blank)]
OptCode = Annotated[str | None, BeforeValidator(lambda x: _line(x) or None), _too_long(80)]
OptLine = Annotated[str | None, BeforeValidator(lambda x: _line(x) or None), _too_long(MAX_LINE)]
OptDate = Annotated[date | None, BeforeValidator(_date)]
ReqDate = Annotated[date, BeforeValidator(_date)]


def _opt_line(value: Any) -> Any:
    return _line(value) or None


# The same kinds with the length of their database column: PostgreSQL refuses longer text,
# so it is refused here first, with a message that names the field.
Line300 = Annotated[str, BeforeValidator(_line), _too_long(300)]
Line120 = Annotated[str, BeforeValidator(_line), _too_long(120)]
Line80 = Annotated[str, BeforeValidator(_line), _too_long(80)]
Name300 = Annotated[str, BeforeValidator(_line), _too_long(300), AfterValidator(_not_blank)]
Name255 = Annotated[str, BeforeValidator(_line), _too_long(255), AfterValidator(_not_blank)]
Name200 = Annotated[str, BeforeValidator(_line), _too_long(200), AfterValidator(_not_blank)]
Code20 = Annotated[str, BeforeValidator(_line), _too_long(20), AfterValidator(_not_blank)]
OptLine300 = Annotated[str | None, BeforeValidator(_opt_line), _too_long(300)]
OptLine120 = Annotated[str | None, BeforeValidator(_opt_line), _too_long(120)]
OptLine100 = Annotated[str | None, BeforeValidator(_opt_line), _too_long(100)]
OptLine40 = Annotated[str | None, BeforeValidator(_opt_line), _too_long(40)]
Key = Annotated[str | None, _too_long(36)]


def _no_semicolon(value: str) -> str:
    # CSV and XLSX exports join the themes with "; ": a theme with ";" would come back as two.
    if ";" in value:
        raise _fail("semicolon")
    return value


def _without_blanks(values: list[str]) -> list[str]:
    return [value for value in values if value]


Theme = Annotated[str, BeforeValidator(_line), _too_long(200), AfterValidator(_no_semicolon)]
Themes = Annotated[list[Theme], AfterValidator(_without_blanks)]
Money = Annotated[
    Annotated[Decimal, Field(max_digits=14, decimal_places=2)] | None,
    BeforeValidator(_decimal),
    AfterValidator(_non_negative),
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
Phone = Annotated[str | None, BeforeValidator(_phone), _too_long(40)]
ReqMoney = Annotated[
    Decimal,
    BeforeValidator(_decimal),
    Field(max_digits=14, decimal_places=2),
    AfterValidator(_non_negative),
]
Hours = Annotated[
    Annotated[Decimal, Field(max_digits=12, decimal_places=1)] | None,
    BeforeValidator(_decimal),
    AfterValidator(_non_negative),
]
OptCode40 = Annotated[str | None, BeforeValidator(lambda x: _line(x) or None), _too_long(40)]
Basis = Literal["collected", "sample", "estimate"]
ResultKind = Literal["output", "result", "impact"]
# Which way an indicator's progress goes: more is better, less is better, or on target
# (the closer the better). See ``project_db.indicators.achievement``.
Direction = Literal["more", "less", "target"]
# The funder's scheme a cost row belongs to: its category code list (codes.COST_CATEGORY_LISTS).
CostScheme = Literal["esr", "stm", "stea"]

BASIS_LABELS = {
    "collected": N_("collected data"),
    "sample": N_("sample"),
    "estimate": N_("estimate"),
}

DIRECTION_LABELS = {
    "more": N_("more is better"),
    "less": N_("less is better"),
    "target": N_("on target is best"),
}

SCHEME_LABELS = {"esr": "ESR", "stm": "STM", "stea": "STEA"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


# --- interchange: one project with everything that belongs to it -----------------------


class OrganisationIn(_Model):
    name: Name300
    org_type: OptCode = None
    y_tunnus: YTunnus = None
    municipality: OptLine120 = None


class PersonIn(_Model):
    name: Name200
    email: Email = None
    phone: Phone = None
    organisation: OptLine300 = None  # the organisation's name


class ProjectOrganisationIn(_Model):
    organisation: OrganisationIn
    role: Code


class FundingIn(_Model):
    funder: OrganisationIn
    funder_code: OptCode = None
    amount: Money = None
    share_percent: Percent = None
    own_contribution: Money = None
    decision_number: OptLine120 = None
    decision_date: OptDate = None


class ProjectPersonIn(_Model):
    person: PersonIn
    role: Line300 = ""
    is_contact: bool = False
    is_team: bool = True


class SectionIn(_Model):
    kind: Code
    title: Name300
    body: LongText = ""


class GoalIn(_Model):
    key: Key = None
    parent_key: str | None = None
    title: Annotated[str, BeforeValidator(_text), _too_long(10_000), AfterValidator(_not_blank)]
    description: LongText = ""


class MeasureIn(_Model):
    key: Key = None
    goal_key: str | None = None
    title: Annotated[str, BeforeValidator(_text), _too_long(10_000), AfterValidator(_not_blank)]
    description: LongText = ""
    responsible: OptLine300 = None
    start_date: OptDate = None
    end_date: OptDate = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> MeasureIn:
        _check_order(self.start_date, self.end_date)
        return self


class ResultIn(_Model):
    key: Key = None
    kind: ResultKind = "result"
    goal_key: str | None = None
    measure_key: str | None = None
    text: Annotated[str, BeforeValidator(_text), _too_long(MAX_TEXT), AfterValidator(_not_blank)]


class TargetRevisionIn(_Model):
    old_target: Figure = None
    new_target: Figure = None
    reason: Annotated[str, BeforeValidator(_text), _too_long(10_000), AfterValidator(_not_blank)]
    revised_on: ReqDate


class IndicatorValueIn(_Model):
    period: int = Field(ge=1)
    value: ReqFigure
    basis: Basis
    note: LongText = ""


class IndicatorIn(_Model):
    key: Key = None
    goal_key: str | None = None
    measure_key: str | None = None
    name: Annotated[str, BeforeValidator(_text), _too_long(2_000), AfterValidator(_not_blank)]
    unit: Line80 = ""
    baseline: Figure = None
    baseline_basis: Basis | None = None
    target: Figure = None
    target_date: OptDate = None
    source: LongText = ""
    direction: Direction = "more"
    revisions: list[TargetRevisionIn] = []
    values: list[IndicatorValueIn] = []


class PeriodIn(_Model):
    number: int = Field(ge=1)
    start_date: ReqDate
    end_date: ReqDate
    done: LongText = ""
    changes: LongText = ""
    deviations: LongText = ""
    next_steps: LongText = ""
    volunteers: int | None = Field(default=None, ge=0, le=10_000_000)
    volunteer_hours: Hours = None
    volunteers_basis: Basis | None = None
    feedback_methods: LongText = ""

    @model_validator(mode="after")
    def _dates_in_order(self) -> PeriodIn:
        _check_order(self.start_date, self.end_date)
        return self


class ParticipantStatIn(_Model):
    """One group of participants: of a reporting period, or (``period`` None) of the whole
    project with each person counted once."""

    period: int | None = Field(default=None, ge=1)
    gender: Code20
    age_class: Code20
    labour_status: OptCode40 = None
    education: OptCode40 = None
    count: int = Field(ge=0, le=10_000_000)


class BudgetLineIn(_Model):
    """The planned amount of one cost category. Never negative: income (``tulot``) is entered
    as a positive amount and reduces the net cost."""

    scheme: CostScheme = "esr"
    category: Code
    amount: ReqMoney
    note: LongText = ""


class CostActualIn(_Model):
    """The actual amount of one cost category in one reporting period (same sign rule)."""

    period: int = Field(ge=1)
    scheme: CostScheme = "esr"
    category: Code
    amount: ReqMoney
    note: LongText = ""


class AttachmentIn(_Model):
    key: Key = None
    filename: Name255
    content_type: Line120 = "application/octet-stream"
    size: int = Field(ge=0)
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    description: LongText = ""


class LinkIn(_Model):
    url: Annotated[str, BeforeValidator(_line), _too_long(2000), AfterValidator(_not_blank)]
    title: Line300 = ""


class ProjectFields(_Model):
    """The project's own fields, without its related records."""

    name: Name
    short_name: OptLine100 = None
    project_type: OptCode = None
    portfolio: OptCode = None
    status: OptCode = None
    start_date: OptDate = None
    end_date: OptDate = None
    summary: LongText = ""
    region: OptCode = None
    municipality: OptLine120 = None
    budget_amount: Money = None
    budget_class: OptCode = None
    eura_code: OptLine40 = None
    action_line: OptLine300 = None
    specific_objective: OptLine = None
    decision_number: OptLine120 = None
    responsible_authority: OptLine300 = None
    website: OptLine = None
    notes: LongText = ""

    @model_validator(mode="after")
    def _dates_in_order(self) -> ProjectFields:
        _check_order(self.start_date, self.end_date)
        return self


class ProjectUpdate(_Model):
    """A partial change of the project's own fields; only the fields that are set change."""

    name: Name | None = None
    short_name: OptLine100 = None
    project_type: OptCode = None
    portfolio: OptCode = None
    status: OptCode = None
    start_date: OptDate = None
    end_date: OptDate = None
    summary: LongText | None = None
    region: OptCode = None
    municipality: OptLine120 = None
    budget_amount: Money = None
    budget_class: OptCode = None
    eura_code: OptLine40 = None
    action_line: OptLine300 = None
    specific_objective: OptLine = None
    decision_number: OptLine120 = None
    responsible_authority: OptLine300 = None
    website: OptLine = None
    notes: LongText | None = None


class ProjectDoc(ProjectFields):
    """One project with everything that belongs to it: the unit of import and export."""

    key: Key = None
    source_key: OptLine300 = None
    themes: Themes = []
    sections: list[SectionIn] = []
    organisations: list[ProjectOrganisationIn] = []
    funding: list[FundingIn] = []
    people: list[ProjectPersonIn] = []
    goals: list[GoalIn] = []
    measures: list[MeasureIn] = []
    results: list[ResultIn] = []
    indicators: list[IndicatorIn] = []
    periods: list[PeriodIn] = []
    participant_stats: list[ParticipantStatIn] = []
    budget_lines: list[BudgetLineIn] = []
    cost_actuals: list[CostActualIn] = []
    attachments: list[AttachmentIn] = []
    links: list[LinkIn] = []

    @model_validator(mode="after")
    def _consistent(self) -> ProjectDoc:
        check_periods_contiguous(self.periods)
        period_numbers = {p.number for p in self.periods}
        goal_keys = {g.key for g in self.goals if g.key}
        measure_keys = {m.key for m in self.measures if m.key}
        for g in self.goals:
            if g.parent_key and g.parent_key not in goal_keys:
                raise _fail("unknown_goal")
        goal_refs = [x.goal_key for x in self.measures] + [x.goal_key for x in self.results]
        goal_refs += [x.goal_key for x in self.indicators]
        for goal_key in goal_refs:
            if goal_key and goal_key not in goal_keys:
                raise _fail("unknown_goal")
        measure_refs = [x.measure_key for x in self.results]
        measure_refs += [x.measure_key for x in self.indicators]
        for measure_key in measure_refs:
            if measure_key and measure_key not in measure_keys:
                raise _fail("unknown_measure")
        for indicator in self.indicators:
            seen: set[int] = set()
            for value in indicator.values:
                if value.period not in period_numbers:
                    raise _fail("unknown_period", {"number": value.period})
                if value.period in seen:
                    raise _fail("duplicate_value", {"number": value.period})
                seen.add(value.period)
        groups: set[tuple[Any, ...]] = set()
        for stat in self.participant_stats:
            if stat.period is not None and stat.period not in period_numbers:
                raise _fail("unknown_period", {"number": stat.period})
            group = participant_group(stat)
            if group in groups:
                shown = " ".join(str(part) for part in group if part is not None)
                raise _fail("duplicate_participants", {"group": shown})
            groups.add(group)
        budget: set[tuple[str, str]] = set()
        for line in self.budget_lines:
            if (line.scheme, line.category) in budget:
                raise _fail("duplicate_budget", {"scheme": line.scheme, "category": line.category})
            budget.add((line.scheme, line.category))
        costs: set[tuple[int, str, str]] = set()
        for cost in self.cost_actuals:
            if cost.period not in period_numbers:
                raise _fail("unknown_period", {"number": cost.period})
            if (cost.period, cost.scheme, cost.category) in costs:
                ctx = {"scheme": cost.scheme, "category": cost.category, "number": cost.period}
                raise _fail("duplicate_cost", ctx)
            costs.add((cost.period, cost.scheme, cost.category))
        return self


def participant_group(stat: ParticipantStatIn) -> tuple[Any, ...]:
    """What identifies a participant row: its period (None: whole project) and its group."""
    return (stat.period, stat.gender, stat.age_class, stat.labour_status, stat.education)


# The assessment document uses the field types above; the registry file holds both.
from .assessment_schemas import AssessmentDoc  # noqa: E402


class RegistryDoc(_Model):
    """The JSON interchange file: ``evaus export --format json`` writes it, import reads it."""

    format: Literal["evaus-registry"] = "evaus-registry"
    format_version: Literal[1] = 1
    projects: list[ProjectDoc] = []
    assessments: list[AssessmentDoc] = []


# --- shared checks -----------------------------------------------------------------------


def _check_order(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise _fail("end_before_start", {"end": end.isoformat(), "start": start.isoformat()})


def check_periods_contiguous(periods: list[PeriodIn]) -> None:
    """Periods are numbered 1, 2, 3 … and each starts the day after the previous one ends."""
    ordered = sorted(periods, key=lambda p: p.number)
    for expected, period in enumerate(ordered, start=1):
        if period.number != expected:
            raise _fail("period_numbering")
    for previous, period in itertools.pairwise(ordered):
        if (period.start_date - previous.end_date).days != 1:
            raise _fail("period_gap", {"number": period.number, "previous": previous.number})


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
