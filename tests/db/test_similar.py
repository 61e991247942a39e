"""'Has this been done before?': similar projects by their goals, target groups and measures."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.demo import load_demo
from evaus.services import projects as ps
from evaus.services.access import local_admin
from evaus.services.similar import similar_projects
from project_db.errors import NotFound
from project_db.models import Project

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


def test_the_two_social_rehabilitation_projects_find_each_other(database: Database) -> None:
    with database.session() as session:
        load_demo(session)
        ids = {p.short_name or p.name: p.id for p in session.scalars(select(Project))}
        print(sorted(ids))
        soku = next(i for name, i in ids.items() if "SoKu" in name)
        hanska = next(
            i for name, i in ids.items() if name.startswith("Sosiaalisen kuntoutuksen yhteistyö")
        )
        for own, other in ((soku, hanska), (hanska, soku)):
            found = similar_projects(session, own, limit=3, actor=READER)
            print(own, [(f.name, f.score) for f in found])
            assert other in [f.id for f in found]
            assert own not in [f.id for f in found]
            assert all(0 < f.score <= 1.0001 for f in found)
            assert all(f.excerpt and len(f.excerpt) <= 240 for f in found)
        best = similar_projects(session, soku, limit=1, actor=READER)
        assert len(best) == 1


def test_a_project_with_nothing_in_common_has_no_similar_projects(database: Database) -> None:
    with database.session() as session:
        a = ps.create_project(
            session,
            {
                "name": "Asunnottomien tuki",
                "summary": "Asunnottomien asumisneuvonta.",
                "people": [{"person": {"name": "Liisa Laine"}, "is_contact": True}],
                "results": [{"kind": "impact", "text": "Asunnottomuus väheni kolmanneksella."}],
            },
            actor=local_admin("t"),
        )
        b = ps.create_project(
            session,
            {"name": "Asunnottomuuden ehkäisy", "summary": "Asunnottomien tuki."},
            actor=local_admin("t"),
        )
        c = ps.create_project(
            session, {"name": "Kirjasto", "summary": "Lukupiirit."}, actor=local_admin("t")
        )
        assert similar_projects(session, c.id, actor=READER) == []
        found = similar_projects(session, b.id, actor=READER)
        assert [f.id for f in found] == [a.id]
        assert found[0].contacts == ["Liisa Laine"]
        assert found[0].excerpt == "Asunnottomuus väheni kolmanneksella."
        with pytest.raises(NotFound):
            similar_projects(session, 10_000, actor=READER)
