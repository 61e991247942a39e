"""Importing sources into the registry and exporting it (JSON, CSV, XLSX).

An import runs in one transaction: it commits whole or changes nothing. A dry run does all the
same work and then rolls back, so what it reports is exactly what a real import would do.

Merge or replace: a project card (and a CSV or XLSX table, which may be a hand-written list of
a few columns) is a partial view of a project, so an update from it keeps everything the source
does not mention (``store.merge_doc``) and reports what it kept. The registry's own JSON file is
a complete document of each project and replaces it. ``remove_missing=True`` makes any format
replace; the report then lists what was removed. ``COMPLETE_FORMATS`` is the one place that
decides.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from project_db import comments as comment_data
from project_db import tabular
from project_db.assessment_models import Assessment
from project_db.assessment_schemas import AssessmentDoc
from project_db.assessment_store import to_assessment_doc
from project_db.audit import set_actor
from project_db.bulk import create_projects
from project_db.errors import N_, ImportFailed, Problem, RegistryError, ValidationFailed
from project_db.history_queries import entries_after, last_entry_id
from project_db.importers import Importer, ImportWarning, ParsedProject, parse_source
from project_db.importers.json_format import JsonImporter
from project_db.listing import projects_in_name_order, stored_keys, stored_project
from project_db.models import Project
from project_db.registry_export import (
    assessments_in_series_order,
    deadline_docs,
    deadlines_in_file,
)
from project_db.schemas import ProjectDoc, RegistryDoc, problems_from_validation_error
from project_db.store import Omitted, apply_doc, merge_doc, to_doc

from ..i18n import field_label
from ..settings import get_settings
from .access import Actor, require_admin
from .codelists import _known, check_codes
from .deadlines import import_deadlines
from .period_locks import check_period_locks
from .projects import _conflict_with_stored, is_write_race

log = logging.getLogger(__name__)

# Formats whose every project is a complete document: an update from them replaces the project.
# Every other format describes a partial view, and an update from it keeps what it leaves out.
COMPLETE_FORMATS = frozenset({"json"})


@dataclass
class ImportedProject:
    name: str
    action: str  # created | updated | unchanged
    project_id: int | None
    warnings: list[ImportWarning] = field(default_factory=list)
    # What the registry holds and the source does not mention: kept (a merge) or removed.
    kept: list[Omitted] = field(default_factory=list)
    removed: list[Omitted] = field(default_factory=list)


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
    remove_missing: bool = False

    @property
    def replaces(self) -> bool:
        """Whether updates replace projects (the format is complete, or removal was chosen)."""
        return self.remove_missing or self.format in COMPLETE_FORMATS

    @property
    def counts(self) -> dict[str, int]:
        result = {"created": 0, "updated": 0, "unchanged": 0}
        for item in self.projects:
            result[item.action] += 1
        return result


def _existing(session: Session, doc: ProjectDoc) -> Project | None:
    return stored_project(session, doc.key, doc.source_key)


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
    for kind in ("key", "source"):
        wanted = {value for k, value in named if k == kind}
        found |= {(kind, value) for value in stored_keys(session, wanted, source=kind == "source")}
    return found


def import_source(
    session: Session,
    data: bytes,
    *,
    filename: str | None = None,
    format_name: str | None = None,
    dry_run: bool = False,
    remove_missing: bool = False,
    actor: Actor,
    max_bytes: int | None = None,
    time_limit: float | None = None,
) -> ImportReport:
    """Import every project in a source.

    A file larger than ``max_bytes`` (default: the EVAUS_MAX_IMPORT_BYTES setting) is refused
    before it is read. With ``time_limit`` (seconds), an import still running then is stopped
    and rolled back. Raises ImportFailed or ValidationFailed and then writes nothing.
    Imports are for administrators.
    """
    require_admin(actor)
    limit = get_settings().max_import_bytes if max_bytes is None else max_bytes
    if len(data) > limit:
        raise ImportFailed(
            N_("The file is too large ({size} MB, at most {limit} MB)."),
            size=_megabytes(len(data)),
            limit=_megabytes(limit),
        )
    deadline = None if time_limit is None else time.monotonic() + time_limit
    importer, parsed = _parse(data, filename, format_name)
    replace = remove_missing or importer.name in COMPLETE_FORMATS
    set_actor(session, actor.username)
    results: dict[int, ImportedProject] = {}
    problems: list[Problem] = []
    known = _known(session)
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
                session, item.doc, extend_open_lists=True, prefix=prefix, known=known, actor=actor
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
        _check_time(deadline, time_limit)
        for index in later:
            doc = parsed[index].doc
            project = _existing(session, doc)
            action = "updated" if project else "created"
            omitted: list[Omitted] = []
            if project is not None:
                prefix = f"projects.{index}" if len(parsed) > 1 else ""
                stored = to_doc(project)
                merged, omitted = _merged(stored, doc, prefix)
                if not replace:
                    doc = merged
                check_period_locks(session, project, doc, stored=stored)
            last_audit = last_entry_id(session)
            project = apply_doc(session, project or Project(), doc)
            # Any audited change counts, also one to a shared record (a contact's e-mail).
            changed = entries_after(session, last_audit)
            if action == "updated" and not changed:
                action = "unchanged"
            results[index] = ImportedProject(
                doc.name,
                action,
                project.id,
                warnings[index],
                kept=[] if replace else omitted,
                removed=omitted if replace else [],
            )
            _check_time(deadline, time_limit)
        if problems:
            raise ValidationFailed(problems)
        assessments = _import_assessments(session, importer, data, actor)
        if importer.name == "json":  # the registry's file lists the hand-added deadlines
            docs = [item.doc for item in parsed]
            import_deadlines(session, deadlines_in_file(data), docs, actor=actor)
        _check_time(deadline, time_limit)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except (StaleDataError, DBAPIError) as exc:
        # Another writer changed the same project meanwhile: the conflict, never a raw error.
        session.rollback()
        if not is_write_race(exc):
            raise
        raise _conflict_with_stored(session, [item.doc for item in parsed]) from None
    except BaseException:
        session.rollback()
        raise
    return ImportReport(
        format=importer.name,
        dry_run=dry_run,
        projects=[results[i] for i in sorted(results)],
        assessments=assessments,
        remove_missing=remove_missing,
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _check_time(deadline: float | None, time_limit: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise ImportFailed(
            N_("The import took longer than {seconds} seconds and was stopped."),
            seconds=f"{time_limit:g}",
        )


def _parse(
    data: bytes, filename: str | None, format_name: str | None
) -> tuple[Importer, list[ParsedProject]]:
    """Parse a source. A failure the importer did not foresee becomes ImportFailed naming what
    was not understood (the details go to the server log), never a traceback to the user."""
    try:
        return parse_source(data, filename, format_name)
    except RegistryError:
        raise
    except Exception as exc:
        name = format_name or _detected(data, filename)
        log.exception("Importing %s as %s failed", filename or "a file", name)
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ImportFailed(
            N_("The file could not be read: {detail} (format {format})."),
            detail=detail,
            format=name,
        ) from None


def _detected(data: bytes, filename: str | None) -> str:
    from project_db.importers import detect_format

    try:
        return detect_format(data, filename).name
    except Exception:  # the format is only named in a message about another failure
        return "?"


def _merged(
    current: ProjectDoc, source: ProjectDoc, prefix: str
) -> tuple[ProjectDoc, list[Omitted]]:
    try:
        return merge_doc(current, source)
    except ValidationError as exc:
        raise ValidationFailed(problems_from_validation_error(exc, prefix)) from None


def omitted_labels(items: list[Omitted], lang: str) -> list[str]:
    """['tiivistelmä', 'organisaatio: Kuopion kaupunki (paatoteuttaja)', …]"""
    return [
        field_label(item.field, lang).lower() + (f": {item.item}" if item.item else "")
        for item in items
    ]


def describe_omitted(items: list[Omitted], lang: str) -> str:
    """'tiivistelmä, organisaatio: Kuopion kaupunki (paatoteuttaja), henkilö: Maija Mallikas'"""
    return ", ".join(omitted_labels(items, lang))


def _import_assessments(
    session: Session, importer: Importer, data: bytes, actor: Actor
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
            assessment, action = import_assessment_doc(session, doc, actor=actor)
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


def export_registry(session: Session, *, actor: Actor) -> RegistryDoc:
    """Every project, in Finnish alphabetical order (ties by key), and every assessment version
    (by series, then version number) as one interchange document. The whole registry at once,
    personal data included: administrators only (``Forbidden`` for anybody else)."""
    require_admin(actor)
    projects = projects_in_name_order(session)
    assessments = assessments_in_series_order(session)
    return RegistryDoc(
        projects=[to_doc(p) for p in projects],
        assessments=[_assessment_doc(session, a) for a in assessments],
        # The projects' comments; an import reads and ignores them (see CommentDoc).
        comments=comment_data.export_docs(session, projects),
        deadlines=deadline_docs(session, projects),
    )


def _assessment_doc(session: Session, assessment: Assessment) -> AssessmentDoc:
    return to_assessment_doc(session, assessment)


def export_json(session: Session, *, actor: Actor) -> bytes:
    return (export_registry(session, actor=actor).model_dump_json(indent=2) + "\n").encode("utf-8")


def export_csv_zip(session: Session, *, actor: Actor) -> bytes:
    return tabular.registry_to_csv_zip(export_registry(session, actor=actor))


def export_xlsx(session: Session, *, actor: Actor) -> bytes:
    return tabular.registry_to_xlsx(export_registry(session, actor=actor))


EXPORTERS = {"json": export_json, "csv": export_csv_zip, "xlsx": export_xlsx}
EXPORT_SUFFIX = {"json": ".json", "csv": ".zip", "xlsx": ".xlsx"}
