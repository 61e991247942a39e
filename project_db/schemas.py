"""pydantic v2 schemas: the interchange format (JSON import/export) and create/update input.

The field types, their error types and ``problems_from_validation_error`` (which turns a
pydantic error into a message in the user's language that names the field) live in
``field_types``, shared with the assessment schemas.
"""

from __future__ import annotations

import itertools
import typing
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    create_model,
    model_validator,
)

from .assessment_schemas import AssessmentDoc
from .errors import N_
from .field_types import (
    LONG,
    MAX_TEXT,
    Code,
    Code20,
    Email,
    Figure,
    Headers,
    Hours,
    Key,
    Line80,
    Line120,
    Line300,
    LongText,
    Money,
    Name,
    Name200,
    Name255,
    Name300,
    OptCode,
    OptCode40,
    OptDate,
    OptLine,
    OptLine40,
    OptLine100,
    OptLine120,
    OptLine300,
    Percent,
    Phone,
    ReqDate,
    ReqFigure,
    ReqMoney,
    YTunnus,
    fail,
    not_blank,
    problems_from_validation_error,
    strip_line,
    strip_text,
    too_long,
)

# Callers of the registry schemas find these here too (besides its own names).
__all__ = ["MAX_TEXT", "problems_from_validation_error"]


def _no_semicolon(value: str) -> str:
    # CSV and XLSX exports join the themes with "; ": a theme with ";" would come back as two.
    if ";" in value:
        raise fail("semicolon")
    return value


def _without_blanks(values: list[str]) -> list[str]:
    return [value for value in values if value]


Theme = Annotated[str, BeforeValidator(strip_line), too_long(200), AfterValidator(_no_semicolon)]
Themes = Annotated[list[Theme], AfterValidator(_without_blanks)]

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

# The Finnish headers of hand-written project lists for the start and end date.
_START_HEADERS = (
    "aloituspäivä",
    "aloittamispvm",
    "aloituspvm",
    "alkamispäivä",
    "alkamispvm",
)
_END_HEADERS = ("päättymispäivä", "päättymispvm", "lopetuspäivä", "lopetuspvm")


# A yes/no that may be left open: a blank (a form's, a table's empty cell) is None.
OptBool = Annotated[bool | None, BeforeValidator(lambda x: None if x == "" else x)]


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
    # The grant's own period of use (käyttöaika; ESR: the eligibility period).
    period_start: OptDate = None
    period_end: OptDate = None

    @model_validator(mode="after")
    def _period_in_order(self) -> FundingIn:
        _check_order(self.period_start, self.period_end, "period_end_before_start")
        return self


class ProjectPersonIn(_Model):
    person: PersonIn
    role: Line300 = ""
    is_contact: bool = False
    is_team: bool = True
    # The one whose name, e-mail and phone the public catalogue shows (nobody else's).
    public_contact: bool = False


class SectionIn(_Model):
    kind: Code
    title: Name300
    body: LongText = ""


class GoalIn(_Model):
    key: Key = None
    parent_key: str | None = None
    title: Annotated[
        str, BeforeValidator(strip_text), too_long(10_000), AfterValidator(not_blank), LONG
    ]
    description: LongText = ""


class MeasureIn(_Model):
    key: Key = None
    goal_key: str | None = None
    title: Annotated[
        str, BeforeValidator(strip_text), too_long(10_000), AfterValidator(not_blank), LONG
    ]
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
    text: Annotated[
        str, BeforeValidator(strip_text), too_long(MAX_TEXT), AfterValidator(not_blank), LONG
    ]


class TargetRevisionIn(_Model):
    old_target: Figure = None
    new_target: Figure = None
    reason: Annotated[
        str, BeforeValidator(strip_text), too_long(10_000), AfterValidator(not_blank), LONG
    ]
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
    name: Annotated[
        str, BeforeValidator(strip_text), too_long(2_000), AfterValidator(not_blank), LONG
    ]
    unit: Line80 = ""
    baseline: Figure = None
    baseline_basis: Basis | None = None
    target: Figure = None
    target_date: OptDate = None
    source: LongText = ""
    direction: Direction = "more"
    catalogue_key: OptCode = None  # a shared definition of the indicator catalogue (its key)
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
    url: Annotated[str, BeforeValidator(strip_line), too_long(2000), AfterValidator(not_blank)]
    title: Line300 = ""


class ProjectFields(_Model):
    """The project's own fields, without its related records.

    THE declaration of a project's scalar fields: the store copies them both ways, bulk
    creation writes them, the tables (CSV, XLSX) have a column for each (in this order, its
    kind from the type, other accepted headers from ``Headers``) and ``ProjectUpdate`` takes
    each of them. A new field needs its column in ``models.Project``, a migration and its
    label (``evaus.i18n.FIELD_LABELS``); ``tests/meta/test_scalar_fields.py`` checks the rest.
    """

    name: Annotated[Name, Headers("nimi", "hankkeen nimi", "projektin nimi")]
    short_name: Annotated[OptLine100, Headers("lyhenne")] = None
    project_type: Annotated[OptCode, Headers("hanketyyppi")] = None
    portfolio: Annotated[OptCode, Headers("salkku")] = None
    status: Annotated[OptCode, Headers("tila", "käsittelyvaihe")] = None
    start_date: Annotated[OptDate, Headers(*_START_HEADERS)] = None
    end_date: Annotated[OptDate, Headers(*_END_HEADERS)] = None
    summary: Annotated[LongText, Headers("tiivistelmä")] = ""
    region: Annotated[OptCode, Headers("maakunta")] = None
    municipality: Annotated[OptLine120, Headers("kunta")] = None
    budget_amount: Annotated[Money, Headers("budjetti")] = None
    budget_class: Annotated[OptCode, Headers("budjettiluokka")] = None
    eura_code: Annotated[OptLine40, Headers("eura tunnus", "eura koodi")] = None
    action_line: Annotated[OptLine300, Headers("toimintalinja")] = None
    specific_objective: Annotated[OptLine, Headers("erityistavoite")] = None
    decision_number: OptLine120 = None
    responsible_authority: OptLine300 = None
    programme: Annotated[OptLine300, Headers("ohjelma")] = None
    website: OptLine = None
    # In the public catalogue: yes or no as the project's own choice, None (blank) as its
    # portfolio's default.
    public: Annotated[OptBool, Headers("julkinen")] = None
    notes: LongText = ""

    @model_validator(mode="after")
    def _dates_in_order(self) -> ProjectFields:
        _check_order(self.start_date, self.end_date)
        return self


def _partial(model: type[BaseModel], name: str) -> type[BaseModel]:
    """``model`` with every field optional and None by default, without its model checks."""
    hints = typing.get_type_hints(model, include_extras=True)
    fields: dict[str, Any] = {}
    for field, info in model.model_fields.items():
        hint = hints[field]
        fields[field] = (hint if info.default is None else hint | None, None)
    return create_model(name, __base__=_Model, __module__=__name__, **fields)


if TYPE_CHECKING:

    class ProjectUpdate(_Model):
        """A partial change of the project's own fields; only the fields that are set change."""

else:
    ProjectUpdate = _partial(ProjectFields, "ProjectUpdate")
    ProjectUpdate.__doc__ = (
        "A partial change of the project's own fields; only the fields that are set change."
    )


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
                raise fail("unknown_goal")
        goal_refs = [x.goal_key for x in self.measures] + [x.goal_key for x in self.results]
        goal_refs += [x.goal_key for x in self.indicators]
        for goal_key in goal_refs:
            if goal_key and goal_key not in goal_keys:
                raise fail("unknown_goal")
        measure_refs = [x.measure_key for x in self.results]
        measure_refs += [x.measure_key for x in self.indicators]
        for measure_key in measure_refs:
            if measure_key and measure_key not in measure_keys:
                raise fail("unknown_measure")
        for indicator in self.indicators:
            seen: set[int] = set()
            for value in indicator.values:
                if value.period not in period_numbers:
                    raise fail("unknown_period", {"number": value.period})
                if value.period in seen:
                    raise fail("duplicate_value", {"number": value.period})
                seen.add(value.period)
        groups: set[tuple[Any, ...]] = set()
        for stat in self.participant_stats:
            if stat.period is not None and stat.period not in period_numbers:
                raise fail("unknown_period", {"number": stat.period})
            group = participant_group(stat)
            if group in groups:
                shown = " ".join(str(part) for part in group if part is not None)
                raise fail("duplicate_participants", {"group": shown})
            groups.add(group)
        budget: set[tuple[str, str]] = set()
        for line in self.budget_lines:
            if (line.scheme, line.category) in budget:
                raise fail("duplicate_budget", {"scheme": line.scheme, "category": line.category})
            budget.add((line.scheme, line.category))
        costs: set[tuple[int, str, str]] = set()
        for cost in self.cost_actuals:
            if cost.period not in period_numbers:
                raise fail("unknown_period", {"number": cost.period})
            if (cost.period, cost.scheme, cost.category) in costs:
                ctx = {"scheme": cost.scheme, "category": cost.category, "number": cost.period}
                raise fail("duplicate_cost", ctx)
            costs.add((cost.period, cost.scheme, cost.category))
        return self


def participant_group(stat: ParticipantStatIn) -> tuple[Any, ...]:
    """What identifies a participant row: its period (None: whole project) and its group."""
    return (stat.period, stat.gender, stat.age_class, stat.labour_status, stat.education)


class CommentDoc(_Model):
    """One comment on a project (a section or a period) in the export. An import reads and
    ignores these: comments are discussion, not project data, and their authors are accounts of
    the registry that wrote the file."""

    project: str  # the project's key
    id: int
    parent_id: int | None = None
    target_kind: str
    part_key: str = ""
    author: str
    body: str
    created_at: datetime
    edited_at: datetime | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None


class DeadlineDoc(_Model):
    """A deadline added by hand to a project (not computed from the reporting calendar) in the
    export. An import gives each project of the file exactly the deadlines the file lists for
    it; a file without ``deadlines`` (an older one, or a single project) leaves them as they
    are."""

    project: Annotated[str, too_long(36), AfterValidator(not_blank)]  # the project's key
    due_on: ReqDate
    title: Name300
    report_kind: Annotated[
        str | None, BeforeValidator(lambda x: strip_line(x) or None), too_long(20)
    ] = None
    period: int | None = Field(default=None, ge=1)
    created_by: Line120 = ""
    created_at: datetime | None = None


class RegistryDoc(_Model):
    """The JSON interchange file: ``evaus export --format json`` writes it, import reads it."""

    format: Literal["evaus-registry"] = "evaus-registry"
    format_version: Literal[1] = 1
    projects: list[ProjectDoc] = []
    assessments: list[AssessmentDoc] = []
    comments: list[CommentDoc] = []
    deadlines: list[DeadlineDoc] = []


# --- shared checks -----------------------------------------------------------------------


def _check_order(
    start: date | None, end: date | None, error_type: str = "end_before_start"
) -> None:
    """``error_type`` names the end field the message is shown at (``field_types``)."""
    if start and end and end < start:
        raise fail(error_type, {"end": end.isoformat(), "start": start.isoformat()})


def check_periods_contiguous(periods: list[PeriodIn]) -> None:
    """Periods are numbered 1, 2, 3 … and each starts the day after the previous one ends."""
    ordered = sorted(periods, key=lambda p: p.number)
    for expected, period in enumerate(ordered, start=1):
        if period.number != expected:
            raise fail("period_numbering")
    for previous, period in itertools.pairwise(ordered):
        if (period.start_date - previous.end_date).days != 1:
            raise fail("period_gap", {"number": period.number, "previous": previous.number})
