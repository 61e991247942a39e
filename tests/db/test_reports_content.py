"""What the funder reports print of the registry, on SQLite and PostgreSQL: the project's own
descriptions in the right places, results never claimed as achieved, the STEA grant recipient,
and no personal data in the public STEA report."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.demo import load_demo
from evaus.services import reports
from evaus.services.access import local_admin
from evaus.services.projects import create_project
from project_db.models import Project
from tests.reports_support import docx_text
from tests.unit.test_reports_privacy import IDENTITY_CODE, SECRETS, every_text, hostile_stea_doc

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

SOKU_SOLUTION = "SoKu-hanke kehittää sosiaalisen kuntoutuksen monimuotoisuutta"
SOKU_PRACTICES = "Matalan kynnyksen kohtaamispaikat, NARIKAT ja jalkautuva työote"
SOKU_DURING = "Yhteistyö muun muassa Kelan kanssa on tiivistynyt"
SOKU_PLANNED = "Kehitetään sosiaalisen kuntoutuksen prosessi."
HANSKA_EVALUATION = "Asunnottomille on saatu asuntoja"
HANSKA_COOPERATION = (
    "Palvelukeskus Hanskan toimintaan osallistuu Jyväskylän kaupunki ja Sovatek-Säätiö"
)
HANSKA_PARTNER_LINE = "Hanskan palvelu tuotetaan yhteistyössä Sovatek-säätiön Olohuone"


@pytest.fixture
def demo(database: Database) -> Database:
    with database.session("demo") as session:
        load_demo(session)
        session.commit()
    return database


def project_id(database: Database, name_part: str) -> int:
    with database.session() as session:
        return next(p.id for p in session.scalars(select(Project)) if name_part in p.name)


def make(database: Database, name_part: str, kind: str) -> tuple[str, list[str]]:
    with database.session("tester") as session:
        made = reports.generate_report(
            session, project_id(database, name_part), kind, actor=local_admin("tester")
        )
        session.commit()
    return docx_text(made.content), made.warnings


@pytest.mark.parametrize("kind", ["esr-period", "esr-final"])
def test_soku_esr_reports_print_its_descriptions(demo: Database, kind: str) -> None:
    text, _warnings = make(demo, "SoKu", kind)
    for passage in (SOKU_SOLUTION, SOKU_PRACTICES, SOKU_DURING):
        assert passage in text, passage
    assert "Ratkaisun kuvaus" in text and "Toimintatavat" in text and "Hankkeen aikana" in text


def test_planned_results_are_not_listed_as_achieved(demo: Database) -> None:
    for name, kind in (("SoKu", "esr-final"), ("SoKu", "card"), ("Asunnottomien sosiaali", "stm")):
        text, _warnings = make(demo, name, kind)
        assert "Saavutetut" not in text and "saavutetut" not in text
        heading = text.index("Tavoitellut")
        if name == "SoKu":
            assert text.index(SOKU_PLANNED) > heading
        else:
            assert text.rindex("Tuotetaan tiivistä asumisen tukea") > heading


def test_hanska_stea_report_prints_evaluation_cooperation_and_recipient(demo: Database) -> None:
    text, warnings = make(demo, "yhteistyöprosessi", "stea")
    for passage in (HANSKA_EVALUATION, HANSKA_COOPERATION, HANSKA_PARTNER_LINE):
        assert passage in text, passage
    lines = text.split("\n")
    # The STEA grant goes to the implementing foundation, not to the city leading the work.
    assert lines[lines.index("Avustuksen saaja") + 1] == "Sovatek-säätiö"
    assert lines[lines.index("Yhteistyökumppani", lines.index("7 Yhteistyö")) + 3] == (
        "Jyväskylän kaupunki"
    )
    assert not any("Juurruttaminen" in w for w in warnings)  # its conditions are printed there
    assert not any("julkisesta raportista" in w for w in warnings)  # nothing personal in it


def test_hostile_project_stea_report_from_the_registry(database: Database) -> None:
    with database.session("tester") as session:
        doc = hostile_stea_doc().model_copy(update={"name": "Olohuone-hanke", "source_key": None})
        project = create_project(session, doc, actor=local_admin("tester"))
        made = reports.generate_report(session, project.id, "stea", actor=local_admin("tester"))
        warnings = reports.report_warnings(session, project.id, "stea", actor=READER)
        session.commit()
    text = every_text(made.content)
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, leaked
    assert "[henkilötunnus poistettu]" in text and "[nimi poistettu]" in text
    assert "projektipäällikkö [nimi poistettu]" in text
    # The maker sees the removals after making the report and before it (the report page).
    for listed in (made.warnings, warnings):
        joined = "\n".join(listed)
        for secret, kind in SECRETS.items():
            if kind == IDENTITY_CODE:
                assert secret not in joined and secret[:7] + "****" in joined
        assert "Poistettu julkisesta raportista, nimi: Anna Virtanen" in listed
        assert "Poistettu julkisesta raportista, linkki: olohuone.fi/palaute" in listed
    with database.session() as session:
        archived = reports.list_archive(session, actor=READER)
        assert archived
