"""What every report kind declares and does: the ``ReportKind`` base class.

A kind is one module in this package holding ``KIND = TheKind()``; the module's name is the
kind's name with "-" written "_" (``esr_period`` → ``esr-period``), so the names are known
without importing every kind. The service reads the registry data a kind asks for (its
``scope``) into a ``ReportInput``; the kind builds the context and lists what is missing.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, ClassVar, Literal

from project_db.errors import N_, Problem

from ..errors import NotFunded, ReportFailed

if TYPE_CHECKING:
    from project_db.assessment_schemas import AssessmentDoc
    from project_db.schemas import ProjectDoc

    from ...assessment import Framework
    from ..contexts import _ReportContext

Scope = Literal["project", "period", "year", "assessment"]
Labels = dict[str, dict[str, str]]

NO_FUNDING = N_("The project {project} has no {funder} funding: no {funder} report is made.")
NEEDS_PROJECT = N_("Give a project or an assessment.")
NEEDS_ASSESSMENT = N_("The project has no impact assessment: the EVAUS report cannot be made.")

PERIOD_WORDS = {"fi": "jakso", "sv": "period", "en": "period"}


@dataclass(frozen=True)
class AssessmentVersion:
    """One version of an assessment's series, as the EVAUS report lists them."""

    number: int
    status: str
    changed_on: date | None = None


@dataclass(frozen=True)
class ReportInput:
    """The registry data one report is made from, read by the service (no session here)."""

    lang: str
    today: date
    project: ProjectDoc | None = None
    labels: Labels = field(default_factory=dict)
    period: int | None = None
    year: int | None = None
    assessment: AssessmentDoc | None = None
    assessment_id: int | None = None
    framework: Framework | None = None
    # The project an assessment is linked to (None: a standalone assessment).
    project_name: str | None = None
    project_short_name: str | None = None
    # Every version of the assessment's series, oldest first (the report says which it is).
    assessment_versions: tuple[AssessmentVersion, ...] = ()


@dataclass(frozen=True)
class ReportScope:
    """The part of the data a made report covers (kept in the archive to make it again)."""

    period: int | None = None
    year: int | None = None
    assessment_id: int | None = None


def _ascii(text: str, limit: int) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-")[:limit]


class ReportKind(ABC):
    """One kind of report. Subclasses set the class attributes and implement build/missing."""

    name: ClassVar[str]  # the --kind value and the template's file name: {name}_{lang}.docx
    label: ClassVar[str]  # a message id, translated where it is shown
    scope: ClassVar[Scope]
    funders: ClassVar[frozenset[str] | None] = None  # funder codes; None: any project
    context_model: ClassVar[type[_ReportContext]]
    file_words: ClassVar[Mapping[str, str]]  # {lang: word in download names}; "fi" is the default
    order: ClassVar[int]  # place in lists

    @abstractmethod
    def build(self, source: ReportInput) -> _ReportContext:
        """The report's context. Raises ``ReportFailed`` when it cannot be made."""

    @abstractmethod
    def missing(self, source: ReportInput) -> list[Problem]:
        """What the report would show as "Ei tietoa", as warnings (message ids)."""

    def chosen_scope(self, context: _ReportContext, source: ReportInput) -> ReportScope:
        """What the made report covers (e.g. the latest period when none was asked for)."""
        return ReportScope()

    # --- funders -----------------------------------------------------------------------------

    def serves(self, funder_codes: Iterable[str]) -> bool:
        """Whether a project with these funders gets this report."""
        return self.funders is None or bool(self.funders & set(funder_codes))

    def refusal(self, project_name: str, funder_codes: Iterable[str]) -> NotFunded | None:
        """Why this project does not get this report (None: it does)."""
        if self.serves(funder_codes):
            return None
        funder = " / ".join(sorted(self.funders or ()))
        return NotFunded(NO_FUNDING, project=project_name, funder=funder)

    # --- names ---------------------------------------------------------------------------------

    def file_base(self, source: ReportInput) -> str:
        """The start of the archived file's name."""
        doc = source.project
        if doc is None:
            raise ReportFailed(NEEDS_PROJECT)
        return doc.eura_code or doc.short_name or doc.name

    def file_name(
        self,
        base: str,
        lang: str,
        scope: ReportScope,
        *,
        made_on: date | None = None,
        suffix: str = ".docx",
    ) -> str:
        """The one way report files are named.

        Archived: ``S20397_esr-period_jakso2_fi.docx`` (``made_on`` None). Downloaded:
        ``SoKu-esr-seurantaraportti-jakso2-2026-11-23.docx`` (in the report's language).
        """
        if made_on is None:
            if scope.period:
                extra = f"_jakso{scope.period}"
            elif scope.year:
                extra = f"_{scope.year}"
            elif scope.assessment_id:
                extra = f"_{scope.assessment_id}"
            else:
                extra = ""
            return f"{_ascii(base, 60) or 'hanke'}_{self.name}{extra}_{lang}{suffix}"
        word = self.file_words.get(lang) or self.file_words.get("fi") or self.name
        parts = [_ascii(base, 50) or "hanke", word]
        if scope.period:
            parts.append(f"{PERIOD_WORDS.get(lang, 'jakso')}{scope.period}")
        if scope.year:
            parts.append(str(scope.year))
        parts.append(made_on.isoformat())
        return "-".join(parts) + suffix
