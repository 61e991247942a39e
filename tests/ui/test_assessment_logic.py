"""Assessment pages through NiceGUI's simulated user: rights and creating a draft."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from tests.ui.test_login_logic import sign_in


async def test_viewer_may_not_create_an_assessment(user: User) -> None:
    await sign_in(user, "ville")
    await user.open("/assessments")
    await user.should_see("Vaikutusten arviointi", retries=40)
    await user.should_not_see("Uusi arviointi")
    await user.open("/assessments/new")
    await user.should_see("Sinulla ei ole oikeutta nähdä tätä sivua.", retries=40)


async def test_manager_creates_a_draft_with_the_zero_alternative(user: User) -> None:
    await sign_in(user, "maija")
    await user.open("/assessments")
    user.find(kind=ui.button, content="Uusi arviointi").click()
    await user.should_see("Luo arviointi", retries=40)
    user.find("Otsikko").type("Logiikkatesti")
    user.find(kind=ui.button, content="Luo arviointi").click()
    await user.should_see("0. Tarveharkinta", retries=80)
    await user.should_see("Tila: luonnos")
    await user.open("/assessments?status=luonnos")
    await user.should_see("Uusi arviointi", retries=40)
    assert "Logiikkatesti" in _titles(user)
    await user.open("/assessments?status=valmis")
    await user.should_see("Ei arviointeja.", retries=40)


def _titles(user: User) -> list[str]:
    tables = list(user.find(kind=ui.table).elements)
    return [row["title"] for table in tables for row in table.rows]


async def test_empty_title_is_refused(user: User) -> None:
    await sign_in(user, "maija")
    await user.open("/assessments/new")
    user.find(kind=ui.button, content="Luo arviointi").click()
    await user.should_see("Otsikko", retries=40)
    await user.should_not_see("0. Tarveharkinta")


async def test_ex_post_page_rates_the_follow_ups_and_the_whole(user: User) -> None:
    await sign_in(user, "admin")
    await user.open("/assessments")
    await user.should_see("Vaikutusten arviointi", retries=40)
    rows = [row for table in user.find(kind=ui.table).elements for row in table.rows]
    hanska = next(row["id"] for row in rows if "Hanska" in row["title"])
    await user.open(f"/assessments/{hanska}/ex-post")
    await user.should_see("Saavutettiinko tavoitteet?", retries=40)
    whole = user.find(kind=ui.select, marker=None, content="Muutos kokonaisuutena")
    select = next(iter(whole.elements))
    assert "pääosin saavutettu" in select.options.values()
    assert select.value is None
