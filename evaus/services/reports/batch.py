"""Many reports at once: the projects chosen, the reports rendered in a pool of worker
processes and filed into one ZIP (and the archive) in project order."""

from __future__ import annotations

import collections
import contextlib
import io
import multiprocessing
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from project_db.errors import N_, NotFound, RegistryError
from project_db.models import Indicator, Person, Project, ProjectPerson

from ...i18n import LANGUAGES, format_message, normalise_language
from ...reports import kinds
from ...reports.errors import NotFunded, ReportFailed
from ...reports.render import render_in_batch_worker, render_plain, start_batch_worker
from ..access import Actor, require_admin, require_read
from ..codelists import _labels as code_labels
from ..projects import ProjectQuery, _get_project, list_projects
from .archive import _archive_report
from .prepare import PreparedReport, _report_labels, prepare_report
from .templates import _active_template

BATCH_WORKERS = 2
BATCH_IN_FLIGHT = 4  # reports per worker waiting or rendering at once (bounds the memory used)
PRELOAD_CHUNK = 50  # projects read together, a few queries for all of them

NO_PROJECTS = N_("No projects match.")
BATCH_FAILED = N_("{name}: {reason}")
UNKNOWN_STATUS = N_("Unknown status “{status}”; the statuses are: {allowed}")

ProgressCallback = Callable[[int, int, str], None]


class BatchResult(BaseModel):
    content: bytes  # the ZIP
    done: list[str]  # file names in the ZIP
    failed: list[str]  # "project: reason", translated
    archive_ids: list[int]
    skipped: list[str] = []  # "project: reason": the report is not for such projects


def status_codes(session: Session, given: list[str], *, actor: Actor) -> list[str]:
    """The status codes meant: each given as its code or its name in Finnish, Swedish or
    English (``kaynnissa``, ``käynnissä``, ``pågående``, ``ongoing``), in any case."""
    require_read(actor)
    names: dict[str, str] = {}
    for lang in LANGUAGES:
        for code, name in code_labels(session, "status", lang).items():
            names.setdefault(name.casefold(), code)
            names[code.casefold()] = code
    codes: list[str] = []
    for value in given:
        found = names.get(unicodedata.normalize("NFC", value.strip()).casefold())
        if found is None:
            allowed = ", ".join(code_labels(session, "status", "fi"))
            raise ReportFailed(UNKNOWN_STATUS, status=value, allowed=allowed)
        codes.append(found)
    return codes


def select_projects(
    session: Session, *, status: list[str] | None = None, actor: Actor
) -> list[int]:
    require_read(actor)
    ids: list[int] = []
    page = 1
    while True:
        result = list_projects(
            session,
            ProjectQuery(status=status or [], page=page, page_size=500, sort="name"),
            actor=actor,
        )
        ids += [p.id for p in result.items]
        if len(ids) >= result.total or not result.items:
            return ids
        page += 1


def render_batch(
    session: Session,
    kind: str,
    project_ids: list[int],
    *,
    period: int | None = None,
    year: int | None = None,
    lang: str = "fi",
    actor: Actor,
    progress: ProgressCallback | None = None,
    workers: int = BATCH_WORKERS,
    archive: bool = True,
) -> BatchResult:
    """Render one kind for many projects into a ZIP, in worker processes.

    ``progress(done, total, name)`` is called after each project (from the calling thread).
    Projects whose report cannot be made (e.g. no such period) are listed in ``failed``; those
    the report is not for (a funder report of a project without that funder) in ``skipped``.
    ``workers=0`` renders in the calling process (no pool).

    A pipeline: this process reads each project and builds its context while the workers
    render the ones before it, and files the finished reports (ZIP, archive) in project
    order as they come. The template is read once and handed to each worker once.
    Batches are for administrators, like the page that starts them.
    """
    require_admin(actor)
    kinds.get(kind)
    lang = normalise_language(lang)
    if not project_ids:
        raise ReportFailed(NO_PROJECTS)
    template = _active_template(session, kind, lang)
    labels = _report_labels(session, lang)
    batch = _Batch(
        session,
        total=len(project_ids),
        lang=lang,
        actor=actor.username,
        archive=archive,
        progress=progress,
    )
    with _renderers(workers, template) as submit:
        for project_id, _loaded in _preloaded(session, kind, project_ids):
            try:
                prepared = prepare_report(
                    session,
                    project_id,
                    kind,
                    period=period,
                    year=year,
                    lang=lang,
                    template=template,
                    labels=labels,
                    actor=actor,
                )
            except NotFunded as exc:
                batch.skip(project_id, exc)
                continue
            except RegistryError as exc:
                batch.fail(project_id, exc)
                continue
            batch.add(prepared, submit(prepared.kind, prepared.context))
            batch.file_finished(limit=BATCH_IN_FLIGHT * max(workers, 1))
        batch.file_finished(limit=0)
    result = batch.result()
    session.commit()
    return result


def _preloaded(
    session: Session, kind: str, project_ids: list[int]
) -> Iterator[tuple[int, list[Project]]]:
    """Each project id with its chunk of projects read ahead: first their funding rows (a
    funder's report skips the projects without that funder, unread), then for the rest
    everything a report is made of, one query per relationship for the whole chunk instead of
    ~20 lazy loads per project. The session finds them in its identity map (``session.get``),
    which holds them only while referenced: hence the list yielded with each id."""
    found = kinds.get(kind)
    for start in range(0, len(project_ids), PRELOAD_CHUNK):
        chunk = project_ids[start : start + PRELOAD_CHUNK]
        loaded: list[Project] = []
        if found.scope != "assessment":
            with_funding = session.scalars(
                select(Project).where(Project.id.in_(chunk)).options(selectinload(Project.funding))
            ).all()
            served = [
                p.id
                for p in with_funding
                if found.serves(f.funder_code for f in p.funding if f.funder_code)
            ]
            loaded = list(with_funding)
            if served:
                loaded += session.scalars(
                    select(Project).where(Project.id.in_(served)).options(*_PROJECT_PARTS)
                ).all()
        for project_id in chunk:
            yield project_id, loaded


# What ``to_doc`` reads of a project (its many-to-one references are joined by the models).
_PROJECT_PARTS = (
    selectinload(Project.themes),
    selectinload(Project.links),
    selectinload(Project.sections),
    selectinload(Project.organisations),
    selectinload(Project.people).selectinload(ProjectPerson.person).joinedload(Person.organisation),
    selectinload(Project.goals),
    selectinload(Project.measures),
    selectinload(Project.results),
    selectinload(Project.indicators).selectinload(Indicator.revisions),
    selectinload(Project.indicators).selectinload(Indicator.values),
    selectinload(Project.periods),
    selectinload(Project.participant_stats),
    selectinload(Project.budget_lines),
    selectinload(Project.cost_actuals),
    selectinload(Project.attachments),
)


@contextlib.contextmanager
def _renderers(
    workers: int, template: bytes
) -> Iterator[Callable[[str, dict[str, Any]], Future[bytes]]]:
    """``submit(kind, context)`` → a future of the DOCX bytes: a pool of ``workers`` processes
    started once for the whole batch, or this process when ``workers`` is 0."""
    if workers <= 0:

        def here(kind: str, context: dict[str, Any]) -> Future[bytes]:
            future: Future[bytes] = Future()
            future.set_result(render_plain(kind, context, template))
            return future

        yield here
        return
    context = multiprocessing.get_context("spawn")  # safe next to a web server's threads
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=start_batch_worker,
        initargs=(template,),
    ) as pool:

        def submit(kind: str, context: dict[str, Any]) -> Future[bytes]:
            return pool.submit(render_in_batch_worker, kind, context)

        try:
            yield submit
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


class _Batch:
    """The ZIP, the archive rows and the progress of one batch, filed in project order."""

    def __init__(
        self,
        session: Session,
        *,
        total: int,
        lang: str,
        actor: str,
        archive: bool,
        progress: ProgressCallback | None,
    ) -> None:
        self.session, self.total, self.lang, self.actor = session, total, lang, actor
        self.archive, self.progress = archive, progress
        self.count = 0
        self.failed: list[str] = []
        self.skipped: list[str] = []
        self.names: list[str] = []
        self.archive_ids: list[int] = []
        self.waiting: collections.deque[tuple[PreparedReport, Future[bytes]]] = collections.deque()
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)

    def _step(self, name: str) -> None:
        self.count += 1
        if self.progress:
            self.progress(self.count, self.total, name)

    def fail(self, project_id: int, exc: RegistryError, *, into: list[str] | None = None) -> None:
        name = _get_project(self.session, project_id).name
        (self.failed if into is None else into).append(
            format_message(BATCH_FAILED, self.lang, name=name, reason=_reason(exc, self.lang))
        )
        self._step(name)

    def skip(self, project_id: int, exc: NotFunded) -> None:
        self.fail(project_id, exc, into=self.skipped)

    def add(self, prepared: PreparedReport, future: Future[bytes]) -> None:
        self.waiting.append((prepared, future))

    def file_finished(self, *, limit: int) -> None:
        """File the finished reports at the head of the queue; wait for the oldest while more
        than ``limit`` are still waiting."""
        while self.waiting:
            prepared, future = self.waiting[0]
            if not future.done() and len(self.waiting) <= limit:
                return
            content = future.result()
            self.waiting.popleft()
            name = prepared.filename
            stem, n = name.removesuffix(".docx"), 2
            while name in self.names:
                name, n = f"{stem}-{n}.docx", n + 1
            self.names.append(name)
            # A DOCX is a zip already: stored as it is, not compressed a second time.
            self.zip.writestr(name, content, compress_type=zipfile.ZIP_STORED)
            if self.archive:
                row = _archive_report(self.session, prepared, content, actor=self.actor)
                self.archive_ids.append(row.id)
            self._step(prepared.project_name)

    def result(self) -> BatchResult:
        if self.failed:
            self.zip.writestr("puuttuvat.txt", "\n".join(self.failed) + "\n")
        if self.skipped:
            self.zip.writestr("ohitetut.txt", "\n".join(self.skipped) + "\n")
        self.zip.close()
        return BatchResult(
            content=self.buffer.getvalue(),
            done=self.names,
            failed=self.failed,
            archive_ids=self.archive_ids,
            skipped=self.skipped,
        )


def _reason(exc: RegistryError, lang: str) -> str:
    if isinstance(exc, ReportFailed):
        return format_message(exc.message, lang, **exc.params)
    if isinstance(exc, NotFound):
        return format_message("Not found: {what}", lang, what=exc.ident)
    return str(exc)
