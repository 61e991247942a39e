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

    def build(self, source: ReportInput) -> SteaContext:
        doc = project_of(source)
        return build.build_stea(doc, source.labels, source.lang, source.today, source.year)

    def chosen_scope(self, context: _ReportContext, source: ReportInput) -> ReportScope:
        assert isinstance(context, SteaContext)
        return ReportScope(year=context.year)

    def missing(self, source: ReportInput) -> list[Problem]:
        check = Missing(source)
        doc = check.doc
        check.basics(lead=False, funding=False)  # STEA asks for the organisation, not a lead
        the_year = build.resolve_year(doc, source.year, source.today)
        numbers = [p.number for p in build._periods_in_year(doc, the_year)]
        check.indicators(numbers)
        if doc.indicators and not numbers:
            check.add("values", build.MISSING_YEAR_VALUES, year=the_year)
        if build.stea_recipient(doc) is None:
            check.add("organisations", build.MISSING_STEA_RECIPIENT)
        check.sections("kohderyhma", "palaute", "yhteistyo", "vapaaehtoiset")
        check.section_group(*build.EMBEDDING, "vinkit")
        # What the personal-data scrub takes out, so that the maker can check it.
        check.problems += build.stea_removals(
            doc, source.labels, source.lang, source.today, source.year
        )
        return check.problems


KIND = Stea()
