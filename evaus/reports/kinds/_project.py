"""What the kinds made of one project share: reading the input and listing missing data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from project_db.errors import Problem
from project_db.schemas import ProjectDoc
from project_db.store import finnish_sort_key

from .. import build
from ..errors import ReportFailed
from .base import NEEDS_PROJECT, ReportInput, ReportKind


def project_of(source: ReportInput) -> ProjectDoc:
    if source.project is None:
        raise ReportFailed(NEEDS_PROJECT)
    return source.project


class Missing:
    """Collects the warnings of one report, in the order they are listed."""

    def __init__(self, source: ReportInput) -> None:
        self.doc = project_of(source)
        self.labels = source.labels
        self.problems: list[Problem] = []

    def add(self, field: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(field=field, message=message, params=params))

    def basics(self, *, lead: bool, funding: bool) -> None:
        doc = self.doc
        if not doc.summary.strip():
            self.add("summary", build.MISSING_SUMMARY)
        if not doc.goals:
            self.add("goals", build.MISSING_GOALS)
        if lead and not any(o.role == "paatoteuttaja" for o in doc.organisations):
            self.add("organisations", build.MISSING_LEAD)
        if funding and not any(f.amount is not None for f in doc.funding):
            self.add("funding", build.MISSING_FUNDING)

    def lead_y_tunnus(self) -> None:
        """A warning for each lead implementer (the grant recipient) without a Y-tunnus: the
        funder's basic data ask for it."""
        names = {
            o.organisation.name
            for o in self.doc.organisations
            if o.role == "paatoteuttaja" and not o.organisation.y_tunnus
        }
        for name in sorted(names, key=finnish_sort_key):
            self.add("organisations", build.MISSING_LEAD_Y_TUNNUS, name=name)

    def sections(self, *kinds: str) -> None:
        for section_kind in kinds:
            if not build._section(self.doc, section_kind):
                title = build._section_title(self.labels, section_kind)
                self.add("sections", build.MISSING_SECTION, title=title)

    def section_group(self, *kinds: str) -> None:
        """One warning, titled after the first kind, when none of these kinds has text (the
        report prints them in one place, e.g. embedding with the conditions for adoption)."""
        if not build._section(self.doc, *kinds):
            title = build._section_title(self.labels, kinds[0])
            self.add("sections", build.MISSING_SECTION, title=title)

    def budget(self, scheme: str) -> None:
        """A warning when the report's table of budget against actual would be empty."""
        doc = self.doc
        schemes = {x.scheme for x in doc.budget_lines} | {x.scheme for x in doc.cost_actuals}
        if scheme not in schemes:
            self.add("budget_lines", build.MISSING_BUDGET)

    def indicators(self, periods: Iterable[int] | None) -> None:
        doc = self.doc
        if not doc.indicators:
            self.add("indicators", build.MISSING_INDICATORS)
        for ind in doc.indicators:
            if ind.target is None:
                self.add("indicators", build.MISSING_TARGET, name=ind.name[:80])
        if periods is not None and doc.indicators:
            for number in periods:
                if not any(v.period == number for ind in doc.indicators for v in ind.values):
                    self.add("values", build.MISSING_PERIOD_VALUES, number=number)


class ProjectKind(ReportKind):
    """A report of one project (its file is named after the project)."""
