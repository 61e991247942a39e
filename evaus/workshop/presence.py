"""Who is in which assessment now, and where (a step, a field or a matrix cell).

A participant is one browser tab (``Person.client``). ``join`` announces them, ``move`` says
where they are, ``touch`` is the heartbeat (every ~10 s) and ``leave`` ends it (the page's
disconnect). A participant whose heartbeat stops — the browser vanished, the instance died —
is no longer listed after ``ttl`` seconds (30 s) and ``sweep`` (run every few seconds by the
workshop for the assessments followed on the instance) removes them and announces it once.

In-process the entries are a dict; with Redis one hash per assessment
(``<prefix>presence:<id>``, field = the tab, value = JSON with the time of the last
heartbeat), whose fields expire by that time (Redis 7.0 has no per-field expiry) and the whole
hash after three ``ttl`` without any heartbeat.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, cast

from pydantic import BaseModel, ConfigDict

from .events import Person, WorkshopEvent
from .hub import Hub

if TYPE_CHECKING:
    from .hub import RedisHub


class Present(BaseModel):
    """A participant in an assessment: where they are and when they were last heard of (Unix
    seconds)."""

    model_config = ConfigDict(frozen=True)

    person: Person
    where: str = ""
    seen: float


class Presence(ABC):
    """The participants of each assessment; events go through ``hub``."""

    def __init__(self, hub: Hub, ttl: float = 30.0) -> None:
        self.hub = hub
        self.ttl = ttl

    async def join(self, assessment_id: int, person: Person, where: str = "") -> None:
        await self._put(assessment_id, Present(person=person, where=where, seen=time.time()))
        await self._announce(assessment_id, person, "joined", where)

    async def move(self, assessment_id: int, person: Person, where: str) -> None:
        new = await self._put(assessment_id, Present(person=person, where=where, seen=time.time()))
        await self._announce(assessment_id, person, "joined" if new else "moved", where)

    async def touch(self, assessment_id: int, person: Person, where: str = "") -> None:
        """The heartbeat; announces the participant again when they had expired meanwhile."""
        new = await self._put(assessment_id, Present(person=person, where=where, seen=time.time()))
        if new:
            await self._announce(assessment_id, person, "joined", where)

    async def leave(self, assessment_id: int, person: Person) -> None:
        if await self._remove(assessment_id, person.client):
            await self._announce(assessment_id, person, "left", "")

    async def people(self, assessment_id: int) -> list[Present]:
        """Everyone heard of within ``ttl`` seconds, by name."""
        cutoff = time.time() - self.ttl
        found = [p for p in await self._all(assessment_id) if p.seen >= cutoff]
        return sorted(found, key=lambda p: (p.person.name.casefold(), p.person.client))

    async def sweep(self, assessment_id: int) -> list[Present]:
        """Remove the participants whose heartbeat stopped and announce each (once, across
        the instances)."""
        gone = await self._expire(assessment_id, time.time() - self.ttl)
        for entry in gone:
            await self._announce(assessment_id, entry.person, "expired", entry.where)
        return gone

    async def _announce(self, assessment_id: int, person: Person, action: str, where: str) -> None:
        event = WorkshopEvent.by(person, assessment_id, "presence", action=action, where=where)
        await self.hub.publish(event)

    @abstractmethod
    async def _put(self, assessment_id: int, entry: Present) -> bool:
        """Store the entry; True when the participant was not there."""

    @abstractmethod
    async def _remove(self, assessment_id: int, client: str) -> bool: ...

    @abstractmethod
    async def _all(self, assessment_id: int) -> list[Present]: ...

    @abstractmethod
    async def _expire(self, assessment_id: int, cutoff: float) -> list[Present]:
        """Remove and return the entries last seen before ``cutoff``."""


class LocalPresence(Presence):
    def __init__(self, hub: Hub, ttl: float = 30.0) -> None:
        super().__init__(hub, ttl)
        self._entries: dict[int, dict[str, Present]] = {}

    async def _put(self, assessment_id: int, entry: Present) -> bool:
        entries = self._entries.setdefault(assessment_id, {})
        old = entries.get(entry.person.client)
        entries[entry.person.client] = entry
        return old is None or old.seen < time.time() - self.ttl

    async def _remove(self, assessment_id: int, client: str) -> bool:
        entries = self._entries.get(assessment_id, {})
        found = entries.pop(client, None) is not None
        if not entries:
            self._entries.pop(assessment_id, None)
        return found

    async def _all(self, assessment_id: int) -> list[Present]:
        return list(self._entries.get(assessment_id, {}).values())

    async def _expire(self, assessment_id: int, cutoff: float) -> list[Present]:
        entries = self._entries.get(assessment_id, {})
        gone = [p for p in entries.values() if p.seen < cutoff]
        for entry in gone:
            del entries[entry.person.client]
        if not entries:
            self._entries.pop(assessment_id, None)
        return gone


# KEYS[1] the hash; ARGV[1] the tab, ARGV[2] the entry, ARGV[3] expiry of the hash (ms),
# ARGV[4] the cutoff: returns 1 when the tab was not there or had expired.
_PUT = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if not old then return 1 end
if cjson.decode(old)['seen'] < tonumber(ARGV[4]) then return 1 end
return 0
"""

# KEYS[1] the hash; ARGV[1] the cutoff: removes and returns the entries seen before it.
_EXPIRE = """
local gone = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if cjson.decode(all[i + 1])['seen'] < tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], all[i])
    table.insert(gone, all[i + 1])
  end
end
return gone
"""


class RedisPresence(Presence):
    def __init__(self, hub: RedisHub, ttl: float = 30.0) -> None:
        super().__init__(hub, ttl)
        self.redis_hub = hub
        self._put_script = hub.redis.register_script(_PUT)
        self._expire_script = hub.redis.register_script(_EXPIRE)

    def _key(self, assessment_id: int) -> str:
        return self.redis_hub.key("presence", assessment_id)

    async def _put(self, assessment_id: int, entry: Present) -> bool:
        keep = int(self.ttl * 3 * 1000)
        cutoff = time.time() - self.ttl
        key = self._key(assessment_id)
        args: list[str | int] = [entry.person.client, entry.model_dump_json(), keep, repr(cutoff)]
        return bool(await self._put_script(keys=[key], args=args))

    async def _remove(self, assessment_id: int, client: str) -> bool:
        return bool(await self.redis_hub.redis.hdel(self._key(assessment_id), client))

    async def _all(self, assessment_id: int) -> list[Present]:
        values = await self.redis_hub.redis.hvals(self._key(assessment_id))
        return [Present.model_validate_json(v) for v in values]

    async def _expire(self, assessment_id: int, cutoff: float) -> list[Present]:
        gone = await self._expire_script(keys=[self._key(assessment_id)], args=[repr(cutoff)])
        return [Present.model_validate_json(v) for v in cast("list[str]", gone)]
