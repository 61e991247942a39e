"""Typed edits of an assessment document: each is a pure ``AssessmentDoc -> AssessmentDoc``.

An edit never touches a database: it takes the current document, returns a changed copy
(``model_copy``: the parts it does not change are shared, not copied) or raises
``ValidationFailed`` / ``NotFound`` for what the method forbids (deleting the 0-alternative,
an impact of an unknown alternative …). The services load the document once, apply the edit,
validate the result and write back only the parts that differ.

``statuses`` says in which statuses of the assessment an edit is allowed: the wizard's edits
only in a draft, the decision in a finished one, the ex-post entries after the decision.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Literal, Protocol

from project_db.assessment_schemas import (
    RATINGS,
    AlternativeIn,
    AreaIn,
    AssessmentDoc,
    AssessmentFields,
    ExPostIn,
    FollowUpIn,
    HearingIn,
    ImpactFields,
    ImpactIn,
    RecommendationIn,
    RiskIn,
    ScreeningIn,
)
from project_db.errors import N_, NotFound, Problem, ValidationFailed

from .checks import Issue, blocking, check
from .framework import Framework

DRAFT: frozenset[str] = frozenset({"luonnos"})
DECIDED: frozenset[str] = frozenset({"paatetty", "jalkiarvioitu"})

RATING_LABELS = {
    "saavutettu": N_("achieved"),
    "paaosin": N_("mostly achieved"),
    "osittain": N_("partly achieved"),
    "ei": N_("not achieved"),
}

STATUS_LABELS = {
    "luonnos": N_("draft"),
    "valmis": N_("finished"),
    "paatetty": N_("decided"),
    "jalkiarvioitu": N_("evaluated ex post"),
}

Section = Literal["risks", "hearings", "follow_ups"]
Part = RiskIn | HearingIn | FollowUpIn
PART_MODELS: dict[str, type[Part]] = {
    "risks": RiskIn,
    "hearings": HearingIn,
    "follow_ups": FollowUpIn,
}


class AssessmentFrozen(ValidationFailed):
    """The assessment is finished: edits are refused; a new version can be made."""

    def __init__(self, status: str) -> None:
        super().__init__(
            [
                Problem(
                    field="",
                    message=N_(
                        "The assessment is {status} and can no longer be edited: "
                        "make a new version to change it."
                    ),
                    params={"status": STATUS_LABELS.get(status, status)},
                )
            ]
        )
        self.status = status


class AssessmentIncomplete(ValidationFailed):
    """Finishing was refused: ``issues`` are the blocking problems with their locations."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__([Problem(field="", message=i.message, params=i.params) for i in issues])
        self.issues = issues


def refuse(field: str, message: str, **params: Any) -> ValidationFailed:
    return ValidationFailed([Problem(field=field, message=message, params=params)])


class Edit(Protocol):
    """One change to an assessment document."""

    statuses: ClassVar[frozenset[str]]

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc: ...


# --- the own fields, answers, screening -----------------------------------------------------


@dataclass(frozen=True)
class UpdateFields:
    """Some of the own fields: title, decision, preparers, organisation, dates."""

    values: Mapping[str, Any]
    statuses: ClassVar[frozenset[str]] = DRAFT

    def __post_init__(self) -> None:
        unknown = sorted(set(self.values) - set(AssessmentFields.model_fields))
        if unknown:
            raise refuse(unknown[0], N_("is not a known field"))

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        return doc.model_copy(update=dict(self.values))


@dataclass(frozen=True)
class SetAnswer:
    """One answer; an empty text removes it."""

    question_key: str
    text: str
    statuses: ClassVar[frozenset[str]] = DRAFT

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        answers = dict(doc.answers)
        if self.text.strip():
            answers[self.question_key] = self.text
        else:
            answers.pop(self.question_key, None)
        return doc.model_copy(update={"answers": answers})


@dataclass(frozen=True)
class SetScreening:
    """Phase 0: needed / not needed (with the reason) / undecided (``None``)."""

    screening: ScreeningIn
    statuses: ClassVar[frozenset[str]] = DRAFT

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        return doc.model_copy(update={"screening": self.screening})


# --- alternatives -------------------------------------------------------------------------


@dataclass(frozen=True)
class UpsertAlternative:
    """Add an alternative or change the one with the same key; the 0-alternative stays the
    0-alternative and a new one is never it."""

    alternative: AlternativeIn
    statuses: ClassVar[frozenset[str]] = DRAFT

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        items = list(doc.alternatives)
        index = _index(items, self.alternative.key)
        is_zero = False if index is None else items[index].is_zero
        _put(items, index, self.alternative.model_copy(update={"is_zero": is_zero}))
        return doc.model_copy(update={"alternatives": items})


@dataclass(frozen=True)
class DeleteAlternative:
    """Remove an alternative. When impacts refer to it, ``impacts`` says whether they move to
    ``move_to`` or are deleted. Its risks move along or become general risks; a
    recommendation or decision on it is cleared. The 0-alternative is never deleted."""

    key: str
    impacts: Literal["move_to", "delete"] | None = None
    move_to: str | None = None
    statuses: ClassVar[frozenset[str]] = DRAFT

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        alt = doc.alternative(self.key)
        if alt is None:
            raise NotFound("alternative", self.key)
        if alt.is_zero:
            raise refuse("alternatives", N_("The 0-alternative cannot be deleted."))
        own = [i for i in doc.impacts if i.alternative_key == self.key]
        if own and self.impacts is None:
            raise refuse(
                "impacts",
                N_(
                    "Alternative {name} has {count} assessed impacts: choose whether they "
                    "move to another alternative or are deleted."
                ),
                name=alt.name,
                count=len(own),
            )
        target = self._target(doc)
        if target is not None:
            taken = {i.area for i in doc.impacts if i.alternative_key == target}
            clash = [i.area for i in own if i.area in taken]
            if clash:
                raise refuse(
                    "move_to",
                    N_("The other alternative already has an impact in impact area {area}."),
                    area=clash[0],
                )
            impacts = [
                i.model_copy(update={"alternative_key": target})
                if i.alternative_key == self.key
                else i
                for i in doc.impacts
            ]
        else:
            impacts = [i for i in doc.impacts if i.alternative_key != self.key]
        risks = [
            r.model_copy(update={"alternative_key": target}) if r.alternative_key == self.key else r
            for r in doc.risks
        ]
        recommendation = doc.recommendation
        if recommendation.alternative_key == self.key:
            recommendation = recommendation.model_copy(update={"alternative_key": None})
        return doc.model_copy(
            update={
                "alternatives": [a for a in doc.alternatives if a.key != self.key],
                "impacts": impacts,
                "risks": risks,
                "recommendation": recommendation,
                "chosen_key": None if doc.chosen_key == self.key else doc.chosen_key,
            }
        )

    def _target(self, doc: AssessmentDoc) -> str | None:
        if self.impacts != "move_to":
            return None
        move_to = self.move_to
        if move_to is None or move_to == self.key or doc.alternative(move_to) is None:
            raise refuse("move_to", N_("Choose another alternative to move the impacts to."))
        return move_to


# --- impact areas and the matrix ------------------------------------------------------------


@dataclass(frozen=True)
class SetAreaRelevance:
    """Phase 4: an impact area relevant / not relevant (``None`` = undecided) with a reason."""

    area: str
    relevant: bool | None
    reason: str = ""
    statuses: ClassVar[frozenset[str]] = DRAFT

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        value = AreaIn.model_construct(area=self.area, relevant=self.relevant, reason=self.reason)
        items = list(doc.areas)
        _put(items, _find(items, lambda a: a.area == self.area), value)
        return doc.model_copy(update={"areas": items})


@dataclass(frozen=True)
class SetCrossingImpacts:
    """Phase 4: the note on crossing and cumulative impacts across areas."""

    text: str
    statuses: ClassVar[frozenset[str]] = DRAFT

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        return doc.model_copy(update={"crossing_impacts": self.text})


@dataclass(frozen=True)
class SetImpact:
    """One matrix cell (impact area × alternative); ``fields=None`` empties the cell. An
    ex-post entry already recorded in the cell is kept."""

    area: str
    alternative_key: str
    fields: ImpactFields | None
    statuses: ClassVar[frozenset[str]] = DRAFT

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        if doc.alternative(self.alternative_key) is None:
            raise NotFound("alternative", self.alternative_key)
        items = list(doc.impacts)
        index = _find(
            items, lambda x: x.area == self.area and x.alternative_key == self.alternative_key
        )
        if self.fields is None:
            if index is not None:
                items.pop(index)
            return doc.model_copy(update={"impacts": items})
        ex_post = None if index is None else items[index].ex_post
        value = ImpactIn.model_construct(
            **dict(self.fields),
            area=self.area,
            alternative_key=self.alternative_key,
            ex_post=ex_post,
        )
        _put(items, index, value)
        return doc.model_copy(update={"impacts": items})


# --- risks, hearings, follow-ups: keyed parts -------------------------------------------------


@dataclass(frozen=True)
class UpsertPart:
    """Add a risk, hearing or follow-up, or change the one with the same key."""

    section: Section
    item: Part
    statuses: ClassVar[frozenset[str]] = DRAFT

    def __post_init__(self) -> None:
        if not isinstance(self.item, PART_MODELS[self.section]):
            raise TypeError(f"{self.section} holds {PART_MODELS[self.section].__name__}")

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        items: list[Any] = list(getattr(doc, self.section))
        _put(items, _index(items, self.item.key), self.item)
        return doc.model_copy(update={self.section: items})


@dataclass(frozen=True)
class DeletePart:
    """Remove the risk, hearing or follow-up with this key."""

    section: Section
    key: str
    statuses: ClassVar[frozenset[str]] = DRAFT

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        items: list[Any] = getattr(doc, self.section)
        if _index(items, self.key) is None:
            raise NotFound(self.section, self.key)
        return doc.model_copy(update={self.section: [x for x in items if x.key != self.key]})


@dataclass(frozen=True)
class SetRecommendation:
    """Phase 7: the recommended alternative, its reasoning, trade-offs and uncertainties."""

    recommendation: RecommendationIn
    statuses: ClassVar[frozenset[str]] = DRAFT

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        return doc.model_copy(update={"recommendation": self.recommendation})


# --- status: finish, decide, ex-post ----------------------------------------------------------


@dataclass(frozen=True)
class Finish:
    """luonnos → valmis when the framework's checks find no blocking problem (else
    ``AssessmentIncomplete``). The services fill in the assessment's framework."""

    framework: Framework | None = None
    lang: str = "fi"
    statuses: ClassVar[frozenset[str]] = DRAFT

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        if self.framework is None:
            raise ValueError("Finish needs the assessment's framework")
        problems = blocking(check(doc, self.framework, self.lang))
        if problems:
            raise AssessmentIncomplete(problems)
        return doc.model_copy(update={"status": "valmis"})


@dataclass(frozen=True)
class Approve:
    """The sign-off of a finished assessment: who approved it (their name) and when. The
    status stays "valmis"; the services check that the approver is not its preparer."""

    approver: str
    at: datetime
    statuses: ClassVar[frozenset[str]] = frozenset({"valmis"})

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        if doc.approved_at is not None:
            raise refuse("", N_("The assessment has already been approved."))
        if not self.approver.strip():
            raise refuse("approved_by", N_("is required"))
        return doc.model_copy(update={"approved_by": self.approver, "approved_at": self.at})


@dataclass(frozen=True)
class MarkDecided:
    """valmis → päätetty: decided on ``chosen_key`` (by default the recommended one), with
    the planned date of the ex-post check (a due item until the ex-post is completed)."""

    decision_date: date
    chosen_key: str | None = None
    ex_post_date: date | None = None
    statuses: ClassVar[frozenset[str]] = frozenset({"valmis"})

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        chosen = self.chosen_key or doc.recommendation.alternative_key
        if chosen is None:
            raise refuse("chosen_key", N_("Choose the alternative that was decided on."))
        if self.ex_post_date is not None and self.ex_post_date < self.decision_date:
            raise refuse("ex_post_date", N_("must not be before the decision date"))
        update: dict[str, Any] = {
            "status": "paatetty",
            "decision_date": self.decision_date,
            "chosen_key": chosen,
        }
        if self.ex_post_date is not None:
            update["ex_post_date"] = self.ex_post_date
        return doc.model_copy(update=update)


@dataclass(frozen=True)
class SetExPost:
    """What actually happened to the chosen alternative's impact in an area (``None``
    removes the entry)."""

    area: str
    ex_post: ExPostIn | None
    statuses: ClassVar[frozenset[str]] = DECIDED

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        items = list(doc.impacts)
        index = _find(items, lambda x: x.area == self.area and x.alternative_key == doc.chosen_key)
        if index is None or not items[index].assessed:
            raise refuse(
                "ex_post",
                N_("The chosen alternative has no assessed impact in impact area {area}."),
                area=self.area,
            )
        items[index] = items[index].model_copy(update={"ex_post": self.ex_post})
        return doc.model_copy(update={"impacts": items})


@dataclass(frozen=True)
class SetExPostRatings:
    """The ex-post ratings (saavutettu / pääosin / osittain / ei saavutettu, ``None`` = not
    rated): ``follow_ups`` by follow-up key, ``overall`` for the whole."""

    follow_ups: Mapping[str, str | None]
    overall: str | None = None
    statuses: ClassVar[frozenset[str]] = DECIDED

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        keys = {f.key for f in doc.follow_ups}
        for key, rating in self.follow_ups.items():
            if key not in keys:
                raise NotFound("follow_ups", key)
            _check_rating(f"follow_ups.{key}.ex_post_rating", rating)
        _check_rating("ex_post_rating", self.overall)
        items = [
            f.model_copy(update={"ex_post_rating": self.follow_ups[f.key]})
            if f.key in self.follow_ups
            else f
            for f in doc.follow_ups
        ]
        return doc.model_copy(update={"follow_ups": items, "ex_post_rating": self.overall})


def _check_rating(field: str, rating: str | None) -> None:
    if rating is not None and rating not in RATINGS:
        raise refuse(field, N_("is not a known rating: {rating}"), rating=rating)


@dataclass(frozen=True)
class CompleteExPost:
    """The overall ex-post summary: päätetty → jälkiarvioitu (the summary stays editable)."""

    summary: str
    ex_post_date: date
    statuses: ClassVar[frozenset[str]] = DECIDED

    def apply(self, doc: AssessmentDoc) -> AssessmentDoc:
        if not self.summary.strip():
            raise refuse("ex_post_summary", N_("is required"))
        return doc.model_copy(
            update={
                "status": "jalkiarvioitu",
                "ex_post_summary": self.summary,
                "ex_post_date": self.ex_post_date,
            }
        )


def _find(items: Sequence[Any], match: Callable[[Any], bool]) -> int | None:
    """The position of the first item that ``match`` accepts, ``None`` when there is none."""
    return next((i for i, x in enumerate(items) if match(x)), None)


def _index(items: Sequence[Any], key: str) -> int | None:
    return _find(items, lambda x: x.key == key)


def _put(items: list[Any], index: int | None, value: Any) -> None:
    """Replace the item at ``index`` with ``value``, or append it when ``index`` is ``None``."""
    if index is None:
        items.append(value)
    else:
        items[index] = value


__all__ = [
    "DECIDED",
    "DRAFT",
    "PART_MODELS",
    "RATING_LABELS",
    "STATUS_LABELS",
    "Approve",
    "AssessmentFrozen",
    "AssessmentIncomplete",
    "CompleteExPost",
    "DeleteAlternative",
    "DeletePart",
    "Edit",
    "Finish",
    "MarkDecided",
    "SetAnswer",
    "SetAreaRelevance",
    "SetCrossingImpacts",
    "SetExPost",
    "SetExPostRatings",
    "SetImpact",
    "SetRecommendation",
    "SetScreening",
    "UpdateFields",
    "UpsertAlternative",
    "UpsertPart",
]
