"""The hearing dialog of the wizard (step 2, kuuleminen) in a real browser: every field is
reached by its label, the date is typed the Finnish way, the question of how children were
heard appears when they were, axe-core finds nothing with it open, and the saved record is
listed in words."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, expect

from .conftest import Server, choose, login, settle
from .test_accessibility_dialogs import scan_dialog


def test_a_hearing_is_recorded_in_the_dialog(browser: Browser, app_server: Server) -> None:
    context = browser.new_context()
    page = context.new_page()
    login(page, app_server, "maija", "/assessments/new")
    page.get_by_label("Otsikko").fill(f"Kuuleminen {uuid.uuid4().hex[:6]}")
    page.get_by_role("button", name="Luo arviointi").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    page.goto(f"{page.url}?step=2")
    page.locator("#main").get_by_role("button", name="Lisää kuultu taho").click()
    dialog = page.get_by_role("dialog", name="Keitä kuultiin")
    expect(dialog).to_be_visible()

    dialog.get_by_label("Kuultu ryhmä tai organisaatio", exact=True).fill("Nuorisovaltuusto")
    choose(page, dialog.get_by_label("Miten kuultiin", exact=True), "Työpaja")
    dialog.get_by_label("Milloin kuultiin", exact=True).fill("4.3.2026")
    dialog.get_by_label("Kuultujen henkilöiden määrä", exact=True).fill("14")
    dialog.get_by_label("Miten kuultiin, sanallisesti", exact=True).fill("Nuorisotalolla")
    how_children = dialog.get_by_label("Miten lapsia tai nuoria kuultiin", exact=True)
    expect(how_children).to_be_hidden()
    children = dialog.get_by_role("checkbox", name="Lapsia tai nuoria kuultiin")
    children.click()
    expect(children).to_be_checked()
    expect(how_children).to_be_visible()
    how_children.fill("Pienryhmissä omin sanoin")
    dialog.get_by_label("Mitä he sanoivat", exact=True).fill("Illat ovat tärkeimmät.")
    dialog.get_by_label("Mitä kuulemisen vuoksi muuttui", exact=True).fill("Iltavuorot lisättiin.")
    settle(page)
    scan_dialog(page, dialog)

    dialog.get_by_role("button", name="Tallenna").click()
    expect(dialog).to_be_hidden()
    main = page.locator("#main")
    expect(main.get_by_text("Miten kuultiin: Työpaja (Nuorisotalolla)")).to_be_visible()
    expect(main.get_by_text("Milloin kuultiin: 4.3.2026")).to_be_visible()
    expect(main.get_by_text("Kuultujen henkilöiden määrä: 14")).to_be_visible()
    expect(
        main.get_by_text("Lapsia tai nuoria kuultu: Kyllä: Pienryhmissä omin sanoin")
    ).to_be_visible()
    context.close()
