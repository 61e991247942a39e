"""Soft locks: a field or matrix cell being edited is marked as held by one participant.

``take`` marks it for everyone (a ``lock``/``taken`` event) unless someone else holds it
(then the claim says who). The holder keeps it by ``keep`` on activity; it ends with
``release`` (saved, cancelled), ``release_all`` (the page closed) or after ``ttl`` seconds
without activity (2 minutes; ``sweep`` announces it). ``take_over`` takes it from whoever
holds it; the event names the ``previous`` holder, whose page stops editing.

A lock only guides people: the assessment's optimistic version check in the services stays
the last line of defence against overwriting someone else's save.

In-process a dict with expiry times; with Redis one key per lock
(``<prefix>lock:<assessment>:<key>``, ``SET NX PX``, holder and time as JSON; released with
a compare-and-delete script, kept with a compare-and-expire one, taken over with
``SET … GET``) and a hash per assessment (``<prefix>locks:<assessment>``) listing them.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from .events import Person, WorkshopEvent
from .hub import Hub

if TYPE_CHECKING:
    from .hub import RedisHub


class Lock(BaseModel):
    """Who holds ``key`` and since when."""

    model_config = ConfigDict(frozen=True)

    key: str
    holder: Person
    since: datetime = Field(default_factory=lambda: datetime.now(UTC))


ClaimState = Literal["held", "taken", "unavailable"]


@dataclass(frozen=True)
class Claim:
    """The answer to ``take``: ``held`` (by the asker), ``taken`` (``holder`` has it) or
    ``unavailable`` (the shared store does not answer: edit on, the version check guards)."""

    state: ClaimState
    holder: Person | None = None

    @property
    def ok(self) -> bool:
        """Whether the asker may edit now."""
        return self.state != "taken"


class SoftLocks(ABC):
    def __init__(self, hub: Hub, ttl: float = 120.0) -> None:
        self.hub = hub
        self.ttl = ttl
        # What the participants of this instance hold, for release_all (a page's websocket
        # stays on one instance).
        self._mine: dict[tuple[int, str], set[str]] = {}

    async def take(self, assessment_id: int, key: str, person: Person) -> Claim:
        lock = Lock(key=key, holder=person)
        for _ in range(3):
            if await self._set_nx(assessment_id, lock):
                self._remember(assessment_id, person.client, key)
                await self._announce(assessment_id, person, "taken", key)
                return Claim("held")
            current = await self._get(assessment_id, key)
            if current is None:
                continue  # it expired or was released in between
            if current.holder.client != person.client:
                return Claim("taken", current.holder)
            if await self._refresh(assessment_id, key, person.client):
                self._remember(assessment_id, person.client, key)
                return Claim("held")
        current = await self._get(assessment_id, key)
        return Claim("taken", None if current is None else current.holder)

    async def keep(self, assessment_id: int, key: str, person: Person) -> bool:
        """Activity: the lock lasts ``ttl`` seconds from now. False when it is no longer the
        person's (expired, taken over)."""
        if await self._refresh(assessment_id, key, person.client):
            return True
        self._forget(assessment_id, person.client, key)
        return False

    async def release(self, assessment_id: int, key: str, person: Person) -> bool:
        self._forget(assessment_id, person.client, key)
        if await self._delete_if(assessment_id, key, person.client):
            await self._announce(assessment_id, person, "released", key)
            return True
        return False

    async def release_all(self, assessment_id: int, person: Person) -> list[str]:
        """Release whatever the participant took through this instance (the page closed)."""
        keys = sorted(self._mine.get((assessment_id, person.client), ()))
        return [key for key in keys if await self.release(assessment_id, key, person)]

    async def take_over(self, assessment_id: int, key: str, person: Person) -> Person | None:
        """Take the key whoever holds it; returns the previous holder (None when it was free
        or already the person's)."""
        old = await self._swap(assessment_id, Lock(key=key, holder=person))
        self._remember(assessment_id, person.client, key)
        previous = None
        if old is not None and old.holder.client != person.client:
            previous = old.holder
            self._forget(assessment_id, previous.client, key)
        if old is None or previous is not None:
            action = "taken" if previous is None else "taken_over"
            await self._announce(assessment_id, person, action, key, previous)
        return previous

    async def held(self, assessment_id: int) -> list[Lock]:
        """The locks of the assessment now, by key."""
        return sorted(await self._all(assessment_id), key=lambda lock: lock.key)

    async def holder(self, assessment_id: int, key: str) -> Person | None:
        lock = await self._get(assessment_id, key)
        return None if lock is None else lock.holder

    async def sweep(self, assessment_id: int) -> list[Lock]:
        """Announce the locks that ran out (once, across the instances)."""
        gone = await self._expire(assessment_id)
        for lock in gone:
            self._forget(assessment_id, lock.holder.client, lock.key)
            await self._announce(assessment_id, lock.holder, "expired", lock.key)
        return gone

    def _remember(self, assessment_id: int, client: str, key: str) -> None:
        self._mine.setdefault((assessment_id, client), set()).add(key)

    def _forget(self, assessment_id: int, client: str, key: str) -> None:
        keys = self._mine.get((assessment_id, client))
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._mine[(assessment_id, client)]

    async def _announce(
        self,
        assessment_id: int,
        person: Person,
        action: str,
        key: str,
        previous: Person | None = None,
    ) -> None:
        event = WorkshopEvent.by(
            person, assessment_id, "lock", action=action, where=key, previous=previous
        )
        await self.hub.publish(event)

    @abstractmethod
    async def _set_nx(self, assessment_id: int, lock: Lock) -> bool:
        """Store the lock unless the key is held; True when stored."""

    @abstractmethod
    async def _get(self, assessment_id: int, key: str) -> Lock | None: ...

    @abstractmethod
    async def _refresh(self, assessment_id: int, key: str, client: str) -> bool:
        """Extend the lock when ``client`` holds it."""

    @abstractmethod
    async def _delete_if(self, assessment_id: int, key: str, client: str) -> bool:
        """Delete the lock when ``client`` holds it."""

    @abstractmethod
    async def _swap(self, assessment_id: int, lock: Lock) -> Lock | None:
        """Store the lock whoever holds the key; the one it replaced."""

    @abstractmethod
    async def _all(self, assessment_id: int) -> list[Lock]: ...

    @abstractmethod
    async def _expire(self, assessment_id: int) -> list[Lock]:
        """Forget and return the locks that ran out and were not announced yet."""


class LocalLocks(SoftLocks):
    def __init__(self, hub: Hub, ttl: float = 120.0) -> None:
        super().__init__(hub, ttl)
        self._locks: dict[int, dict[str, tuple[Lock, float]]] = {}

    def _live(self, assessment_id: int, key: str) -> Lock | None:
        found = self._locks.get(assessment_id, {}).get(key)
        if found is None or found[1] <= time.monotonic():
            return None
        return found[0]

    def _store(self, assessment_id: int, lock: Lock) -> None:
        self._locks.setdefault(assessment_id, {})[lock.key] = (lock, time.monotonic() + self.ttl)

    async def _set_nx(self, assessment_id: int, lock: Lock) -> bool:
        if self._live(assessment_id, lock.key) is not None:
            return False
        self._store(assessment_id, lock)
        return True

    async def _get(self, assessment_id: int, key: str) -> Lock | None:
        return self._live(assessment_id, key)

    async def _refresh(self, assessment_id: int, key: str, client: str) -> bool:
        lock = self._live(assessment_id, key)
        if lock is None or lock.holder.client != client:
            return False
        self._store(assessment_id, lock)
        return True

    async def _delete_if(self, assessment_id: int, key: str, client: str) -> bool:
        lock = self._live(assessment_id, key)
        if lock is None or lock.holder.client != client:
            return False
        self._drop(assessment_id, key)
        return True

    def _drop(self, assessment_id: int, key: str) -> None:
        locks = self._locks.get(assessment_id, {})
        locks.pop(key, None)
        if not locks:
            self._locks.pop(assessment_id, None)

    async def _swap(self, assessment_id: int, lock: Lock) -> Lock | None:
        old = self._live(assessment_id, lock.key)
        self._store(assessment_id, lock)
        return old

    async def _all(self, assessment_id: int) -> list[Lock]:
        now = time.monotonic()
        return [lock for lock, until in self._locks.get(assessment_id, {}).values() if until > now]

    async def _expire(self, assessment_id: int) -> list[Lock]:
        now = time.monotonic()
        gone = [lock for lock, until in self._locks.get(assessment_id, {}).values() if until <= now]
        for lock in gone:
            self._drop(assessment_id, lock.key)
        return gone


# KEYS[1] the lock, KEYS[2] the assessment's index; ARGV[1] the tab, ARGV[2] the field in
# the index, ARGV[3] the lock's ttl, ARGV[4] the index's (ms; twice as long, so that a lock
# that ran out is still listed for ``sweep`` to announce). The scripts decode the stored JSON
# to compare the holder's tab.
_KEEP = """
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current)['holder']['client'] ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1
"""

_RELEASE = """
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current)['holder']['client'] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], ARGV[2])
return 1
"""

# KEYS[1] the index; ARGV[1] the prefix of the lock keys. ``_LIVE`` returns the locks held,
# ``_EXPIRE`` removes from the index and returns the ones whose key has expired.
_LIVE = """
local live = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  local value = redis.call('GET', ARGV[1] .. field)
  if value then table.insert(live, value) end
end
return live
"""

_EXPIRE = """
local gone = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if redis.call('EXISTS', ARGV[1] .. all[i]) == 0 then
    redis.call('HDEL', KEYS[1], all[i])
    table.insert(gone, all[i + 1])
  end
end
return gone
"""


class RedisLocks(SoftLocks):
    def __init__(self, hub: RedisHub, ttl: float = 120.0) -> None:
        super().__init__(hub, ttl)
        self.redis_hub = hub
        redis = hub.redis
        self._keep_script = redis.register_script(_KEEP)
        self._release_script = redis.register_script(_RELEASE)
        self._live_script = redis.register_script(_LIVE)
        self._expire_script = redis.register_script(_EXPIRE)

    @property
    def _ms(self) -> int:
        return max(1, int(self.ttl * 1000))

    def _prefix(self, assessment_id: int) -> str:
        return self.redis_hub.key("lock", assessment_id, "")

    def _key(self, assessment_id: int, key: str) -> str:
        return self._prefix(assessment_id) + key

    def _index(self, assessment_id: int) -> str:
        return self.redis_hub.key("locks", assessment_id)

    async def _index_put(self, assessment_id: int, lock: Lock, value: str) -> None:
        index = self._index(assessment_id)
        async with self.redis_hub.redis.pipeline(transaction=True) as pipe:
            pipe.hset(index, lock.key, value)
            pipe.pexpire(index, 2 * self._ms)
            await pipe.execute()

    async def _set_nx(self, assessment_id: int, lock: Lock) -> bool:
        value = lock.model_dump_json()
        key = self._key(assessment_id, lock.key)
        if not await self.redis_hub.redis.set(key, value, nx=True, px=self._ms):
            return False
        await self._index_put(assessment_id, lock, value)
        return True

    async def _get(self, assessment_id: int, key: str) -> Lock | None:
        value = await self.redis_hub.redis.get(self._key(assessment_id, key))
        return None if value is None else Lock.model_validate_json(value)

    async def _refresh(self, assessment_id: int, key: str, client: str) -> bool:
        keys = [self._key(assessment_id, key), self._index(assessment_id)]
        args: list[str | int] = [client, key, self._ms, 2 * self._ms]
        return bool(await self._keep_script(keys=keys, args=args))

    async def _delete_if(self, assessment_id: int, key: str, client: str) -> bool:
        keys = [self._key(assessment_id, key), self._index(assessment_id)]
        return bool(await self._release_script(keys=keys, args=[client, key]))

    async def _swap(self, assessment_id: int, lock: Lock) -> Lock | None:
        value = lock.model_dump_json()
        key = self._key(assessment_id, lock.key)
        old = await self.redis_hub.redis.set(key, value, px=self._ms, get=True)
        await self._index_put(assessment_id, lock, value)
        return None if old is None else Lock.model_validate_json(cast("str", old))

    async def _all(self, assessment_id: int) -> list[Lock]:
        keys = [self._index(assessment_id)]
        values = await self._live_script(keys=keys, args=[self._prefix(assessment_id)])
        return [Lock.model_validate_json(v) for v in cast("list[str]", values)]

    async def _expire(self, assessment_id: int) -> list[Lock]:
        keys = [self._index(assessment_id)]
        values = await self._expire_script(keys=keys, args=[self._prefix(assessment_id)])
        return [Lock.model_validate_json(v) for v in cast("list[str]", values)]
