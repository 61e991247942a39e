"""ESR seurantaraportti: one reporting period of an ESR-funded project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from project_db.errors import N_, Problem

from .. import build
from ..contexts import EsrPeriodContext, _ReportContext
from ._project import Missing, ProjectKind, project_of
from .base import ReportInput, ReportScope


class EsrPeriod(ProjectKind):
    name = "esr-period"
    label = N_("ESR monitoring report")
    scope = "period"
    funders = frozenset({"ESR"})
    context_model = EsrPeriodContext
    file_words: ClassVar[Mapping[str, str]] = {
        "fi": "esr-seurantaraportti",
        "sv": "esf-uppfoljningsrapport",
    }
    order = 30

    def build(self, source: ReportInput) -> EsrPeriodContext:
        doc = project_of(source)
        return build.build_esr_period(doc, source.labels, source.lang, source.today, source.period)

    def chosen_scope(self, context: _ReportContext, source: ReportInput) -> ReportScope:
        assert isinstance(context, EsrPeriodContext)
        return ReportScope(period=None if context.whole_term else context.period.number)

    def missing(self, source: ReportInput) -> list[Problem]:
        check = Missing(source)
        doc = check.doc
        check.basics(lead=True, funding=True)
        check.lead_y_tunnus()
        chosen = build.resolve_period(doc, source.period)
        if chosen is None:
            check.add("periods", build.MISSING_PERIODS)
            check.indicators(None)
        else:
            check.indicators([chosen.number])
            if not chosen.done.strip():
                check.add("periods", build.MISSING_PERIOD_NARRATIVE, number=chosen.number)
            if not any(s.period == chosen.number for s in doc.participant_stats):
                check.add("participant_stats", build.MISSING_PARTICIPANTS)
        check.budget("esr")
        check.sections("kohderyhma", "tasa_arvo", "yhdenvertaisuus", "kestava_kehitys", "viestinta")
        return check.problems


KIND = EsrPeriod()
