"""The portfolio page (NiceGUI's simulated user): a reader picks a portfolio and a period, sees
the status and money figures, then the indicator table, opens the projects behind a figure,
downloads the figures as a workbook, and is told in Finnish what is wrong with a date."""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import urlencode

from nicegui import ui
from nicegui.testing import User
from openpyxl import load_workbook

from evaus.db import open_database
from evaus.services import indicator_catalogue as ic
from evaus.services import projects as ps
from evaus.services.access import local_admin
from project_db.engine import sqlite_url
from tests.ui.test_login_logic import sign_in

ADMIN = local_admin("tests")
PORTFOLIO = "Hyvinvointisalkku 2014-2020"


def _portfolio_project() -> None:
    """A running project of the demo's portfolio with money, participants and an indicator
    linked to the catalogue."""
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        ic.create_entry(
            session,
            {"key": "oma:asiakkaat", "name_fi": "Tavoitetut asiakkaat", "unit": "henkilöä"},
            actor=ADMIN,
        )
        ps.create_project(
            session,
            {
                "name": "Salkkuhanke Ruusu",
                "portfolio": PORTFOLIO,
                "status": "kaynnissa",
                "start_date": "1.1.2026",
                "end_date": "31.12.2027",
                "periods": [{"number": 1, "start_date": "1.1.2026", "end_date": "31.12.2026"}],
                "budget_lines": [
                    {"scheme": "esr", "category": "palkkakustannukset", "amount": "100000"}
                ],
                "cost_actuals": [
                    {
                        "period": 1,
                        "scheme": "esr",
                        "category": "palkkakustannukset",
                        "amount": "25000",
                    }
                ],
                "participant_stats": [{"gender": "nainen", "age_class": "alle-25", "count": 12}],
                "indicators": [
                    {
                        "key": "i1",
                        "name": "Asiakkaat",
                        "unit": "henkilöä",
                        "baseline": "0",
                        "target": "100",
                        "catalogue_key": "oma:asiakkaat",
                        "values": [{"period": 1, "value": "10", "basis": "estimate"}],
                    }
                ],
            },
            actor=ADMIN,
        )
    database.engine.dispose()


def _url(**query: str) -> str:
    return "/portfolio?" + urlencode(query)


async def test_a_reader_sees_the_figures_and_the_projects_behind_them(user: User) -> None:
    _portfolio_project()
    await sign_in(user, "ville")
    await user.open(_url(portfolio=PORTFOLIO, start="1.1.2026", end="31.12.2026"))
    await user.should_see("Salkkunäkymä", retries=40)
    await user.should_see(f"{PORTFOLIO}, 1.1.2026–31.12.2026")
    await user.should_see("Hankkeet tilan mukaan")
    await user.should_see("Käynnissä")
    await user.should_see("Talous kustannuslajeittain")
    await user.should_see("Palkkakustannukset (ESR)")
    await user.should_see("100\u00a0000 €")
    await user.should_see("25 000 € (25 %)".replace("25 000", "25\u00a0000"))
    await user.should_see("Osallistujat")
    # The bars count whole projects and euros: no tick between two whole numbers.
    charts = [c for c in user.find(ui.echart).elements if c.options["xAxis"].get("type") == "value"]
    assert charts and all(c.options["xAxis"]["minInterval"] == 1 for c in charts)
    # The indicator table comes after the first figures.
    await user.should_see("Mittariston mittarit", retries=40)
    await user.should_see("Tavoitetut asiakkaat (henkilöä)")
    await user.should_see("yhteensä 10 henkilöä")
    # The Oulu demo project of the portfolio ended in 2020: only the new one is counted.
    user.find(marker="figure-projects").click()
    await user.should_see("1 hanketta", retries=40)
    await user.should_see("Salkkuhanke Ruusu")
    await user.should_not_see("Asunnottomien sosiaali- ja terveyspalveluiden")


async def test_the_figures_download_as_a_workbook(user: User) -> None:
    _portfolio_project()
    await sign_in(user, "ville")
    await user.open(_url(portfolio=PORTFOLIO, start="1.1.2026", end="31.12.2026"))
    await user.should_see("Lataa luvut taulukkona (XLSX)", retries=40)
    user.find(marker="download-xlsx").click()
    response = await user.download.next(timeout=30)
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Talous" in workbook.sheetnames
    names = [row[0] for row in workbook["Hankkeet"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Salkkuhanke Ruusu"]


async def test_a_wrong_date_is_explained_in_finnish(user: User) -> None:
    await sign_in(user, "ville")
    await user.open(_url(portfolio=PORTFOLIO, start="32.1.2026", end="31.12.2026"))
    await user.should_see(
        "Ajanjakson alku: ”32.1.2026” ei ole päivämäärä: kirjoita se muodossa p.k.vvvv, "
        "esim. 1.1.2026.",
        retries=40,
    )
    await user.should_not_see("Hankkeet tilan mukaan")
