"""Publish and subscribe workshop events per assessment.

``Hub`` is the small interface; ``LocalHub`` serves one instance (asyncio, nothing else
needed) and ``RedisHub`` several instances through Redis pub/sub. Either way the subscribers
of an instance are kept in the instance's memory and an event is fanned out to them locally:
a subscriber is a callback (a few hundred bytes), not a connection.

``RedisHub`` holds **one** Redis subscription per instance, a pattern over every assessment's
channel (``<prefix>a:*``); a message of an assessment nobody on the instance follows is
dropped before it is parsed. An event published here is delivered to the local subscribers
at once and then sent to Redis with the instance's id; the echo coming back is ignored, so a
local subscriber gets it once and does not wait for the round trip. When the subscription
drops (Redis restarted, the connection killed) the hub reconnects with a growing, jittered
pause (0.1 s doubling to 5 s) and then delivers a ``changed``/``resync`` event to every local
subscriber: events published meanwhile are lost, so pages read the assessment again.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from uuid import uuid4

from .events import WorkshopEvent

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)

Callback = Callable[[WorkshopEvent], Awaitable[None] | None]


class Subscription:
    """One subscriber's interest in one assessment; ``close()`` ends it."""

    __slots__ = ("assessment_id", "callback", "hub")

    def __init__(self, hub: Hub, assessment_id: int, callback: Callback) -> None:
        self.hub: Hub | None = hub
        self.assessment_id = assessment_id
        self.callback = callback

    def close(self) -> None:
        if self.hub is not None:
            self.hub._remove(self)
            self.hub = None

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Hub(ABC):
    """Events of each assessment to the subscribers of every instance."""

    def __init__(self, instance_id: str | None = None) -> None:
        self.instance_id = instance_id or uuid4().hex[:12]
        self._subscribers: dict[int, dict[int, Subscription]] = {}
        self._tasks: set[asyncio.Future[Any]] = set()

    # --- subscribers --------------------------------------------------------------------

    def subscribe(self, assessment_id: int, callback: Callback) -> Subscription:
        """Call ``callback(event)`` for every event of the assessment until the subscription
        is closed. A coroutine callback runs as a task of its own; a plain one must be quick."""
        subscription = Subscription(self, assessment_id, callback)
        self._subscribers.setdefault(assessment_id, {})[id(subscription)] = subscription
        return subscription

    def _remove(self, subscription: Subscription) -> None:
        subscribers = self._subscribers.get(subscription.assessment_id)
        if subscribers is not None:
            subscribers.pop(id(subscription), None)
            if not subscribers:
                del self._subscribers[subscription.assessment_id]

    def watched(self) -> list[int]:
        """The assessments that have subscribers on this instance."""
        return list(self._subscribers)

    def subscriber_count(self, assessment_id: int | None = None) -> int:
        if assessment_id is not None:
            return len(self._subscribers.get(assessment_id, ()))
        return sum(len(s) for s in self._subscribers.values())

    def deliver(self, event: WorkshopEvent) -> int:
        """Hand an event to this instance's subscribers of its assessment; how many got it."""
        subscribers = self._subscribers.get(event.assessment_id)
        if not subscribers:
            return 0
        for subscription in list(subscribers.values()):
            try:
                result = subscription.callback(event)
            except Exception:
                log.exception("workshop subscriber failed on %s", event.kind)
                continue
            if inspect.isawaitable(result):
                self._keep(asyncio.ensure_future(result))
        return len(subscribers)

    def _keep(self, task: asyncio.Future[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("workshop subscriber failed", exc_info=task.exception())

    # --- the instance's life ------------------------------------------------------------

    @abstractmethod
    async def publish(self, event: WorkshopEvent) -> bool:
        """Deliver the event here and to the other instances; False when it reached only this
        instance (the shared channel is down). Never raises for a lost connection."""

    async def start(self) -> None:  # noqa: B027 - optional for a hub
        """Connect (a hub that needs no connection does nothing)."""

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._subscribers.clear()

    @property
    def connected(self) -> bool:
        """Whether the events of the other instances reach this one now."""
        return True

    def stamped(self, event: WorkshopEvent) -> WorkshopEvent:
        if event.instance == self.instance_id:
            return event
        return event.model_copy(update={"instance": self.instance_id})


class LocalHub(Hub):
    """One instance: events go to its own subscribers only."""

    async def publish(self, event: WorkshopEvent) -> bool:
        self.deliver(self.stamped(event))
        return True


class RedisHub(Hub):
    """Several instances sharing Redis: one pattern subscription per instance, fanned out
    locally; ``redis`` is also the client presence and locks use."""

    MIN_PAUSE = 0.1
    MAX_PAUSE = 5.0
    POLL = 1.0  # seconds between checks for closing while no message arrives

    def __init__(self, url: str, prefix: str, instance_id: str | None = None) -> None:
        super().__init__(instance_id)
        from redis.asyncio import Redis

        self.prefix = prefix
        self.url = url
        self.client_name = f"evaus-workshop-{self.instance_id}"
        self.redis: Redis = Redis.from_url(
            url,
            decode_responses=True,
            socket_connect_timeout=3,
            socket_timeout=10,
            socket_keepalive=True,
            health_check_interval=15,
            client_name=self.client_name,
        )
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        self._ever_subscribed = False
        self.reconnects = 0  # subscriptions made again after a drop
        self.start_wait = 5.0

    def channel(self, assessment_id: int | str) -> str:
        return f"{self.prefix}a:{assessment_id}"

    def key(self, *parts: object) -> str:
        """A Redis key of the workshop: the prefix and the parts joined with ``:``."""
        return self.prefix + ":".join(str(p) for p in parts)

    @property
    def connected(self) -> bool:
        return self._subscribed.is_set()

    async def start(self) -> None:
        """Subscribe; waits up to ``start_wait`` seconds for the subscription (when Redis does
        not answer the hub keeps trying in the background and works locally meanwhile)."""
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name=self.client_name)
        try:
            await asyncio.wait_for(self._subscribed.wait(), self.start_wait)
        except TimeoutError:
            log.warning("workshop: Redis at %s does not answer yet; retrying", self._where())

    async def wait_connected(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._subscribed.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        await super().close()
        await self.redis.aclose()

    async def publish(self, event: WorkshopEvent) -> bool:
        event = self.stamped(event)
        self.deliver(event)
        try:
            await self.redis.publish(self.channel(event.assessment_id), event.to_json())
        except Exception as exc:  # a lost connection must not fail the caller's work
            log.warning("workshop: event not sent to the other instances (%s)", exc)
            return False
        return True

    def _where(self) -> str:
        """Host and port of the Redis URL (never its password)."""
        parts = urlsplit(self.url)
        return f"{parts.hostname or '?'}:{parts.port or 6379}"

    async def _listen(self) -> None:
        pause = self.MIN_PAUSE
        while True:
            pubsub = self.redis.pubsub()
            try:
                await pubsub.psubscribe(self.channel("*"))
                while True:
                    message = await pubsub.get_message(timeout=self.POLL)
                    if message is None:
                        continue
                    if message["type"] == "psubscribe":
                        # The first confirmation, or the client resubscribed after a drop.
                        pause = self.MIN_PAUSE
                        self._on_subscribed()
                    elif message["type"] == "pmessage":
                        self._received(message["channel"], message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self._subscribed.is_set():
                    log.warning("workshop: Redis subscription lost (%s); reconnecting", exc)
                self._subscribed.clear()
            finally:
                with suppress(Exception):
                    await asyncio.shield(pubsub.aclose())
            await asyncio.sleep(pause * (1 + random.random() / 4))
            pause = min(pause * 2, self.MAX_PAUSE)

    def _on_subscribed(self) -> None:
        first = not self._ever_subscribed
        self._ever_subscribed = True
        self._subscribed.set()
        if first:
            return
        self.reconnects += 1
        log.info("workshop: Redis subscription restored")
        for assessment_id in self.watched():
            self.deliver(
                WorkshopEvent(
                    assessment_id=assessment_id,
                    kind="changed",
                    action="resync",
                    instance=self.instance_id,
                )
            )

    def _received(self, channel: str, data: str) -> None:
        tail = channel[len(self.prefix) + 2 :]
        if not tail.isdigit() or int(tail) not in self._subscribers:
            return
        try:
            event = WorkshopEvent.from_json(data)
        except ValueError:
            log.warning("workshop: a malformed event on %s was ignored", channel)
            return
        if event.instance == self.instance_id or event.assessment_id != int(tail):
            return  # our own echo, delivered already when published
        self.deliver(event)
