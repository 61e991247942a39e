"""The workshop of an instance: hub, presence and soft locks together, and one ``Seat`` per
participant (browser tab) that a page holds while it is open.

    workshop = await start_workshop()                   # app start-up (EVAUS_WORKSHOP_* settings)
    seat = await workshop.join(assessment_id, person, on_event, where=step_key(3))
    await seat.move(cell_key("economy", alt))           # presence: where the participant is
    await seat.heartbeat()                              # every ~10 s (ui.timer)
    claim = await seat.take(cell_key("economy", alt))   # claim.ok / claim.holder
    await seat.keep(key); await seat.release(key)       # on input; after the save or cancel
    await seat.leave()                                  # the page's disconnect
    await stop_workshop()                               # app shut-down

Saves are published by the services themselves (``evaus.workshop.hooks``): every committed
assessment save reaches ``on_event`` of every participant as ``changed``/``saved`` with the new
version and the changed keys; a comment on a part as ``comment`` (``where``: the part), a new
version made of the assessment or its deletion as ``changed``/``new_version`` or ``deleted``.
The seat's calls never raise for a lost Redis connection: they log it and answer as if alone
(no one else present, every lock ``unavailable``, which lets the page edit on; the version
check in the services stays the guard).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from contextlib import suppress
from typing import TypeVar

from .events import NOTE_MAX, Person, WorkshopEvent
from .hooks import AssessmentSaved, AssessmentTouched, on_assessment_saved, on_assessment_touched
from .hub import Callback, Hub, LocalHub, RedisHub, Subscription
from .keys import changed_keys
from .locks import Claim, LocalLocks, Lock, RedisLocks, SoftLocks
from .presence import LocalPresence, Presence, Present, RedisPresence
from .settings import WorkshopSettings

log = logging.getLogger(__name__)

T = TypeVar("T")


class Workshop:
    """One instance's part of the live workshops of every assessment."""

    def __init__(
        self,
        hub: Hub,
        presence: Presence,
        locks: SoftLocks,
        *,
        sweep_seconds: float = 5.0,
        errors: tuple[type[BaseException], ...] = (OSError,),
    ) -> None:
        self.hub = hub
        self.presence = presence
        self.locks = locks
        self.sweep_seconds = sweep_seconds
        self.errors = errors  # what a lost shared store raises
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._unhook: Callable[[], None] | None = None
        self._untouch: Callable[[], None] | None = None

    @classmethod
    def local(
        cls,
        *,
        presence_seconds: float = 30.0,
        lock_seconds: float = 120.0,
        sweep_seconds: float = 5.0,
        instance_id: str | None = None,
    ) -> Workshop:
        """One instance, in-process."""
        hub = LocalHub(instance_id)
        return cls(
            hub,
            LocalPresence(hub, presence_seconds),
            LocalLocks(hub, lock_seconds),
            sweep_seconds=sweep_seconds,
        )

    @classmethod
    def redis(
        cls,
        url: str,
        *,
        prefix: str = "evaus:workshop:",
        presence_seconds: float = 30.0,
        lock_seconds: float = 120.0,
        sweep_seconds: float = 5.0,
        instance_id: str | None = None,
    ) -> Workshop:
        """Several instances sharing the Redis at ``url`` under ``prefix``."""
        from redis.exceptions import RedisError

        hub = RedisHub(url, prefix, instance_id)
        return cls(
            hub,
            RedisPresence(hub, presence_seconds),
            RedisLocks(hub, lock_seconds),
            sweep_seconds=sweep_seconds,
            errors=(OSError, RedisError),
        )

    @classmethod
    def from_settings(cls, settings: WorkshopSettings | None = None) -> Workshop:
        """Redis when ``EVAUS_WORKSHOP_REDIS_URL`` (default ``NICEGUI_REDIS_URL``) is set,
        else in-process."""
        settings = settings or WorkshopSettings()
        url = settings.effective_redis_url
        if url is None:
            return cls.local(
                presence_seconds=settings.presence_seconds,
                lock_seconds=settings.lock_seconds,
                sweep_seconds=settings.sweep_seconds,
            )
        return cls.redis(
            url,
            prefix=settings.effective_key_prefix,
            presence_seconds=settings.presence_seconds,
            lock_seconds=settings.lock_seconds,
            sweep_seconds=settings.sweep_seconds,
        )

    # --- life -----------------------------------------------------------------------------

    async def start(self, *, publish_saves: bool = True) -> None:
        """Connect, start announcing expiries and (``publish_saves``) publish every committed
        assessment save of this process."""
        self._loop = asyncio.get_running_loop()
        await self.hub.start()
        if self._sweeper is None and self.sweep_seconds > 0:
            self._sweeper = asyncio.create_task(self._sweep_loop(), name="workshop-sweep")
        if publish_saves and self._unhook is None:
            self._unhook = on_assessment_saved(self.saved)
            self._untouch = on_assessment_touched(self.touched)

    async def close(self) -> None:
        if self._unhook is not None:
            self._unhook()
            self._unhook = None
        if self._untouch is not None:
            self._untouch()
            self._untouch = None
        if self._sweeper is not None:
            self._sweeper.cancel()
            with suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        await self.hub.close()
        self._loop = None

    @property
    def connected(self) -> bool:
        """Whether the other instances' events reach this one now (always for in-process)."""
        return self.hub.connected

    # --- participants ---------------------------------------------------------------------

    async def join(
        self, assessment_id: int, person: Person, on_event: Callback, where: str = ""
    ) -> Seat:
        """Follow an assessment's events (``on_event``) and be present in it."""
        subscription = self.hub.subscribe(assessment_id, on_event)
        seat = Seat(self, assessment_id, person, where, subscription)
        await self.guard(self.presence.join(assessment_id, person, where), None)
        return seat

    async def guard(self, work: Awaitable[T], fallback: T) -> T:
        """Await ``work``; when the shared store is lost, log it and answer ``fallback``."""
        try:
            return await work
        except self.errors as exc:
            log.warning("workshop: shared state unavailable (%s)", exc)
            return fallback

    async def sweep(self) -> None:
        """Announce the participants and locks that expired in the followed assessments."""
        for assessment_id in self.hub.watched():
            await self.guard(self.presence.sweep(assessment_id), [])
            await self.guard(self.locks.sweep(assessment_id), [])

    async def _sweep_loop(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_seconds)
            try:
                await self.sweep()
            except Exception:
                log.exception("workshop: sweep failed")

    # --- saves ----------------------------------------------------------------------------

    def saved(self, saved: AssessmentSaved) -> None:
        """The post-commit callback (any thread): publish ``changed``/``saved`` with the new
        version and the changed keys."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        fields = changed_keys(saved.before, saved.after)
        if not fields:
            return
        event = WorkshopEvent(
            assessment_id=saved.assessment_id,
            kind="changed",
            action="saved",
            who=saved.who,
            version=saved.version,
            fields=tuple(fields),
        )
        self._publish_soon(loop, event)

    def touched(self, touched: AssessmentTouched) -> None:
        """The post-commit callback of a comment, a new version or a deletion (any thread):
        ``comment`` on the part, or ``changed``/``new_version`` or ``deleted``."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        comment = touched.action == "comment"
        event = WorkshopEvent(
            assessment_id=touched.assessment_id,
            kind="comment" if comment else "changed",
            action="" if comment else touched.action,
            who=touched.who,
            where=touched.where,
        )
        self._publish_soon(loop, event)

    def _publish_soon(self, loop: asyncio.AbstractEventLoop, event: WorkshopEvent) -> None:
        try:
            future = asyncio.run_coroutine_threadsafe(self.hub.publish(event), loop)
        except RuntimeError:  # the loop closed meanwhile
            return
        future.add_done_callback(_log_failure)


def _log_failure(future: Future[bool]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("workshop: a save was not published", exc_info=future.exception())


class Seat:
    """One participant (a browser tab) in one assessment's workshop."""

    def __init__(
        self,
        workshop: Workshop,
        assessment_id: int,
        person: Person,
        where: str,
        subscription: Subscription,
    ) -> None:
        self.workshop = workshop
        self.assessment_id = assessment_id
        self.person = person
        self.where = where
        self.subscription = subscription
        self.left = False

    def own(self, event: WorkshopEvent) -> bool:
        """Whether the event is this participant's own doing (their tab)."""
        return bool(event.client) and event.client == self.person.client

    def lost(self, event: WorkshopEvent) -> str | None:
        """The key this participant's lock was taken over on, or None for any other event."""
        previous = event.previous
        if event.kind == "lock" and previous is not None and previous.client == self.person.client:
            return event.where
        return None

    async def move(self, where: str) -> None:
        self.where = where
        await self._guard(self._presence.move(self.assessment_id, self.person, where), None)

    async def heartbeat(self) -> None:
        """Call every ~10 s while the page is open (presence expires after 30 s)."""
        await self._guard(self._presence.touch(self.assessment_id, self.person, self.where), None)

    async def people(self) -> list[Present]:
        """Everyone present now, this participant included, by name."""
        return await self._guard(self._presence.people(self.assessment_id), [])

    async def take(self, key: str) -> Claim:
        """Start editing ``key`` (a field or cell key): ``claim.ok`` says whether to go on,
        ``claim.holder`` who has it when not."""
        unavailable = Claim("unavailable")
        return await self._guard(
            self._locks.take(self.assessment_id, key, self.person), unavailable
        )

    async def keep(self, key: str) -> bool:
        """Activity on ``key`` (throttle to every ~10 s): False when the lock was lost."""
        return await self._guard(self._locks.keep(self.assessment_id, key, self.person), True)

    async def release(self, key: str) -> bool:
        """Saved or cancelled."""
        return await self._guard(self._locks.release(self.assessment_id, key, self.person), False)

    async def take_over(self, key: str) -> Person | None:
        """Take ``key`` from whoever holds it (they get ``lock``/``taken_over``); returns them."""
        work = self._locks.take_over(self.assessment_id, key, self.person)
        return await self._guard(work, None)

    async def locks(self) -> list[Lock]:
        """The locks held in the assessment now."""
        return await self._guard(self._locks.held(self.assessment_id), [])

    async def note(self, text: str, where: str | None = None) -> bool:
        """A short note to everyone (at most 2 000 characters); False when it reached only
        this instance."""
        event = WorkshopEvent.by(
            self.person,
            self.assessment_id,
            "note",
            text=text[:NOTE_MAX],
            where=self.where if where is None else where,
        )
        return await self.workshop.hub.publish(event)

    async def away(self) -> None:
        """The connection to the participant's browser was lost: off the presence list (the
        next ``heartbeat`` brings them back), the events and locks kept."""
        if not self.left:
            await self._guard(self._presence.leave(self.assessment_id, self.person), None)

    async def leave(self) -> None:
        """The page closed: stop the events, release the locks, leave the presence list."""
        if self.left:
            return
        self.left = True
        self.subscription.close()
        await self._guard(self._locks.release_all(self.assessment_id, self.person), [])
        await self._guard(self._presence.leave(self.assessment_id, self.person), None)

    @property
    def _presence(self) -> Presence:
        return self.workshop.presence

    @property
    def _locks(self) -> SoftLocks:
        return self.workshop.locks

    async def _guard(self, work: Awaitable[T], fallback: T) -> T:
        return await self.workshop.guard(work, fallback)


_running: dict[str, Workshop] = {}  # "current": the process's workshop while it runs


async def start_workshop(settings: WorkshopSettings | None = None) -> Workshop:
    """Start this process's workshop (once; ``app.on_startup``)."""
    if "current" not in _running:
        workshop = Workshop.from_settings(settings)
        await workshop.start()
        _running["current"] = workshop
    return _running["current"]


def current_workshop() -> Workshop | None:
    """The process's workshop, None before ``start_workshop``."""
    return _running.get("current")


async def stop_workshop() -> None:
    """``app.on_shutdown``."""
    workshop = _running.pop("current", None)
    if workshop is not None:
        await workshop.close()
