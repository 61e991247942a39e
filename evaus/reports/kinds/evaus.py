"""EVAUS päätösraportti: an impact assessment for decision-makers (any project, or none)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from project_db.errors import N_, Problem

from ..contexts import EvausContext, _ReportContext
from ..errors import ReportFailed
from ..evaus_build import build_evaus, evaus_missing
from .base import NEEDS_ASSESSMENT, ReportInput, ReportKind, ReportScope


class Evaus(ReportKind):
    name = "evaus"
    label = N_("EVAUS decision report")
    scope = "assessment"
    context_model = EvausContext
    file_words: ClassVar[Mapping[str, str]] = {"fi": "evaus-raportti", "sv": "evaus-rapport"}
    order = 20

    def build(self, source: ReportInput) -> EvausContext:
        if source.assessment is None or source.framework is None:
            raise ReportFailed(NEEDS_ASSESSMENT)
        return build_evaus(
            source.assessment,
            source.framework,
            source.lang,
            source.today,
            project_name=source.project_name,
            project_short_name=source.project_short_name,
            versions=source.assessment_versions,
        )

    def missing(self, source: ReportInput) -> list[Problem]:
        return evaus_missing(source.assessment, source.framework, source.lang)

    def chosen_scope(self, context: _ReportContext, source: ReportInput) -> ReportScope:
        return ReportScope(assessment_id=source.assessment_id)

    def file_base(self, source: ReportInput) -> str:
        if source.project_name is not None:
            return source.project_short_name or source.project_name
        if source.assessment is None:
            raise ReportFailed(NEEDS_ASSESSMENT)
        return source.assessment.title


KIND = Evaus()
