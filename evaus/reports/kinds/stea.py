"""STEA tuloksellisuusraportti: one calendar year of a STEA-funded project (public: names of
people, contact details, identity codes, links and attachment names are removed, and the
removals are listed among the report's warnings)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from project_db.errors import N_, Problem

from .. import build
from ..contexts import SteaContext, _ReportContext
from ._project import Missing, ProjectKind, project_of
from .base import ReportInput, ReportScope

MISSING_YEAR_VALUES = N_("No indicator values for {year}")


class Stea(ProjectKind):
    name = "stea"
    label = N_("STEA results report")
    scope = "year"
    funders = frozenset({"STEA"})
    context_model = SteaContext
    file_words: ClassVar[Mapping[str, str]] = {
        "fi": "stea-tuloksellisuusraportti",
        "sv": "stea-resultatrapport",
    }
    order = 50
    builder = build.build_stea
    # STEA asks for the organisation, not a lead, and for no budget table.
    needs_lead = needs_funding = needs_y_tunnus = False
    texts = ("kohderyhma", "palaute", "yhteistyo", "vapaaehtoiset", (*build.EMBEDDING, "vinkit"))

    def chosen_scope(self, context: _ReportContext, source: ReportInput) -> ReportScope:
        assert isinstance(context, SteaContext)
        return ReportScope(year=context.year)

    def check_data(self, check: Missing, source: ReportInput) -> None:
        doc = check.doc
        the_year = build.resolve_year(doc, source.year, source.today)
        numbers = [p.number for p in build._periods_in_year(doc, the_year)]
        check.indicators(numbers)
        if doc.indicators and not numbers:
            check.add("values", MISSING_YEAR_VALUES, year=the_year)
        if build.stea_recipient(doc) is None:
            check.add("organisations", build.MISSING_STEA_RECIPIENT)

    def missing(self, source: ReportInput) -> list[Problem]:
        problems = super().missing(source)
        # What the personal-data scrub takes out, so that the maker can check it.
        doc = project_of(source)
        return problems + build.stea_removals(
            doc, source.labels, source.lang, source.today, source.year
        )


KIND = Stea()
