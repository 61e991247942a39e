"""The typed assessment edits: pure ``AssessmentDoc -> AssessmentDoc`` operations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from evaus.assessment import edits
from project_db.assessment_schemas import (
    AlternativeIn,
    AssessmentDoc,
    ExPostIn,
    FollowUpIn,
    HearingIn,
    ImpactFields,
    RecommendationIn,
    RiskIn,
    ScreeningIn,
)
from project_db.errors import NotFound, ValidationFailed
from tests.assessment_docs import FRAMEWORK, NEW, ZERO, complete_doc


def _valid(doc: AssessmentDoc) -> AssessmentDoc:
    """What the services do after every edit: the whole document validated."""
    return AssessmentDoc.model_validate(doc.model_dump(warnings=False))


def test_an_edit_returns_a_new_document_and_leaves_the_old_one_alone() -> None:
    doc = complete_doc()
    before = doc.model_dump()
    new = edits.SetAnswer("needs", "Uusi vastaus").apply(doc)
    assert new.answers["needs"] == "Uusi vastaus"
    assert doc.model_dump() == before
    assert new.impacts is doc.impacts  # parts it does not change are shared, not copied
    assert edits.SetAnswer("needs", "  ").apply(new).answers.get("needs") is None


def test_own_fields_screening_crossing_and_recommendation() -> None:
    doc = complete_doc()
    new = edits.UpdateFields({"title": "Uusi nimi", "decision_date": "2027-02-03"}).apply(doc)
    assert _valid(new).decision_date == date(2027, 2, 3)
    with pytest.raises(ValidationFailed) as exc:
        edits.UpdateFields({"status": "valmis"})
    assert exc.value.problems[0].field == "status"
    screening = ScreeningIn(needed=False, reason="Ei tarvita")
    assert edits.SetScreening(screening).apply(doc).screening.needed is False
    assert edits.SetCrossingImpacts("Kasautuu").apply(doc).crossing_impacts == "Kasautuu"
    rec = RecommendationIn(alternative_key=ZERO, reasoning="Halvempi")
    assert edits.SetRecommendation(rec).apply(doc).recommendation.alternative_key == ZERO


def test_upsert_alternative_keeps_the_zero_alternative() -> None:
    doc = complete_doc()
    renamed = edits.UpsertAlternative(AlternativeIn(key=ZERO, name="Ennallaan")).apply(doc)
    assert renamed.zero_alternative.name == "Ennallaan"
    added = edits.UpsertAlternative(AlternativeIn(key="alt-2", name="Kolmas", is_zero=True))
    new = _valid(added.apply(doc))
    assert [a.key for a in new.alternatives] == [ZERO, NEW, "alt-2"]
    assert not new.alternative("alt-2").is_zero  # type: ignore[union-attr]


def test_delete_alternative_moves_or_deletes_its_impacts() -> None:
    doc = complete_doc()
    with pytest.raises(ValidationFailed):
        edits.DeleteAlternative(ZERO).apply(doc)
    with pytest.raises(ValidationFailed) as exc:
        edits.DeleteAlternative(NEW).apply(doc)
    assert exc.value.problems[0].field == "impacts"
    with pytest.raises(ValidationFailed):  # the 0-alternative already has these areas
        edits.DeleteAlternative(NEW, "move_to", ZERO).apply(doc)
    with pytest.raises(NotFound):
        edits.DeleteAlternative("nobody").apply(doc)
    new = _valid(edits.DeleteAlternative(NEW, "delete").apply(doc))
    assert {i.alternative_key for i in new.impacts} == {ZERO}
    assert new.risks[0].alternative_key is None
    assert new.recommendation.alternative_key is None
    only_new = [i for i in doc.impacts if i.alternative_key == NEW]
    spare = doc.model_copy(update={"impacts": only_new})
    spare = edits.UpsertAlternative(AlternativeIn(key="alt-2", name="Kolmas")).apply(spare)
    result = _valid(edits.DeleteAlternative(NEW, "move_to", "alt-2").apply(spare))
    assert {i.alternative_key for i in result.impacts} == {"alt-2"}
    assert result.risks[0].alternative_key == "alt-2"


def test_area_relevance_and_matrix_cells() -> None:
    doc = complete_doc()
    area = doc.areas[0].area
    new = edits.SetAreaRelevance(area, False, "Ei koske").apply(doc)
    assert (new.areas[0].relevant, new.areas[0].reason) == (False, "Ei koske")
    assert len(new.areas) == len(doc.areas)
    cell = ImpactFields(direction="--", justification="Heikkenee")
    changed = _valid(edits.SetImpact("economy", NEW, cell).apply(doc))
    assert changed.impact("economy", NEW).direction == "--"  # type: ignore[union-attr]
    emptied = edits.SetImpact("economy", NEW, None).apply(doc)
    assert emptied.impact("economy", NEW) is None
    with pytest.raises(NotFound):
        edits.SetImpact("economy", "nobody", cell).apply(doc)


def test_keyed_parts_share_one_upsert_and_one_delete() -> None:
    doc = complete_doc()
    risk = RiskIn(key="r-1", description="Uusi riski")
    hearing = HearingIn(key="h-1", group="Henkilöstö")
    follow_up = FollowUpIn(key="f-1", name="Jonotusaika")
    for section, item in (("risks", risk), ("hearings", hearing), ("follow_ups", follow_up)):
        added = edits.UpsertPart(section, item).apply(doc)  # type: ignore[arg-type]
        assert getattr(added, section)[-1] == item
        changed = item.model_copy(update={"key": item.key})
        again = edits.UpsertPart(section, changed).apply(added)  # type: ignore[arg-type]
        assert len(getattr(again, section)) == len(getattr(added, section))
        gone = edits.DeletePart(section, item.key).apply(again)  # type: ignore[arg-type]
        assert getattr(gone, section) == getattr(doc, section)
        with pytest.raises(NotFound):
            edits.DeletePart(section, "nobody").apply(doc)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        edits.UpsertPart("risks", hearing)


def test_status_edits_finish_decide_and_ex_post() -> None:
    doc = complete_doc()
    assert edits.Finish(FRAMEWORK).apply(doc).status == "valmis"
    with pytest.raises(edits.AssessmentIncomplete):
        edits.Finish(FRAMEWORK).apply(doc.model_copy(update={"impacts": []}))
    decided = edits.MarkDecided(date(2027, 1, 1)).apply(doc)
    assert (decided.status, decided.chosen_key) == ("paatetty", NEW)
    undecided = doc.model_copy(update={"recommendation": RecommendationIn()})
    with pytest.raises(ValidationFailed):
        edits.MarkDecided(date(2027, 1, 1)).apply(undecided)
    entry = ExPostIn(direction="+", note="Toteutui")
    with_entry = edits.SetExPost("economy", entry).apply(decided)
    assert with_entry.impact("economy", NEW).ex_post == entry  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):
        edits.SetExPost("culture", entry).apply(decided)
    with pytest.raises(ValidationFailed):
        edits.CompleteExPost(" ", date(2028, 1, 1)).apply(with_entry)
    done = edits.CompleteExPost("Onnistui", date(2028, 1, 1)).apply(with_entry)
    assert (done.status, done.ex_post_summary) == ("jalkiarvioitu", "Onnistui")
    assert edits.SetExPost.statuses == edits.DECIDED
    assert edits.SetAnswer.statuses == edits.DRAFT


def test_approve_records_the_approver_once() -> None:
    doc = complete_doc(status="valmis")
    at = datetime(2027, 1, 2, 10, 0, tzinfo=UTC)
    approved = _valid(edits.Approve("Riitta Tarkastaja", at).apply(doc))
    assert (approved.approved_by, approved.approved_at, approved.status) == (
        "Riitta Tarkastaja",
        at,
        "valmis",
    )
    assert doc.approved_at is None
    with pytest.raises(ValidationFailed):
        edits.Approve("Toinen", at).apply(approved)
    with pytest.raises(ValidationFailed):
        edits.Approve(" ", at).apply(doc)
    assert edits.Approve.statuses == frozenset({"valmis"})


def test_mark_decided_plans_the_ex_post_check() -> None:
    doc = complete_doc(status="valmis")
    decided = edits.MarkDecided(date(2027, 1, 1), ex_post_date=date(2028, 1, 1)).apply(doc)
    assert decided.ex_post_date == date(2028, 1, 1)
    with pytest.raises(ValidationFailed) as early:
        edits.MarkDecided(date(2027, 1, 1), ex_post_date=date(2026, 12, 31)).apply(doc)
    assert early.value.problems[0].field == "ex_post_date"


def test_ex_post_ratings_of_follow_ups_and_the_whole() -> None:
    doc = complete_doc(status="paatetty")
    key = doc.follow_ups[0].key
    rated = _valid(edits.SetExPostRatings({key: "paaosin"}, "osittain").apply(doc))
    assert (rated.follow_ups[0].ex_post_rating, rated.ex_post_rating) == ("paaosin", "osittain")
    cleared = edits.SetExPostRatings({key: None}, None).apply(rated)
    assert (cleared.follow_ups[0].ex_post_rating, cleared.ex_post_rating) == (None, None)
    with pytest.raises(ValidationFailed) as unknown:
        edits.SetExPostRatings({key: "loistava"}).apply(doc)
    assert unknown.value.problems[0].field == f"follow_ups.{key}.ex_post_rating"
    assert unknown.value.problems[0].params == {"rating": "loistava"}
    with pytest.raises(ValidationFailed) as overall:
        edits.SetExPostRatings({}, "hyva").apply(doc)
    assert overall.value.problems[0].field == "ex_post_rating"
    with pytest.raises(NotFound):
        edits.SetExPostRatings({"puuttuva": "ei"}).apply(doc)
    assert edits.SetExPostRatings.statuses == edits.DECIDED
