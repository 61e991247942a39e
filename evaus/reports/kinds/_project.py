"""What the kinds made of one project share: reading the input, building the context and
listing missing data, declared by class attributes of ``ProjectKind``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from project_db.errors import N_, Problem
from project_db.schemas import ProjectDoc
from project_db.store import finnish_sort_key

from ..errors import ReportFailed
from ..rows import _section, _section_title
from .base import NEEDS_PROJECT, ReportInput, ReportKind

if TYPE_CHECKING:
    from ..contexts import _ReportContext

# Warnings shared by several kinds (message ids).
MISSING_PERIODS = N_("The project has no reporting periods: the report covers its whole term")
MISSING_PARTICIPANTS = N_("The participant figures are missing")

# A text check: a section kind on its own, or a group of kinds that gets one warning.
TextCheck = str | tuple[str, ...]


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
            self.add("summary", N_("The summary is missing"))
        if not doc.goals:
            self.add("goals", N_("The project has no goals"))
        if lead and not any(o.role == "paatoteuttaja" for o in doc.organisations):
            self.add("organisations", N_("The lead implementer is missing"))
        if funding and not any(f.amount is not None for f in doc.funding):
            self.add("funding", N_("The funding amounts are missing"))

    def lead_y_tunnus(self) -> None:
        """A warning for each lead implementer (the grant recipient) without a Y-tunnus: the
        funder's basic data ask for it."""
        names = {
            o.organisation.name
            for o in self.doc.organisations
            if o.role == "paatoteuttaja" and not o.organisation.y_tunnus
        }
        message = N_("The Y-tunnus of the lead implementer (grant recipient) is missing: {name}")
        for name in sorted(names, key=finnish_sort_key):
            self.add("organisations", message, name=name)

    def texts(self, checks: Iterable[TextCheck]) -> None:
        """A warning for each section kind without text, and one for each group of kinds
        none of which has text (the report prints them in one place, e.g. embedding with the
        conditions for adoption), titled after the group's first kind."""
        for check in checks:
            group = (check,) if isinstance(check, str) else check
            if not _section(self.doc, *group):
                title = _section_title(self.labels, group[0])
                self.add("sections", N_("The description is missing: {title}"), title=title)

    def budget(self, scheme: str) -> None:
        """A warning when the report's table of budget against actual would be empty."""
        doc = self.doc
        schemes = {x.scheme for x in doc.budget_lines} | {x.scheme for x in doc.cost_actuals}
        if scheme not in schemes:
            self.add(
                "budget_lines",
                N_("The budget and the actual costs by cost category are missing"),
            )

    def indicators(self, periods: Iterable[int] | None) -> None:
        doc = self.doc
        if not doc.indicators:
            self.add("indicators", N_("The project has no indicators"))
        for ind in doc.indicators:
            if ind.target is None:
                self.add(
                    "indicators", N_("Indicator {name}: the target is missing"), name=ind.name[:80]
                )
        if periods is not None and doc.indicators:
            for number in periods:
                if not any(v.period == number for ind in doc.indicators for v in ind.values):
                    self.add(
                        "values",
                        N_("Period {number}: the indicator values are missing"),
                        number=number,
                    )


class ProjectKind(ReportKind):
    """A report of one project (its file is named after the project).

    A kind declares what differs: ``builder`` makes the context (with the period or the
    year the kind's ``scope`` asks for), and the checks of ``missing`` run in one order —
    the basics (``needs_lead``, ``needs_funding``, ``needs_y_tunnus``), the kind's own
    ``check_data``, the budget of ``budget_scheme`` and the ``texts`` the report prints.
    """

    builder: ClassVar[Callable[..., _ReportContext]]
    needs_lead: ClassVar[bool] = True
    needs_funding: ClassVar[bool] = True
    needs_y_tunnus: ClassVar[bool] = True
    budget_scheme: ClassVar[str | None] = None
    texts: ClassVar[tuple[TextCheck, ...]] = ()

    def build(self, source: ReportInput) -> _ReportContext:
        scoped = {"period": (source.period,), "year": (source.year,)}.get(self.scope, ())
        make = type(self).builder
        return make(project_of(source), source.labels, source.lang, source.today, *scoped)

    def check_data(self, check: Missing, source: ReportInput) -> None:
        """The kind's own checks of the data (by default: the indicators, of any period)."""
        check.indicators(None)

    def missing(self, source: ReportInput) -> list[Problem]:
        check = Missing(source)
        check.basics(lead=self.needs_lead, funding=self.needs_funding)
        if self.needs_y_tunnus:
            check.lead_y_tunnus()
        self.check_data(check, source)
        if self.budget_scheme is not None:
            check.budget(self.budget_scheme)
        check.texts(self.texts)
        return check.problems
