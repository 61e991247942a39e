"""Funder reports: one plug-in per report kind (``kinds``), their context models, docxtpl
rendering, charts, template checks.

Knows nothing of the database or the UI: ``evaus.services.reports`` reads the registry data a
kind asks for and keeps the archive. Importing this package is light; rendering pulls in docxtpl
and matplotlib only when used.
"""

from __future__ import annotations

from .contexts import CONTEXT_MODELS
from .errors import ReportFailed, TemplateProblem, TemplateRejected

__all__ = [
    "CONTEXT_MODELS",
    "ReportFailed",
    "TemplateProblem",
    "TemplateRejected",
]
