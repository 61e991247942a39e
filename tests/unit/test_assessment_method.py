"""The method: completeness checks, progress, comparison (counts, never a score), ex-post."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from evaus.assessment import (
    AlternativeSummary,
    DirectionCounts,
    blocking,
    check,
    compare,
    compare_ex_post,
    diff,
    judge,
    progress,
)
from project_db.assessment_schemas import AssessmentDoc
from tests.assessment_docs import FRAMEWORK, NEW, ZERO, cell, complete_data, complete_doc


def _codes(doc: AssessmentDoc, severity: str = "blocking") -> list[str]:
    return [i.code for i in check(doc, FRAMEWORK) if i.severity == severity]


def test_a_complete_assessment_has_nothing_blocking() -> None:
    doc = complete_doc()
    assert blocking(check(doc, FRAMEWORK)) == []
    assert _codes(doc, "warning") == []


def test_blocking_problems_for_finishing_with_locations() -> None:
    data = complete_data()
    data["alternatives"] = data["alternatives"][:1]
    data["impacts"] = [i for i in data["impacts"] if i["alternative_key"] == ZERO]
    data["recommendation"] = {"alternative_key": None}
    data["risks"] = []
    assert _codes(AssessmentDoc.model_validate(data)) == ["no_alternative", "no_recommendation"]

    data = complete_data()
    data["impacts"] = [
        i for i in data["impacts"] if i["area"] != "economy" or i["alternative_key"] != NEW
    ]
    data["recommendation"]["reasoning"] = ""
    issues = blocking(check(AssessmentDoc.model_validate(data), FRAMEWORK))
    assert [(i.code, i.phase, i.area, i.alternative) for i in issues] == [
        ("impact_missing", 5, "economy", NEW),
        ("recommendation_reasoning", 7, None, NEW),
    ]
    assert issues[0].params["area"] == "Talous (kunta / hyvinvointialue)"
    sv = blocking(check(AssessmentDoc.model_validate(data), FRAMEWORK, "sv"))
    assert sv[0].params["area"] == "Ekonomi (kommun / välfärdsområde)"


def test_reasons_are_required_for_not_relevant_and_not_assessed() -> None:
    data = complete_data()
    data["areas"][2]["reason"] = ""  # equality: not relevant, no reason
    data["impacts"][0] = {
        "area": "wellbeing_health",
        "alternative_key": ZERO,
        "assessed": False,
        "not_assessed_reason": "",
    }
    assert _codes(AssessmentDoc.model_validate(data)) == ["area_reason", "not_assessed_reason"]
    data["areas"][2]["reason"] = "Ei koske"
    data["impacts"][0]["not_assessed_reason"] = "Tietoa ei ole"
    assert _codes(AssessmentDoc.model_validate(data)) == []


def test_screening_skipped_needs_a_reason_and_nothing_else() -> None:
    data: dict[str, Any] = {
        "title": "Viran täyttö",
        "framework_id": "default",
        "framework_version": 1,
        "alternatives": [{"key": ZERO, "is_zero": True, "name": "Nykytila jatkuu"}],
        "screening": {"needed": False, "criteria": ["post"], "reason": ""},
    }
    assert _codes(AssessmentDoc.model_validate(data)) == ["screening_reason"]
    data["screening"]["reason"] = "Viran täyttäminen: ei arvioida."
    assert _codes(AssessmentDoc.model_validate(data)) == []
    data["screening"] = {"needed": None}
    assert "screening_undecided" in _codes(AssessmentDoc.model_validate(data))


def test_warnings_while_drafting() -> None:
    data = complete_data()
    data["hearings"] = []
    data["follow_ups"] = []
    data["impacts"][1]["justification"] = ""
    data["risks"] = [
        {"description": "Rahoitus loppuu", "likelihood": "suuri", "consequence": "suuri"}
    ]
    warnings = _codes(AssessmentDoc.model_validate(data), "warning")
    assert warnings == ["no_hearing", "impact_justification", "risk_mitigation", "no_follow_up"]


def test_unknown_codes_are_blocking() -> None:
    data = complete_data()
    data["impacts"][0]["groups"] = ["martians"]
    assert _codes(AssessmentDoc.model_validate(data)) == ["unknown_group"]


def test_progress_per_phase() -> None:
    done = {p.key: (p.answered, p.required) for p in progress(complete_doc(), FRAMEWORK)}
    assert all(answered == required for answered, required in done.values())
    assert done["identification"] == (11, 11)
    assert done["assessment"] == (4, 4)  # 2 relevant areas × 2 alternatives

    data = complete_data()
    data["answers"] = {}
    data["areas"] = data["areas"][:3]
    data["impacts"] = data["impacts"][:1]
    state = {
        p.key: (p.answered, p.required)
        for p in progress(AssessmentDoc.model_validate(data), FRAMEWORK)
    }
    assert state["baseline"] == (0, 3)
    assert state["identification"] == (3, 11)
    assert state["assessment"] == (1, 2)  # only wellbeing_health is still marked relevant


def _summary(doc: AssessmentDoc, key: str) -> AlternativeSummary:
    return next(a for a in compare(doc, FRAMEWORK).alternatives if a.key == key)


def test_comparison_counts_by_area_and_in_total() -> None:
    data = complete_data(relevant=("wellbeing_health", "economy", "access", "equality"))
    data["impacts"] = [
        cell("wellbeing_health", NEW, "++"),
        cell("economy", NEW, "--", certainty="mahdollinen"),
        cell("access", NEW, "+-"),
        cell("equality", NEW, "?"),
        cell("wellbeing_health", ZERO, "0"),
    ]
    data["risks"] = [
        {
            "description": "A",
            "alternative_key": NEW,
            "likelihood": "suuri",
            "consequence": "kohtalainen",
        },
        {"description": "B", "alternative_key": NEW, "likelihood": "pieni", "consequence": "suuri"},
        {"description": "C", "likelihood": "suuri", "consequence": "suuri"},
    ]
    comparison = compare(AssessmentDoc.model_validate(data), FRAMEWORK)
    new = next(a for a in comparison.alternatives if a.key == NEW)
    assert comparison.areas == ["wellbeing_health", "equality", "access", "economy"]
    assert new.by_area["wellbeing_health"].positive == 1
    assert new.by_area["wellbeing_health"].clearly_positive == 1
    assert new.by_area["economy"].negative == 1
    assert (new.total.positive, new.total.negative, new.total.mixed, new.total.uncertain) == (
        1,
        1,
        1,
        1,
    )
    assert new.uncertainties == 2  # direction ? and certainty mahdollinen
    assert (new.risks, new.high_risks, comparison.general_risks) == (2, 1, 1)
    assert new.cost_per_year == Decimal("1000") and new.recommended
    zero = next(a for a in comparison.alternatives if a.key == ZERO)
    assert zero.total.no_impact == 1 and zero.total.not_assessed == 3


def test_no_fake_total_ordinal_scores_are_never_summed() -> None:
    """'++' and '−−' are one positive and one negative impact side by side: never a net score."""
    data = complete_data(relevant=("wellbeing_health", "economy"))
    data["impacts"] = [cell("wellbeing_health", NEW, "++"), cell("economy", NEW, "--")]
    summary = _summary(AssessmentDoc.model_validate(data), NEW)
    counts = summary.total.model_dump()
    assert counts["positive"] == 1 and counts["negative"] == 1
    # Counts only: "++" counts as one positive, exactly like "+" (no weight 2, no net 0).
    data["impacts"] = [cell("wellbeing_health", NEW, "+"), cell("economy", NEW, "-")]
    plain = _summary(AssessmentDoc.model_validate(data), NEW).total
    assert (plain.positive, plain.negative) == (counts["positive"], counts["negative"])
    # No field anywhere carries a sum of scale values.
    names = set(AlternativeSummary.model_fields) | set(DirectionCounts.model_fields)
    assert not {n for n in names if any(w in n for w in ("score", "net", "sum", "points", "index"))}
    assert all(isinstance(v, int) and v >= 0 for v in counts.values())


def test_ex_post_judgements() -> None:
    assert judge("+", "kohtalainen", "+", "kohtalainen")[0] == "held"
    assert judge("+", None, "+", "suuri")[0] == "held"
    assert judge("+", "pieni", "+", "suuri")[0] == "partly"
    assert judge("+", None, "++", None)[0] == "partly"
    assert judge("+", None, "-", None)[0] == "missed"
    assert judge("0", None, "--", None)[0] == "missed"
    assert judge("+", None, "+-", None)[0] == "partly"
    assert judge("?", None, "+", None)[0] == "partly"
    assert judge("+", None, None, None)[0] == "not_followed"


def test_ex_post_comparison_of_the_chosen_alternative() -> None:
    data = complete_data(relevant=("wellbeing_health", "economy", "access"))
    data["impacts"] = [
        cell(
            "wellbeing_health", NEW, "+", ex_post={"direction": "+", "evidence": "Terveys kohentui"}
        ),
        cell("economy", NEW, "+", ex_post={"direction": "-"}),
        cell("access", NEW, "++"),
        cell("access", ZERO, "0", ex_post={"direction": "-"}),  # not the chosen one: ignored
    ]
    data |= {"status": "jalkiarvioitu", "chosen_key": NEW, "ex_post_summary": "Osin"}
    result = compare_ex_post(AssessmentDoc.model_validate(data), FRAMEWORK)
    assert result.alternative_key == NEW
    assert [(i.area, i.outcome) for i in result.impacts] == [
        ("wellbeing_health", "held"),
        ("access", "not_followed"),
        ("economy", "missed"),
    ]
    assert result.impacts[0].evidence == "Terveys kohentui"
    assert result.verdict == "differed"
    assert result.verdict_message.format(**result.verdict_params) == (
        "The outcome differed from the assessment in 1 of 2 impacts."
    )
    assert result.summary == "Osin"

    data["impacts"][1]["ex_post"] = {"direction": "+"}
    data["impacts"][2]["ex_post"] = {"direction": "++"}
    assert compare_ex_post(AssessmentDoc.model_validate(data), FRAMEWORK).verdict == "matched"
    draft = AssessmentDoc.model_validate(complete_data())
    assert compare_ex_post(draft, FRAMEWORK).verdict == "no_chosen"


def test_version_diff_matches_parts_by_key() -> None:
    old = complete_doc()
    data = old.model_dump()
    data["answers"]["needs"] = "Uusi tarve"
    data["impacts"][1]["direction"] = "++"
    data["alternatives"][1]["name"] = "Palvelukeskus 2"
    changes = {
        (c.part, c.ident, c.field): (c.old, c.new)
        for c in diff(old, AssessmentDoc.model_validate(data))
    }
    assert changes == {
        ("answer", "needs", "text"): ("Vastaus", "Uusi tarve"),
        ("impact", f"wellbeing_health/{NEW}", "direction"): ("+", "++"),
        ("alternative", NEW, "name"): ("Yhteinen palvelukeskus", "Palvelukeskus 2"),
    }
