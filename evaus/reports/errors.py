"""Errors of report generation and template management (message ids, translated when shown)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from project_db.errors import RegistryError


class ReportFailed(RegistryError):
    """A report cannot be made (unknown period, no template in that language …)."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong in an uploaded template: where (an excerpt of the text) and what."""

    where: str  # a message id: "paragraph {number}: “{excerpt}”"
    where_params: dict[str, Any]
    message: str
    params: dict[str, Any] = field(default_factory=dict)


class TemplateRejected(RegistryError):
    def __init__(self, problems: list[TemplateProblem]) -> None:
        super().__init__(
            "; ".join(
                f"{p.where.format(**p.where_params)}: {p.message.format(**p.params)}"
                for p in problems[:20]
            )
        )
        self.problems = problems


class NotFunded(ReportFailed):
    """The project has no funding from the funder the report is for: a batch skips it."""
