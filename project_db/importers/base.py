"""What every importer provides, and the result it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..schemas import ProjectDoc


@dataclass(frozen=True)
class ImportWarning:
    """Something a person should look at: text that could not be placed, a doubtful value.

    ``message`` is a gettext message id (mark it with ``N_``); ``params`` fill its placeholders.
    """

    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        return self.message.format(**self.params)


@dataclass
class ParsedProject:
    doc: ProjectDoc
    warnings: list[ImportWarning] = field(default_factory=list)


class Importer(Protocol):
    """One input format. ``detect`` scores how sure it is (0 = not this format, 1 = certain)."""

    name: str  # the --format value, e.g. "oulu-card"
    label: str  # a message id shown to users, e.g. N_("City of Oulu project card")

    def detect(self, data: bytes, filename: str | None) -> float: ...

    def parse(self, data: bytes, filename: str | None) -> list[ParsedProject]:
        """Every project in the source. Raises ImportFailed when nothing usable can be read."""
        ...
