"""What the workshop sends: small pydantic models, JSON on the wire between instances."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field, model_validator

EventKind = Literal["changed", "presence", "lock", "note", "comment"]

# ``action`` of each kind:
#   changed:  "saved" (a save committed: ``version`` and ``fields``), "resync" (this instance
#             lost its connection to the other instances for a while: read the assessment again),
#             "new_version" (a new draft was made of it), "deleted"
#   presence: "joined", "moved", "left", "expired" (no heartbeat for ``presence_seconds``)
#   lock:     "taken", "released", "taken_over" (``previous`` held it), "expired"
#   note:     "" (``text`` is the note)
#   comment:  "" (a comment on the part ``where`` was added, edited, resolved or reopened)
NOTE_MAX = 2000


def initials(name: str) -> str:
    """ "Päivi Virtanen" → "PV", "Anna-Liisa Korhonen" → "AK", "maija" → "M"."""
    words = [w for w in name.replace(".", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    picked = [words[0], words[-1]] if len(words) > 1 else words[:1]
    return "".join(w[0] for w in picked).upper()


class Person(BaseModel):
    """One participant: a browser tab (``client``) of a signed-in user (``who``, the user
    name) with the name shown to the others."""

    model_config = ConfigDict(frozen=True)

    client: str = Field(min_length=1, max_length=100)
    who: str = Field(max_length=200)
    name: str = Field(default="", max_length=200)
    initials: str = Field(default="", max_length=8)

    @model_validator(mode="before")
    @classmethod
    def _fill(cls, data: Any) -> Any:
        """The name defaults to the user name, the initials to the name's."""
        if isinstance(data, dict):
            data = dict(data)
            data["name"] = data.get("name") or data.get("who") or ""
            data["initials"] = data.get("initials") or initials(data["name"])
        return data


class WorkshopEvent(BaseModel):
    """One event of one assessment's workshop. ``instance`` is the instance that published it
    (an instance delivers its own events locally at once and ignores their echo)."""

    model_config = ConfigDict(frozen=True)

    assessment_id: int
    kind: EventKind
    action: str = ""
    who: str = ""  # user name
    name: str = ""  # display name
    initials: str = ""
    client: str = ""  # the participant's browser tab, when the event is a participant's
    where: str = ""  # a key of ``evaus.workshop.keys``: step, field or cell
    version: int | None = None  # changed: the assessment's version after the save
    fields: tuple[str, ...] = ()  # changed: the keys the save changed
    previous: Person | None = None  # lock taken over: who held it
    text: str = Field(default="", max_length=NOTE_MAX)
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    instance: str = ""
    id: str = Field(default_factory=lambda: uuid4().hex)

    @classmethod
    def by(
        cls, person: Person, assessment_id: int, kind: EventKind, **values: object
    ) -> WorkshopEvent:
        """An event of a participant: their user name, display name, initials and tab."""
        return cls.model_validate(
            {
                "assessment_id": assessment_id,
                "kind": kind,
                "who": person.who,
                "name": person.name,
                "initials": person.initials,
                "client": person.client,
                **values,
            }
        )

    def to_json(self) -> str:
        return self.model_dump_json(exclude_defaults=True)

    @classmethod
    def from_json(cls, data: str | bytes) -> WorkshopEvent:
        return cls.model_validate_json(data)
