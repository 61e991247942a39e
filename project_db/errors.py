"""Errors the data layer reports. Messages are gettext message ids, translated by the caller.

``N_`` only marks a string for extraction (pybabel); ``evaus.i18n`` translates it into the
user's language when the error is shown.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    return message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (a field path) and what (a message id + params)."""

    field: str
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


class RegistryError(Exception):
    """Base of every error the registry reports to a user."""


class ValidationFailed(RegistryError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message.format(**p.params)}" for p in problems))
        self.problems = problems


class NotFound(RegistryError):
    def __init__(self, entity: str, ident: object) -> None:
        super().__init__(f"{entity} {ident} not found")
        self.entity = entity
        self.ident = ident


@dataclass
class ConflictInfo:
    """What the other writer changed, so the user sees it instead of a silent overwrite."""

    entity: str
    entity_id: int
    expected_version: int
    current_version: int
    changed_by: str | None = None
    changed_at: str | None = None
    changes: list[tuple[str, str | None, str | None]] = dataclasses.field(default_factory=list)


class ConflictError(RegistryError):
    def __init__(self, info: ConflictInfo) -> None:
        super().__init__(
            f"{info.entity} {info.entity_id} was changed by someone else "
            f"(version {info.expected_version} → {info.current_version})"
        )
        self.info = info


class ImportFailed(RegistryError):
    """A source could not be read at all (empty, binary, unknown format, truncated)."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params
