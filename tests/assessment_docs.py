"""Assessment documents for the tests: a complete one that may be finished, and variations."""

from __future__ import annotations

from typing import Any

from evaus.assessment import builtin_framework
from project_db.assessment_schemas import AssessmentDoc

FRAMEWORK = builtin_framework("default")
ZERO, NEW = "alt-0", "alt-1"


def cell(area: str, alternative: str, direction: str = "+", **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "area": area,
        "alternative_key": alternative,
        "direction": direction,
        "size": "kohtalainen",
        "time_span": "keskipitka",
        "certainty": "todennakoinen",
        "groups": ["service_clients"],
        "justification": "Perustelu",
    }
    return values | extra


def complete_data(relevant: tuple[str, ...] = ("wellbeing_health", "economy")) -> dict[str, Any]:
    """A document with nothing blocking: two alternatives, every area decided, cells filled."""
    areas = [
        {"area": code, "relevant": code in relevant, "reason": "Syy"}
        for code in FRAMEWORK.area_codes
    ]
    impacts = [cell(a, alt, "0" if alt == ZERO else "+") for a in relevant for alt in (ZERO, NEW)]
    return {
        "title": "Palvelukeskus",
        "framework_id": "default",
        "framework_version": 1,
        "screening": {"needed": True, "criteria": ["specific_group"], "reason": ""},
        "answers": {q.key: "Vastaus" for p in FRAMEWORK.phases for q in p.questions if q.required},
        "alternatives": [
            {"key": ZERO, "is_zero": True, "name": "Nykytila jatkuu", "description": "Nyt"},
            {
                "key": NEW,
                "name": "Yhteinen palvelukeskus",
                "description": "Uusi",
                "cost_per_year": "1000",
            },
        ],
        "areas": areas,
        "crossing_impacts": "Kasautuvat",
        "impacts": impacts,
        "risks": [
            {
                "description": "Tilat viivästyvät",
                "alternative_key": NEW,
                "likelihood": "pieni",
                "consequence": "kohtalainen",
                "mitigation": "Väistötilat",
            }
        ],
        "hearings": [{"group": "Asiakkaat", "method": "Kysely"}],
        "recommendation": {
            "alternative_key": NEW,
            "reasoning": "Parempi",
            "trade_offs": "Kustannus",
            "uncertainties": "Rahoitus",
        },
        "follow_ups": [{"name": "Asiakasmäärä"}],
        "ex_post_date": "2027-01-01",
    }


def complete_doc(**changes: Any) -> AssessmentDoc:
    return AssessmentDoc.model_validate(complete_data() | changes)
