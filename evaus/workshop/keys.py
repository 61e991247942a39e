"""The keys that name a place in an assessment: a wizard step, a field, an answer, a matrix cell.

One namespace serves three purposes: where a participant is (presence), what a soft lock holds
and which fields a save changed. Parts are joined with ``/``, which no key of an assessment
holds (alternative, risk, hearing and follow-up keys are ``[A-Za-z0-9_.:-]``):

- ``step/3`` — a wizard step (presence only);
- ``title``, ``decision``, ``crossing_impacts`` … — an own field of the assessment;
- ``screening/needed``, ``recommendation/reasoning`` — a field of the screening or the
  recommendation;
- ``answers/<question key>``, ``areas/<area code>`` — an answer, an impact area's relevance;
- ``impacts/<area code>/<alternative key>`` — one cell of the impacts × alternatives matrix;
- ``alternatives/<key>``, ``risks/<key>``, ``hearings/<key>``, ``follow_ups/<key>`` — an item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from pydantic import BaseModel

from project_db.assessment_schemas import AssessmentDoc

SEP = "/"


def step_key(number: int) -> str:
    return f"step{SEP}{number}"


def answer_key(question_key: str) -> str:
    return f"answers{SEP}{question_key}"


def area_key(area: str) -> str:
    return f"areas{SEP}{area}"


def cell_key(area: str, alternative_key: str) -> str:
    """One matrix cell: impact area × alternative."""
    return f"impacts{SEP}{area}{SEP}{alternative_key}"


def item_key(section: str, key: str) -> str:
    """An alternative, risk, hearing or follow-up by its key."""
    return f"{section}{SEP}{key}"


def field_key(name: str, sub: str | None = None) -> str:
    """An own field (``title``) or a field of the screening or recommendation."""
    return name if sub is None else f"{name}{SEP}{sub}"


def _keyed(
    old: Iterable[Any], new: Iterable[Any], key: Callable[[Any], str], name: Callable[[str], str]
) -> list[str]:
    before = {key(x): x for x in old}
    after = {key(x): x for x in new}
    names = [k for k in after if before.get(k) != after[k]]
    names += [k for k in before if k not in after]
    return [name(k) for k in names]


def changed_keys(old: AssessmentDoc, new: AssessmentDoc) -> list[str]:
    """The keys of everything that differs between two versions of a document, in the order of
    the document's fields; empty when nothing changed."""
    if old == new:
        return []
    found: list[str] = []
    for name in type(new).model_fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            # A change that names no item (the order of the items) names the whole part.
            found += _parts(name, before, after) or [field_key(name)]
    return found


def _parts(name: str, before: Any, after: Any) -> list[str]:
    """The keys of the items or fields that differ within one part of the document."""
    if name == "answers":
        return [
            answer_key(k) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)
        ]
    if name == "areas":
        return _keyed(before, after, lambda a: a.area, area_key)
    if name == "impacts":
        return _keyed(
            before,
            after,
            lambda i: f"{i.area}{SEP}{i.alternative_key}",
            lambda k: f"impacts{SEP}{k}",
        )
    if name in ("alternatives", "risks", "hearings", "follow_ups"):
        return _keyed(before, after, lambda x: x.key, partial(item_key, name))
    if isinstance(after, BaseModel) and isinstance(before, BaseModel):
        return [
            field_key(name, sub)
            for sub in type(after).model_fields
            if getattr(before, sub) != getattr(after, sub)
        ]
    return []
