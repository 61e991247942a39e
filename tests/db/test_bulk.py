"""Bulk creation writes what ``apply_doc`` writes (SQLite and PostgreSQL).

Every document is stored twice — once by the store's ``apply_doc``, once by
``project_db.bulk.create_projects`` — and both must read back as the same document, be found
by the same search and show a "create" entry in the project's history.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select

from evaus.db import Database
from evaus.dev.generate import generate_docs
from evaus.services import projects as ps
from evaus.services.access import local_admin
from project_db.audit import set_actor
from project_db.bulk import create_projects
from project_db.models import AuditEntry, Project
from project_db.schemas import ProjectDoc
from project_db.store import apply_doc, to_doc
from tests.reports_support import demo_docs, large_doc, rich_doc

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


def _renamed(doc: ProjectDoc, suffix: str, number: int) -> ProjectDoc:
    return doc.model_copy(
        update={
            "key": None,
            "source_key": f"copy-{number}-{suffix}",
            "name": f"{doc.name} {suffix}",
        }
    )


_GENERATED_KEY = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _comparable(doc: ProjectDoc, suffix: str) -> Any:
    """The document without its own keys; keys the database made up become a placeholder."""
    data = doc.model_dump(mode="json", exclude={"key", "source_key"})
    data["name"] = data["name"].removesuffix(f" {suffix}")
    return json.loads(_GENERATED_KEY.sub("<made-up key>", json.dumps(data)))


def test_bulk_created_projects_read_back_like_apply_doc(database: Database) -> None:
    docs = [*demo_docs().values(), rich_doc(), large_doc(goals=6, indicators=9, periods=4)]
    docs += list(generate_docs(6, seed=11))
    # A goal hierarchy and an indicator revision, which the other documents lack.
    data = rich_doc().model_dump(mode="json")
    data["name"] = "Hierarkia"
    data["source_key"] = "hierarkia"
    data["goals"][1]["parent_key"] = data["goals"][0]["key"]
    data["indicators"][0]["revisions"] = [
        {"old_target": "40", "new_target": "50", "revised_on": "2016-01-01", "reason": "Nosto"}
    ]
    docs.append(ProjectDoc.model_validate(data))
    with database.session() as session:
        set_actor(session, "tester")
        by_orm = [apply_doc(session, Project(), _renamed(d, "A", i)).id for i, d in enumerate(docs)]
        session.commit()
        by_bulk = create_projects(session, [_renamed(d, "B", i) for i, d in enumerate(docs)])
        session.commit()
        session.expunge_all()
        for orm_id, bulk_id in zip(by_orm, by_bulk, strict=True):
            orm_doc = to_doc(session.get_one(Project, orm_id))
            bulk_doc = to_doc(session.get_one(Project, bulk_id))
            assert _comparable(bulk_doc, "B") == _comparable(orm_doc, "A")
        # The same search finds both copies; the history shows who created the bulk ones.
        found = ps.list_projects(
            session, ps.ProjectQuery(text="kuntoutuksen", page_size=200), actor=READER
        )
        names = {item.name for item in found.items}
        assert any(n.endswith(" A") for n in names) and any(n.endswith(" B") for n in names)
        assert len([n for n in names if n.endswith(" A")]) == len(
            [n for n in names if n.endswith(" B")]
        )
        created = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.project_id == by_bulk[0], AuditEntry.action == "create"
            )
        ).all()
        assert created == ["tester"]
