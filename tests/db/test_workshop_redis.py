"""The live workshop across two instances ("servers") sharing a real Redis: events, presence,
soft locks with expiry and take-over, the reconnect after the connection is killed, an
instance's own echo, and the assessment service publishing its saves (SQLite and PostgreSQL).

Redis: ``EVAUS_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``); every test uses keys
and channels under a random prefix of its own and deletes them afterwards. Skipped with a
message when Redis does not answer.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import redis

from evaus.db import Database
from evaus.services import assessments as svc
from evaus.services.access import local_admin
from evaus.workshop import (
    Person,
    RedisHub,
    Workshop,
    WorkshopEvent,
    answer_key,
    cell_key,
    step_key,
)

REDIS_URL = os.environ.get("EVAUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ADMIN = local_admin("tests")

ANNA = Person(client="tab-anna", who="anna", name="Anna Virtanen")
BERT = Person(client="tab-bert", who="bert", name="Bertil Åberg")
CELL = cell_key("economy", "alt-1")


@pytest.fixture(scope="module")
def redis_url() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(
            f"workshop Redis tests skipped: Redis at {REDIS_URL} does not answer ({exc}); "
            "set EVAUS_TEST_REDIS_URL to use another server"
        )
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """A key and channel prefix of this test's own; its keys are deleted afterwards."""
    value = f"evaus-test:{uuid.uuid4().hex[:12]}:"
    yield value
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{value}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


class Inbox:
    """What one subscriber received, with a way to wait for an event."""

    def __init__(self) -> None:
        self.events: list[WorkshopEvent] = []
        self._changed = asyncio.Condition()

    def __call__(self, event: WorkshopEvent) -> None:
        self.events.append(event)
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(
        self, match: Callable[[WorkshopEvent], bool], timeout: float = 5.0
    ) -> WorkshopEvent:
        async def found() -> WorkshopEvent:
            async with self._changed:
                while True:
                    hits = [e for e in self.events if match(e)]
                    if hits:
                        return hits[-1]
                    await self._changed.wait()

        return await asyncio.wait_for(found(), timeout)

    def of(self, kind: str, action: str | None = None) -> list[WorkshopEvent]:
        return [e for e in self.events if e.kind == kind and (action is None or e.action == action)]


def _kind(
    kind: str, action: str | None = None, **values: object
) -> Callable[[WorkshopEvent], bool]:
    def match(event: WorkshopEvent) -> bool:
        if event.kind != kind or (action is not None and event.action != action):
            return False
        return all(getattr(event, name) == value for name, value in values.items())

    return match


@pytest.fixture
async def servers(redis_url: str, prefix: str) -> AsyncIterator[tuple[Workshop, Workshop]]:
    """Two instances on one Redis: presence and locks expire after 1 s, sweeps run when a
    test calls them."""
    pair = []
    for name in ("server-a", "server-b"):
        shop = Workshop.redis(
            redis_url,
            prefix=prefix,
            presence_seconds=1.0,
            lock_seconds=1.0,
            sweep_seconds=0,
            instance_id=f"{name}-{uuid.uuid4().hex[:6]}",
        )
        await shop.start(publish_saves=False)
        assert shop.connected
        pair.append(shop)
    yield pair[0], pair[1]
    for shop in pair:
        await shop.close()


async def test_each_instance_sees_the_others_events_and_its_own_once(
    servers: tuple[Workshop, Workshop],
) -> None:
    a, b = servers
    on_a, also_on_a, on_b, elsewhere = Inbox(), Inbox(), Inbox(), Inbox()
    a.hub.subscribe(1, on_a)
    a.hub.subscribe(1, also_on_a)
    b.hub.subscribe(1, on_b)
    b.hub.subscribe(2, elsewhere)
    sent = WorkshopEvent(assessment_id=1, kind="note", who="anna", text="Hei kaikki")
    assert await a.hub.publish(sent)
    assert [e.text for e in on_a.events] == ["Hei kaikki"]  # locally at once
    received = await on_b.wait_for(_kind("note", text="Hei kaikki"))
    assert received.instance == a.hub.instance_id and received.id == sent.id
    # B answers after it got A's event, so A's own echo reached A before this answer does.
    await b.hub.publish(WorkshopEvent(assessment_id=1, kind="note", who="bert", text="Moi"))
    await on_a.wait_for(_kind("note", text="Moi"))
    await also_on_a.wait_for(_kind("note", text="Moi"))
    for inbox in (on_a, also_on_a, on_b):
        assert [e.text for e in inbox.events] == ["Hei kaikki", "Moi"]
    assert elsewhere.events == []


async def test_presence_across_instances_with_expiry(servers: tuple[Workshop, Workshop]) -> None:
    a, b = servers
    watcher = Inbox()
    bert = await b.join(3, BERT, watcher, where=step_key(0))
    anna = await a.join(3, ANNA, Inbox(), where=step_key(4))
    joined = await watcher.wait_for(_kind("presence", "joined", who="anna"))
    assert (joined.name, joined.initials, joined.where) == ("Anna Virtanen", "AV", "step/4")
    assert [(p.person.who, p.where) for p in await bert.people()] == [
        ("anna", "step/4"),
        ("bert", "step/0"),
    ]
    await anna.move(CELL)
    await watcher.wait_for(_kind("presence", "moved", where=CELL))
    assert [p.where for p in await bert.people() if p.person.who == "anna"] == [CELL]

    # Anna's browser vanishes (no heartbeat, no leave): gone for everyone after 1 s.
    for _ in range(3):
        await asyncio.sleep(0.4)
        await bert.heartbeat()
    assert [p.person.who for p in await anna.people()] == ["bert"]
    await asyncio.gather(a.sweep(), b.sweep())  # both instances sweep; one announces
    expired = await watcher.wait_for(_kind("presence", "expired", who="anna"))
    assert expired.where == CELL
    await asyncio.sleep(0.2)
    assert len(watcher.of("presence", "expired")) == 1
    await bert.leave()
    await anna.heartbeat()  # Anna's tab is back: announced again
    assert [p.person.who for p in await anna.people()] == ["anna"]


async def test_locks_across_instances_expiry_and_take_over(
    servers: tuple[Workshop, Workshop],
) -> None:
    a, b = servers
    anna_inbox, bert_inbox = Inbox(), Inbox()
    anna = await a.join(4, ANNA, anna_inbox)
    bert = await b.join(4, BERT, bert_inbox)
    assert (await anna.take(CELL)).state == "held"
    await bert_inbox.wait_for(_kind("lock", "taken", who="anna", where=CELL))
    claim = await bert.take(CELL)
    assert (claim.state, claim.holder) == ("taken", ANNA)
    assert [(lock.key, lock.holder.who) for lock in await bert.locks()] == [(CELL, "anna")]
    assert await anna.release(CELL)
    await bert_inbox.wait_for(_kind("lock", "released", who="anna"))
    assert await bert.locks() == []

    # Expiry: kept alive by activity, then left alone for longer than its time.
    assert (await anna.take(CELL)).ok
    for _ in range(3):
        await asyncio.sleep(0.4)
        assert await anna.keep(CELL)
    assert not (await bert.take(CELL)).ok
    await asyncio.sleep(1.3)
    assert await bert.locks() == []
    await asyncio.gather(a.sweep(), b.sweep())
    await bert_inbox.wait_for(_kind("lock", "expired", who="anna", where=CELL))
    await asyncio.sleep(0.2)
    assert len(bert_inbox.of("lock", "expired")) == 1
    assert not await anna.keep(CELL)

    # Take-over: Bert takes Anna's answer; Anna's page learns it lost the field.
    key = answer_key("needs")
    assert (await anna.take(key)).ok
    assert await bert.take_over(key) == ANNA
    event = await anna_inbox.wait_for(_kind("lock", "taken_over"))
    assert (event.who, event.where, event.previous) == ("bert", key, ANNA)
    assert anna.lost(event) == key
    assert not await anna.keep(key)
    assert not await anna.release(key)
    assert (await anna.take(key)).holder == BERT
    await bert.leave()  # Bert's page closes: his lock goes with it
    await anna_inbox.wait_for(_kind("lock", "released", who="bert", where=key))
    assert (await anna.take(key)).state == "held"


def _kill_connections(redis_url: str, name: str) -> int:
    client = redis.Redis.from_url(redis_url)
    try:
        ids = [c["id"] for c in client.client_list() if c.get("name") == name]
        for client_id in ids:
            client.client_kill_filter(_id=client_id)
        return len(ids)
    finally:
        client.close()


async def test_an_instance_reconnects_after_its_connections_are_killed(
    servers: tuple[Workshop, Workshop], redis_url: str
) -> None:
    a, b = servers
    assert isinstance(a.hub, RedisHub)
    on_a, on_b = Inbox(), Inbox()
    seat = await a.join(6, ANNA, on_a)
    b.hub.subscribe(6, on_b)
    assert await asyncio.to_thread(_kill_connections, redis_url, a.hub.client_name) >= 1
    resync = await on_a.wait_for(_kind("changed", "resync"), timeout=15)
    assert resync.instance == a.hub.instance_id and a.hub.reconnects >= 1
    assert a.connected
    await b.hub.publish(WorkshopEvent(assessment_id=6, kind="note", text="Kuuluuko?"))
    await on_a.wait_for(_kind("note", text="Kuuluuko?"))
    assert await seat.note("Kuuluu")  # and A's commands reach Redis again
    await on_b.wait_for(_kind("note", text="Kuuluu"))
    assert [p.person.who for p in await seat.people()] == ["anna"]


async def test_without_redis_a_seat_works_alone(prefix: str) -> None:
    shop = Workshop.redis("redis://127.0.0.1:9/0", prefix=prefix, sweep_seconds=0)
    assert isinstance(shop.hub, RedisHub)
    shop.hub.start_wait = 0.2
    await shop.start(publish_saves=False)
    try:
        inbox = Inbox()
        seat = await shop.join(8, ANNA, inbox)
        assert not shop.connected
        claim = await seat.take(CELL)
        assert claim.ok and claim.state == "unavailable"
        assert await seat.people() == []
        assert not await seat.note("Yksin")  # not sent on, but shown here
        assert [e.text for e in inbox.of("note")] == ["Yksin"]
        await seat.leave()
    finally:
        await shop.close()


@pytest.mark.postgres
async def test_a_committed_save_reaches_the_other_instance(
    database: Database, redis_url: str, prefix: str
) -> None:
    a = Workshop.redis(redis_url, prefix=prefix, sweep_seconds=0, instance_id="server-a")
    b = Workshop.redis(redis_url, prefix=prefix, sweep_seconds=0, instance_id="server-b")
    await a.start()  # this process's saves are published by A
    await b.start(publish_saves=False)
    try:
        with database.session() as session:
            view = svc.create_assessment(
                session, {"title": "Palvelukeskus"}, framework_id="default", actor=ADMIN
            )
        on_a, on_b = Inbox(), Inbox()
        a.hub.subscribe(view.id, on_a)
        b.hub.subscribe(view.id, on_b)

        def save(text: str, version: int) -> int:
            with database.session() as session:
                return svc.set_answer(
                    session, view.id, "needs", text, expected_version=version, actor=ADMIN
                )

        version = await asyncio.to_thread(save, "Tarve on suuri", view.version)
        event = await on_b.wait_for(_kind("changed", "saved"))
        assert (event.version, event.fields, event.who) == (version, ("answers/needs",), "tests")
        assert event.instance == a.hub.instance_id
        assert await asyncio.to_thread(save, "Tarve on suuri", version) == version  # no change
        newer = await asyncio.to_thread(save, "Tarve kasvaa", version)
        await on_b.wait_for(_kind("changed", "saved", version=newer))
        await asyncio.sleep(0.2)
        for inbox in (on_a, on_b):  # the unchanged save published nothing; A got each once
            assert [e.version for e in inbox.of("changed")] == [version, newer]
    finally:
        await a.close()
        await b.close()
