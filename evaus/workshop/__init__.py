"""The live assessment workshop, server side: several people in one assessment at once.

- ``hub``: events per assessment (``events.WorkshopEvent``: changed, presence, lock, note,
  comment),
  in-process or across instances through Redis pub/sub;
- ``presence``: who is in the assessment and where (a step, a field, a matrix cell);
- ``locks``: soft locks on the field or cell being edited, with take-over;
- ``hooks``: the services' post-commit callbacks; the workshop publishes every save;
- ``keys``: the names of steps, fields and cells shared by all of them;
- ``workshop``: ``Workshop`` (an instance's hub, presence and locks) and ``Seat`` (one
  participant), started with ``start_workshop()``.

Nothing here imports the web pages or the services; the services import only ``hooks``.
Redis is used when ``EVAUS_WORKSHOP_REDIS_URL`` (default ``NICEGUI_REDIS_URL``) is set.
"""

from __future__ import annotations

from .events import EventKind, Person, WorkshopEvent, initials
from .hooks import (
    AssessmentSaved,
    AssessmentTouched,
    assessment_saved,
    assessment_touched,
    on_assessment_saved,
    on_assessment_touched,
)
from .hub import Hub, LocalHub, RedisHub, Subscription
from .keys import (
    answer_key,
    area_key,
    cell_key,
    changed_keys,
    field_key,
    item_key,
    step_key,
)
from .locks import Claim, Lock, SoftLocks
from .presence import Presence, Present
from .settings import WorkshopSettings
from .workshop import Seat, Workshop, current_workshop, start_workshop, stop_workshop

__all__ = [
    "AssessmentSaved",
    "AssessmentTouched",
    "Claim",
    "EventKind",
    "Hub",
    "LocalHub",
    "Lock",
    "Person",
    "Presence",
    "Present",
    "RedisHub",
    "Seat",
    "SoftLocks",
    "Subscription",
    "Workshop",
    "WorkshopEvent",
    "WorkshopSettings",
    "answer_key",
    "area_key",
    "assessment_saved",
    "assessment_touched",
    "cell_key",
    "changed_keys",
    "current_workshop",
    "field_key",
    "initials",
    "item_key",
    "on_assessment_saved",
    "on_assessment_touched",
    "start_workshop",
    "step_key",
    "stop_workshop",
]
