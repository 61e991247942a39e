"""Assessments with many alternatives, made through the assessment services, for the EVAUS
report's tests (and to look at the report's pages)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from evaus.services import assessments as svc
from evaus.services.access import Actor, local_admin
from project_db.assessment_schemas import AlternativeIn

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

# Long names on purpose: side by side in a chart or a table they must not overlap.
ALTERNATIVE_NAMES = (
    "Kotiin tukemisen tiimit koko maakuntaan ja oma tuotanto",
    "Ostopalvelujen kilpailutus uudelleen alueittain",
    "Yhteinen palvelukeskus kaupungin ja järjestöjen kanssa",
    "Asumisyksiköiden keskittäminen kolmelle paikkakunnalle",
    "Liikkuva matalan kynnyksen tiimi ja etäpalvelut",
    "Palvelusetelit asumispalveluihin",
    "Nuorten aikuisten oma asumisyksikkö",
)
RELEVANT = ("wellbeing_health", "equality", "access", "organisation_staff", "economy")
EXCLUDED = ("environment_climate",)
DIRECTIONS = ("+", "-", "++", "+-", "?", "--", "0")


def build_assessment(
    session: Session, actor: Actor, alternatives: int, *, decided: bool, title: str
) -> int:
    """An assessment with the 0-alternative and ``alternatives - 1`` others.

    ``decided``: every area decided and every cell assessed, finished and decided on.
    Otherwise a draft: two areas are left undecided and one relevant cell is empty.
    """
    view = svc.create_assessment(
        session,
        {"title": title, "decision": "Miten asumispalvelut järjestetään?"},
        actor=actor,
    )
    aid, version = view.id, view.version
    zero = view.doc.alternatives[0].key
    version = svc.set_screening(
        session,
        aid,
        needed=True,
        criteria=["specific_group", "service_network"],
        reason="Päätös muuttaa palveluverkkoa.",
        expected_version=version,
        actor=actor,
    )
    framework = svc.framework_of(session, aid, actor=READER)
    for phase in framework.phases:
        for question in phase.questions:
            version = svc.set_answer(
                session,
                aid,
                question.key,
                f"Vastaus: {question.label.get('fi')}.",
                expected_version=version,
                actor=actor,
            )
    keys = [zero]
    for name in ALTERNATIVE_NAMES[: alternatives - 1]:
        alternative = AlternativeIn(name=name, description=f"{name}.", cost_per_year=100000)
        version = svc.upsert_alternative(
            session, aid, alternative, expected_version=version, actor=actor
        )
        keys.append(alternative.key)
    undecided = set() if decided else {"children_families", "cooperation"}
    for code in framework.area_codes:
        if code in undecided:
            continue
        version = svc.set_area_relevance(
            session,
            aid,
            code,
            relevant=code not in EXCLUDED and code in RELEVANT,
            reason="Perustelu.",
            expected_version=version,
            actor=actor,
        )
    for row, code in enumerate(RELEVANT):
        for column, key in enumerate(keys):
            if not decided and (row, column) == (0, 1):
                continue  # one relevant cell left empty in the draft
            version = svc.set_impact(
                session,
                aid,
                code,
                key,
                {
                    "direction": "0" if key == zero else DIRECTIONS[(row + column) % 7],
                    "size": "kohtalainen",
                    "time_span": "keskipitka",
                    "certainty": "todennakoinen",
                    "justification": "Perustelu.",
                },
                expected_version=version,
                actor=actor,
            )
    version = svc.set_recommendation(
        session,
        aid,
        {
            "alternative_key": keys[1],
            "reasoning": "Paras vaihtoehto.",
            "trade_offs": "Kustannukset.",
            "uncertainties": "Rahoitus.",
        },
        expected_version=version,
        actor=actor,
    )
    version = svc.upsert_hearing(
        session,
        aid,
        {"group": "Asiakkaat", "method": "Kysely"},
        expected_version=version,
        actor=actor,
    )
    version = svc.upsert_follow_up(
        session, aid, {"name": "Asiakasmäärä"}, expected_version=version, actor=actor
    )
    if decided:
        version = svc.finish(session, aid, expected_version=version, actor=actor)
        svc.mark_decided(
            session, aid, decision_date=date(2026, 6, 1), expected_version=version, actor=actor
        )
    return aid
