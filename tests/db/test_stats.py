"""Front-page figures on SQLite and PostgreSQL: counts by status, funder and portfolio, sums."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from evaus.db import Database
from evaus.services import projects as ps
from evaus.services import stats
from evaus.services.access import local_admin

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


def _project(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, **extra}


def _funding(code: str, amount: str | None, funder: str) -> dict[str, Any]:
    return {"funder": {"name": funder}, "funder_code": code, "amount": amount}


def test_empty_registry(database: Database) -> None:
    with database.session() as session:
        result = stats.registry_stats(session, actor=READER)
    assert result.total == 0
    assert result.by_status == []
    assert result.by_funder == []
    assert result.budget_by_funder == []
    assert result.by_portfolio == []


def test_counts_and_sums(database: Database) -> None:
    with database.session() as session:
        ps.create_project(
            session,
            _project(
                "A",
                status="kaynnissa",
                portfolio="Hyvinvointisalkku 2014-2020",
                themes=["asunnottomuus", "päihteet"],
                funding=[
                    _funding("STM", "800000", "Sosiaali- ja terveysministeriö"),
                    _funding("KUNTA", "200000.50", "Oulun kaupunki"),
                ],
            ),
            actor=local_admin("t"),
        )
        ps.create_project(
            session,
            _project(
                "B",
                status="kaynnissa",
                themes=["asunnottomuus"],
                funding=[
                    _funding("STM", "100000", "Sosiaali- ja terveysministeriö"),
                    # Two rows with the same code in one project count the project once.
                    _funding("STM", None, "Sosiaali- ja terveysministeriö (2)"),
                ],
            ),
            actor=local_admin("t"),
        )
        ps.create_project(session, _project("C", status="paattynyt"), actor=local_admin("t"))
        ps.create_project(session, _project("D"), actor=local_admin("t"))
        result = stats.registry_stats(session, actor=READER)
        themes = stats.theme_names(session, actor=READER)

    assert result.total == 4
    assert [(c.code, c.count) for c in result.by_status] == [
        ("kaynnissa", 2),
        ("paattynyt", 1),
        (None, 1),
    ]
    assert [(c.code, c.count) for c in result.by_portfolio] == [
        (None, 3),
        ("Hyvinvointisalkku 2014-2020", 1),
    ]
    assert [(c.code, c.count) for c in result.by_funder] == [("STM", 2), ("KUNTA", 1)]
    assert [(a.code, a.amount, a.projects) for a in result.budget_by_funder] == [
        ("STM", Decimal("900000"), 2),
        ("KUNTA", Decimal("200000.50"), 1),
    ]
    assert themes == ["asunnottomuus", "päihteet"]
