"""Portfolio reports in the archive and a portfolio's default publicity (NiceGUI's simulated
user): a reader makes the DOCX portfolio report on /portfolio, sees it among the archived
portfolio reports with their name, and downloads it again byte for byte; an administrator makes
a portfolio's projects public by default on the code list page, and takes it back."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlalchemy import select

from evaus.db import open_database
from evaus.services import publishing
from evaus.services.access import local_admin
from project_db.engine import sqlite_url
from project_db.models import CodeItem
from tests.ui.test_login_logic import sign_in

ADMIN = local_admin("tests")
PORTFOLIO = "Hyvinvointisalkku 2014-2020"


def _portfolio_code() -> tuple[str, bool]:
    """The demo portfolio's code and whether its projects are public by default."""
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        item = session.scalars(
            select(CodeItem).where(
                CodeItem.list_name == "portfolio", CodeItem.label_fi == PORTFOLIO
            )
        ).one()
        code = item.code
        public = publishing.portfolio_default(session, code, actor=ADMIN)
    database.engine.dispose()
    return code, public


async def test_a_portfolio_report_made_on_the_page_is_archived(user: User) -> None:
    await sign_in(user, "ville")
    query = urlencode({"portfolio": PORTFOLIO, "start": "1.1.2020", "end": "31.12.2020"})
    await user.open(f"/portfolio?{query}")
    await user.should_see("Arkistoidut salkkuraportit", retries=60)
    await user.should_see("Salkkuraportteja ei ole vielä tehty.", retries=40)
    user.find(marker="download-docx").click()
    made = await user.download.next(timeout=60)
    assert made.content.startswith(b"PK")
    await user.should_not_see("Salkkuraportteja ei ole vielä tehty.", retries=60)
    await user.should_see("1.1.2020–31.12.2020")
    (table,) = user.find(marker="portfolio-archive").elements
    texts = [e.text for e in table.descendants() if isinstance(e, ui.label)]
    assert "ville" in texts and PORTFOLIO in texts
    user.find(marker="archive-download").click()
    again = await user.download.next(timeout=30)
    assert again.content == made.content


async def test_an_administrator_sets_a_portfolios_default_publicity(user: User) -> None:
    code, public = _portfolio_code()
    assert not public
    await sign_in(user, "admin")
    await user.open("/admin/codes?list=portfolio")
    await user.should_see("Oletuksena julkinen", retries=40)
    _button(user, f"Oletuksena julkiseksi: {code}").click()
    await user.should_see(f"Salkun {code} hankkeet ovat nyt oletuksena julkisia.", retries=40)
    assert _portfolio_code() == (code, True)
    _button(user, f"Ei oletuksena julkiseksi: {code}").click()
    await user.should_see(f"Salkun {code} hankkeet eivät ole enää oletuksena julkisia.", retries=40)
    assert _portfolio_code() == (code, False)


def _button(user: User, label: str) -> UserInteraction[ui.button]:
    (found,) = [b for b in user.find(kind=ui.button).elements if b.props.get("aria-label") == label]
    return UserInteraction(user, {found}, None)
