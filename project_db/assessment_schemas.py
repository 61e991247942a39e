"""pydantic v2 schemas of an ex-ante impact assessment: the interchange document and its parts.

Scale values are stable ASCII codes (``"--"``, ``"+-"``, ``"keskipitka"`` …); the framework file
gives their labels and symbols (−−, ±) in Finnish, Swedish and English.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Final, Literal

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

from .base import new_key
from .errors import N_, Problem
from .field_types import (
    Code,
    Line,
    LongText,
    Money,
    Name,
    OptCode,
    OptDate,
    not_blank,
    problems_from_validation_error,
    strip_line,
    strip_text,
    too_long,
)
from .validators import parse_decimal

Direction = Literal["++", "+", "0", "-", "--", "+-", "?"]
Size = Literal["pieni", "kohtalainen", "suuri"]
TimeSpan = Literal["lyhyt", "keskipitka", "pitka"]
Certainty = Literal["epatodennakoinen", "mahdollinen", "todennakoinen", "varma"]
Level = Literal["pieni", "kohtalainen", "suuri"]  # risk likelihood and consequence
Status = Literal["luonnos", "valmis", "paatetty", "jalkiarvioitu"]
# The ex-post rating of a follow-up indicator and of the whole: saavutettu / pääosin
# saavutettu / osittain saavutettu / ei saavutettu.
Rating = Literal["saavutettu", "paaosin", "osittain", "ei"]

DIRECTIONS: Final = ("++", "+", "0", "-", "--", "+-", "?")
SIZES: Final = ("pieni", "kohtalainen", "suuri")
TIME_SPANS: Final = ("lyhyt", "keskipitka", "pitka")
CERTAINTIES: Final = ("epatodennakoinen", "mahdollinen", "todennakoinen", "varma")
LEVELS: Final = ("pieni", "kohtalainen", "suuri")
STATUSES: Final = ("luonnos", "valmis", "paatetty", "jalkiarvioitu")
RATINGS: Final = ("saavutettu", "paaosin", "osittain", "ei")
FROZEN_STATUSES: Final = frozenset({"valmis", "paatetty", "jalkiarvioitu"})

ZERO_ALTERNATIVE_NAME = "Nykytila jatkuu"  # the 0-vaihtoehto: current state continues

_MESSAGES = {
    "zero_alternative": N_("must have exactly one 0-alternative (current state continues)"),
    "duplicate_key": N_("has the key {key} twice"),
    "unknown_alternative": N_("refers to an alternative that does not exist: {key}"),
    "duplicate_impact": N_("has two impacts for impact area {area} and the same alternative"),
    "duplicate_area": N_("has impact area {area} twice"),
    "row_length": N_("row {row} has {length} cells but the table has {columns} columns"),
    "fte": N_("is not a valid number of person-years: {value}"),
}
ASSESSMENT_MESSAGES: Final = _MESSAGES


def _fail(error_type: str, ctx: dict[str, Any] | None = None) -> PydanticCustomError:
    return PydanticCustomError(error_type, _MESSAGES[error_type], ctx)


Key = Annotated[str, Field(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9_.:-]+$")]
ShortText = Annotated[str, BeforeValidator(strip_line), too_long(500)]
ReqText = Annotated[str, BeforeValidator(strip_text), too_long(200_000), AfterValidator(not_blank)]


def _fte(value: Any) -> Any:
    """Person-years (htv): a non-negative number with at most two decimals, e.g. 45 or 1,5."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = parse_decimal(value) if isinstance(value, str) else Decimal(str(value))
    except (ValueError, InvalidOperation):
        raise _fail("fte", {"value": str(value)}) from None
    if number < 0 or number >= Decimal("1000000") or number != number.quantize(Decimal("0.01")):
        raise _fail("fte", {"value": str(value)})
    return number


Fte = Annotated[Decimal | None, BeforeValidator(_fte)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class KeyFigureTable(_Model):
    """A small table of key figures (tunnusluvut): caption, column headers and rows of cells."""

    caption: Line = ""
    columns: list[ShortText] = []
    rows: list[list[ShortText]] = []

    @model_validator(mode="after")
    def _rectangular(self) -> KeyFigureTable:
        for number, row in enumerate(self.rows, start=1):
            if self.columns and len(row) != len(self.columns):
                raise _fail(
                    "row_length", {"row": number, "length": len(row), "columns": len(self.columns)}
                )
        return self


class AlternativeIn(_Model):
    key: Key = Field(default_factory=new_key)
    is_zero: bool = False
    name: Name
    description: LongText = ""
    cost_per_year: Money = None  # € / year
    staff_fte: Fte = None  # henkilötyövuodet
    premises: LongText = ""
    key_figures: list[KeyFigureTable] = []


class AreaIn(_Model):
    """Phase 4: an impact area marked relevant or not, with a one-line reason."""

    area: Code
    relevant: bool | None = None
    reason: ShortText = ""


class ExPostIn(_Model):
    """What actually happened to one assessed impact of the chosen alternative."""

    direction: Direction | None = None
    size: Size | None = None
    evidence: LongText = ""
    indicator_values: LongText = ""
    note: LongText = ""


class ImpactFields(_Model):
    """The content of one matrix cell (impact area × alternative)."""

    assessed: bool = True  # False = "ei arvioitu": then a reason is needed
    not_assessed_reason: ShortText = ""
    direction: Direction | None = None
    size: Size | None = None
    time_span: TimeSpan | None = None
    certainty: Certainty | None = None
    groups: list[Code] = []  # population group codes of the framework
    falls_on: LongText = ""  # whom it falls on
    justification: LongText = ""
    evidence: LongText = ""  # evidence source
    mitigation: LongText = ""


class ImpactIn(ImpactFields):
    area: Code
    alternative_key: Key
    ex_post: ExPostIn | None = None


class RiskIn(_Model):
    key: Key = Field(default_factory=new_key)
    alternative_key: Key | None = None  # None: concerns the change as a whole
    description: ReqText
    likelihood: Level | None = None
    consequence: Level | None = None
    mitigation: LongText = ""


# Kuuleminen: how a group was heard. Labels in the catalogs (fi, sv, en); people never see
# the codes.
HearingMethod = Literal["workshop", "survey", "interview", "statement", "other"]
HEARING_METHODS: Final = ("workshop", "survey", "interview", "statement", "other")
HEARING_METHOD_LABELS: Final = {
    "workshop": N_("Workshop"),
    "survey": N_("Survey"),
    "interview": N_("Interview"),
    "statement": N_("Written statement"),
    "other": N_("Other way"),
}
# A method written as free text (the form of export files made before the codes): words that
# name a way (parts of words, so that compounds such as "asukaskysely" count) and the whole
# texts that say nothing more than the way itself.
_METHOD_WORDS: Final = {
    "workshop": ("työpaj", "workshop", "verkstad"),
    "survey": ("kysely", "survey", "questionnaire", "enkät"),
    "interview": ("haastat", "interview", "intervju"),
    "statement": ("lausun", "statement", "yttrande", "utlåtande", "remiss"),
}
_METHOD_NAMES: Final = {
    "workshop": ("työpaja", "työpajat", "workshop", "workshops", "verkstad"),
    "survey": ("kysely", "kyselyt", "survey", "enkät"),
    "interview": ("haastattelu", "haastattelut", "interview", "interviews", "intervju"),
    "statement": (
        "lausunto",
        "lausunnot",
        "kirjallinen lausunto",
        "written statement",
        "statement",
        "skriftligt yttrande",
        "yttrande",
    ),
}


def hearing_method_from_text(text: str) -> tuple[str | None, str]:
    """A way of hearing written as free text → (its code, the text to keep as a note).

    The code is given when the text names exactly one way ("Asukaskysely verkossa": survey);
    the text is kept whole unless it is nothing but the way's name ("Kysely"), so no word of
    it is lost.
    """
    stripped = " ".join(text.split())
    folded = stripped.casefold().rstrip(".")
    if not folded:
        return None, ""
    for code, names in _METHOD_NAMES.items():
        if folded in names:
            return code, ""
    found = [code for code, words in _METHOD_WORDS.items() if any(w in folded for w in words)]
    return (found[0] if len(found) == 1 else None), stripped


def _blank_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class HearingIn(_Model):
    """Kuuleminen: the group or organisation heard; how (a code and, in words, a note) and
    when; how many people; whether children or young people were heard and how (LAVA); what
    they said and what changed because of it."""

    key: Key = Field(default_factory=new_key)
    group: Name
    method: Annotated[HearingMethod | None, BeforeValidator(_blank_none)] = None
    method_note: ShortText = ""
    held_on: OptDate = None
    participants: Annotated[
        Annotated[int, Field(ge=0, le=10_000_000)] | None, BeforeValidator(_blank_none)
    ] = None
    children_heard: bool = False
    children_how: LongText = ""
    summary: LongText = ""  # what they said
    outcome: LongText = ""  # what changed because of it

    @model_validator(mode="before")
    @classmethod
    def _method_as_text(cls, data: Any) -> Any:
        """A document from before the codes has the method as free text and no note: the
        text becomes the code it names and the note (``hearing_method_from_text``)."""
        if not isinstance(data, dict) or "method_note" in data:
            return data
        method = data.get("method")
        if isinstance(method, str) and method not in HEARING_METHODS:
            code, note = hearing_method_from_text(method)
            return {**data, "method": code, "method_note": note}
        return data


class FollowUpIn(_Model):
    key: Key = Field(default_factory=new_key)
    name: Name
    baseline: ShortText = ""
    target: ShortText = ""
    source: ShortText = ""
    schedule: ShortText = ""
    responsible: ShortText = ""
    indicator_key: Key | None = None  # an indicator of the linked project
    catalogue_key: OptCode = None  # a shared definition of the indicator catalogue (its key)
    ex_post_rating: Rating | None = None  # after the decision: was the target reached


class ScreeningIn(_Model):
    """Phase 0: is an assessment needed? ``None`` = not decided yet."""

    needed: bool | None = None
    criteria: list[Code] = []
    reason: LongText = ""


class RecommendationIn(_Model):
    alternative_key: Key | None = None
    reasoning: LongText = ""
    trade_offs: LongText = ""
    uncertainties: LongText = ""


class AssessmentFields(_Model):
    """The assessment's own fields that a person edits on the first page of the wizard."""

    title: Name
    decision: LongText = ""  # the decision to be made
    preparers: ShortText = ""
    organisation: ShortText = ""
    decision_date: OptDate = None
    ex_post_date: OptDate = None


class AssessmentDoc(AssessmentFields):
    """One version of an assessment with everything in it: the unit of import and export."""

    key: Key = Field(default_factory=new_key)
    series_key: Key = Field(default_factory=new_key)
    version_number: int = Field(default=1, ge=1)
    previous_key: Key | None = None
    project_key: Key | None = None
    framework_id: Code
    framework_version: int = Field(ge=1)
    status: Status = "luonnos"
    created_by: ShortText = ""
    screening: ScreeningIn = ScreeningIn()
    answers: dict[Annotated[str, Field(max_length=80)], LongText] = {}
    alternatives: list[AlternativeIn] = []
    areas: list[AreaIn] = []
    crossing_impacts: LongText = ""
    impacts: list[ImpactIn] = []
    risks: list[RiskIn] = []
    hearings: list[HearingIn] = []
    recommendation: RecommendationIn = RecommendationIn()
    follow_ups: list[FollowUpIn] = []
    chosen_key: Key | None = None  # the alternative decided on
    ex_post_summary: LongText = ""
    ex_post_rating: Rating | None = None  # the whole, after the decision
    # The sign-off of a finished assessment: the approver's name and when.
    approved_by: ShortText = ""
    approved_at: datetime | None = None

    @model_validator(mode="after")
    def _consistent(self) -> AssessmentDoc:
        if sum(1 for a in self.alternatives if a.is_zero) != 1:
            raise _fail("zero_alternative")
        for items in (self.alternatives, self.risks, self.hearings, self.follow_ups):
            _unique_keys([x.key for x in items])
        alternatives = {a.key for a in self.alternatives}
        refs = [i.alternative_key for i in self.impacts] + [r.alternative_key for r in self.risks]
        refs += [self.recommendation.alternative_key, self.chosen_key]
        for ref in refs:
            if ref is not None and ref not in alternatives:
                raise _fail("unknown_alternative", {"key": ref})
        seen_areas: set[str] = set()
        for area in self.areas:
            if area.area in seen_areas:
                raise _fail("duplicate_area", {"area": area.area})
            seen_areas.add(area.area)
        cells: set[tuple[str, str]] = set()
        for impact in self.impacts:
            cell = (impact.area, impact.alternative_key)
            if cell in cells:
                raise _fail("duplicate_impact", {"area": impact.area})
            cells.add(cell)
        return self

    def alternative(self, key: str | None) -> AlternativeIn | None:
        return next((a for a in self.alternatives if a.key == key), None)

    def impact(self, area: str, alternative_key: str) -> ImpactIn | None:
        return next(
            (i for i in self.impacts if i.area == area and i.alternative_key == alternative_key),
            None,
        )

    @property
    def zero_alternative(self) -> AlternativeIn:
        return next(a for a in self.alternatives if a.is_zero)


def _unique_keys(keys: list[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise _fail("duplicate_key", {"key": key})
        seen.add(key)


ASSESSMENT_RECORD_CHECK_FIELD: Final = {
    "zero_alternative": "alternatives",
    "duplicate_key": "key",
    "unknown_alternative": "alternative_key",
    "duplicate_impact": "impacts",
    "duplicate_area": "areas",
    "row_length": "rows",
}


def assessment_problems(exc: ValidationError, prefix: str = "") -> list[Problem]:
    """Problems with message ids for every error, the assessment's own checks included."""
    problems = problems_from_validation_error(exc, prefix)
    result = []
    for problem, error in zip(problems, exc.errors(include_url=False), strict=True):
        kind = error["type"]
        if kind not in _MESSAGES:
            result.append(problem)
            continue
        field = problem.field
        extra = ASSESSMENT_RECORD_CHECK_FIELD.get(kind)
        if extra and not field.endswith(extra):
            field = f"{field}.{extra}" if field else extra
        params = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
        result.append(Problem(field=field, message=_MESSAGES[kind], params=params))
    return result
