"""The reporting cycle through the real UI, on a server of its own with mail going to a real SMTP
server (aiosmtpd, started here):

- the manager finds the due period under *Omat tehtävät*, opens the project's Raportit page and
  submits period 1;
- a reviewer returns it with a reason (axe runs with the return dialog open); the manager sees
  the reason in the period table and under the bell, and submits again;
- the reviewer approves while the manager has the editor open: the manager's save of a change to
  period 1 is refused with the Finnish lock message and nothing is stored; opened again, the
  editor shows period 1's narrative and participant counts read-only;
- a comment with ``@riitta`` reaches Riitta's bell and, after the delivery pass
  (``evaus reminders run``, as cron runs it), her mailbox.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select

from evaus.db import open_database
from evaus.i18n import today_in_helsinki
from evaus.services import deadlines
from evaus.services.access import Actor, local_admin
from evaus.services.deadlines import RuleIn
from evaus.services.projects import create_project_for
from evaus.services.users import create_user, update_user
from project_db.engine import sqlite_url
from project_db.models import User
from tests.db.test_mail_outbox import Mailbox, SmtpServer, free_port

from .conftest import (
    PASSWORDS,
    Server,
    _prepare,
    _stop,
    assert_accessible,
    child_environment,
    serve,
    settle,
)
from .test_accessibility_dialogs import scan_dialog

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("review-cycle")]

SENDER = "evaus@kunta.example.fi"
REVIEWER, REVIEWER_PASSWORD = "riitta", "riitta-salasana-1"
MANAGER = "maija"
REVIEWER_ADDRESS, MANAGER_ADDRESS = "riitta@kunta.example.fi", "maija@kunta.example.fi"
PROJECT = "Kiertotalouden osaajat"
REASON = "Osallistujamäärät puuttuvat jaksolta 1."
REVIEW_BUTTONS = re.compile("^(Lähetä tarkastettavaksi|Hyväksy|Palauta|Avaa uudelleen): ")
LOCKED_SAVE = "Raportointijakso: Jakso 1 on hyväksytty ja lukittu: sen tietoja ei voi muuttaa"
SERVER_WAIT = 30_000  # ms: server work (report archiving, saves) on a loaded machine


@dataclass
class CycleServer:
    server: Server
    smtp: SmtpServer
    project_id: int
    environment: dict[str, str]

    def deliver_mail(self) -> str:
        """One delivery pass as cron runs it (``evaus reminders run``): the outbox is sent."""
        done = subprocess.run(
            [sys.executable, "-m", "evaus.cli", "reminders", "run"],
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [mail for _from, rcpts, mail in self.smtp.mailbox.received if address in rcpts]


def _project_data() -> dict[str, object]:
    """An ESR project whose period 1 report is due in a week (so it is under Omat tehtävät)."""
    today = today_in_helsinki()
    end1 = today - timedelta(days=30) + timedelta(days=7)  # the ESR rule below: end + 30 days
    start1 = end1 - timedelta(days=181)
    end2 = end1 + timedelta(days=184)
    return {
        "name": PROJECT,
        "start_date": start1.isoformat(),
        "end_date": end2.isoformat(),
        "funding": [{"funder": {"name": "Etelä-Savon ELY-keskus"}, "funder_code": "ESR"}],
        "periods": [
            {
                "number": 1,
                "start_date": start1.isoformat(),
                "end_date": end1.isoformat(),
                "done": "Kolme koulutusta järjestettiin.",
            },
            {
                "number": 2,
                "start_date": (end1 + timedelta(days=1)).isoformat(),
                "end_date": end2.isoformat(),
            },
        ],
        "participant_stats": [
            {"period": 1, "gender": "nainen", "age_class": "30-54", "count": 4},
        ],
    }


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CycleServer]:
    """The shared test users (Maija a manager) plus Riitta, a reviewer; both with an address.
    The server sends mail to the SMTP server started here; its own daily pass is off, the test
    runs the delivery pass when it wants the mail out."""
    data_dir = tmp_path_factory.mktemp("review-cycle")
    server = _prepare(data_dir)
    setup = local_admin("test-setup")
    database = open_database(url=sqlite_url(data_dir))
    with database.session("test-setup") as session:
        create_user(
            session,
            REVIEWER,
            role="reviewer",
            password=REVIEWER_PASSWORD,
            display_name="Riitta Tarkastaja",
            email=REVIEWER_ADDRESS,
            actor=setup,
        )
        maija = session.scalars(select(User).where(User.username == MANAGER)).one()
        update_user(session, maija.id, email=MANAGER_ADDRESS, actor=setup)
        rule = next(
            r
            for r in deadlines.list_rules(session, actor=setup)
            if r.funder_code == "ESR" and r.basis == "period_end"
        )
        changed = rule.model_dump(exclude={"id", "version"}) | {"days_after": 30}
        deadlines.update_rule(session, rule.id, RuleIn(**changed), actor=setup)
        session.commit()
    with database.session(MANAGER) as session:
        maija = session.scalars(select(User).where(User.username == MANAGER)).one()
        actor = Actor.of(maija)
        project_id = create_project_for(session, _project_data(), actor=actor).id
        session.commit()
    database.engine.dispose()

    smtp = SmtpServer(free_port(), Mailbox())
    smtp.start()
    try:
        port = free_port()
        server.url = f"http://127.0.0.1:{port}"
        environment = child_environment(
            data_dir,
            EVAUS_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
            EVAUS_MAIL_FROM=SENDER,
            EVAUS_BASE_URL=server.url,
            EVAUS_REMINDERS="off",
        )
        process = serve(data_dir, port, environment)
        try:
            yield CycleServer(server, smtp, project_id, environment)
        finally:
            _stop(process)
    finally:
        smtp.stop()


def _sign_in(browser: Browser, server: Server, username: str, password: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(f"{server.url}/login?next=/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible(timeout=SERVER_WAIT)
    return page


def _stored(cycle: CycleServer, username: str) -> dict[str, Any]:
    with cycle.server.api(username) as client:
        response = client.get(f"/api/projects/{cycle.project_id}")
    assert response.status_code == 200, response.text
    stored: dict[str, Any] = response.json()
    return stored


def _tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute(
        "aria-selected", "true"
    )


def _plain(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def _period_row(page: Page, number: int) -> Locator:
    table = page.get_by_role("table", name="Raportointijaksojen tarkastus")
    return table.get_by_role("row").filter(
        has=page.get_by_role("cell", name=str(number), exact=True)
    )


def _bell(page: Page) -> Locator:
    return page.get_by_role("button", name=re.compile(r"^Ilmoitukset: \d+ lukematonta$"))


def _open_bell(page: Page) -> Locator:
    _bell(page).click()
    menu = page.get_by_role("dialog", name="Ilmoitukset")
    expect(menu).to_be_visible()
    return menu


@pytest.fixture
def pages(browser: Browser, cycle: CycleServer) -> Iterator[dict[str, Page]]:
    opened = {
        MANAGER: _sign_in(browser, cycle.server, MANAGER, PASSWORDS[MANAGER]),
        REVIEWER: _sign_in(browser, cycle.server, REVIEWER, REVIEWER_PASSWORD),
    }
    yield opened
    for page in opened.values():
        page.context.close()


def test_submit_return_resubmit_approve_and_the_lock(
    cycle: CycleServer, pages: dict[str, Page]
) -> None:
    url, project = cycle.server.url, cycle.project_id
    manager, reviewer = pages[MANAGER], pages[REVIEWER]

    # 1. The manager's front page lists the due report; its link opens the Raportit page.
    tasks = manager.get_by_role("table", name="Omat tehtävät")
    task = tasks.get_by_role("row").filter(has_text=PROJECT)
    expect(task).to_contain_text("jakso 1")
    task.get_by_role("link", name="ESR-seurantaraportti").click()
    expect(manager).to_have_url(f"{url}/projects/{project}/reports")
    row = _period_row(manager, 1)
    expect(row).to_contain_text("Luonnos")
    row.get_by_role("button", name="Lähetä tarkastettavaksi: jakso 1").click()
    expect(manager.get_by_text("Jakso 1 lähetettiin tarkastettavaksi.")).to_be_visible(
        timeout=SERVER_WAIT
    )
    expect(row).to_contain_text("Lähetetty tarkastettavaksi (lähettäjä maija)", timeout=SERVER_WAIT)
    # The manager does not review (nor approve their own submission).
    expect(row.get_by_role("button", name=REVIEW_BUTTONS)).to_have_count(0)

    # 2. The reviewer is told (the bell), opens the page from the notice and returns it.
    reviewer.reload()
    expect(_bell(reviewer)).to_have_accessible_name("Ilmoitukset: 1 lukematonta")
    notice = _open_bell(reviewer).get_by_role("link", name=re.compile(PROJECT))
    notice.click()
    expect(reviewer).to_have_url(f"{url}/projects/{project}/reports")
    row = _period_row(reviewer, 1)
    row.get_by_role("button", name="Palauta: jakso 1").click()
    # axe (WCAG A/AA and the dialog rules) with the return dialog open and named by its title.
    dialog = reviewer.get_by_role("dialog", name="Palauta jakso 1")
    scan_dialog(reviewer, dialog)
    # No reason, no return: the dialog says so and stays.
    dialog.get_by_role("button", name="Palauta jakso 1").click()
    expect(dialog.get_by_role("alert")).to_have_text("Kirjoita perustelu.")
    dialog.get_by_label("Syy").fill(REASON)
    dialog.get_by_role("button", name="Palauta jakso 1").click()
    expect(dialog).to_be_hidden(timeout=SERVER_WAIT)
    expect(row).to_contain_text("Palautettu")
    expect(row).to_contain_text(REASON)

    # The manager sees the reason next to the period and under the bell, and submits again.
    manager.reload()
    row = _period_row(manager, 1)
    expect(row).to_contain_text("Palautettu")
    expect(row).to_contain_text(REASON)
    expect(_bell(manager)).to_have_accessible_name("Ilmoitukset: 1 lukematonta")
    menu = _open_bell(manager)
    expect(menu.get_by_role("link", name=re.compile(re.escape(REASON)))).to_be_visible()
    settle(manager)
    assert_accessible(manager)  # with the bell's menu open
    manager.keyboard.press("Escape")
    # The delivery pass sends the return to the manager's mailbox, with the reason.
    cycle.deliver_mail()
    returned = f"Hankkeen {PROJECT} jakso 1 palautettiin sinulle"
    [mail] = [m for m in cycle.mails_to(MANAGER_ADDRESS) if m["Subject"] == returned]
    assert f"Perustelu: {REASON}" in _plain(mail)
    row.get_by_role("button", name="Lähetä tarkastettavaksi: jakso 1").click()
    expect(row).to_contain_text("Lähetetty tarkastettavaksi", timeout=SERVER_WAIT)

    # 3. The manager has the editor open (period 1 still editable) when the reviewer approves.
    edit = f"{url}/projects/{project}/edit"
    manager.goto(edit)
    _tab(manager, "Raportointijaksot")
    done = manager.get_by_label("Mitä tehtiin")
    expect(done).to_have_count(2)
    reviewer.reload()
    row = _period_row(reviewer, 1)
    row.get_by_role("button", name="Hyväksy: jakso 1").click()
    expect(row).to_contain_text("Hyväksytty ja lukittu", timeout=SERVER_WAIT)
    expect(row.get_by_role("button", name="Avaa uudelleen: jakso 1")).to_be_visible()
    # The save that would change the approved period is refused in Finnish; nothing is stored.
    done.first.fill("Neljä koulutusta järjestettiin.")
    manager.get_by_role("button", name="Tallenna", exact=True).first.click()
    expect(manager.get_by_text(LOCKED_SAVE).first).to_be_visible(timeout=SERVER_WAIT)
    assert _stored(cycle, MANAGER)["periods"][0]["done"] == "Kolme koulutusta järjestettiin."

    # Opened again, the editor shows period 1 read-only: its narrative and participant counts.
    manager.once("dialog", lambda leave: leave.accept())  # "leave with unsaved changes?"
    manager.goto(edit)
    _tab(manager, "Raportointijaksot")
    expect(manager.get_by_test_id("locked-period-1")).to_have_text(
        "Jakso 1 on hyväksytty ja lukittu: se näytetään vain luettavana. Tarkastaja voi avata "
        "sen uudelleen perustellen."
    )
    expect(manager.get_by_label("Mitä tehtiin")).to_have_count(1)  # period 2's only
    _tab(manager, "Osallistujat")
    card = manager.get_by_role("tabpanel").locator(".q-card")
    card = card.filter(has=manager.get_by_role("heading", name=re.compile("^Jakso 1:")))
    expect(card).to_contain_text("Jakso 1 on hyväksytty ja lukittu")
    count = card.get_by_label("Nainen, 30–54 v.")
    expect(count).to_have_value("4")
    expect(count).not_to_be_editable()
    stats = _stored(cycle, MANAGER)["participant_stats"]
    assert [s["count"] for s in stats if s["period"] == 1] == [4]


def test_a_mention_reaches_the_bell_and_the_mailbox(
    cycle: CycleServer, pages: dict[str, Page]
) -> None:
    url, project = cycle.server.url, cycle.project_id
    manager, reviewer = pages[MANAGER], pages[REVIEWER]
    manager.goto(f"{url}/projects/{project}")
    comments = manager.get_by_role("region", name="Kommentit")
    comments.get_by_label("Kommentti", exact=True).fill(
        "@riitta katsotko jakson 1 osallistujamäärät?"
    )
    comments.get_by_role("button", name="Lisää kommentti").click()
    expect(manager.get_by_text("Kommentti lisättiin.").first).to_be_visible(timeout=SERVER_WAIT)

    subject = f"Maija mainitsi sinut kommentissa: {PROJECT}"
    reviewer.goto(f"{url}/")
    menu = _open_bell(reviewer)
    link = menu.get_by_role("link", name=re.compile(re.escape(subject)))
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", f"/projects/{project}#comments")

    cycle.deliver_mail()
    [mail] = [m for m in cycle.mails_to(REVIEWER_ADDRESS) if m["Subject"] == subject]
    assert mail["From"] == SENDER
    text = _plain(mail)
    assert "@riitta katsotko jakson 1 osallistujamäärät?" in text
    assert f"{url}/projects/{project}#comments" in text
    # A second pass sends nothing again.
    cycle.deliver_mail()
    assert [m["Subject"] for m in cycle.mails_to(REVIEWER_ADDRESS)].count(subject) == 1
