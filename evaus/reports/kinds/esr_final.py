"""ESR loppuraportti: the whole term of an ESR-funded project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from project_db.errors import N_, Problem

from .. import build
from ..contexts import EsrFinalContext
from ._project import Missing, ProjectKind, project_of
from .base import ReportInput


class EsrFinal(ProjectKind):
    name = "esr-final"
    label = N_("ESR final report")
    scope = "project"
    funders = frozenset({"ESR"})
    context_model = EsrFinalContext
    file_words: ClassVar[Mapping[str, str]] = {"fi": "esr-loppuraportti", "sv": "esf-slutrapport"}
    order = 40

    def build(self, source: ReportInput) -> EsrFinalContext:
        return build.build_esr_final(project_of(source), source.labels, source.lang, source.today)

    def missing(self, source: ReportInput) -> list[Problem]:
        check = Missing(source)
        doc = check.doc
        check.basics(lead=True, funding=True)
        check.lead_y_tunnus()
        if not doc.periods:
            check.add("periods", build.MISSING_PERIODS)
        check.indicators([p.number for p in sorted(doc.periods, key=lambda p: p.number)])
        if not doc.participant_stats:
            check.add("participant_stats", build.MISSING_PARTICIPANTS)
        elif not any(s.period is None for s in doc.participant_stats):
            check.add("participant_stats", build.MISSING_UNIQUE_PARTICIPANTS)
        check.budget("esr")
        check.sections("kohderyhma", "tasa_arvo", "yhdenvertaisuus", "kestava_kehitys")
        check.section_group("jatkuvuus", *build.EMBEDDING)
        check.section_group("kehittamisehdotukset", "vinkit")
        check.sections("viestinta")
        return check.problems


KIND = EsrFinal()
