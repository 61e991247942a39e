"""What changed between two versions of an assessment: answers, alternatives, areas, impacts …

Parts are matched by what identifies them across versions (a new version keeps the keys of
its alternatives, risks and follow-ups), so an edited impact shows as old → new, not as a
removal and an addition.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from project_db.assessment_schemas import AssessmentDoc

Part = Literal[
    "assessment",
    "screening",
    "answer",
    "alternative",
    "area",
    "impact",
    "risk",
    "hearing",
    "recommendation",
    "follow_up",
]


class Change(BaseModel):
    part: Part
    ident: str  # question key, alternative key, area code, "area/alternative" …
    field: str | None  # None: the part was added or removed as a whole
    old: str | None
    new: str | None


_OWN = (
    "title",
    "decision",
    "preparers",
    "organisation",
    "decision_date",
    "ex_post_date",
    "crossing_impacts",
    "status",
    "chosen_key",
    "ex_post_summary",
)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _compare_fields(
    part: Part, ident: str, old: dict[str, Any], new: dict[str, Any]
) -> list[Change]:
    return [
        Change(
            part=part, ident=ident, field=name, old=_text(old.get(name)), new=_text(new.get(name))
        )
        for name in dict.fromkeys([*old, *new])
        if _text(old.get(name)) != _text(new.get(name))
    ]


def _compare_parts(
    part: Part, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[Change]:
    changes: list[Change] = []
    for ident in dict.fromkeys([*old, *new]):
        if part == "answer":  # an answer added or emptied is a change of its text
            changes += _compare_fields(part, ident, old.get(ident, {}), new.get(ident, {}))
        elif ident not in new:
            changes.append(Change(part=part, ident=ident, field=None, old=ident, new=None))
        elif ident not in old:
            changes.append(Change(part=part, ident=ident, field=None, old=None, new=ident))
        else:
            changes += _compare_fields(part, ident, old[ident], new[ident])
    return changes


_CELL = {"area", "alternative_key", "ex_post"}


def _parts(doc: AssessmentDoc) -> dict[Part, dict[str, dict[str, Any]]]:
    return {
        "assessment": {"": doc.model_dump(include=set(_OWN))},
        "screening": {"": doc.screening.model_dump()},
        "answer": {k: {"text": v} for k, v in doc.answers.items()},
        "alternative": {
            a.key: a.model_dump(exclude={"key", "key_figures"})
            | {"key_figures": str([t.model_dump() for t in a.key_figures])}
            for a in doc.alternatives
        },
        "area": {a.area: a.model_dump(exclude={"area"}) for a in doc.areas},
        "impact": {
            f"{i.area}/{i.alternative_key}": i.model_dump(
                exclude={"area", "alternative_key", "ex_post"}
            )
            | (i.ex_post.model_dump() if i.ex_post else {})
            for i in doc.impacts
        },
        "risk": {r.key: r.model_dump(exclude={"key"}) for r in doc.risks},
        "hearing": {h.key: h.model_dump(exclude={"key"}) for h in doc.hearings},
        "recommendation": {"": doc.recommendation.model_dump()},
        "follow_up": {f.key: f.model_dump(exclude={"key"}) for f in doc.follow_ups},
    }


def diff(old: AssessmentDoc, new: AssessmentDoc) -> list[Change]:
    """Every difference from ``old`` to ``new``, part by part."""
    old_parts, new_parts = _parts(old), _parts(new)
    changes: list[Change] = []
    for part in old_parts:
        changes += _compare_parts(part, old_parts[part], new_parts[part])
    return changes
