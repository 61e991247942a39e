"""What changed between two versions of an assessment: answers, alternatives, areas, impacts …

Parts are matched by what identifies them across versions (a new version keeps the keys of
its alternatives, risks and follow-ups), so an edited impact shows as old → new, not as a
removal and an addition.

What an impact was assessed to be (ex ante) and what was realised (ex post) are different
things stored side by side on the same impact: they are compared as different parts, never
mixed — a version's assessed direction is its own, not the realised one of an evaluation.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
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
    "ex_post",  # what was realised: the evaluation after implementation, kept apart
]

# The table each part is stored in: a change's field is that table's column, so the change
# history and the version comparison name fields with the same labels (``evaus.labels``).
PART_TABLES: dict[Part, str] = {
    "assessment": "assessment",
    "screening": "assessment",
    "answer": "assessment_answer",
    "alternative": "assessment_alternative",
    "area": "assessment_area",
    "impact": "assessment_impact",
    "risk": "assessment_risk",
    "hearing": "assessment_hearing",
    "recommendation": "assessment",
    "follow_up": "assessment_follow_up",
    "ex_post": "assessment_impact",
}


class Change(BaseModel):
    part: Part
    ident: str  # question key, alternative key, area code, "area/alternative" …
    field: str | None  # the stored column; None: the part was added or removed as a whole
    old: str | None  # values as the audit log writes them (ISO dates, true/false, JSON lists)
    new: str | None

    @property
    def table(self) -> str:
        return PART_TABLES[self.part]


# The assessment's own fields as assessed (ex ante); the ex-post ones are in ``_OWN_EX_POST``.
_OWN = (
    "title",
    "decision",
    "preparers",
    "organisation",
    "decision_date",
    "crossing_impacts",
    "status",
    "chosen_key",
)
_OWN_EX_POST = ("ex_post_date", "ex_post_summary")
# Document field → stored column, where they differ.
_COLUMNS = {
    "screening": {
        "needed": "screening_needed",
        "criteria": "screening_criteria",
        "reason": "screening_reason",
    },
    "recommendation": {
        "alternative_key": "recommended_key",
        "reasoning": "recommendation_reasoning",
    },
    "hearing": {"group": "group_name"},
    "ex_post": {
        "direction": "realised_direction",
        "size": "realised_size",
        "evidence": "ex_post_evidence",
        "indicator_values": "ex_post_values",
        "note": "ex_post_note",
    },
}


def _text(value: Any) -> str | None:
    """A value in the audit log's text form (``project_db.audit``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _compare_fields(
    part: Part, ident: str, old: dict[str, Any], new: dict[str, Any]
) -> list[Change]:
    columns = _COLUMNS.get(part, {})
    return [
        Change(
            part=part,
            ident=ident,
            field=columns.get(name, name),
            old=_text(old.get(name)),
            new=_text(new.get(name)),
        )
        for name in dict.fromkeys([*old, *new])
        if _text(old.get(name)) != _text(new.get(name))
    ]


def _compare_parts(
    part: Part, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[Change]:
    changes: list[Change] = []
    for ident in dict.fromkeys([*old, *new]):
        if part in ("answer", "ex_post"):  # added or emptied: a change of its fields
            changes += _compare_fields(part, ident, old.get(ident, {}), new.get(ident, {}))
        elif ident not in new:
            changes.append(Change(part=part, ident=ident, field=None, old=ident, new=None))
        elif ident not in old:
            changes.append(Change(part=part, ident=ident, field=None, old=None, new=ident))
        else:
            changes += _compare_fields(part, ident, old[ident], new[ident])
    return changes


def _impact_ident(area: str, alternative_key: str) -> str:
    return f"{area}/{alternative_key}"


def _parts(doc: AssessmentDoc) -> dict[Part, dict[str, dict[str, Any]]]:
    ex_post: dict[str, dict[str, Any]] = {}
    if any(getattr(doc, name) for name in _OWN_EX_POST):
        ex_post[""] = doc.model_dump(include=set(_OWN_EX_POST))
    for i in doc.impacts:
        if i.ex_post is not None:
            ex_post[_impact_ident(i.area, i.alternative_key)] = i.ex_post.model_dump()
    return {
        "assessment": {"": doc.model_dump(include=set(_OWN))},
        "screening": {"": doc.screening.model_dump()},
        "answer": {k: {"text": v} for k, v in doc.answers.items()},
        "alternative": {
            a.key: a.model_dump(exclude={"key", "key_figures"})
            | {"key_figures": [t.model_dump() for t in a.key_figures]}
            for a in doc.alternatives
        },
        "area": {a.area: a.model_dump(exclude={"area"}) for a in doc.areas},
        # As assessed ex ante only: the realised values are the "ex_post" part.
        "impact": {
            _impact_ident(i.area, i.alternative_key): i.model_dump(
                exclude={"area", "alternative_key", "ex_post"}
            )
            for i in doc.impacts
        },
        "risk": {r.key: r.model_dump(exclude={"key"}) for r in doc.risks},
        "hearing": {h.key: h.model_dump(exclude={"key"}) for h in doc.hearings},
        "recommendation": {"": doc.recommendation.model_dump()},
        "follow_up": {f.key: f.model_dump(exclude={"key"}) for f in doc.follow_ups},
        "ex_post": ex_post,
    }


def diff(old: AssessmentDoc, new: AssessmentDoc) -> list[Change]:
    """Every difference from ``old`` to ``new``, part by part; what was assessed (ex ante) in
    the parts ``assessment`` … ``follow_up``, what was realised in the part ``ex_post``."""
    old_parts, new_parts = _parts(old), _parts(new)
    changes: list[Change] = []
    for part in old_parts:
        changes += _compare_parts(part, old_parts[part], new_parts[part])
    return changes
