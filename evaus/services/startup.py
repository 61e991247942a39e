"""Start-up of a registry: what it needs in its database besides the schema.

The web application (``evaus serve``) and the commands call this; ``evaus.db`` only connects and
migrates. Everything here is idempotent and runs under the start-up lock, so instances that
start together on one database add each default row once.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from project_db.deadlines import ensure_default_rules

from ..db import Database, open_database, startup_lock
from ..i18n import today_in_helsinki
from ..settings import Settings
from .access import Actor, local_admin
from .assessment_frameworks import ensure_builtin_frameworks
from .codelists import ensure_default_codes
from .projects import ProjectQuery, list_projects

_ONE_PROJECT = ProjectQuery(page_size=1)


def prepare_registry(database: Database, actor: Actor, *, demo: bool = False) -> None:
    """Add the missing default code lists, shipped assessment frameworks and reporting
    calendar; with ``demo``, load the demo projects into an empty registry (the first start)."""
    with startup_lock(database.engine), database.session(actor.username) as session:
        ensure_default_codes(session)
        ensure_builtin_frameworks(session)
        ensure_default_rules(session, today_in_helsinki())
        session.commit()
        if demo and _is_empty(session, actor):
            from ..demo import load_demo  # the importers (openpyxl and all) only when needed

            load_demo(session, actor="demo")


def _is_empty(session: Session, actor: Actor) -> bool:
    return list_projects(session, _ONE_PROJECT, actor=actor).total == 0


def open_registry(
    settings: Settings | None = None,
    *,
    url: str | None = None,
    demo: bool = False,
    actor: Actor | None = None,
) -> Database:
    """The configured database (or ``url``), migrated and prepared by ``prepare_registry``."""
    database = open_database(settings, url=url)
    prepare_registry(database, actor or local_admin("system"), demo=demo)
    return database
