"""ESR loppuraportti: the whole term of an ESR-funded project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from project_db.errors import N_

from .. import build
from ..contexts import EsrFinalContext
from ._project import MISSING_PARTICIPANTS, MISSING_PERIODS, Missing, ProjectKind
from .base import ReportInput

MISSING_UNIQUE_PARTICIPANTS = N_(
    "The whole project's participants (each person once) are missing: the report shows "
    "the figures of each period"
)


class EsrFinal(ProjectKind):
    name = "esr-final"
    label = N_("ESR final report")
    scope = "project"
    funders = frozenset({"ESR"})
    context_model = EsrFinalContext
    file_words: ClassVar[Mapping[str, str]] = {"fi": "esr-loppuraportti", "sv": "esf-slutrapport"}
    order = 40
    builder = build.build_esr_final
    budget_scheme = "esr"
    texts = (
        "kohderyhma",
        "tasa_arvo",
        "yhdenvertaisuus",
        "kestava_kehitys",
        ("jatkuvuus", *build.EMBEDDING),
        ("kehittamisehdotukset", "vinkit"),
        "viestinta",
    )

    def check_data(self, check: Missing, source: ReportInput) -> None:
        doc = check.doc
        if not doc.periods:
            check.add("periods", MISSING_PERIODS)
        check.indicators([p.number for p in sorted(doc.periods, key=lambda p: p.number)])
        if not doc.participant_stats:
            check.add("participant_stats", MISSING_PARTICIPANTS)
        elif not any(s.period is None for s in doc.participant_stats):
            check.add("participant_stats", MISSING_UNIQUE_PARTICIPANTS)


KIND = EsrFinal()
