"""Portfolio roll-ups on SQLite and PostgreSQL: the figures of a small registry against sums
worked out by hand, a generated registry against a plain Python computation over its project
documents, the list behind each figure against the figure, the selection's checks in the
user's language, and the rights."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from evaus.db import Database
from evaus.dev.generate import generate
from evaus.services import indicator_catalogue as ic
from evaus.services import portfolio as service
from evaus.services import projects as ps
from evaus.services.access import Actor, Forbidden, local_admin
from project_db import rollups
from project_db.codes import INCOME_CATEGORY
from project_db.models import BudgetLine, CodeItem, CostActual, Indicator, IndicatorValue, Project
from project_db.rollups import FigureRef, Selection
from project_db.schemas import ProjectDoc
from tests.db.conftest import new_user

ADMIN = local_admin("tests")
YEAR_2026 = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
D = Decimal


def _portfolios(session: Session, *codes: str) -> None:
    for i, code in enumerate(codes):
        session.add(CodeItem(list_name="portfolio", code=code, label_fi=code, sort_order=10 + i))
    session.commit()


def _periods(*bounds: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"number": i, "start_date": a, "end_date": b} for i, (a, b) in enumerate(bounds, 1)]


def _small_registry(database: Database) -> dict[str, int]:
    """Four projects whose figures are worked out by hand in the tests below."""
    with database.session("tests") as session:
        _portfolios(session, "P1", "P2")
        for key, name, unit, direction in (
            ("oma:asiakkaat", "Tavoitetut asiakkaat", "henkilöä", "more"),
            ("oma:jonotus", "Jonotusaika", "vrk", "less"),
        ):
            ic.create_entry(
                session,
                {"key": key, "name_fi": name, "unit": unit, "direction": direction},
                actor=ADMIN,
            )
        aalto = {
            "name": "Aalto",
            "portfolio": "P1",
            "status": "kaynnissa",
            "region": "uusimaa",
            "municipality": "Helsinki",
            "themes": ["nuoret"],
            "start_date": "1.1.2025",
            "end_date": "31.12.2026",
            "budget_amount": "150000",
            "funding": [{"funder": {"name": "ESR"}, "funder_code": "ESR"}],
            "periods": _periods(("1.1.2025", "31.12.2025"), ("1.1.2026", "31.12.2026")),
            "budget_lines": [
                {"scheme": "esr", "category": "palkkakustannukset", "amount": "100000"},
                {"scheme": "esr", "category": "ostopalvelut", "amount": "20000"},
                {"scheme": "esr", "category": "tulot", "amount": "5000"},
            ],
            "cost_actuals": [
                {"period": 1, "scheme": "esr", "category": "palkkakustannukset", "amount": "40000"},
                {"period": 1, "scheme": "esr", "category": "ostopalvelut", "amount": "5000"},
                {"period": 2, "scheme": "esr", "category": "palkkakustannukset", "amount": "30000"},
                {"period": 2, "scheme": "esr", "category": "tulot", "amount": "2000"},
            ],
            "participant_stats": [
                {"gender": "nainen", "age_class": "alle-25", "count": 10},
                {"gender": "mies", "age_class": "alle-25", "count": 5},
                {"period": 2, "gender": "nainen", "age_class": "25-29", "count": 7},
            ],
            "indicators": [
                {
                    "key": "a1",
                    "name": "Asiakkaat",
                    "unit": "henkilöä",
                    "baseline": "100",
                    "baseline_basis": "collected",
                    "target": "300",
                    "catalogue_key": "oma:asiakkaat",
                    "values": [
                        {"period": 1, "value": "150", "basis": "collected"},
                        {"period": 2, "value": "250", "basis": "sample"},
                    ],
                },
                {
                    "key": "a2",
                    "name": "Jonotusaika päivinä",
                    "unit": "vrk",
                    "direction": "less",
                    "baseline": "60",
                    "baseline_basis": "estimate",
                    "target": "30",
                    "catalogue_key": "oma:jonotus",
                    "values": [
                        {"period": 1, "value": "50", "basis": "estimate"},
                        {"period": 2, "value": "30", "basis": "collected"},
                    ],
                },
                {"key": "a3", "name": "Kävijät", "unit": "kpl", "baseline": "10"},
            ],
        }
        bertta = {
            "name": "Bertta",
            "portfolio": "P1",
            "status": "paattynyt",
            "region": "pirkanmaa",
            "municipality": "Tampere",
            "start_date": "1.1.2024",
            "end_date": "31.12.2026",
            "funding": [{"funder": {"name": "STEA"}, "funder_code": "STEA"}],
            "periods": _periods(("1.1.2024", "31.12.2025"), ("1.1.2026", "31.12.2026")),
            "budget_lines": [
                {"scheme": "stea", "category": "henkilostokulut", "amount": "50000"},
            ],
            "cost_actuals": [
                {"period": 1, "scheme": "stea", "category": "henkilostokulut", "amount": "20000"},
                {"period": 2, "scheme": "stea", "category": "henkilostokulut", "amount": "10000"},
            ],
            "indicators": [
                {
                    "key": "b1",
                    "name": "Asiakasmäärä",
                    "unit": "henkilöä",
                    "baseline": "0",
                    "target": "100",
                    "target_date": "31.12.2026",
                    "catalogue_key": "oma:asiakkaat",
                    "values": [
                        {"period": 1, "value": "80", "basis": "collected"},
                        {"period": 2, "value": "95", "basis": "estimate"},
                    ],
                },
                {
                    "key": "b2",
                    "name": "Jonotusaika",
                    "unit": "vrk",
                    "direction": "less",
                    "target": "20",
                    "catalogue_key": "oma:jonotus",
                    "values": [{"period": 2, "value": "40", "basis": "collected"}],
                },
            ],
        }
        cecilia = {
            "name": "Cecilia",
            "portfolio": "P2",
            "status": "kaynnissa",
            "region": "uusimaa",
            "municipality": "Espoo",
            "themes": ["ikääntyneet"],
            "start_date": "1.1.2026",
            "end_date": "31.12.2027",
            "funding": [{"funder": {"name": "ESR"}, "funder_code": "ESR"}],
            "periods": _periods(("1.1.2026", "31.12.2026")),
            "budget_lines": [
                {"scheme": "esr", "category": "palkkakustannukset", "amount": "10000"},
            ],
            "cost_actuals": [
                {"period": 1, "scheme": "esr", "category": "palkkakustannukset", "amount": "1000"},
            ],
            "participant_stats": [{"gender": "mies", "age_class": "30-54", "count": 3}],
            "indicators": [
                {
                    "key": "c1",
                    "name": "Asiakkaat",
                    "unit": "henkilöä",
                    "baseline": "10",
                    "target": "20",
                    "catalogue_key": "oma:asiakkaat",
                    "values": [{"period": 1, "value": "20", "basis": "collected"}],
                }
            ],
        }
        daavid = {
            "name": "Daavid",
            "status": "suunnitteilla",
            "region": "lappi",
            "start_date": "1.1.2020",
            "end_date": "31.12.2021",
            "funding": [{"funder": {"name": "STM"}, "funder_code": "STM"}],
        }
        return {
            doc["name"]: ps.create_project(session, doc, actor=ADMIN).id  # type: ignore[index]
            for doc in (aalto, bertta, cecilia, daavid)
        }


def _listed(session: Session, selection: Selection, figure: FigureRef) -> list[int]:
    found = rollups.figure_projects(session, selection, figure)
    assert found.total == len(found.rows)
    return [row.id for row in found.rows]


def test_the_figures_of_a_small_registry_are_the_sums_worked_out_by_hand(
    database: Database,
) -> None:
    ids = _small_registry(database)
    a, b = ids["Aalto"], ids["Bertta"]
    p1_2026 = Selection(portfolios=("P1",), **YEAR_2026)
    with database.session("tests") as session:
        figures = service.portfolio_figures(session, p1_2026, actor=ADMIN)
        assert figures.projects == 2
        assert {(s.code, s.count) for s in figures.by_status} == {
            ("kaynnissa", 1),
            ("paattynyt", 1),
        }
        assert (figures.budget_total, figures.budget_projects) == (D("150000.00"), 1)
        money = {(r.scheme, r.category): r for r in figures.money}
        assert set(money) == {
            ("esr", "palkkakustannukset"),
            ("esr", "ostopalvelut"),
            ("esr", "tulot"),
            ("stea", "henkilostokulut"),
        }
        salaries = money["esr", "palkkakustannukset"]
        assert (salaries.planned, salaries.used, salaries.used_in_range) == (
            D("100000.00"),
            D("70000.00"),
            D("30000.00"),  # only period 2 started in 2026
        )
        services = money["esr", "ostopalvelut"]
        assert (services.planned, services.used, services.used_in_range) == (
            D("20000.00"),
            D("5000.00"),
            D("0.00"),
        )
        staff = money["stea", "henkilostokulut"]
        assert (staff.planned, staff.used, staff.used_in_range) == (
            D("50000.00"),
            D("30000.00"),
            D("10000.00"),
        )
        totals = figures.totals
        assert (totals.planned_costs, totals.used_costs, totals.used_costs_in_range) == (
            D("170000.00"),
            D("105000.00"),
            D("40000.00"),
        )
        assert (totals.planned_income, totals.used_income, totals.planned_net, totals.used_net) == (
            D("5000.00"),
            D("2000.00"),
            D("165000.00"),
            D("103000.00"),
        )
        people = figures.participants
        assert (people.projects, people.total, people.in_range, people.in_range_projects) == (
            1,
            15,
            7,
            1,
        )
        assert people.by("gender") == {"nainen": 10, "mies": 5}

        found = service.portfolio_indicators(session, p1_2026, actor=ADMIN)
        by_key = {row.key: row for row in found.linked}
        clients = by_key["oma:asiakkaat"]
        assert (clients.projects, clients.indicators, clients.additive) == (2, 2, True)
        assert (clients.baseline.total, clients.target.total, clients.actual.total) == (
            D("100.0000"),
            D("400.0000"),
            D("345.0000"),  # 250 (Aalto, period 2) + 95 (Bertta, period 2)
        )
        assert clients.actual_basis == {"collected": 0, "sample": 1, "estimate": 1}
        assert clients.baseline_basis == {"collected": 1, "sample": 0, "estimate": 0}
        # Aalto: 150 of the 200 asked for at the end of its term → behind; Bertta 95 of 100.
        assert clients.tracks == {"on_track": 1, "behind": 1, "ahead": 0, "unknown": 0}
        waiting = by_key["oma:jonotus"]
        assert (waiting.additive, waiting.indicators) == (False, 2)
        assert waiting.baseline.model_dump() == {
            "count": 1,
            "total": None,
            "minimum": D("60.0000"),
            "median": D("60.0000"),
            "maximum": D("60.0000"),
        }
        assert (waiting.target.minimum, waiting.target.median, waiting.target.maximum) == (
            D("20.0000"),
            D("25.0000"),
            D("30.0000"),
        )
        assert (waiting.actual.median, waiting.actual.count) == (D("35.0000"), 2)
        # Aalto reached 30 days from 60 at the end: on track. Bertta has no baseline.
        assert waiting.tracks == {"on_track": 1, "behind": 0, "ahead": 0, "unknown": 1}
        assert [(f.name, f.unit, f.projects) for f in found.free] == [("Kävijät", "kpl", 1)]
        assert (found.free_names, found.free_indicators) == (1, 1)

        # The list behind each figure.
        assert _listed(session, p1_2026, FigureRef(kind="projects")) == [a, b]
        assert _listed(session, p1_2026, FigureRef(kind="status", code="kaynnissa")) == [a]
        salary = FigureRef(kind="planned", scheme="esr", category="palkkakustannukset")
        assert _listed(session, p1_2026, salary) == [a]
        assert _listed(session, p1_2026, FigureRef(kind="planned")) == [a, b]
        assert _listed(session, p1_2026, FigureRef(kind="used_in_range", scheme="esr")) == [a]
        assert _listed(session, p1_2026, FigureRef(kind="participants")) == [a]
        behind = FigureRef(kind="indicator", code="oma:asiakkaat", measure="behind")
        assert _listed(session, p1_2026, behind) == [a]
        sample = FigureRef(
            kind="indicator", code="oma:asiakkaat", measure="actual_basis", basis="sample"
        )
        assert rollups.figure_projects(session, p1_2026, sample).rows[0].detail == "Asiakkaat"
        unknown = FigureRef(kind="indicator", code="oma:jonotus", measure="unknown")
        assert _listed(session, p1_2026, unknown) == [b]
        assert _listed(session, p1_2026, FigureRef(kind="free_indicator", code="Kävijät")) == [a]


def test_the_period_decides_the_projects_the_money_and_the_latest_actual(
    database: Database,
) -> None:
    ids = _small_registry(database)
    year_2025 = Selection(portfolios=("P1",), start=date(2025, 1, 1), end=date(2025, 12, 31))
    with database.session("tests") as session:
        figures = rollups.figures(session, year_2025)
        assert figures.projects == 2
        money = {(r.scheme, r.category): r for r in figures.money}
        # Costs of the periods that started by 31.12.2025; in the range: started in 2025.
        assert money["esr", "palkkakustannukset"].used == D("40000.00")
        assert money["esr", "palkkakustannukset"].used_in_range == D("40000.00")
        assert money["stea", "henkilostokulut"].used == D("20000.00")
        assert money["stea", "henkilostokulut"].used_in_range == D("0.00")
        clients = {r.key: r for r in rollups.linked_indicators(session, year_2025)}["oma:asiakkaat"]
        assert clients.actual.total == D("230.0000")  # 150 + 80: the periods of 2024–2025
        assert clients.actual_basis["collected"] == 2
        # No range: the last values, every project; a range before any project: none.
        everything = rollups.figures(session, Selection())
        assert everything.projects == 4
        assert rollups.figures(session, Selection(end=date(2019, 12, 31))).projects == 0
        # Cecilia (1.1.2026–) reached its target within half its term: ahead.
        p2 = Selection(portfolios=("P2",), **YEAR_2026)
        cecilia = rollups.linked_indicators(session, p2)[0]
        assert cecilia.tracks["ahead"] == 1
        # The other criteria: funder, region, municipality, theme, chosen ids.
        for selection, names in (
            (Selection(funders=("ESR",)), {"Aalto", "Cecilia"}),
            (Selection(regions=("uusimaa",)), {"Aalto", "Cecilia"}),
            (Selection(municipalities=("Espoo",)), {"Cecilia"}),
            (Selection(themes=("nuoret",)), {"Aalto"}),
            (Selection(project_ids=(ids["Bertta"], ids["Daavid"])), {"Bertta", "Daavid"}),
            (Selection(funders=("ESR",), regions=("uusimaa",), themes=("nuoret",)), {"Aalto"}),
        ):
            listed = rollups.figure_projects(session, selection, FigureRef(kind="projects"))
            assert {r.name for r in listed.rows} == names, selection


# --- a generated registry against a plain Python computation ------------------------------------


def _generated(database: Database) -> list[ProjectDoc]:
    """30 generated projects; half in a portfolio, indicators linked to the catalogue by their
    name, and some actual values moved away from the straight line to the target."""
    with database.session("tests") as session:
        generate(session, 30, seed=11)
        _portfolios(session, "Hyvinvointisalkku")
        names = sorted(set(session.scalars(select(Indicator.name))))
        for i, name in enumerate(names[:5]):
            unit = session.scalars(select(Indicator.unit).where(Indicator.name == name)).first()
            ic.create_entry(
                session, {"key": f"gen:{i}", "name_fi": name, "unit": unit or ""}, actor=ADMIN
            )
            session.execute(
                update(Indicator).where(Indicator.name == name).values(catalogue_key=f"gen:{i}")
            )
        session.execute(
            update(Project).where(Project.id % 2 == 0).values(portfolio="Hyvinvointisalkku")
        )
        rng = random.Random(5)
        for value in session.scalars(select(IndicatorValue)):
            value.value = (value.value * D(str(rng.choice((0.3, 0.8, 1, 1, 1.6))))).quantize(D("1"))
        session.commit()
        ids = list(session.scalars(select(Project.id).order_by(Project.id)))
        return [ps.get_project_doc(session, i, actor=ADMIN) for i in ids]


def _chosen(doc: ProjectDoc, selection: Selection) -> bool:
    if selection.portfolios and doc.portfolio not in selection.portfolios:
        return False
    if selection.funders and not {f.funder_code for f in doc.funding} & set(selection.funders):
        return False
    if selection.regions and doc.region not in selection.regions:
        return False
    if selection.start and doc.end_date and doc.end_date < selection.start:
        return False
    return not (selection.end and doc.start_date and doc.start_date > selection.end)


def _days(day: date) -> float:
    return float(day.toordinal())


def _track(doc: ProjectDoc, indicator: Any, actual: Any, value_day: date | None) -> str:
    """The module docstring's definition, in floats like the database."""
    due = indicator.target_date or doc.end_date
    if None in (indicator.baseline, indicator.target, actual, doc.start_date, due, value_day):
        return "unknown"
    b, t, a = float(indicator.baseline), float(indicator.target), float(actual)
    if indicator.direction == "target":
        achieved = (1.0 if a == t else None) if t == b else 1.0 - abs(a - t) / abs(t - b)
    elif indicator.direction == "less":
        achieved = (a - b) / (t - b) if t < b else None
    else:
        achieved = (a - b) / (t - b) if t > b else None
    start = _days(doc.start_date)
    if achieved is None or _days(due) <= start:
        return "unknown"
    elapsed = min(max((_days(value_day) - start) / (_days(due) - start), 0.0), 1.0)
    if achieved > elapsed + rollups.TOLERANCE:
        return "ahead"
    if achieved < elapsed - rollups.TOLERANCE:
        return "behind"
    return "on_track"


def _python_rollup(docs: Iterable[ProjectDoc], selection: Selection) -> dict[str, Any]:
    chosen = [d for d in docs if _chosen(d, selection)]
    statuses = Counter(d.status for d in chosen)
    planned: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    used: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    in_range: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    participants = 0
    indicators: dict[str, dict[str, Any]] = {}
    for doc in chosen:
        starts = {p.number: p.start_date for p in doc.periods}
        ends = {p.number: p.end_date for p in doc.periods}
        counted = {n for n, s in starts.items() if selection.end is None or s <= selection.end}
        for line in doc.budget_lines:
            planned[line.scheme, line.category] += line.amount
        for cost in doc.cost_actuals:
            if cost.period in counted:
                used[cost.scheme, cost.category] += cost.amount
                start = starts[cost.period]
                if selection.start is None or start >= selection.start:
                    in_range[cost.scheme, cost.category] += cost.amount
        participants += sum(s.count for s in doc.participant_stats if s.period is None)
        for indicator in doc.indicators:
            if indicator.catalogue_key is None:
                continue
            values = [v for v in indicator.values if v.period in counted]
            latest = max(values, key=lambda v: (starts[v.period], v.period), default=None)
            entry = indicators.setdefault(
                indicator.catalogue_key,
                {"projects": set(), "actuals": [], "tracks": Counter(), "basis": Counter()},
            )
            entry["projects"].add(doc.name)
            if latest is not None:
                entry["actuals"].append(latest.value)
                entry["basis"][latest.basis] += 1
            value_day = ends[latest.period] if latest is not None else None
            actual = latest.value if latest is not None else None
            entry["tracks"][_track(doc, indicator, actual, value_day)] += 1
    return {
        "statuses": dict(statuses),
        "planned": dict(planned),
        "used": dict(used),
        "in_range": dict(in_range),
        "participants": participants,
        "indicators": indicators,
    }


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@pytest.mark.parametrize(
    "selection",
    [
        Selection(
            portfolios=("Hyvinvointisalkku",), start=date(2016, 1, 1), end=date(2018, 12, 31)
        ),
        Selection(funders=("ESR", "STEA"), start=date(2019, 6, 1)),
        Selection(regions=("uusimaa", "pirkanmaa", "pohjois-pohjanmaa")),
        Selection(end=date(2017, 3, 31)),
    ],
    ids=["portfolio-2016-2018", "funders-from-2019", "regions", "until-2017"],
)
def test_a_generated_registry_agrees_with_a_python_computation(
    database: Database, selection: Selection
) -> None:
    docs = _generated(database)
    expected = _python_rollup(docs, selection)
    with database.session("tests") as session:
        figures = rollups.figures(session, selection)
        assert {s.code: s.count for s in figures.by_status} == expected["statuses"]
        assert figures.projects == sum(expected["statuses"].values())
        assert {(r.scheme, r.category): r.planned for r in figures.money if r.planned} == {
            k: v.quantize(D("0.01")) for k, v in expected["planned"].items()
        }
        assert {(r.scheme, r.category): r.used for r in figures.money if r.has_costs} == {
            k: v.quantize(D("0.01")) for k, v in expected["used"].items()
        }
        in_range = {(r.scheme, r.category): r.used_in_range for r in figures.money}
        for key, amount in expected["in_range"].items():
            assert in_range[key] == amount.quantize(D("0.01"))
        assert figures.participants.total == expected["participants"]
        linked = {row.key: row for row in rollups.linked_indicators(session, selection)}
        assert set(linked) == set(expected["indicators"])
        for key, want in expected["indicators"].items():
            row = linked[key]
            assert row.projects == len(want["projects"])
            assert {t: n for t, n in row.tracks.items() if n} == dict(want["tracks"]), key
            assert {b: n for b, n in row.actual_basis.items() if n} == dict(want["basis"])
            assert row.actual.count == len(want["actuals"])
            if want["actuals"]:
                assert row.actual.median == _median(want["actuals"]).quantize(D("0.0001"))
                assert row.actual.minimum == min(want["actuals"])
                if row.additive:
                    assert row.actual.total == sum(want["actuals"])
        assert sum(sum(row.tracks.values()) for row in linked.values()) > 0


def test_the_generated_registry_has_indicators_on_every_track(database: Database) -> None:
    """The comparison above covers each track: some indicators are ahead, some behind."""
    _generated(database)
    with database.session("tests") as session:
        tracks: Counter[str] = Counter()
        for row in rollups.linked_indicators(session, Selection()):
            tracks.update(row.tracks)
    assert tracks["on_track"] and tracks["behind"] and tracks["ahead"], tracks


def test_the_list_behind_every_figure_equals_the_figure(database: Database) -> None:
    _generated(database)
    selection = Selection(portfolios=("Hyvinvointisalkku",))
    with database.session("tests") as session:
        figures = rollups.figures(session, selection)
        for status in figures.by_status:
            listed = _listed(session, selection, FigureRef(kind="status", code=status.code))
            assert len(listed) == status.count
        for row in figures.money:
            ref = FigureRef(kind="planned", scheme=row.scheme, category=row.category)
            listed = _listed(session, selection, ref)
            planned = session.scalars(
                select(BudgetLine.amount).where(
                    BudgetLine.project_id.in_(listed),
                    BudgetLine.scheme == row.scheme,
                    BudgetLine.category == row.category,
                )
            )
            assert sum(planned, D(0)) == (row.planned or 0)
            with_lines = session.scalars(
                select(BudgetLine.project_id).where(
                    BudgetLine.scheme == row.scheme, BudgetLine.category == row.category
                )
            )
            assert set(listed) <= set(with_lines)  # only the projects that add to the sum
            ref = FigureRef(kind="used", scheme=row.scheme, category=row.category)
            listed = _listed(session, selection, ref)
            used = session.scalars(
                select(CostActual.amount).where(
                    CostActual.project_id.in_(listed),
                    CostActual.scheme == row.scheme,
                    CostActual.category == row.category,
                )
            )
            assert sum(used, D(0)) == row.used
        costs = _listed(session, selection, FigureRef(kind="planned"))
        planned_costs = session.scalars(
            select(BudgetLine.amount).where(
                BudgetLine.project_id.in_(costs), BudgetLine.category != INCOME_CATEGORY
            )
        )
        assert sum(planned_costs, D(0)) == figures.totals.planned_costs
        people = _listed(session, selection, FigureRef(kind="participants"))
        assert len(people) == figures.participants.projects
        for row in rollups.linked_indicators(session, selection):
            assert len(_listed(session, selection, FigureRef(kind="indicator", code=row.key))) == (
                row.projects
            )
            for track, count in row.tracks.items():
                ref = FigureRef.model_validate(
                    {"kind": "indicator", "code": row.key, "measure": track}
                )
                assert rollups.figure_projects(session, selection, ref).total == count
            for basis, count in row.actual_basis.items():
                ref = FigureRef.model_validate(
                    {
                        "kind": "indicator",
                        "code": row.key,
                        "measure": "actual_basis",
                        "basis": basis,
                    }
                )
                assert rollups.figure_projects(session, selection, ref).total == count
            for measure in ("baseline", "target", "actual"):
                ref = FigureRef.model_validate(
                    {"kind": "indicator", "code": row.key, "measure": measure}
                )
                assert (
                    rollups.figure_projects(session, selection, ref).total
                    == getattr(row, measure).count
                )
        # Pages of the list: 5 at a time give the whole list once, in the same order.
        whole = rollups.figure_projects(session, selection, FigureRef(kind="projects"))
        paged = []
        for offset in range(0, whole.total, 5):
            page = rollups.figure_projects(
                session, selection, FigureRef(kind="projects"), limit=5, offset=offset
            )
            paged += page.rows
        assert paged == whole.rows and whole.total == figures.projects


# --- the selection as people give it, and the rights ---------------------------------------------


def test_the_selection_is_checked_and_explained_in_the_users_language(
    database: Database,
) -> None:
    _small_registry(database)
    with database.session("tests") as session:
        selection = service.resolve_selection(
            session,
            service.SelectionForm(
                portfolio=["p1"],
                funder=["Euroopan sosiaalirahasto (ELY-keskus)"],
                region=["Nyland"],
                municipality=["helsinki"],
                start="1.1.2026",
                end="2026-12-31",
            ),
            actor=ADMIN,
        )
        assert selection == Selection(
            portfolios=("P1",),
            funders=("ESR",),
            regions=("uusimaa",),
            municipalities=("Helsinki",),
            **YEAR_2026,
        )
        with pytest.raises(service.SelectionInvalid) as caught:
            service.resolve_selection(
                session,
                service.SelectionForm(
                    portfolio=["Ei ole"],
                    theme=["tuntematon"],
                    project_ids=[999_999],
                    start="32.1.2026",
                    end="1.1.2025",
                ),
                actor=ADMIN,
            )
        assert caught.value.lines("fi") == [
            "Salkku: ”Ei ole” ei ole luettelossa; valitse jokin luettelon arvoista.",
            "Teema: rekisterissä ei ole yhtään hanketta, jolla on ”tuntematon”.",
            "Hankkeet: hanketta tunnisteella 999999 ei ole.",
            "Ajanjakson alku: ”32.1.2026” ei ole päivämäärä: kirjoita se muodossa p.k.vvvv, "
            "esim. 1.1.2026.",
        ]
        with pytest.raises(service.SelectionInvalid) as reversed_dates:
            service.resolve_selection(
                session, service.SelectionForm(start="2.1.2026", end="1.1.2026"), actor=ADMIN
            )
        assert reversed_dates.value.lines("sv") == [
            "Periodens slut: perioden slutar (1.1.2026) innan den börjar (2.1.2026)."
        ]


def test_every_role_reads_the_roll_ups_and_nobody_else(database: Database) -> None:
    ids = _small_registry(database)
    selection = Selection(portfolios=("P1",))
    stranger = Actor(user_id=0, username="x", role="unknown", person_id=None, language="fi")
    with database.session("tests") as session:
        readers = [
            new_user(session, name, role)
            for name, role in (
                ("lukija", "viewer"),
                ("paivi", "manager"),
                ("tarkastaja", "reviewer"),
            )
        ]
        for reader in [*readers, ADMIN]:
            assert service.portfolio_figures(session, selection, actor=reader).projects == 2
            listed = service.figure_projects(
                session, selection, FigureRef(kind="projects"), actor=reader
            )
            assert {r.id for r in listed.rows} == {ids["Aalto"], ids["Bertta"]}
        calls = [
            lambda: service.selection_options(session, actor=stranger, lang="fi"),
            lambda: service.resolve_selection(session, service.SelectionForm(), actor=stranger),
            lambda: service.portfolio_figures(session, selection, actor=stranger),
            lambda: service.portfolio_indicators(session, selection, actor=stranger),
            lambda: service.figure_projects(
                session, selection, FigureRef(kind="projects"), actor=stranger
            ),
            lambda: service.portfolio_report(session, selection, actor=stranger),
        ]
        for call in calls:
            with pytest.raises(Forbidden):
                call()
