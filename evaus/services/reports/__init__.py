"""Funder reports: build a context from the registry, render it, archive it, batch, templates.

The web page and the CLI use the same functions (``from evaus.services import reports``), made
of one module per use: ``prepare`` (the data of one report), ``templates`` (the template
versions), ``archive`` (made reports and their archive) and ``batch`` (many reports in a pool
of worker processes). Rendering itself (``evaus.reports``) knows nothing of sessions; batches
render in worker processes that get plain data (dicts and bytes).

Archive storage: the DOCX bytes are kept in the database (``report_archive.content``), in the
same transaction as the row that describes them, so a report and its record can never part, a
PostgreSQL installation serving several app servers needs no shared disk, and ``evaus backup``
includes them. Reports are small (40–200 kB).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...reports.errors import NotFunded, ReportFailed, TemplateRejected
from ...reports.templating import shipped_template
from .archive import (
    ArchivedReport,
    download_archived,
    generate_report,
    list_archive,
    regenerate,
)
from .prepare import (
    AMBIGUOUS_LISTED,
    DECIDED_STATUSES,
    FINISHED_STATUSES,
    NO_ASSESSMENT,
    NO_PROJECT_GIVEN,
    NO_SUCH_VERSION,
    AmbiguousProject,
    AssessmentChoice,
    GeneratedReport,
    PreparedReport,
    _report_labels,
    assessment_choices,
    data_hash,
    describe_missing,
    find_report_project,
    kind_for,
    missing_data,
    prepare_report,
    project_assessment,
    project_funders,
    render_prepared,
    report_version,
    report_warnings,
    today,
)
from .templates import (
    TemplateVersion,
    activate_template,
    template_bytes,
    template_history,
    upload_template,
    use_shipped_template,
)

if TYPE_CHECKING:
    from .batch import (
        BATCH_WORKERS,
        BatchResult,
        ProgressCallback,
        render_batch,
        select_projects,
        status_codes,
    )

# The batch (a pool of worker processes: ``multiprocessing``) is imported when first asked
# for: one report, from the command line or a page, never needs it.
_BATCH_NAMES = frozenset(
    {
        "BATCH_WORKERS",
        "BatchResult",
        "ProgressCallback",
        "render_batch",
        "select_projects",
        "status_codes",
    }
)


def __getattr__(name: str) -> Any:
    if name in _BATCH_NAMES:
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AMBIGUOUS_LISTED",
    "BATCH_WORKERS",
    "DECIDED_STATUSES",
    "FINISHED_STATUSES",
    "NO_ASSESSMENT",
    "NO_PROJECT_GIVEN",
    "NO_SUCH_VERSION",
    "AmbiguousProject",
    "ArchivedReport",
    "AssessmentChoice",
    "BatchResult",
    "GeneratedReport",
    "NotFunded",
    "PreparedReport",
    "ProgressCallback",
    "ReportFailed",
    "TemplateRejected",
    "TemplateVersion",
    "_report_labels",
    "activate_template",
    "assessment_choices",
    "data_hash",
    "describe_missing",
    "download_archived",
    "find_report_project",
    "generate_report",
    "kind_for",
    "list_archive",
    "missing_data",
    "prepare_report",
    "project_assessment",
    "project_funders",
    "regenerate",
    "render_batch",
    "render_prepared",
    "report_version",
    "report_warnings",
    "select_projects",
    "shipped_template",
    "status_codes",
    "template_bytes",
    "template_history",
    "today",
    "upload_template",
    "use_shipped_template",
]
