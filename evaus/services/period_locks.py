"""The lock on approved reporting periods, checked by every service that writes a stored project
(the editor, the API, imports). Apart from the review workflow (``period_review``), which
archives reports and so imports the report services: those import the project services, which
need this check.

The check holds the project for writing (``lock_project``) until the write commits, and so does
every move of a period's review: an approval that comes meanwhile waits for the write and then
locks the written values; one that came first is seen, and the write is refused. A write checks
as its last step before the commit, so that it holds the lock for as short a time as it can.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from project_db import period_review as data
from project_db.errors import N_, Problem, ValidationFailed
from project_db.models import Project
from project_db.schemas import ProjectDoc
from project_db.store import to_doc

PERIOD_LOCKED = N_(
    "Period {number} is approved and locked: its values cannot be changed until it is reopened "
    "with a reason."
)


def _locked_problems(
    session: Session, project: Project, doc: ProjectDoc, *, stored: ProjectDoc | None = None
) -> list[Problem]:
    """A problem for each approved period of the stored project that ``doc`` would change."""
    if project.id is None:
        return []
    data.lock_project(session, project.id)
    locked = data.approved_periods(session, project.id)
    if not locked:
        return []
    before = stored if stored is not None else to_doc(project)
    return [
        Problem("periods", PERIOD_LOCKED, {"number": number})
        for number in data.locked_period_changes(before, doc, locked)
    ]


def check_period_locks(
    session: Session, project: Project, doc: ProjectDoc, *, stored: ProjectDoc | None = None
) -> None:
    """Refuse (``ValidationFailed``) a write of ``doc`` that changes an approved period;
    ``stored`` is the project as it was before the write (``project`` when not given). A
    refused write is rolled back at once, and the project's lock with it."""
    problems = _locked_problems(session, project, doc, stored=stored)
    if problems:
        session.rollback()
        raise ValidationFailed(problems)
