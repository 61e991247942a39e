"""Preparing one report: the kind, the project or assessment it is made of, the data read
into a context, what is missing, and the name it is filed under."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from project_db.codes import DEFAULT_CODE_LISTS
from project_db.errors import N_, NotFound, Problem
from project_db.models import Project
from project_db.schemas import ProjectDoc
from project_db.store import to_doc
from project_db.validators import search_fold

from ...i18n import format_message, normalise_language
from ...reports import build, kinds
from ...reports.contexts import _ReportContext
from ...reports.errors import ReportFailed
from ...reports.kinds import ReportInput, ReportKind, ReportScope
from ...reports.kinds.base import AssessmentVersion
from ...reports.render import render_plain
from ...reports.templating import sha256
from ..access import Actor, require_read
from ..codelists import _labels as code_labels
from ..projects import _find_project, _get_project
from .templates import _active_template

if TYPE_CHECKING:
    from project_db.assessment_models import Assessment
    from project_db.assessment_schemas import AssessmentDoc

    from ...assessment import Framework
    from ..assessments import AssessmentSummary

# The assessment services (and through them the live workshop) and the assessment data are
# imported where an assessment's report needs them: a project's report (the card) never does.
HELSINKI = ZoneInfo("Europe/Helsinki")

NO_ASSESSMENT = kinds.base.NEEDS_ASSESSMENT
NO_PROJECT_GIVEN = kinds.base.NEEDS_PROJECT
AMBIGUOUS_PROJECT = N_("“{reference}” matches {count} projects: {projects}")
AMBIGUOUS_LISTED = 10
NO_SUCH_VERSION = N_("The assessment has no version {version}; its versions are: {versions}")
# The version an EVAUS report is made from by default: the decision-makers' version.
DECIDED_STATUSES = ("paatetty", "jalkiarvioitu")
FINISHED_STATUSES = ("valmis",)


def today() -> date:
    return datetime.now(HELSINKI).date()


def kind_for(name: str) -> ReportKind:
    """The report kind called ``name`` (``ReportFailed`` when there is none)."""
    return kinds.get(name)


class AmbiguousProject(ReportFailed):
    """A project reference that matches several projects; ``matches`` are (id, name)."""

    def __init__(self, reference: str, matches: list[tuple[int, str]], count: int) -> None:
        listed = ", ".join(f"{pid} {name}" for pid, name in matches)
        super().__init__(AMBIGUOUS_PROJECT, reference=reference, count=count, projects=listed)
        self.matches = matches


def find_report_project(session: Session, reference: str, *, actor: Actor) -> int:
    """The project a report is asked for: by id, key, EURA code or a unique part of its name.

    A part of a name that several projects share raises ``AmbiguousProject`` listing the first
    ten of them, so that the user can pick one by its id.
    """
    require_read(actor)
    try:
        return _find_project(session, reference).id
    except NotFound:
        folded = search_fold(reference.strip())
        if not folded:
            raise
        condition = Project.search_text.contains(folded)
        count = session.scalar(select(func.count()).select_from(Project).where(condition)) or 0
        if count < 2:
            raise
        rows = session.execute(
            select(Project.id, Project.name)
            .where(condition)
            .order_by(Project.name, Project.id)
            .limit(AMBIGUOUS_LISTED)
        ).all()
        raise AmbiguousProject(reference, [(r.id, r.name) for r in rows], count) from None


# --- labels, missing data -----------------------------------------------------------------


def _report_labels(session: Session, lang: str) -> build.Labels:
    """Every code list as {code: label} in the report's language."""
    return {name: code_labels(session, name, lang) for name in DEFAULT_CODE_LISTS}


def missing_data(
    kind: str,
    doc: ProjectDoc,
    period: int | None = None,
    *,
    year: int | None = None,
    labels: build.Labels | None = None,
) -> list[Problem]:
    """What a report of this kind would show as "Ei tietoa" (warnings to list before making it).

    Raises ``ReportFailed`` when the report cannot be made at all (e.g. an unknown period).
    """
    return build.missing_data(kind, doc, period, year=year, labels=labels, today=today())


def describe_missing(problems: list[Problem], lang: str) -> list[str]:
    return [format_message(p.message, lang, **p.params) for p in problems]


def report_version(versions: list[AssessmentSummary]) -> AssessmentSummary:
    """The version of a series a report is made from by default: the newest decided one
    (päätetty or jälkiarvioitu), else the newest finished one, else the newest draft."""
    newest_first = sorted(versions, key=lambda v: v.version_number, reverse=True)
    for statuses in (DECIDED_STATUSES, FINISHED_STATUSES):
        found = next((v for v in newest_first if v.status in statuses), None)
        if found is not None:
            return found
    return newest_first[0]


def project_assessment(session: Session, project_id: int, *, actor: Actor) -> int | None:
    """The project's assessment a report is made from by default: of the most recently
    changed assessment, the version ``report_version`` chooses."""
    from ..assessments import list_assessments, list_versions

    require_read(actor)
    found = list_assessments(session, project_id=project_id, actor=actor)
    return report_version(list_versions(session, found[0].id, actor=actor)).id if found else None


class AssessmentChoice(BaseModel):
    """One version of one assessment, as the report page offers them."""

    id: int
    title: str
    version_number: int
    status: str
    changed_on: date | None  # when the version was last changed (Helsinki time)
    default: bool  # the version a report is made from when none is chosen


def assessment_choices(
    session: Session, project_id: int, *, actor: Actor
) -> list[AssessmentChoice]:
    """Every version of the project's assessments: the most recently changed assessment
    first, each one's versions newest first; ``default`` marks each one's report version."""
    from ..assessments import list_assessments, list_versions

    require_read(actor)
    choices = []
    for latest in list_assessments(session, project_id=project_id, actor=actor):
        versions = list_versions(session, latest.id, actor=actor)
        default = report_version(versions).id
        for v in sorted(versions, key=lambda v: v.version_number, reverse=True):
            choices.append(
                AssessmentChoice(
                    id=v.id,
                    title=v.title,
                    version_number=v.version_number,
                    status=v.status,
                    changed_on=_local_date(v.updated_at),
                    default=v.id == default,
                )
            )
    return choices


def report_warnings(
    session: Session,
    project_id: int | None,
    kind: str,
    *,
    period: int | None = None,
    year: int | None = None,
    lang: str = "fi",
    assessment: int | None = None,
    version: int | None = None,
    actor: Actor,
) -> list[str]:
    """What a report would show as "Ei tietoa", in ``lang``, for any kind (the EVAUS report
    looks at the project's assessment, or ``assessment``, and its version ``version``).

    Raises ``ReportFailed`` when the report cannot be made at all (an unknown period, or a
    funder report for a project without that funder: ``NotFunded``).
    """
    require_read(actor)
    found = kinds.get(kind)
    lang = normalise_language(lang)
    source, _project_id, _name = _read_input(
        session,
        found,
        project_id,
        assessment=assessment,
        version=version,
        period=period,
        year=year,
        lang=lang,
        when=today(),
        required=False,
    )
    return describe_missing(found.missing(source), lang)


def project_funders(doc: ProjectDoc) -> set[str]:
    """The funder codes of the project's funding rows."""
    return {f.funder_code for f in doc.funding if f.funder_code}


def _read_input(
    session: Session,
    kind: ReportKind,
    project_id: int | None,
    *,
    assessment: int | None,
    period: int | None,
    year: int | None,
    lang: str,
    when: date,
    labels: build.Labels | None = None,
    required: bool = True,
    version: int | None = None,
) -> tuple[ReportInput, int | None, str]:
    """The registry data the kind is made of, the report's project id and the name it is
    archived under. A funder report of a project without that funder raises ``NotFunded``."""
    if kind.scope == "assessment":
        from ..assessments import _list_versions

        assessment_id = _assessment_for(
            session, project_id, assessment, version=version, required=required
        )
        if assessment_id is None:
            return ReportInput(lang=lang, today=when), project_id, ""
        doc, framework, row = _assessment(session, assessment_id)
        versions = tuple(
            AssessmentVersion(
                number=v.version_number,
                status=v.status,
                changed_on=_local_date(v.updated_at),
            )
            for v in _list_versions(session, assessment_id)
        )
        project = _get_project(session, row.project_id) if row.project_id is not None else None
        source = ReportInput(
            lang=lang,
            today=when,
            assessment=doc,
            assessment_id=assessment_id,
            framework=framework,
            project_name=project.name if project else None,
            project_short_name=project.short_name if project else None,
            assessment_versions=versions,
        )
        return source, project.id if project else None, project.name if project else doc.title
    if project_id is None:
        raise ReportFailed(NO_PROJECT_GIVEN)
    project = _get_project(session, project_id)
    # Refused before the whole project is read: a batch of one funder's reports over the
    # registry skips most projects, and reading one costs more than rendering its report.
    funders = {f.funder_code for f in project.funding if f.funder_code}
    refusal = kind.refusal(project.name, funders)
    if refusal is not None:
        raise refusal
    project_doc = to_doc(project)
    source = ReportInput(
        lang=lang,
        today=when,
        project=project_doc,
        labels=labels if labels is not None else _report_labels(session, lang),
        period=period,
        year=year,
    )
    return source, project_id, project_doc.name


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite keeps no zone: the times are UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(HELSINKI).date()


def _assessment_for(
    session: Session,
    project_id: int | None,
    assessment: int | None,
    *,
    version: int | None = None,
    required: bool = True,
) -> int | None:
    """The assessment (version) a report is made from: ``assessment`` itself, or version
    ``version`` of its series (of the project's assessment when no ``assessment`` is given),
    or the project's default version (``report_version``)."""
    from ..assessments import _list_assessments, _list_versions

    if assessment is not None and version is None:
        return assessment
    found = assessment
    if found is None and project_id is not None:
        latest = _list_assessments(session, project_id=project_id)
        found = latest[0].id if latest else None
    if found is None:
        if required or version is not None:
            raise ReportFailed(NO_ASSESSMENT if project_id is not None else NO_PROJECT_GIVEN)
        return None
    versions = _list_versions(session, found)
    if version is None:
        return report_version(versions).id
    chosen = next((v for v in versions if v.version_number == version), None)
    if chosen is None:
        numbers = ", ".join(str(v.version_number) for v in versions)
        raise ReportFailed(NO_SUCH_VERSION, version=version, versions=numbers)
    return chosen.id


def _assessment(
    session: Session, assessment_id: int
) -> tuple[AssessmentDoc, Framework, Assessment]:
    from project_db.assessment_models import Assessment
    from project_db.assessment_store import to_assessment_doc

    from ..assessment_frameworks import _get_framework as get_framework

    row = session.get(Assessment, assessment_id)
    if row is None:
        raise NotFound("assessment", assessment_id)
    framework = get_framework(session, row.framework_id, row.framework_version)
    return to_assessment_doc(session, row), framework, row


class PreparedReport(BaseModel):
    """Everything needed to render a report, as plain data a worker process can take."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    project_id: int | None  # None: an EVAUS report of an assessment without a project
    project_name: str
    kind: str
    lang: str
    period: int | None
    year: int | None
    assessment_id: int | None
    report_date: date
    context: dict[str, Any]
    data_sha256: str
    template: bytes
    template_sha256: str
    filename: str
    warnings: list[str]


class GeneratedReport(BaseModel):
    filename: str
    content: bytes
    kind: str
    lang: str
    period: int | None
    year: int | None
    warnings: list[str]
    data_sha256: str
    template_sha256: str
    archive_id: int | None = None
    assessment_id: int | None = None

    def scope(self) -> ReportScope:
        return ReportScope(period=self.period, year=self.year, assessment_id=self.assessment_id)


def data_hash(context: _ReportContext) -> str:
    return hashlib.sha256(context.model_dump_json().encode("utf-8")).hexdigest()


def prepare_report(
    session: Session,
    project_id: int | None,
    kind: str,
    *,
    period: int | None = None,
    year: int | None = None,
    lang: str = "fi",
    report_date: date | None = None,
    template: bytes | None = None,
    assessment: int | None = None,
    labels: build.Labels | None = None,
    version: int | None = None,
    actor: Actor,
) -> PreparedReport:
    """Everything a report needs before rendering. ``template`` and ``labels`` (the code lists
    in ``lang``) may be passed in by a batch that reads them once."""
    require_read(actor)
    found = kinds.get(kind)
    lang = normalise_language(lang)
    when = report_date or today()
    source, report_project, name = _read_input(
        session,
        found,
        project_id,
        assessment=assessment,
        version=version,
        period=period,
        year=year,
        lang=lang,
        when=when,
        labels=labels,
    )
    warnings = describe_missing(found.missing(source), lang)
    context = found.build(source)
    scope = found.chosen_scope(context, source)
    content = template if template is not None else _active_template(session, kind, lang)
    return PreparedReport(
        project_id=report_project,
        project_name=name,
        kind=kind,
        lang=lang,
        period=scope.period,
        year=scope.year,
        assessment_id=scope.assessment_id,
        report_date=when,
        context=context.model_dump(mode="json"),
        data_sha256=data_hash(context),
        template=content,
        template_sha256=sha256(content),
        filename=found.file_name(found.file_base(source), lang, scope),
        warnings=warnings,
    )


def render_prepared(prepared: PreparedReport) -> bytes:
    return render_plain(prepared.kind, prepared.context, prepared.template)
