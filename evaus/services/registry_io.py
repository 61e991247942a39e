"""Importing sources into the registry and exporting it (JSON, CSV, XLSX).

An import runs in one transaction: it commits whole or changes nothing. A dry run does all the
same work and then rolls back, so what it reports is exactly what a real import would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from project_db import tabular
from project_db.assessment_models import Assessment
from project_db.assessment_schemas import AssessmentDoc
from project_db.assessment_store import to_assessment_doc
from project_db.audit import set_actor
from project_db.bulk import create_projects
from project_db.errors import Problem, ValidationFailed
from project_db.importers import Importer, ImportWarning, parse_source
from project_db.importers.json_format import JsonImporter
from project_db.models import AuditEntry, Project
from project_db.schemas import ProjectDoc, RegistryDoc
from project_db.store import apply_doc, to_doc

from .codelists import check_codes, known_codes


@dataclass
class ImportedProject:
    name: str
    action: str  # created | updated | unchanged
    project_id: int | None
    warnings: list[ImportWarning] = field(default_factory=list)


@dataclass
class ImportedAssessment:
    title: str
    action: str  # created | updated | unchanged
    assessment_id: int | None


@dataclass
class ImportReport:
    format: str
    dry_run: bool
    projects: list[ImportedProject]
    assessments: list[ImportedAssessment] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        result = {"created": 0, "updated": 0, "unchanged": 0}
        for item in self.projects:
            result[item.action] += 1
        return result


def _existing(session: Session, doc: ProjectDoc) -> Project | None:
    if doc.key:
        project = session.scalar(select(Project).where(Project.key == doc.key))
        if project:
            return project
    if doc.source_key:
        return session.scalar(select(Project).where(Project.source_key == doc.source_key))
    return None


def _references(doc: ProjectDoc) -> set[tuple[str, str]]:
    """How a document names its project: by key and by source key."""
    refs: set[tuple[str, str]] = set()
    if doc.key:
        refs.add(("key", doc.key))
    if doc.source_key:
        refs.add(("source", doc.source_key))
    return refs


def _stored_references(session: Session, docs: list[ProjectDoc]) -> set[tuple[str, str]]:
    """The documents' keys and source keys that name a project already in the database."""
    named = {reference for doc in docs for reference in _references(doc)}
    found: set[tuple[str, str]] = set()
    for kind, column in (("key", Project.key), ("source", Project.source_key)):
        wanted = list({value for k, value in named if k == kind})
        for start in range(0, len(wanted), 5000):
            chunk = wanted[start : start + 5000]
            stored = session.scalars(select(column).where(column.in_(chunk)))
            found |= {(kind, value) for value in stored if value}
    return found


def import_source(
    session: Session,
    data: bytes,
    *,
    filename: str | None = None,
    format_name: str | None = None,
    dry_run: bool = False,
    actor: str,
) -> ImportReport:
    """Import every project in a source.

    Raises ImportFailed or ValidationFailed and then writes nothing.
    """
    importer, parsed = parse_source(data, filename, format_name)
    set_actor(session, actor)
    results: dict[int, ImportedProject] = {}
    problems: list[Problem] = []
    known = known_codes(session)
    try:
        # New projects are created together in bulk; a project that exists already (or that an
        # earlier document of this file creates) is reconciled afterwards, in file order.
        in_database = _stored_references(session, [item.doc for item in parsed])
        new: list[int] = []
        later: list[int] = []
        claimed: set[tuple[str, str]] = set()
        warnings: dict[int, list[ImportWarning]] = {}
        for index, item in enumerate(parsed):
            prefix = f"projects.{index}" if len(parsed) > 1 else ""
            code_problems, code_warnings = check_codes(
                session, item.doc, extend_open_lists=True, prefix=prefix, known=known
            )
            problems += code_problems
            warnings[index] = item.warnings + code_warnings
            references = _references(item.doc)
            if references & (in_database | claimed):
                later.append(index)
            else:
                new.append(index)
                claimed |= references
        if problems:
            raise ValidationFailed(problems)
        created = create_projects(session, [parsed[i].doc for i in new])
        for index, project_id in zip(new, created, strict=True):
            doc = parsed[index].doc
            results[index] = ImportedProject(doc.name, "created", project_id, warnings[index])
        for index in later:
            doc = parsed[index].doc
            project = _existing(session, doc)
            action = "updated" if project else "created"
            last_audit = session.scalar(select(func.max(AuditEntry.id))) or 0
            project = apply_doc(session, project or Project(), doc)
            changed = session.scalar(
                select(func.count()).where(
                    AuditEntry.id > last_audit, AuditEntry.project_id == project.id
                )
            )
            if action == "updated" and not changed:
                action = "unchanged"
            results[index] = ImportedProject(doc.name, action, project.id, warnings[index])
        if problems:
            raise ValidationFailed(problems)
        assessments = _import_assessments(session, importer, data)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    return ImportReport(
        format=importer.name,
        dry_run=dry_run,
        projects=[results[i] for i in sorted(results)],
        assessments=assessments,
    )


def _import_assessments(
    session: Session, importer: Importer, data: bytes
) -> list[ImportedAssessment]:
    """The assessments of a registry file, after its projects (they may link to them)."""
    from .assessments import import_assessment_doc

    if not isinstance(importer, JsonImporter):
        return []
    docs = importer.parse_assessments(data)
    results = []
    problems: list[Problem] = []
    # Earlier versions first: a version refers to the previous one.
    for index, doc in sorted(enumerate(docs), key=lambda x: x[1].version_number):
        try:
            assessment, action = import_assessment_doc(session, doc)
        except ValidationFailed as exc:
            problems += [
                Problem(f"assessments.{index}.{p.field}", p.message, p.params) for p in exc.problems
            ]
            continue
        results.append(ImportedAssessment(doc.title, action, assessment.id))
    if problems:
        raise ValidationFailed(problems)
    return results


# --- export ---------------------------------------------------------------------------------


def export_registry(session: Session) -> RegistryDoc:
    """Every project, in Finnish alphabetical order (ties by key), and every assessment version
    (by series, then version number) as one interchange document."""
    projects = session.scalars(select(Project).order_by(Project.sort_name, Project.key)).all()
    assessments = session.scalars(
        select(Assessment).order_by(
            Assessment.series_key, Assessment.version_number, Assessment.key
        )
    ).all()
    return RegistryDoc(
        projects=[to_doc(p) for p in projects],
        assessments=[_assessment_doc(session, a) for a in assessments],
    )


def _assessment_doc(session: Session, assessment: Assessment) -> AssessmentDoc:
    return to_assessment_doc(session, assessment)


def export_json(session: Session) -> bytes:
    return (export_registry(session).model_dump_json(indent=2) + "\n").encode("utf-8")


def export_csv_zip(session: Session) -> bytes:
    return tabular.registry_to_csv_zip(export_registry(session))


def export_xlsx(session: Session) -> bytes:
    return tabular.registry_to_xlsx(export_registry(session))


EXPORTERS = {"json": export_json, "csv": export_csv_zip, "xlsx": export_xlsx}
EXPORT_SUFFIX = {"json": ".json", "csv": ".zip", "xlsx": ".xlsx"}
