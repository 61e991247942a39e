"""The assessment framework: data, not code.

A framework file (JSON, see ``frameworks/default.json``) holds the phases 0–8 with their
questions and guidance, the screening criteria, the impact areas, the population groups and
the scales, every text in Finnish, Swedish and English. The method's structure (nine phases,
the scale codes) is fixed here; everything people read comes from the file.

``parse_framework`` refuses a broken file with the line and the reason of every problem.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Annotated, Any, Final, Literal, get_args

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

from project_db.assessment_schemas import CERTAINTIES, DIRECTIONS, LEVELS, SIZES, TIME_SPANS
from project_db.errors import N_, Problem, RegistryError
from project_db.schemas import problems_from_validation_error

from .locate import json_lines, line_for

LANGUAGES: Final = ("fi", "sv", "en")
FORMAT: Final = "evaus-framework"

# The method's nine steps (DOMAIN.md §1); a framework gives them names, guidance and questions.
PhaseKey = Literal[
    "screening",
    "baseline",
    "goals",
    "alternatives",
    "identification",
    "assessment",
    "feasibility",
    "comparison",
    "follow_up",
]
PHASE_KEYS: Final[tuple[str, ...]] = get_args(PhaseKey)

_MESSAGES: Final = {
    "missing_translation": N_("has no text in {languages}"),
    "duplicate_code": N_("has the code {code} twice"),
    "phases": N_("must list the phases 0–8 in order: {expected}"),
    "scale_codes": N_("must have exactly the codes {expected}"),
    "blank": N_("is required"),
}


def _fail(error_type: str, ctx: dict[str, Any] | None = None) -> PydanticCustomError:
    return PydanticCustomError(error_type, _MESSAGES[error_type], ctx)


def _complete_translation(value: Any) -> Any:
    if isinstance(value, dict):
        missing = [
            lang
            for lang in LANGUAGES
            if not isinstance(value.get(lang), str) or not value[lang].strip()
        ]
        if missing:
            raise _fail("missing_translation", {"languages": ", ".join(missing)})
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise _fail("blank")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """One text in the three languages of the product."""

    fi: str
    sv: str
    en: str

    def get(self, lang: str) -> str:
        value: str = getattr(self, lang, None) or self.fi
        return value


Texts = Annotated[Text, BeforeValidator(_complete_translation)]
Code = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_+?.-]+$")]


def _unique_codes(items: Sequence[Any], attr: str) -> None:
    seen: set[str] = set()
    for item in items:
        code = getattr(item, attr)
        if code in seen:
            raise _fail("duplicate_code", {"code": code})
        seen.add(code)


class Question(_Model):
    key: Code
    required: bool = True
    label: Texts
    guidance: Texts


class Phase(_Model):
    number: int = Field(ge=0, le=8)
    key: PhaseKey
    name: Texts
    guidance: Texts
    questions: list[Question] = Field(default_factory=list)


class ScreeningCriterion(_Model):
    key: Code
    indicates: Literal["needed", "not_needed"]
    label: Texts


class ImpactArea(_Model):
    code: Code
    on_people: bool  # impacts on people (IVA) or indirect
    name: Texts
    prompt: Texts


class PopulationGroup(_Model):
    code: Code
    name: Texts


class ScaleValue(_Model):
    code: Code
    symbol: Annotated[str, AfterValidator(_not_blank)]  # −− and ± as people read them
    label: Texts
    definition: Texts | None = None


def _scale(expected: tuple[str, ...]) -> Any:
    def check(values: list[ScaleValue]) -> list[ScaleValue]:
        if tuple(v.code for v in values) != expected:
            raise _fail("scale_codes", {"expected": " ".join(expected)})
        return values

    return AfterValidator(check)


class Scales(_Model):
    direction: Annotated[list[ScaleValue], _scale(DIRECTIONS)]
    size: Annotated[list[ScaleValue], _scale(SIZES)]
    time_span: Annotated[list[ScaleValue], _scale(TIME_SPANS)]
    certainty: Annotated[list[ScaleValue], _scale(CERTAINTIES)]
    risk_level: Annotated[list[ScaleValue], _scale(LEVELS)]


class NotAssessed(_Model):
    label: Texts
    guidance: Texts


class Framework(_Model):
    format: Literal["evaus-framework"]
    id: Code
    version: int = Field(ge=1)
    name: Texts
    description: Texts
    not_assessed: NotAssessed
    phases: list[Phase]
    screening_criteria: list[ScreeningCriterion]
    impact_areas: list[ImpactArea] = Field(min_length=1)
    population_groups: list[PopulationGroup]
    scales: Scales

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        if [(p.number, p.key) for p in self.phases] != list(enumerate(PHASE_KEYS)):
            raise _fail("phases", {"expected": ", ".join(PHASE_KEYS)})
        _unique_codes([q for p in self.phases for q in p.questions], "key")
        _unique_codes(self.screening_criteria, "key")
        _unique_codes(self.impact_areas, "code")
        _unique_codes(self.population_groups, "code")
        return self

    # --- look-ups the services and the checks use ---------------------------------------

    def phase(self, key: str) -> Phase:
        return next(p for p in self.phases if p.key == key)

    @property
    def question_keys(self) -> set[str]:
        return {q.key for p in self.phases for q in p.questions}

    @property
    def area_codes(self) -> list[str]:
        return [a.code for a in self.impact_areas]

    @property
    def group_codes(self) -> set[str]:
        return {g.code for g in self.population_groups}

    @property
    def criterion_keys(self) -> set[str]:
        return {c.key for c in self.screening_criteria}

    def area(self, code: str) -> ImpactArea | None:
        return next((a for a in self.impact_areas if a.code == code), None)

    def scale_label(self, scale: str, code: str | None, lang: str = "fi") -> str:
        """The label of a scale value in a language ('' for no value)."""
        if code is None:
            return ""
        values: list[ScaleValue] = getattr(self.scales, scale)
        return next((v.label.get(lang) for v in values if v.code == code), code)

    def symbol(self, code: str | None) -> str:
        """The direction symbol people read (−, −−, ±) for a stored ASCII code."""
        if code is None:
            return ""
        return next((v.symbol for v in self.scales.direction if v.code == code), code)


# --- loading and validating a framework file ----------------------------------------------


@dataclass(frozen=True)
class FrameworkProblem:
    """One problem in a framework file: where (line and path) and what (message id + params)."""

    line: int
    path: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        where = f"line {self.line}" + (f", {self.path}" if self.path else "")
        return f"{where}: {self.message.format(**self.params)}"

    def as_problem(self) -> Problem:
        """As a registry problem (the field names the line), for ValidationFailed and the UI."""
        return Problem(
            field=self.path,
            message=N_("line {line}: {detail}"),
            params={"line": self.line, "detail": self.message.format(**self.params)},
        )


class FrameworkInvalid(RegistryError):
    """A framework file was refused; ``problems`` say where and why."""

    def __init__(self, problems: list[FrameworkProblem]) -> None:
        super().__init__("; ".join(p.render() for p in problems))
        self.problems = problems


def parse_framework(text: str) -> Framework:
    """Validate a framework file's text; FrameworkInvalid names the line of every problem."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = FrameworkProblem(
            exc.lineno,
            "",
            N_("the JSON is broken at column {column}: {reason}"),
            {"column": exc.colno, "reason": exc.msg},
        )
        raise FrameworkInvalid([problem]) from None
    try:
        return Framework.model_validate(raw)
    except ValidationError as exc:
        raise FrameworkInvalid(_located(text, exc)) from None


def _located(text: str, exc: ValidationError) -> list[FrameworkProblem]:
    lines = json_lines(text)
    problems = problems_from_validation_error(exc)
    result = []
    for problem, error in zip(problems, exc.errors(include_url=False), strict=True):
        path = tuple(error["loc"])
        message, params = problem.message, problem.params
        if error["type"] in _MESSAGES:
            message = _MESSAGES[error["type"]]
            params = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
        result.append(FrameworkProblem(line_for(lines, path), problem.field, message, params))
    return result


def framework_text(name: str) -> str:
    """The text of a framework file shipped with EVAUS (``default``, ``lava``)."""
    return resources.files(__package__).joinpath("frameworks", f"{name}.json").read_text("utf-8")


def builtin_framework_names() -> list[str]:
    folder = resources.files(__package__).joinpath("frameworks")
    return sorted(
        p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")
    )


@cache
def _parse_cached(text: str) -> Framework:
    return parse_framework(text)


def parse_framework_cached(text: str) -> Framework:
    """``parse_framework`` remembered by text: installed frameworks never change."""
    return _parse_cached(text)


def builtin_framework(name: str = "default") -> Framework:
    return parse_framework_cached(framework_text(name))
