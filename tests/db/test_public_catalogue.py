"""The public project catalogue: who may publish, what the portfolio default does, and that the
public pages (plain HTML under /public) and the open data (/public/api/…) never show a private
project, an internal note or comment, or anyone's contact details but the public contact's — on
SQLite and PostgreSQL, through the real routes (TestClient)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from evaus.db import Database
from evaus.public import guard, routes
from evaus.services import comments, projects, publishing
from evaus.services.access import Forbidden, local_admin
from evaus.settings import get_settings
from project_db import outbox
from project_db.migrate import alembic_config, current_revision, head_revision, upgrade
from project_db.models import AuditEntry, CodeItem, Project
from project_db.notifications import Notice
from tests.db.conftest import join_project, new_user

ADMIN = local_admin("paakayttaja")
NBSP = "\u00a0"
PORTFOLIO = "Hyvinvointisalkku 2014-2020"  # a default portfolio code
OTHER_PORTFOLIO = "Kulttuurisalkku"

SECRET_NAME = "Salainen Zeta-kokeilu"
SECRET_MAIL = "zeta.vetaja@example.fi"
HIDDEN_MAIL = "piilotettu.tiimilainen@example.fi"
HIDDEN_PHONE = "+358 40 7654321"
PUBLIC_MAIL = "julkinen.yhteys@example.fi"
NOTE = "SISÄINEN-MUISTIINPANO"
COMMENT = "SISÄINEN-KOMMENTTI"
NARRATIVE = "SISÄINEN-KERTOMUS"


def _person(name: str, email: str, phone: str | None = None, **row: Any) -> dict[str, Any]:
    return {"person": {"name": name, "email": email, "phone": phone}, "role": "Jäsen", **row}


def _doc(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "summary": "", **extra}


@pytest.fixture
def registry(database: Database) -> dict[str, int]:
    """A public project (its own choice) with a public contact and a team member whose details
    are not public; a private project; one following the portfolio; a second portfolio."""
    with database.session() as session:
        session.add(CodeItem(list_name="portfolio", code=OTHER_PORTFOLIO, label_fi=OTHER_PORTFOLIO))
        session.commit()
        open_one = projects.create_project(
            session,
            _doc(
                "Sosiaalisen kuntoutuksen kokeilu",
                summary="Kehitämme sosiaalista kuntoutusta Pirkanmaalla.",
                portfolio=PORTFOLIO,
                status="kaynnissa",
                start_date="2015-09-01",
                end_date="2018-11-30",
                budget_amount="1000000",
                public=True,
                funding=[{"funder": {"name": "Keski-Suomen ELY-keskus"}, "amount": "750000.00"}],
                organisations=[
                    {"organisation": {"name": "Valkeakosken kaupunki"}, "role": "paatoteuttaja"}
                ],
                people=[
                    _person("Julkinen Yhteyshenkilö", PUBLIC_MAIL, public_contact=True),
                    _person("Piilotettu Tiimiläinen", HIDDEN_MAIL, HIDDEN_PHONE, is_contact=True),
                ],
                periods=[{"number": 1, "start_date": "2015-09-01", "end_date": "2015-12-31"}],
                indicators=[
                    {
                        "key": "asiakkaat",
                        "name": "Asiakkaiden määrä",
                        "unit": "henkeä",
                        "baseline": "0",
                        "target": "350",
                        "values": [{"period": 1, "value": "120", "basis": "collected"}],
                    }
                ],
                results=[{"kind": "result", "text": "Asiakkaista 70 % saa palvelua."}],
            ),
            actor=ADMIN,
        )
        secret = projects.create_project(
            session,
            _doc(
                SECRET_NAME,
                summary="Sosiaalisen kuntoutuksen salainen kokeilu.",
                portfolio=PORTFOLIO,
                public=False,
                people=[_person("Zeta Vetäjä", SECRET_MAIL, public_contact=True)],
            ),
            actor=ADMIN,
        )
        following = projects.create_project(
            session, _doc("Salkun mukaan kulkeva hanke", portfolio=PORTFOLIO), actor=ADMIN
        )
        other = projects.create_project(
            session, _doc("Toisen salkun hanke", portfolio=OTHER_PORTFOLIO), actor=ADMIN
        )
        return {
            "open": open_one.id,
            "secret": secret.id,
            "following": following.id,
            "other": other.id,
        }


def _listed(database: Database, text: str = "") -> list[str]:
    with database.session() as session:
        page = publishing.public_projects(session, text, actor=publishing.VISITOR)
    return [item.name for item in page.items]


# --- publishing: rights, audit, the portfolio default ------------------------------------


def test_the_projects_manager_or_an_admin_publishes_and_it_is_audited(
    database: Database, registry: dict[str, int]
) -> None:
    project_id = registry["following"]
    with database.session() as session:
        viewer = new_user(session, "ville", "viewer")
        outsider = new_user(session, "olli", "manager")
        manager = join_project(session, new_user(session, "maija", "manager"), project_id)
        reviewer = new_user(session, "riitta", "reviewer")
        for actor in (viewer, outsider, reviewer, publishing.VISITOR):
            with pytest.raises(Forbidden):
                publishing.set_public(session, project_id, True, actor=actor)
            session.rollback()
        assert not publishing.project_is_public(session, project_id, actor=publishing.VISITOR)
        assert publishing.can_publish(session, manager, project_id)
        assert not publishing.can_publish(session, outsider, project_id)

        publishing.set_public(session, project_id, True, actor=manager)
        assert publishing.project_is_public(session, project_id, actor=publishing.VISITOR)
        publishing.set_public(session, project_id, False, actor=ADMIN)
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "project", AuditEntry.field == "public")
            .order_by(AuditEntry.id)
        ).all()
    assert [(e.actor, e.entity_id, e.old_value, e.new_value) for e in entries][-2:] == [
        ("maija", project_id, None, "true"),
        ("paakayttaja", project_id, "true", "false"),
    ]
    assert "Salkun mukaan kulkeva hanke" not in _listed(database)


def test_the_portfolio_default_applies_to_projects_without_a_choice(
    database: Database, registry: dict[str, int]
) -> None:
    assert _listed(database) == ["Sosiaalisen kuntoutuksen kokeilu"]
    with database.session() as session:
        manager = new_user(session, "maija", "manager")
        with pytest.raises(Forbidden):
            publishing.set_portfolio_default(session, PORTFOLIO, True, actor=manager)
        session.rollback()
        publishing.set_portfolio_default(session, PORTFOLIO, True, actor=ADMIN)
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "code_item",
                AuditEntry.field == "public_default",
                AuditEntry.action == "update",
            )
        ).all()
        assert [(a.actor, a.old_value, a.new_value) for a in audited] == [
            ("paakayttaja", "false", "true")
        ]
    # The project without a choice follows its portfolio; the private one keeps its own
    # choice; the other portfolio's project stays out.
    assert sorted(_listed(database)) == [
        "Salkun mukaan kulkeva hanke",
        "Sosiaalisen kuntoutuksen kokeilu",
    ]
    with database.session() as session:
        publishing.set_public(session, registry["following"], False, actor=ADMIN)
        assert not publishing.project_is_public(
            session, registry["following"], actor=publishing.VISITOR
        )
        publishing.set_public(session, registry["following"], None, actor=ADMIN)
        assert publishing.project_is_public(
            session, registry["following"], actor=publishing.VISITOR
        )


def test_the_public_search_is_the_registry_search_limited_to_public_projects(
    database: Database, registry: dict[str, int]
) -> None:
    # "kuntoutus" finds "kuntoutuksen" (stemmed) in both projects' texts; only one is public.
    assert _listed(database, "kuntoutus") == ["Sosiaalisen kuntoutuksen kokeilu"]
    assert _listed(database, "salainen") == []
    assert _listed(database, "Zeta") == []
    with database.session() as session:
        registry_hits = projects.list_projects(
            session, projects.ProjectQuery(text="kuntoutus"), actor=ADMIN
        )
    assert {p.name for p in registry_hits.items} >= {
        SECRET_NAME,
        "Sosiaalisen kuntoutuksen kokeilu",
    }


def test_the_card_shows_only_the_public_contact(
    database: Database, registry: dict[str, int]
) -> None:
    with database.session() as session:
        card = publishing.public_card(session, registry["open"], actor=publishing.VISITOR)
        hidden = publishing.public_card(session, registry["secret"], actor=publishing.VISITOR)
        missing = publishing.public_card(session, 999_999, actor=publishing.VISITOR)
    assert card is not None and hidden is None and missing is None
    assert [(c.name, c.email) for c in card.contacts] == [("Julkinen Yhteyshenkilö", PUBLIC_MAIL)]
    assert HIDDEN_MAIL not in card.model_dump_json() and "Piilotettu" not in card.model_dump_json()
    [indicator] = card.indicators
    assert (indicator.baseline, indicator.target) == (0, 350)
    assert [(f.period, f.value, f.basis) for f in indicator.actuals] == [(1, 120, "kerätty tieto")]


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture
def client(public_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr(routes, "feedback_limit", guard.RateLimit())
    return public_client


@pytest.fixture
def crowded(database: Database, registry: dict[str, int]) -> dict[str, list[int]]:
    """The registry grown to half public, half private projects, every one of them full of
    contact details, internal notes, period narratives and comments; only the public contacts
    of the public projects may show."""
    public_ids, private_ids = (
        [registry["open"]],
        [
            registry["secret"],
            registry["following"],
            registry["other"],
        ],
    )
    with database.session() as session:
        for n in range(1, 5):
            public = n != 4
            made = projects.create_project(
                session,
                _doc(
                    f"{'Avoin' if public else 'Suljettu'} hanke {n}",
                    summary=f"Hankkeen {n} tiivistelmä.",
                    public=public,
                    status="kaynnissa",
                    start_date="2020-01-01",
                    end_date="2021-12-31",
                    notes=f"{NOTE} {n}",
                    funding=[{"funder": {"name": f"Rahoittaja {n}"}, "amount": "1000"}],
                    people=[
                        _person(
                            f"Yhteys Henkilö{n}", f"yhteys{n}@example.fi", public_contact=public
                        ),
                        _person(f"Salattu Jäsen{n}", f"salattu{n}@example.fi", f"+358 50 99900{n}"),
                    ],
                    periods=[
                        {
                            "number": 1,
                            "start_date": "2020-01-01",
                            "end_date": "2020-12-31",
                            "deviations": f"{NARRATIVE} {n}",
                        }
                    ],
                ),
                actor=ADMIN,
            )
            (public_ids if public else private_ids).append(made.id)
        for project_id in (*public_ids, *private_ids):
            project = session.get(Project, project_id)
            assert project is not None
            project.notes = f"{NOTE} {project_id}"
            session.commit()
            comments.add_comment(
                session,
                comments.Target(comments.PROJECT, project_id, "goals"),
                f"{COMMENT} {project_id}",
                actor=ADMIN,
            )
    return {"public": public_ids, "private": private_ids}


OPEN_DATA = ("/public/api/projects.json", "/public/api/projects.csv", "/public/api/iati.xml")


def _every_public_page(client: TestClient, ids: dict[str, int], *more: int) -> dict[str, str]:
    pages = {}
    for lang in ("fi", "sv", "en"):
        for path in (
            "/public/projects",
            f"/public/projects?q={SECRET_NAME.split()[1]}",
            "/public/projects?q=salainen",
            "/public/projects?q=kuntoutus",
            "/public/projects?q=hanke",
            f"/public/projects/{ids['open']}",
            f"/public/projects/{ids['secret']}",
            f"/public/projects/{ids['following']}",
            *(f"/public/projects/{project_id}" for project_id in more),
            "/public/saavutettavuus",
            *OPEN_DATA,
        ):
            sep = "&" if "?" in path else "?"
            response = client.get(f"{path}{sep}lang={lang}")
            assert response.status_code in (200, 404), path
            pages[f"{path}{sep}lang={lang}"] = response.content.decode("utf-8")
    pages["/public/sitemap.xml"] = client.get("/public/sitemap.xml").text
    pages["/robots.txt"] = client.get("/robots.txt").text
    return pages


def test_no_public_page_or_open_data_reveals_a_private_project_or_a_hidden_contact(
    client: TestClient, registry: dict[str, int], crowded: dict[str, list[int]], database: Database
) -> None:
    with database.session() as session:
        keys = {p.id: p.key for p in session.scalars(select(Project))}
    pages = _every_public_page(client, registry, *crowded["public"], *crowded["private"])
    hidden = [SECRET_NAME, "Zeta Vetäjä", SECRET_MAIL, HIDDEN_MAIL, "7654321", "Piilotettu"]
    hidden += ["Suljettu hanke", "Salkun mukaan kulkeva", "Toisen salkun", "Salattu", "salattu"]
    hidden += ["99900", NOTE, COMMENT, NARRATIVE, "yhteys4@example.fi"]
    hidden += [keys[project_id] for project_id in crowded["private"]]
    for address, body in pages.items():
        # (A search page repeats the words searched for, "Zeta-kokeilu": not the name.)
        for secret in hidden:
            assert secret not in body, f"{secret!r} on {address}"
        for project_id in crowded["private"]:
            assert f"/public/projects/{project_id}<" not in body, address
            assert f'/public/projects/{project_id}"' not in body, address
            assert f"/public/projects/{project_id}?" not in body, address
    searched = pages["/public/projects?q=Zeta-kokeilu&lang=fi"]
    assert "Hakua ”Zeta-kokeilu” vastaavat hankkeet: 0" in searched
    assert 'content="noindex, follow"' in searched
    card = pages[f"/public/projects/{registry['open']}?lang=fi"]
    assert "Julkinen Yhteyshenkilö" in card and PUBLIC_MAIL in card
    sitemap = pages["/public/sitemap.xml"]
    assert f"/public/projects/{registry['open']}<" in sitemap
    for other in ("secret", "following", "other"):
        assert f"/public/projects/{registry[other]}<" not in sitemap
    # The open data has every public project and its public contact, and nothing else.
    for path in OPEN_DATA:
        body = pages[f"{path}?lang=fi"]
        for project_id in crowded["public"]:
            assert keys[project_id] in body, path
        for n in (1, 2, 3):
            assert f"yhteys{n}@example.fi" in body, path
        assert PUBLIC_MAIL in body, path


def test_a_private_project_looks_exactly_like_a_missing_one(
    client: TestClient, registry: dict[str, int]
) -> None:
    private = client.get(f"/public/projects/{registry['secret']}")
    missing = client.get("/public/projects/987654")
    not_a_number = client.get("/public/projects/abc")
    assert private.status_code == missing.status_code == not_a_number.status_code == 404
    assert private.text == missing.text == not_a_number.text
    assert "Sivua ei löydy" in private.text and 'name="robots" content="noindex"' in private.text
    swedish = client.get(f"/public/projects/{registry['secret']}?lang=sv")
    assert swedish.status_code == 404 and "Sidan hittades inte" in swedish.text
    assert client.get("/public/nothing-here").status_code == 404


def test_the_card_in_finnish_formats_and_the_readers_language(
    client: TestClient, registry: dict[str, int]
) -> None:
    page = client.get(f"/public/projects/{registry['open']}")
    assert page.status_code == 200
    body = page.text
    assert '<html lang="fi">' in body
    assert f"1{NBSP}000{NBSP}000 €" in body and f"750{NBSP}000 €" in body
    assert "1.9.2015–30.11.2018" in body
    assert "Käynnissä" in body and "Valkeakosken kaupunki" in body
    assert "Asiakkaiden määrä" in body and "350" in body and "<strong>120</strong>" in body
    assert '<meta name="description" content="Kehitämme sosiaalista kuntoutusta' in body
    assert (
        f'<link rel="canonical" href="http://testserver/public/projects/{registry["open"]}">'
        in body
    )
    swedish = client.get(
        f"/public/projects/{registry['open']}", headers={"Accept-Language": "sv-FI,sv;q=0.9"}
    )
    assert '<html lang="sv">' in swedish.text and "Finansiering" in swedish.text
    assert swedish.headers["content-language"] == "sv"
    # ?lang= wins over the browser, and every link keeps it.
    english = client.get(
        f"/public/projects/{registry['open']}?lang=en", headers={"Accept-Language": "sv"}
    )
    assert '<html lang="en">' in english.text and "Funding" in english.text
    # Every link but the language menu's (which changes it on purpose).
    links = re.findall(r'<a href="(/public/[^"#]*)"(?![^>]*hreflang)', english.text)
    internal = [x for x in links if not x.endswith(".xml")]
    assert internal and all("lang=en" in x for x in internal), internal


def test_the_list_pages_and_searches(client: TestClient, registry: dict[str, int]) -> None:
    page = client.get("/public/projects?q=kuntoutus&lang=sv")
    assert page.status_code == 200
    assert "Sosiaalisen kuntoutuksen kokeilu" in page.text
    assert f'href="/public/projects/{registry["open"]}?lang=sv"' in page.text
    assert "1.9.2015–30.11.2018" in page.text
    empty = client.get("/public/projects?q=olematonsana")
    assert "Yksikään julkinen hanke ei vastaa hakua" in empty.text
    assert client.get("/public/projects?page=abc").status_code == 200
    assert client.get("/public/projects?page=50").status_code == 404
    robots = client.get("/robots.txt").text
    assert "Allow: /public/" in robots and "Sitemap: http://testserver/public/sitemap.xml" in robots


def test_a_search_that_finds_nothing_suggests_only_words_of_public_cards(
    client: TestClient, registry: dict[str, int], database: Database
) -> None:
    typo = client.get("/public/projects?q=kuntotus")
    assert "Tarkoititko:" in typo.text
    assert 'href="/public/projects?q=kuntoutus' in typo.text
    # Misspelt words of what only the registry shows suggest nothing: a team member's name,
    # a private project's name.
    for asked, hidden in (
        ("Piliotettu", "piilotettu"),
        ("Tiimilänen", "tiimiläinen"),
        ("Zeeta", "zeta"),
    ):
        with database.session() as session:
            found = projects.list_projects(session, projects.ProjectQuery(text=asked), actor=ADMIN)
        assert hidden in found.suggestions  # the registry's own search suggests it
        page = client.get(f"/public/projects?q={asked}")
        assert "Tarkoititko" not in page.text and hidden not in page.text.lower()


# --- the accessibility statement and its feedback -----------------------------------------------


def _form(client: TestClient, lang: str = "fi") -> dict[str, str]:
    page = client.get(f"/public/saavutettavuus?lang={lang}").text
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token
    return {"token": token.group(1), "lang": lang}


def test_the_statement_names_the_supervisory_authority(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    finnish = client.get("/public/saavutettavuus").text
    assert "Saavutettavuusseloste" in finnish and "306/2019" in finnish
    assert "osittain" in finnish  # the compliance status, honestly
    # Without settings: the authority's own pages, and no contact details the registry cannot
    # vouch for (the authority's organisation changed in 2026).
    assert "saavutettavuusvalvonta" in finnish and "saavutettavuusvaatimukset.fi" in finnish
    assert "mailto:" not in finnish.split('class="authority"')[1].split("</address>")[0]
    swedish = client.get("/public/saavutettavuus?lang=sv").text
    assert "Tillgänglighetsutlåtande" in swedish and "tillganglighetskrav.fi" in swedish
    # The administrator gives the details as the authority publishes them.
    monkeypatch.setenv("EVAUS_ACCESSIBILITY_AUTHORITY", "Valvontavirasto, saavutettavuusvalvonta")
    monkeypatch.setenv("EVAUS_ACCESSIBILITY_AUTHORITY_EMAIL", "valvonta@example.fi")
    monkeypatch.setenv("EVAUS_ACCESSIBILITY_AUTHORITY_PHONE", "029 501 6000")
    get_settings.cache_clear()
    try:
        configured = client.get("/public/saavutettavuus").text
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert "Valvontavirasto, saavutettavuusvalvonta" in configured
    assert 'href="mailto:valvonta@example.fi"' in configured
    assert 'href="tel:0295016000"' in configured


def test_feedback_reaches_the_admins_as_a_notice_and_by_mail(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVAUS_SMTP_URL", "smtp://127.0.0.1:2525")
    monkeypatch.setenv("EVAUS_MAIL_FROM", "evaus@example.fi")
    with database.session() as session:
        new_user(session, "aino", "admin", email="aino@example.fi", language="sv")
        new_user(session, "ville", "viewer", email="ville@example.fi")
    data = _form(client) | {
        "message": "Hakukentän kontrasti on liian heikko.",
        "name": "Liisa Lukija",
        "email": "liisa@example.fi",
        "page": "/public/projects",
    }
    sent = client.post("/public/saavutettavuus", data=data, follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == "/public/saavutettavuus?lang=fi&sent=1#feedback"
    thanks = client.get(sent.headers["location"]).text
    assert "Kiitos! Palautteesi lähetettiin" in thanks
    with database.session() as session:
        notices = session.scalars(select(Notice)).all()
        mails = session.scalars(select(outbox.MailMessage)).all()
        audited = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.entity == "notice")
        ).all()
    assert len(notices) == 1  # the admin, not the viewer
    assert "Hakukentän kontrasti" in notices[0].text_fi and "Liisa Lukija" in notices[0].text_fi
    [mail] = mails
    assert mail.recipient == "aino@example.fi" and mail.language == "sv"
    assert "tillgängligheten" in mail.subject and "liisa@example.fi" in mail.body_text
    assert set(audited) == {publishing.PUBLIC_ACTOR}


def test_bad_feedback_is_refused_in_the_readers_language(
    client: TestClient, database: Database
) -> None:
    with database.session() as session:
        new_user(session, "aino", "admin")
    empty = client.post("/public/saavutettavuus", data=_form(client) | {"message": "  "})
    assert empty.status_code == 400 and "Viesti: kirjoita palautteesi." in empty.text
    too_long = client.post(
        "/public/saavutettavuus",
        data=_form(client, "sv") | {"message": "x" * 4001, "email": "ei osoite"},
    )
    assert too_long.status_code == 400
    assert "Meddelande: högst 4000 tecken." in too_long.text
    assert "E-post: adressen är inte giltig." in too_long.text
    forged = client.post(
        "/public/saavutettavuus",
        data={"token": "123.abc", "lang": "fi", "message": "Hei <script>x</script>"},
    )
    assert forged.status_code == 400 and "Lomake on vanhentunut" in forged.text
    assert "<script>x</script>" not in forged.text and "&lt;script&gt;" in forged.text
    huge = client.post("/public/saavutettavuus", content=b"message=" + b"a" * 40_000)
    assert huge.status_code == 413
    with database.session() as session:
        assert session.scalars(select(Notice)).all() == []


def test_feedback_is_limited_per_address(client: TestClient, database: Database) -> None:
    with database.session() as session:
        new_user(session, "aino", "admin")
    statuses = [
        client.post(
            "/public/saavutettavuus",
            data=_form(client) | {"message": f"Palaute {n}"},
            follow_redirects=False,
        ).status_code
        for n in range(guard.LIMIT + 1)
    ]
    assert statuses == [303] * guard.LIMIT + [429]
    with database.session() as session:
        assert len(session.scalars(select(Notice)).all()) == guard.LIMIT


def test_an_old_or_forged_token_is_not_valid() -> None:
    token = guard.make_token("salaisuus", now=1_000_000)
    assert guard.token_is_valid("salaisuus", token, now=1_000_100)
    assert not guard.token_is_valid("salaisuus", token, now=1_000_000 + guard.TOKEN_AGE + 1)
    assert not guard.token_is_valid("toinen", token, now=1_000_100)
    assert not guard.token_is_valid("salaisuus", "1000000." + "0" * 64, now=1_000_100)


# --- the migration ---------------------------------------------------------------------------


def test_migration_0016_adds_and_drops_the_columns_in_place(
    database: Database, registry: dict[str, int]
) -> None:
    engine = database.engine
    command.downgrade(alembic_config(engine), "0015")
    assert current_revision(engine) == "0015"
    assert "public" not in {c["name"] for c in inspect(engine).get_columns("project")}
    assert "public_default" not in {c["name"] for c in inspect(engine).get_columns("code_item")}
    assert "public_contact" not in {
        c["name"] for c in inspect(engine).get_columns("project_person")
    }
    with engine.connect() as conn:
        # Dropped in place: the projects keep their people and indicators (no table copy).
        people = conn.execute(text("SELECT count(*) FROM project_person")).scalar_one()
        indicators = conn.execute(text("SELECT count(*) FROM indicator")).scalar_one()
    assert people == 3 and indicators == 1
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    with database.session() as session:
        # Nothing is public after the upgrade: the choices went with the columns.
        assert publishing.public_projects(session, actor=publishing.VISITOR).total == 0
        stored = session.get(Project, registry["open"])
        assert stored is not None and stored.public is None
        assert [p.public_contact for p in stored.people] == [False, False]
