"""Funder reports: context models per report kind, docxtpl rendering, charts, template checks.

Knows nothing of the database or the UI: ``evaus.services.reports`` builds the contexts from the
registry and keeps the archive. Importing this package is light; rendering pulls in docxtpl and
matplotlib only when used.
"""

from __future__ import annotations

from .contexts import CONTEXT_MODELS, REPORT_KINDS, ReportKind
from .errors import ReportFailed, TemplateProblem, TemplateRejected

__all__ = [
    "CONTEXT_MODELS",
    "REPORT_KINDS",
    "ReportFailed",
    "ReportKind",
    "TemplateProblem",
    "TemplateRejected",
]
