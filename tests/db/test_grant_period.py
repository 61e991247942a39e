"""A funding's own period of use (käyttöaika) and the ESR programme, through every layer:
validation, storage, JSON/CSV/XLSX export and import, the 0008 migration, the history, the
editor's save path and the ESR, STM and STEA reports (with the project's term as the labelled
fallback), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, select

from evaus.db import Database
from evaus.i18n import describe_problem
from evaus.labels import field_name
from evaus.reports import kinds
from evaus.services import editing, registry_io, reports
from evaus.services import projects as ps
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from evaus.ui.registry.edit_fields import from_form, to_form
from project_db.errors import ValidationFailed
from project_db.migrate import alembic_config, current_revision, upgrade
from project_db.models import AuditEntry, Funding, Project
from tests.reports_support import docx_text

ACTOR = local_admin("tests")
PROGRAMME = "Kestävää kasvua ja työtä 2014–2020 – Suomen rakennerahasto-ohjelma"


def funded(**funding: Any) -> dict[str, Any]:
    """An ESR-, STM- and STEA-funded project; ``funding`` updates every funding row."""
    rows = [
        {
            "funder": {"name": "Hämeen ELY-keskus", "org_type": "valtio"},
            "funder_code": "ESR",
            "amount": "500000",
            "decision_number": "ESR 12/2019",
            "period_start": "1.3.2019",
            "period_end": "31.8.2021",
        },
        {
            "funder": {"name": "Sosiaali- ja terveysministeriö", "org_type": "valtio"},
            "funder_code": "STM",
            "amount": "200000",
            "period_start": "1.6.2019",
            "period_end": "31.5.2021",
        },
        {
            "funder": {"name": "Sosiaali- ja terveysjärjestöjen avustuskeskus STEA"},
            "funder_code": "STEA",
            "amount": "100000",
            "period_start": "1.1.2020",
            "period_end": "31.12.2020",
        },
    ]
    for row in rows:
        row.update(funding)
    return {
        "name": "Käyttöajan koehanke",
        "project_type": "esr",
        "start_date": "1.1.2019",
        "end_date": "31.12.2021",
        "summary": "Koehanke.",
        "programme": PROGRAMME,
        "organisations": [
            {
                "organisation": {"name": "Koeyhdistys ry", "org_type": "jarjesto"},
                "role": "paatoteuttaja",
            }
        ],
        "funding": rows,
        "periods": [{"number": 1, "start_date": "1.1.2020", "end_date": "31.12.2020"}],
    }


def create(database: Database, data: dict[str, Any]) -> int:
    with database.session("tests") as session:
        return ps.create_project(session, data, actor=ACTOR).id


def report_lines(database: Database, project: int, kind: str, lang: str) -> list[str]:
    scope: dict[str, Any] = {"year": 2020} if kind == "stea" else {}
    with database.session("tests") as session:
        made = reports.generate_report(
            session, project, kind, lang=lang, actor=ACTOR, archive=False, **scope
        )
    return docx_text(made.content).split("\n")


def value_of(lines: list[str], label: str) -> str:
    """The value cell of the basic-data row ``label``."""
    return lines[lines.index(label) + 1]


# --- validation, storage, exchange -----------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", ("Rahoituksen käyttöajan loppu", "ennen")),
        ("sv", ("Slutet av finansieringens användningstid", "före")),
        ("en", ("End of the funding's period of use", "before")),
    ],
)
def test_a_period_of_use_ending_before_it_starts_is_refused(
    database: Database, lang: str, words: tuple[str, str]
) -> None:
    data = funded()
    data["funding"][1].update(period_start="1.6.2021", period_end="31.5.2021")
    with pytest.raises(ValidationFailed) as caught:
        create(database, data)
    problem = next(p for p in caught.value.problems if p.field == "funding.1.period_end")
    text = describe_problem(problem, lang)
    assert all(word in text for word in words), text
    with database.session() as session:
        assert session.scalar(select(Project.id)) is None


def test_stored_and_read_back_with_the_history(database: Database) -> None:
    project = create(database, funded())
    with database.session("tests") as session:
        doc = ps.get_project_doc(session, project, actor=ACTOR)
        assert doc.programme == PROGRAMME
        assert (doc.funding[0].period_start, doc.funding[0].period_end) == (
            date(2019, 3, 1),
            date(2021, 8, 31),
        )
        data = doc.model_dump(mode="json")
        data["funding"][1]["period_end"] = "2021-06-30"
        data["programme"] = "Uudistuva ja osaava Suomi 2021–2027"
        ps.save_project_doc(session, project, data, expected_version=None, actor=ACTOR)
        entries = {
            (e.entity, e.field): (e.old_value, e.new_value)
            for e in session.scalars(select(AuditEntry)).all()
            if e.field in ("period_end", "programme")
        }
    assert entries[("funding", "period_end")] == ("2021-05-31", "2021-06-30")
    assert entries[("project", "programme")][1] == "Uudistuva ja osaava Suomi 2021–2027"
    assert field_name("funding", "period_start", "fi") == "Rahoituksen käyttöajan alku"
    assert field_name("funding", "period_end", "sv") == "Slutet av finansieringens användningstid"
    assert field_name("project", "programme", "fi") == "Ohjelma"


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_round_trip_through_every_exchange_format(
    database: Database, tmp_path: Path, fmt: str
) -> None:
    create(database, funded())
    with database.session() as session:
        if fmt == "json":
            data, name = registry_io.export_json(session, actor=ACTOR), "rekisteri.json"
        elif fmt == "csv":
            data, name = registry_io.export_csv_zip(session, actor=ACTOR), "rekisteri.zip"
        else:
            data, name = registry_io.export_xlsx(session, actor=ACTOR), "rekisteri.xlsx"
    if fmt == "csv":
        tables = zipfile.ZipFile(io.BytesIO(data))
        assert "period_start" in tables.read("funding.csv").decode("utf-8-sig").split("\n")[0]
        assert "programme" in tables.read("projects.csv").decode("utf-8-sig").split("\n")[0]
    other = open_registry(url=f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with other.session() as session:
        registry_io.import_source(session, data, filename=name, actor=ACTOR)
        (doc,) = [registry_io.export_registry(session, actor=ACTOR).projects[0]]  # the one project
    assert doc.programme == PROGRAMME
    periods = [(f.funder_code, f.period_start, f.period_end) for f in doc.funding]
    assert periods == [
        ("ESR", date(2019, 3, 1), date(2021, 8, 31)),
        ("STM", date(2019, 6, 1), date(2021, 5, 31)),
        ("STEA", date(2020, 1, 1), date(2020, 12, 31)),
    ]
    if fmt == "json":
        exported = json.loads(data)["projects"][0]
        assert exported["funding"][2]["period_end"] == "2020-12-31"


def test_an_esr_card_that_states_the_programme_gives_it() -> None:
    from project_db.importers import parse_source

    card = (
        "Koehanke – KOE\n\nTietoja hankkeesta\n"
        "EURA-tunnus: S12345\nOhjelma: " + PROGRAMME + "\n"
        "Toimintalinja: 5 Sosiaalinen osallisuus ja köyhyyden torjunta (ESR)\n"
        "Erityistavoite: 9.1 Syrjäytymisvaarassa olevien työelämävalmiuksien parantaminen\n"
        "Aloituspäivä: 1.9.2015\nLopetuspäivä: 30.11.2018\n"
        "\nProjektitiimi\n\nLyhyt selostus hankkeesta\nKoe.\n"
    )
    _importer, parsed = parse_source(card.encode(), "kortti.txt", "esr-card")
    assert parsed[0].doc.programme == PROGRAMME


# --- the migration ---------------------------------------------------------------------------


def test_migration_0008_down_and_up(database: Database) -> None:
    project = create(database, funded())
    engine = database.engine
    command.downgrade(alembic_config(engine), "0007")
    assert current_revision(engine) == "0007"
    columns = {c["name"] for c in inspect(engine).get_columns("funding")}
    assert "period_start" not in columns and "period_end" not in columns
    assert "programme" not in {c["name"] for c in inspect(engine).get_columns("project")}
    with engine.connect() as conn:  # the funding rows themselves stay
        assert conn.exec_driver_sql("SELECT count(*) FROM funding").scalar() == 3
    upgrade(engine)
    with database.session("tests") as session:
        rows = session.scalars(select(Funding).where(Funding.project_id == project)).all()
        assert [(f.period_start, f.period_end) for f in rows] == [(None, None)] * 3
        assert session.get(Project, project).programme is None  # type: ignore[union-attr]
        # the check of the new columns holds after the upgrade too
        rows[0].period_start, rows[0].period_end = date(2020, 2, 1), date(2020, 1, 1)
        with pytest.raises(Exception, match=r"(?i)check|constraint"):
            session.flush()


# --- the editor's save path --------------------------------------------------------------------


def test_the_editor_saves_the_period_of_use_and_the_programme(database: Database) -> None:
    data = funded(period_start=None, period_end=None)
    data.pop("programme")
    project = create(database, data)
    with database.session("tests") as session:
        loaded = editing.load_for_edit(session, project, ACTOR)
    form = to_form(loaded.doc.model_dump(mode="json"), "fi")
    assert form["funding"][0]["period_start"] == "" and form["programme"] == ""
    form["funding"][0]["period_start"] = "1.2.2019"  # as the date input gives it
    form["funding"][0]["period_end"] = "30.11.2021"
    form["programme"] = PROGRAMME
    with database.session("tests") as session:
        editing.save_edited(
            session,
            project,
            from_form(form),
            expected_version=loaded.version,
            known_attachments=set(),
            actor=ACTOR,
        )
        doc = ps.get_project_doc(session, project, actor=ACTOR)
        again = to_form(doc.model_dump(mode="json"), "fi")
    assert (doc.funding[0].period_start, doc.funding[0].period_end) == (
        date(2019, 2, 1),
        date(2021, 11, 30),
    )
    assert doc.programme == PROGRAMME
    assert again["funding"][0]["period_start"] == "1.2.2019"  # shown again the Finnish way


# --- the reports -----------------------------------------------------------------------------

# kind, language, the row's label, its value with the funding's period, the term fallback note
REPORT_ROWS = [
    ("esr-period", "fi", "Rahoituksen käyttöaika", "1.3.2019–31.8.2021", "hankkeen toteutusaika"),
    (
        "esr-final",
        "sv",
        "Finansieringens användningstid",
        "1.3.2019–31.8.2021",
        "projektets genomförandetid",
    ),
    ("stm", "fi", "Avustuksen käyttöaika", "1.6.2019–31.5.2021", "hankkeen toteutusaika"),
    ("stm", "sv", "Understödets användningstid", "1.6.2019–31.5.2021", "projektets"),
    ("stea", "fi", "Avustuksen käyttöaika", "1.1.2020–31.12.2020", "hankkeen toteutusaika"),
    ("stea", "sv", "Understödets användningstid", "1.1.2020–31.12.2020", "projektets"),
]


@pytest.mark.parametrize(("kind", "lang", "label", "period", "note"), REPORT_ROWS)
def test_reports_print_the_funding_s_period_of_use_or_the_labelled_term(
    database: Database, kind: str, lang: str, label: str, period: str, note: str
) -> None:
    with_period = create(database, funded())
    without = create(database, funded(period_start=None, period_end=None) | {"name": "Toinen"})
    assert value_of(report_lines(database, with_period, kind, lang), label) == period
    fallback = value_of(report_lines(database, without, kind, lang), label)
    assert fallback.startswith("1.1.2019–31.12.2021 (") and note in fallback, fallback


@pytest.mark.parametrize(("kind", "lang"), [("esr-period", "fi"), ("esr-final", "sv")])
def test_esr_reports_print_the_programme(database: Database, kind: str, lang: str) -> None:
    project = create(database, funded())
    label = {"fi": "Ohjelma", "sv": "Program"}[lang]
    assert value_of(report_lines(database, project, kind, lang), label) == PROGRAMME


@pytest.mark.parametrize("kind", ["esr-period", "esr-final", "stm"])
def test_a_missing_y_tunnus_of_the_lead_is_warned(database: Database, kind: str) -> None:
    project = create(database, funded())
    with database.session("tests") as session:
        doc = ps.get_project_doc(session, project, actor=ACTOR)
    source = kinds.ReportInput(project=doc, labels={}, lang="fi", today=date(2026, 12, 7))
    warnings = "\n".join(describe_problem(p, "fi") for p in kinds.get(kind).missing(source))
    assert "Päätoteuttajan (avustuksen saajan) Y-tunnus puuttuu: Koeyhdistys ry" in warnings
    data = doc.model_dump(mode="json")
    data["organisations"][0]["organisation"]["y_tunnus"] = "0201256-6"
    source = kinds.ReportInput(
        project=type(doc).model_validate(data), labels={}, lang="sv", today=date(2026, 12, 7)
    )
    assert not [p for p in kinds.get(kind).missing(source) if "Y-tunnus" in p.message]
