"""Project services on SQLite and PostgreSQL: CRUD, validation, conflicts, audit, list search."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, func, select

from evaus.db import Database
from evaus.i18n import describe_problem
from evaus.services import projects as ps
from evaus.services.access import local_admin
from project_db.errors import ConflictError, NotFound, ValidationFailed
from project_db.models import AuditEntry, Organisation, Person, Project

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


def rich_project(
    name: str = "Asunnottomien palveluiden kehittämishanke", **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "status": "kaynnissa",
        "project_type": "stm",
        "portfolio": "Hyvinvointisalkku 2014-2020",
        "region": "pohjois-pohjanmaa",
        "municipality": "Oulu",
        "start_date": "1.11.2020",
        "end_date": "31.12.2022",
        "summary": "Kehitetään matalan kynnyksen palveluja asunnottomille.",
        "budget_amount": "1 250 000,50",
        "budget_class": "yli-1000000",
        "themes": ["asunnottomuus", "päihteet"],
        "organisations": [
            {
                "organisation": {
                    "name": "Oulun kaupunki",
                    "org_type": "kunta",
                    "y_tunnus": "0187690-1",
                },
                "role": "paatoteuttaja",
            }
        ],
        "funding": [
            {
                "funder": {"name": "Sosiaali- ja terveysministeriö", "org_type": "valtio"},
                "funder_code": "STM",
                "amount": "800000",
                "share_percent": "64",
                "decision_date": "15.10.2020",
                "decision_number": "VN/1234/2020",
            },
            {
                "funder": {"name": "Oulun kaupunki", "org_type": "kunta"},
                "funder_code": "KUNTA",
                "amount": "450000.50",
            },
        ],
        "people": [
            {
                "person": {
                    "name": "Arja Heikkinen",
                    "email": "arja.heikkinen(at)ouka.fi",
                    "phone": "044 703 4034",
                    "organisation": "Oulun kaupunki",
                },
                "role": "Vastuullinen johtaja",
                "is_contact": True,
                "is_team": False,
            },
        ],
        "goals": [
            {"key": "g1", "title": "Kehittää asiakaslähtöisiä palveluja"},
            {"key": "g2", "parent_key": "g1", "title": "Liikkuvat palvelut"},
        ],
        "measures": [
            {
                "key": "m1",
                "goal_key": "g1",
                "title": "Tavoitetaan vähintään 200 henkilöä",
                "responsible": "Projektipäällikkö",
                "start_date": "1.1.2021",
                "end_date": "31.12.2021",
            }
        ],
        "results": [
            {"kind": "impact", "goal_key": "g1", "text": "Asunnottomuus vähenee pysyvästi"}
        ],
        "periods": [
            {
                "number": 1,
                "start_date": "1.11.2020",
                "end_date": "30.4.2021",
                "done": "Aloitettiin.",
            },
            {"number": 2, "start_date": "1.5.2021", "end_date": "31.12.2021"},
        ],
        "indicators": [
            {
                "key": "i1",
                "measure_key": "m1",
                "name": "Tavoitetut henkilöt",
                "unit": "henkilöä",
                "baseline": "0",
                "target": "200",
                "revisions": [
                    {
                        "old_target": "150",
                        "new_target": "200",
                        "reason": "Kysyntä kasvoi",
                        "revised_on": "1.3.2021",
                    }
                ],
                "values": [
                    {"period": 1, "value": "80", "basis": "collected"},
                    {"period": 2, "value": "120,5", "basis": "estimate", "note": "arvio"},
                ],
            },
        ],
        "participant_stats": [{"period": 1, "gender": "nainen", "age_class": "30-54", "count": 12}],
        "sections": [{"kind": "perusidea", "title": "Ratkaisun perusidea", "body": "1+1=3"}],
        "links": [{"url": "https://www.ouka.fi", "title": "Oulu"}],
    }
    data.update(extra)
    return data


def test_create_and_read_back_everything(database: Database) -> None:
    with database.session("anna") as session:
        project = ps.create_project(session, rich_project(), actor=local_admin("anna"))
        doc = ps.get_project_doc(session, project.id, actor=READER)
    assert doc.start_date == date(2020, 11, 1)
    assert doc.budget_amount == Decimal("1250000.50")
    assert [f.funder.name for f in doc.funding] == [
        "Sosiaali- ja terveysministeriö",
        "Oulun kaupunki",
    ]
    assert doc.funding[0].decision_date == date(2020, 10, 15)
    assert doc.people[0].person.email == "arja.heikkinen@ouka.fi"
    assert doc.organisations[0].organisation.y_tunnus == "0187690-1"
    assert doc.goals[1].parent_key == doc.goals[0].key
    assert doc.indicators[0].measure_key == doc.measures[0].key
    assert doc.indicators[0].values[1].value == Decimal("120.5")
    assert doc.indicators[0].revisions[0].reason == "Kysyntä kasvoi"
    assert doc.participant_stats[0].count == 12


def test_shared_organisation_is_stored_once(database: Database) -> None:
    with database.session() as session:
        ps.create_project(session, rich_project(), actor=local_admin("t"))
        ps.create_project(session, rich_project("Toinen hanke"), actor=local_admin("t"))
        names = session.scalars(select(Organisation.name).order_by(Organisation.name)).all()
        people = session.scalar(select(func.count()).select_from(Person))
    assert names == ["Oulun kaupunki", "Sosiaali- ja terveysministeriö"]
    assert people == 1


@pytest.mark.parametrize(
    ("change", "field", "finnish"),
    [
        ({"end_date": "1.1.2019"}, "end_date", "on ennen aloituspäivää"),
        ({"start_date": "31.2.2020"}, "start_date", "ei ole kelvollinen päivämäärä"),
        ({"status": "olematon"}, "status", "tuntematon arvo olematon"),
        (
            {
                "organisations": [
                    {
                        "organisation": {"name": "X", "y_tunnus": "1234567-8"},
                        "role": "paatoteuttaja",
                    }
                ]
            },
            "organisations.0.organisation.y_tunnus",
            "Y-tunnus",
        ),
        ({"summary": "x" * 10_000_001}, "summary", "liian pitkä"),
        ({"name": "  "}, "name", "pakollinen"),
    ],
)
def test_invalid_input_is_refused_with_a_finnish_message(
    database: Database, change: dict[str, Any], field: str, finnish: str
) -> None:
    with database.session() as session:
        with pytest.raises(ValidationFailed) as caught:
            ps.create_project(session, rich_project(**change), actor=local_admin("t"))
        assert session.scalar(select(func.count()).select_from(Project)) == 0
    problem = next(p for p in caught.value.problems if p.field == field)
    assert finnish in describe_problem(problem, "fi")


def test_periods_must_be_contiguous(database: Database) -> None:
    periods = [
        {"number": 1, "start_date": "1.1.2021", "end_date": "30.6.2021"},
        {"number": 2, "start_date": "3.7.2021", "end_date": "31.12.2021"},
    ]
    with database.session() as session, pytest.raises(ValidationFailed) as caught:
        ps.create_project(
            session,
            rich_project(periods=periods, indicators=[], participant_stats=[]),
            actor=local_admin("t"),
        )
    assert "jakson 1" in describe_problem(caught.value.problems[0], "fi")


def test_update_is_audited_old_to_new(database: Database) -> None:
    with database.session() as session:
        project = ps.create_project(session, rich_project(), actor=local_admin("anna"))
        ps.update_project(
            session,
            project.id,
            {"status": "paattynyt"},
            expected_version=project.version,
            actor=local_admin("ville"),
        )
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.project_id == project.id,
                AuditEntry.field == "status",
                AuditEntry.action == "update",
            )
        ).one()
    assert (entry.actor, entry.old_value, entry.new_value) == ("ville", "kaynnissa", "paattynyt")


def test_saving_the_same_content_changes_nothing(database: Database) -> None:
    with database.session() as session:
        project = ps.create_project(session, rich_project(), actor=local_admin("anna"))
        version = project.version
        before = session.scalar(select(func.count()).select_from(AuditEntry))
        ps.save_project_doc(
            session,
            project.id,
            ps.get_project_doc(session, project.id, actor=READER),
            expected_version=version,
            actor=local_admin("anna"),
        )
        after = session.scalar(select(func.count()).select_from(AuditEntry))
        assert project.version == version
    assert after == before


def test_stale_write_is_a_conflict_showing_the_other_change(database: Database) -> None:
    with database.session() as session:
        project = ps.create_project(session, rich_project(), actor=local_admin("anna"))
        loaded_version = project.version
        ps.update_project(
            session,
            project.id,
            {"summary": "Annan muutos"},
            expected_version=loaded_version,
            actor=local_admin("anna"),
        )
        with pytest.raises(ConflictError) as caught:
            ps.update_project(
                session,
                project.id,
                {"summary": "Villen muutos"},
                expected_version=loaded_version,
                actor=local_admin("ville"),
            )
        assert ps.get_project_doc(session, project.id, actor=READER).summary == "Annan muutos"
    info = caught.value.info
    assert info.changed_by == "anna"
    assert (
        "summary",
        "Kehitetään matalan kynnyksen palveluja asunnottomille.",
        "Annan muutos",
    ) in info.changes


def test_delete_removes_project_and_related_rows(database: Database) -> None:
    with database.session() as session:
        project = ps.create_project(session, rich_project(), actor=local_admin("t"))
        ps.delete_project(
            session, project.id, expected_version=project.version, actor=local_admin("t")
        )
        with pytest.raises(NotFound):
            ps.get_project(session, project.id, actor=READER)
        deleted = session.scalar(
            select(func.count(func.distinct(AuditEntry.entity_id))).where(
                AuditEntry.action == "delete", AuditEntry.entity == "project"
            )
        )
    assert deleted == 1


def _names(page: ps.ProjectPage) -> list[str]:
    return [item.name for item in page.items]


@pytest.fixture
def registry(database: Database) -> Database:
    specs = [
        (
            "Ääneen kuntoutus",
            "kaynnissa",
            "ESR",
            "pirkanmaa",
            "1.1.2016",
            "31.12.2018",
            ["kuntoutus"],
        ),
        (
            "Asunto ensin Oulussa",
            "paattynyt",
            "STM",
            "pohjois-pohjanmaa",
            "1.1.2020",
            "31.12.2021",
            ["asunnottomuus"],
        ),
        ("Öinen liikkuva työ", "kaynnissa", "STEA", "uusimaa", "1.6.2022", None, ["asunnottomuus"]),
        ("Åbo-yhteistyö", "suunnitteilla", "STM", "varsinais-suomi", None, None, []),
        ("Zeta-hanke", "kaynnissa", "ESR", "lappi", "1.1.2023", "31.12.2025", []),
    ]
    with database.session() as session:
        for name, status, funder, region, start, end, themes in specs:
            ps.create_project(
                session,
                {
                    "name": name,
                    "status": status,
                    "region": region,
                    "start_date": start,
                    "end_date": end,
                    "themes": themes,
                    "summary": f"{name} – tiivistelmä",
                    "funding": [
                        {"funder": {"name": f"Rahoittaja {funder}"}, "funder_code": funder}
                    ],
                },
                actor=local_admin("t"),
            )
    return database


def test_name_sort_is_the_indexed_key_alone(registry: Database) -> None:
    """Sorting by name orders by the indexed sort key only: an added ``IS NULL`` term (names
    are never blank) turned PostgreSQL's index scan into a scan and sort of every project."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(registry.engine, "before_cursor_execute", record)
    try:
        with registry.session() as session:
            ps.list_projects(session, ps.ProjectQuery(sort="name"), actor=READER)
    finally:
        event.remove(registry.engine, "before_cursor_execute", record)
    page_query = next(s for s in statements if "ORDER BY" in s and "LIMIT" in s)
    order = page_query.split("ORDER BY", 1)[1]
    assert "sort_name" in order and "IS NULL" not in order, order


def test_list_sorts_in_finnish_alphabetical_order(registry: Database) -> None:
    with registry.session() as session:
        page = ps.list_projects(session, ps.ProjectQuery(), actor=READER)
    assert _names(page) == [
        "Asunto ensin Oulussa",
        "Zeta-hanke",
        "Åbo-yhteistyö",
        "Ääneen kuntoutus",
        "Öinen liikkuva työ",
    ]


def test_list_filters_and_search(registry: Database) -> None:
    with registry.session() as session:

        def names(**query: Any) -> list[str]:
            return sorted(_names(ps.list_projects(session, ps.ProjectQuery(**query), actor=READER)))

        assert names(funder=["ESR"]) == ["Zeta-hanke", "Ääneen kuntoutus"]
        assert names(status=["kaynnissa"], region=["uusimaa"]) == ["Öinen liikkuva työ"]
        assert names(theme=["asunnottomuus"]) == ["Asunto ensin Oulussa", "Öinen liikkuva työ"]
        assert names(text="ÄÄNEEN") == ["Ääneen kuntoutus"]
        assert names(text="aaneen") == []  # ä is not a
        assert names(text="asunto oulu") == ["Asunto ensin Oulussa"]
        assert names(active_from=date(2022, 1, 1), active_to=date(2022, 12, 31)) == [
            "Åbo-yhteistyö",
            "Öinen liikkuva työ",
        ]


def test_list_pagination_and_total(registry: Database) -> None:
    with registry.session() as session:
        first = ps.list_projects(
            session, ps.ProjectQuery(page_size=2, sort="start_date"), actor=READER
        )
        third = ps.list_projects(
            session, ps.ProjectQuery(page_size=2, page=3, sort="start_date"), actor=READER
        )
    assert first.total == 5 and len(first.items) == 2
    assert _names(first) == ["Ääneen kuntoutus", "Asunto ensin Oulussa"]
    assert _names(third) == ["Åbo-yhteistyö"]  # no start date: last
    assert first.items[0].funders == ["Rahoittaja ESR"]


def test_hostile_text_is_stored_and_read_back(database: Database) -> None:
    hostile = '<script>alert("x")</script> & =HYPERLINK("http://evil","x") @SUM(A1) \u202e ✓ 😀'
    with database.session() as session:
        project = ps.create_project(
            session, rich_project(name=hostile[:200], summary=hostile), actor=local_admin("t")
        )
        doc = ps.get_project_doc(session, project.id, actor=READER)
    assert doc.summary == hostile
    assert ps.ProjectQuery(text="<script>").text == "<script>"


def test_a_change_to_a_related_record_moves_the_project_version(database: Database) -> None:
    with database.session() as session:
        project = ps.create_project(session, rich_project(), actor=local_admin("anna"))
        loaded = project.version
        doc = ps.get_project_doc(session, project.id, actor=READER)
        doc.funding[0].amount = Decimal("900000")
        ps.save_project_doc(
            session, project.id, doc, expected_version=loaded, actor=local_admin("anna")
        )
        assert project.version > loaded
        stale = ps.get_project_doc(session, project.id, actor=READER)
        stale.funding[1].amount = Decimal("1")
        with pytest.raises(ConflictError) as caught:
            ps.save_project_doc(
                session, project.id, stale, expected_version=loaded, actor=local_admin("ville")
            )
        assert ps.get_project_doc(session, project.id, actor=READER).funding[1].amount == Decimal(
            "450000.50"
        )
    assert ("amount", "800000", "900000") in caught.value.info.changes
