"""The indicator catalogue's administration page and the catalogue suggestions of a card import
(NiceGUI's simulated user): an administrator adds, edits, searches and deactivates entries and
imports a file after its preview; a manager is not let in; the page is in Swedish for a Swedish
user; a card import shows catalogue suggestions for its indicators and links only the one the
user chooses. The sample file in tests/data is hand-written in the shape of THL Sotkanet's
indicator metadata, not data from Sotkanet."""

from __future__ import annotations

import os
from pathlib import Path

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlalchemy import select, update

from evaus.db import Database, open_database
from evaus.services import indicator_catalogue as ic
from evaus.services import projects as ps
from evaus.services.access import local_admin
from project_db.engine import sqlite_url
from project_db.models import AuditEntry, Project
from project_db.models import User as Account
from tests.conftest import DATA_DIR, SEEDS_DIR
from tests.ui.conftest import PASSWORDS
from tests.ui.test_login_logic import sign_in

ADMIN = local_admin("tests")
SAMPLE_JSON = (DATA_DIR / "sotkanet_indicators_sample.json").read_bytes()


def _database() -> Database:
    return open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))


def _button(user: User, label: str) -> UserInteraction[ui.button]:
    """The row button whose accessible name is ``label`` ("Muokkaa: Asiakasmäärä")."""
    (found,) = [b for b in user.find(kind=ui.button).elements if b.props.get("aria-label") == label]
    return UserInteraction(user, {found}, None)


async def _upload(user: User, name: str, data: bytes) -> None:
    (uploader,) = user.find(kind=ui.upload).elements
    await uploader.handle_uploads([SmallFileUpload(name, "application/octet-stream", data)])


async def test_an_administrator_adds_edits_and_deactivates_an_indicator(user: User) -> None:
    await sign_in(user, "admin")
    await user.open("/admin")
    await user.should_see("Mittaristo", retries=40)
    await user.open("/admin/indicators")
    await user.should_see("Lisää mittari", retries=40)
    await user.should_see("0/0 mittaria")
    user.find(kind=ui.input, content="Nimi suomeksi").type("Asiakasmäärä")
    user.find(kind=ui.input, content="Nimi ruotsiksi").type("Antal klienter")
    user.find(kind=ui.input, content="Yksikkö").type("henkilöä")
    user.find(kind=ui.input, content="Lähde").type("Hankkeen oma tieto")
    user.find(kind=ui.button, content="Lisää mittari").click()
    await user.should_see("Mittari Asiakasmäärä lisättiin.", retries=40)
    await user.should_see("1/1 mittaria", retries=40)

    _button(user, "Muokkaa: Asiakasmäärä").click()
    await user.should_see("Muokkaa mittaria Asiakasmäärä", retries=40)
    # The dialog's unit input holds the unit (the add form's was emptied after the add).
    (unit,) = [
        i
        for i in user.find(kind=ui.input).elements
        if i.props.get("label") == "Yksikkö" and i.value == "henkilöä"
    ]
    unit.set_value("asiakasta")
    user.find(kind=ui.button, content="Tallenna").click()
    await user.should_see("Muutokset tallennettiin.", retries=40)
    await user.should_see("asiakasta", retries=40)

    _button(user, "Poista käytöstä: Asiakasmäärä").click()
    await user.should_see("Mittari Asiakasmäärä poistettiin käytöstä.", retries=40)
    database = _database()
    with database.session("tests") as session:
        [entry] = ic.list_catalogue(session, actor=ADMIN).entries
        assert (entry.name_sv, entry.unit, entry.active) == ("Antal klienter", "asiakasta", False)
        actors = set(
            session.scalars(
                select(AuditEntry.actor).where(AuditEntry.entity == "indicator_catalogue")
            )
        )
        assert actors == {"admin"}
    database.engine.dispose()


async def test_an_import_shows_its_preview_before_saving(user: User) -> None:
    await sign_in(user, "admin")
    await user.open("/admin/indicators")
    await user.should_see("Tuo mittareita tiedostosta", retries=40)
    await _upload(user, "sotkanet.json", SAMPLE_JSON)
    await user.should_see("Tuonnin esikatselu", retries=40)
    await user.should_see("Luodaan 6, päivitetään 0, ennallaan 0.")
    await user.should_see("sotkanet:90003")
    database = _database()
    with database.session("tests") as session:
        assert ic.list_catalogue(session, actor=ADMIN).total == 0  # the preview saved nothing
    user.find(kind=ui.button, content="Vahvista tuonti").click()
    await user.should_see("Tuonti valmis", retries=40)
    await user.should_see("6/6 mittaria", retries=40)
    with database.session("tests") as session:
        assert ic.list_catalogue(session, actor=ADMIN).total == 6
    database.engine.dispose()
    # The search narrows the list: every word must match.
    user.find(kind=ui.input, content="Hae mittaristosta").type("kotihoidon 75")
    await user.should_see("1/1 mittaria", retries=40)
    await user.should_see(
        "Säännöllisen kotihoidon piirissä olleet 75 vuotta täyttäneet", retries=40
    )
    # A bad file: the rows and fields are named, nothing is saved.
    await _upload(user, "huono.csv", b"id;title_fi\n7;\n")
    await user.should_see("Tiedostossa on virheitä. Mitään ei tallennettu.", retries=40)
    await user.should_see("Mittarit, rivi 2: title_fi: on pakollinen")


async def test_the_page_is_for_administrators_only(user: User) -> None:
    await sign_in(user, "maija")
    await user.open("/admin/indicators")
    await user.should_see("Sinulla ei ole oikeutta nähdä tätä sivua.", retries=40)
    await user.should_not_see("Lisää mittari")


async def test_the_page_speaks_swedish(user: User) -> None:
    database = _database()
    with database.session("tests") as session:
        session.execute(update(Account).where(Account.username == "admin").values(language="sv"))
        session.commit()
    database.engine.dispose()
    await user.open("/login")
    user.find("Käyttäjätunnus").type("admin")
    user.find("Salasana").type(PASSWORDS["admin"])
    user.find(kind=ui.button, content="Kirjaudu sisään").click()
    await user.should_see("Logga ut", retries=40)
    await user.open("/admin/indicators")
    await user.should_see("Indikatorkatalog", retries=40)
    await user.should_see("Lägg till indikator")
    await user.should_see("Importera indikatorer från en fil")
    await user.should_see("0 av 0 indikatorer")


async def test_a_card_import_suggests_catalogue_indicators_and_links_the_chosen_one(
    user: User,
) -> None:
    database = _database()
    with database.session("tests") as session:
        ic.create_entry(
            session,
            {"key": "oma:asiakasmaara", "name_fi": "Asiakasmäärä", "unit": ""},
            actor=ADMIN,
        )
    database.engine.dispose()
    await sign_in(user, "admin")
    await user.open("/admin/import")
    await user.should_see("Valitse tuotava tiedosto", retries=40)
    await _upload(user, "soku.txt", (SEEDS_DIR / "004_esr_soku.txt").read_bytes())
    await user.should_see("Tuonnin esikatselu", retries=40)
    await user.should_see("Ehdotukset mittaristosta", retries=40)
    await user.should_see("Älä linkitä")
    # The suggestion names its reason; nothing is chosen for the user.
    radios = user.find(kind=ui.radio).elements
    [radio] = [r for r in radios if "oma:asiakasmaara" in r.options]  # type: ignore[attr-defined]
    assert radio.value == ""
    label = radio.options["oma:asiakasmaara"]  # type: ignore[attr-defined]
    assert label.startswith("Asiakasmäärä – samankaltainen nimi suomeksi (")
    radio.set_value("oma:asiakasmaara")
    user.find(kind=ui.button, content="Vahvista tuonti").click()
    await user.should_see("Tuonti valmis", retries=40)
    await user.should_see("1 mittaria linkitettiin mittaristoon.", retries=40)
    with database.session("tests") as session:
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
        doc = ps.get_project_doc(session, soku, actor=ADMIN)
        linked = [(i.name, i.catalogue_key) for i in doc.indicators if i.catalogue_key]
        assert linked == [("Asiakasmäärä noin 350", "oma:asiakasmaara")]
    database.engine.dispose()
