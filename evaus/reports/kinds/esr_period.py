"""ESR seurantaraportti: one reporting period of an ESR-funded project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from project_db.errors import N_

from .. import build
from ..contexts import EsrPeriodContext, _ReportContext
from ._project import MISSING_PARTICIPANTS, MISSING_PERIODS, Missing, ProjectKind
from .base import ReportInput, ReportScope

MISSING_PERIOD_NARRATIVE = N_("Period {number}: what was done is not described")


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
    builder = build.build_esr_period
    budget_scheme = "esr"
    texts = ("kohderyhma", "tasa_arvo", "yhdenvertaisuus", "kestava_kehitys", "viestinta")

    def chosen_scope(self, context: _ReportContext, source: ReportInput) -> ReportScope:
        assert isinstance(context, EsrPeriodContext)
        return ReportScope(period=None if context.whole_term else context.period.number)

    def check_data(self, check: Missing, source: ReportInput) -> None:
        doc = check.doc
        chosen = build.resolve_period(doc, source.period)
        if chosen is None:
            check.add("periods", MISSING_PERIODS)
            check.indicators(None)
            return
        check.indicators([chosen.number])
        if not chosen.done.strip():
            check.add("periods", MISSING_PERIOD_NARRATIVE, number=chosen.number)
        if not any(s.period == chosen.number for s in doc.participant_stats):
            check.add("participant_stats", MISSING_PARTICIPANTS)


KIND = EsrPeriod()
