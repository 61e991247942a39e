"""Comparing assessment versions: each version's own ex-ante values, the ex-post apart."""

from __future__ import annotations

import re

from evaus.assessment import builtin_framework, diff
from evaus.demo import demo_assessment_entries
from evaus.labels import Vocabulary, compared_rows
from evaus.services.assessments import new_version_from
from project_db.assessment_schemas import AssessmentDoc, ExPostIn

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _hanska() -> AssessmentDoc:
    entry = next(e for e in demo_assessment_entries() if "Hanska" in e["doc"]["title"])
    return AssessmentDoc.model_validate(entry["doc"])


def test_a_new_version_compares_its_assessment_with_the_assessment_of_v1() -> None:
    first = _hanska()
    assert first.status == "jalkiarvioitu"
    evaluated = [i for i in first.impacts if i.ex_post is not None]
    assert evaluated, "the demo assessment has ex-post entries"
    # The realised values differ from the assessed ones in the demo: the case that misled.
    assert any(i.ex_post and i.ex_post.evidence != i.evidence for i in evaluated)

    second = new_version_from(first)
    changes = diff(first, second)
    # The new version assessed every impact as v1 did: no impact changed ex ante.
    assert [c for c in changes if c.part == "impact"] == []
    realised = [c for c in changes if c.part == "ex_post"]
    impact = evaluated[0]
    ident = f"{impact.area}/{impact.alternative_key}"
    assert impact.ex_post is not None
    assert (ident, "ex_post_evidence", impact.ex_post.evidence, None) in [
        (c.ident, c.field, c.old, c.new) for c in realised
    ]


def test_the_before_column_shows_what_v1_assessed_not_what_was_realised() -> None:
    first = _hanska()
    framework = builtin_framework()
    second = new_version_from(first)
    impact = next(i for i in second.impacts if first_ex_post(first, i.area, i.alternative_key))
    original = next(
        i
        for i in first.impacts
        if (i.area, i.alternative_key) == (impact.area, impact.alternative_key)
    )
    realised = first_ex_post(first, impact.area, impact.alternative_key)
    assert realised is not None
    impact.direction = "-" if original.direction != "-" else "+"
    impact.evidence = "Uusi lähde"

    vocab = Vocabulary(lang="fi", framework=framework)
    rows = compared_rows(diff(first, second), [first, second], vocab)
    assessed = [r for r in rows if not r.realised]
    direction = next(r for r in assessed if r.field == "Suunta")
    assert direction.before == (
        f"{framework.scale_label('direction', original.direction, 'fi')} "
        f"({framework.symbol(original.direction)})"
    )
    evidence = next(r for r in assessed if r.field == "Näyttö")
    assert evidence.before == original.evidence
    assert evidence.before != realised.evidence
    assert evidence.after == "Uusi lähde"
    area = framework.area(impact.area)
    assert area is not None
    assert direction.which.startswith(area.name.get("fi"))

    ex_post = [r for r in rows if r.realised]
    assert ex_post and all(r.part == "Toteutunut vaikutus" for r in ex_post)
    assert any(r.before == realised.evidence and r.after == "" for r in ex_post)
    status = next(r for r in assessed if r.field == "Tila")
    assert (status.before, status.after) == ("jälkiarvioitu", "luonnos")

    internal = {
        "organisation",
        "decision_date",
        "chosen_key",
        "ex_post_summary",
        "indicator_values",
    }
    for row in rows:
        for text in (row.part, row.which, row.field, row.before, row.after):
            assert text not in internal
            assert not UUID.search(text), text
            assert not ISO_DATE.search(text), text
            assert "jalkiarvioitu" not in text


def first_ex_post(doc: AssessmentDoc, area: str, key: str) -> ExPostIn | None:
    return next(
        (i.ex_post for i in doc.impacts if (i.area, i.alternative_key) == (area, key)), None
    )
