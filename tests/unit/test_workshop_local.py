"""The live workshop in one instance (no Redis): events, presence, soft locks, the changed keys
of a save and the post-commit hook. The same behaviour across instances through Redis is in
``tests/db/test_workshop_redis.py``."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest

from evaus.workshop import (
    LocalHub,
    Person,
    RedisHub,
    Workshop,
    WorkshopEvent,
    WorkshopSettings,
    answer_key,
    cell_key,
    changed_keys,
    hooks,
    initials,
    item_key,
    step_key,
)
from project_db.assessment_schemas import AlternativeIn, AssessmentDoc, ImpactIn, RiskIn
from tests.assessment_docs import NEW, ZERO, complete_data

ANNA = Person(client="tab-anna", who="anna", name="Anna Virtanen")
BERT = Person(client="tab-bert", who="bert", name="Bertil Åberg")


class Inbox:
    """What one subscriber received."""

    def __init__(self) -> None:
        self.events: list[WorkshopEvent] = []

    def __call__(self, event: WorkshopEvent) -> None:
        self.events.append(event)

    def of(self, kind: str, action: str | None = None) -> list[WorkshopEvent]:
        return [e for e in self.events if e.kind == kind and (action is None or e.action == action)]


@pytest.fixture
async def workshop() -> AsyncIterator[Workshop]:
    shop = Workshop.local(presence_seconds=1.0, lock_seconds=1.0, sweep_seconds=0)
    await shop.start(publish_saves=False)
    yield shop
    await shop.close()


# --- events and keys ------------------------------------------------------------------------


def test_an_event_is_small_json_and_comes_back_equal() -> None:
    event = WorkshopEvent.by(
        ANNA, 7, "lock", action="taken_over", where=cell_key("economy", "alt-1"), previous=BERT
    )
    wire = event.to_json()
    assert WorkshopEvent.from_json(wire) == event
    assert len(wire) < 600
    assert '"version"' not in wire  # defaults are left out
    changed = WorkshopEvent(assessment_id=7, kind="changed", version=3, fields=("title",))
    assert WorkshopEvent.from_json(changed.to_json()).fields == ("title",)


def test_initials_and_display_names() -> None:
    assert initials("Päivi Virtanen") == "PV"
    assert initials("Anna-Liisa Korhonen-Mäki") == "AK"
    assert initials("maija") == "M"
    assert initials("  ") == "?"
    assert Person(client="t", who="maija").name == "maija"
    assert BERT.initials == "BÅ"


def _doc() -> AssessmentDoc:
    return AssessmentDoc.model_validate(complete_data())


def test_the_changed_keys_name_fields_answers_cells_and_items() -> None:
    old = _doc()
    assert changed_keys(old, old.model_copy()) == []
    impacts = [
        i.model_copy(update={"justification": "Uusi perustelu"})
        if (i.area, i.alternative_key) == ("economy", NEW)
        else i
        for i in old.impacts
    ]
    extra = AlternativeIn(key="alt-2", name="Kolmas")
    new = old.model_copy(
        update={
            "title": "Uusi nimi",
            "answers": {**old.answers, "needs": "Toinen vastaus"},
            "impacts": impacts,
            "alternatives": [*old.alternatives, extra],
            "risks": [],
            "recommendation": old.recommendation.model_copy(update={"reasoning": "Siksi"}),
        }
    )
    keys = changed_keys(old, new)
    assert keys[0] == "title"
    assert answer_key("needs") in keys
    assert cell_key("economy", NEW) in keys
    assert cell_key("economy", ZERO) not in keys
    assert item_key("alternatives", "alt-2") in keys
    assert [k for k in keys if k.startswith("risks/")] == [
        item_key("risks", r.key) for r in old.risks
    ]
    assert "recommendation/reasoning" in keys
    cell = ImpactIn(area="safety", alternative_key=ZERO, direction="0")
    added = changed_keys(old, old.model_copy(update={"impacts": [*old.impacts, cell]}))
    assert added == [cell_key("safety", ZERO)]
    reordered = old.model_copy(update={"alternatives": old.alternatives[::-1]})
    assert changed_keys(old, reordered) == ["alternatives"]  # no item changed: the whole part
    risk = RiskIn(description="Uusi riski")
    assert changed_keys(old, old.model_copy(update={"risks": [*old.risks, risk]})) == [
        item_key("risks", risk.key)
    ]


# --- the hub --------------------------------------------------------------------------------


async def test_the_hub_delivers_an_assessments_events_to_its_subscribers_only() -> None:
    hub = LocalHub()
    first, second, other = Inbox(), Inbox(), Inbox()
    received = asyncio.Event()

    async def slow(event: WorkshopEvent) -> None:
        received.set()

    def broken(event: WorkshopEvent) -> None:
        raise RuntimeError("a page that fails must not stop the others")

    hub.subscribe(1, first)
    hub.subscribe(1, broken)
    subscription = hub.subscribe(1, second)
    hub.subscribe(1, slow)
    hub.subscribe(2, other)
    assert await hub.publish(WorkshopEvent(assessment_id=1, kind="note", text="Hei"))
    await asyncio.wait_for(received.wait(), 1)
    assert [e.text for e in first.events] == ["Hei"] == [e.text for e in second.events]
    assert first.events[0].instance == hub.instance_id
    assert other.events == []
    subscription.close()
    subscription.close()  # closing twice is harmless
    await hub.publish(WorkshopEvent(assessment_id=1, kind="note", text="Toinen"))
    assert len(first.events) == 2 and len(second.events) == 1
    assert sorted(hub.watched()) == [1, 2] and hub.subscriber_count(1) == 3
    await hub.close()


# --- presence -------------------------------------------------------------------------------


async def test_presence_join_move_leave_and_expiry(workshop: Workshop) -> None:
    watcher = Inbox()
    watching = await workshop.join(5, BERT, watcher, where=step_key(0))
    anna = await workshop.join(5, ANNA, Inbox(), where=step_key(3))
    assert [(p.person.name, p.where) for p in await watching.people()] == [
        ("Anna Virtanen", "step/3"),
        ("Bertil Åberg", "step/0"),
    ]
    joined = watcher.of("presence", "joined")[-1]
    assert (joined.who, joined.name, joined.initials, joined.where) == (
        "anna",
        "Anna Virtanen",
        "AV",
        "step/3",
    )
    await anna.move(cell_key("economy", NEW))
    assert watcher.events[-1].action == "moved"
    assert watcher.events[-1].where == "impacts/economy/alt-1"
    await anna.leave()
    assert watcher.events[-1].action == "left"
    assert [p.person.who for p in await watching.people()] == ["bert"]

    # A tab that vanished without leaving: gone after the expiry, announced once.
    silent = await workshop.join(5, ANNA, Inbox())
    await asyncio.sleep(0.6)
    await watching.heartbeat()
    await asyncio.sleep(0.6)
    assert [p.person.who for p in await watching.people()] == ["bert"]
    await workshop.sweep()
    await workshop.sweep()
    assert [e.who for e in watcher.of("presence", "expired")] == ["anna"]
    await silent.heartbeat()  # back: announced as joined again
    assert watcher.events[-1].action == "joined"


# --- soft locks -----------------------------------------------------------------------------


async def test_a_lock_is_held_kept_released_and_expires(workshop: Workshop) -> None:
    key = cell_key("economy", NEW)
    bert_inbox = Inbox()
    anna = await workshop.join(5, ANNA, Inbox())
    bert = await workshop.join(5, BERT, bert_inbox)
    assert (await anna.take(key)).state == "held"
    assert (await anna.take(key)).state == "held"  # again: still hers, no second event
    assert [e.who for e in bert_inbox.of("lock", "taken")] == ["anna"]
    claim = await bert.take(key)
    assert not claim.ok and claim.holder == ANNA
    assert [(lock.key, lock.holder.who) for lock in await bert.locks()] == [(key, "anna")]
    for _ in range(3):  # activity keeps it past its time
        await asyncio.sleep(0.4)
        assert await anna.keep(key)
    assert not (await bert.take(key)).ok
    assert await anna.release(key)
    assert bert_inbox.events[-1].action == "released"
    assert (await bert.take(key)).state == "held"
    await asyncio.sleep(1.2)  # no activity: it ran out
    assert await anna.locks() == []
    assert not await bert.keep(key)
    await workshop.sweep()
    assert [(e.who, e.where) for e in bert_inbox.of("lock", "expired")] == [("bert", key)]
    assert (await anna.take(key)).ok


async def test_taking_over_tells_the_previous_holder(workshop: Workshop) -> None:
    key = answer_key("needs")
    anna_inbox = Inbox()
    anna = await workshop.join(5, ANNA, anna_inbox)
    bert = await workshop.join(5, BERT, Inbox())
    await anna.take(key)
    assert await bert.take_over(key) == ANNA
    event = anna_inbox.events[-1]
    assert (event.kind, event.action, event.who, event.previous) == (
        "lock",
        "taken_over",
        "bert",
        ANNA,
    )
    assert anna.lost(event) == key and bert.lost(event) is None
    assert not await anna.keep(key)
    assert not await anna.release(key)  # no longer hers: nothing released
    assert anna_inbox.events[-1] is event
    assert (await anna.take(key)).holder == BERT
    await bert.leave()  # the page closed: its locks go with it
    assert anna_inbox.events[-2].action == "released"
    assert anna_inbox.events[-1].action == "left"
    assert (await anna.take(key)).ok


# --- notes, the save hook, settings ---------------------------------------------------------


async def test_a_note_reaches_everyone_in_the_assessment(workshop: Workshop) -> None:
    inbox = Inbox()
    await workshop.join(5, BERT, inbox)
    anna = await workshop.join(5, ANNA, Inbox(), where=step_key(6))
    assert await anna.note("Katsotaanko riskit yhdessä?" + "x" * 5000)
    note = inbox.of("note")[0]
    assert note.where == "step/6" and len(note.text) == 2000 and anna.own(note)


async def test_a_save_committed_in_another_thread_is_published() -> None:
    shop = Workshop.local(sweep_seconds=0)
    await shop.start()
    inbox = Inbox()
    got = asyncio.Event()

    def receive(event: WorkshopEvent) -> None:
        inbox(event)
        got.set()

    await shop.join(9, ANNA, receive)
    old = _doc()
    new = old.model_copy(update={"crossing_impacts": "Uusi"})
    try:
        thread = threading.Thread(target=hooks.assessment_saved, args=(9, 4, "bert", old, old))
        thread.start()  # a save that changed nothing publishes nothing
        thread.join()
        thread = threading.Thread(target=hooks.assessment_saved, args=(9, 5, "bert", old, new))
        thread.start()
        thread.join()
        await asyncio.wait_for(got.wait(), 2)
    finally:
        await shop.close()
    changed = inbox.of("changed")
    assert [(e.action, e.who, e.version, e.fields) for e in changed] == [
        ("saved", "bert", 5, ("crossing_impacts",))
    ]
    hooks.assessment_saved(9, 6, "bert", old, new)  # closed: unregistered, nothing happens
    assert len(inbox.of("changed")) == 1


def test_a_failing_callback_never_fails_the_save() -> None:
    calls: list[int] = []

    def broken(saved: hooks.AssessmentSaved) -> None:
        raise RuntimeError("broken")

    remove_broken = hooks.on_assessment_saved(broken)
    remove = hooks.on_assessment_saved(lambda saved: calls.append(saved.version))
    try:
        doc = _doc()
        hooks.assessment_saved(1, 2, "anna", doc, doc)
    finally:
        remove_broken()
        remove()
    hooks.assessment_saved(1, 3, "anna", doc, doc)
    assert calls == [2]


def test_the_settings_choose_redis_when_nicegui_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EVAUS_WORKSHOP_REDIS_URL", "NICEGUI_REDIS_URL", "NICEGUI_REDIS_KEY_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(Workshop.from_settings().hub, LocalHub)
    monkeypatch.setenv("NICEGUI_REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("NICEGUI_REDIS_KEY_PREFIX", "run1:")
    settings = WorkshopSettings()
    assert settings.effective_redis_url == "redis://127.0.0.1:6379/3"
    assert settings.effective_key_prefix == "run1:workshop:"
    hub = Workshop.from_settings(settings).hub
    assert isinstance(hub, RedisHub) and hub.prefix == "run1:workshop:"
    monkeypatch.setenv("EVAUS_WORKSHOP_REDIS_URL", "local")
    assert isinstance(Workshop.from_settings().hub, LocalHub)
    monkeypatch.setenv("EVAUS_WORKSHOP_REDIS_URL", "redis://other:6380/0")
    assert WorkshopSettings().effective_redis_url == "redis://other:6380/0"
