"""Funder reports: one plug-in per report kind (``kinds``), their context models, docxtpl
rendering, charts, template checks.

Knows nothing of the database or the UI: ``evaus.services.reports`` reads the registry data a
kind asks for and keeps the archive. Importing this package is light; rendering pulls in docxtpl
and matplotlib only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ReportFailed, TemplateProblem, TemplateRejected

if TYPE_CHECKING:
    from .contexts import CONTEXT_MODELS

__all__ = [
    "CONTEXT_MODELS",
    "ReportFailed",
    "TemplateProblem",
    "TemplateRejected",
]


def __getattr__(name: str) -> Any:
    # The context models (pydantic) load when asked for: the command line's report kinds do not.
    if name == "CONTEXT_MODELS":
        from .contexts import CONTEXT_MODELS

        return CONTEXT_MODELS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
