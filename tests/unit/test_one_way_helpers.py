"""Pure helpers behind "one way to enter each fact": dates, key-figure tables, funders."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from evaus.i18n import today_in_helsinki
from evaus.ui.assessment.alternatives import clean_table, figure_cell
from evaus.ui.components import day_text, parse_day
from evaus.ui.registry.edit_tabs_basic import choose_funder_code, choose_funder_organisation


def test_day_text_and_parse_day_round_trip() -> None:
    assert day_text(date(2026, 12, 7)) == "7.12.2026"
    assert parse_day("7.12.2026") == date(2026, 12, 7)
    assert parse_day(" 07.01.2026 ") == date(2026, 1, 7)
    assert parse_day("") is None
    for bad in ("2026-12-07", "31.2.2026", "7.12.26", "7.12", "a.b.cccc"):
        with pytest.raises(ValueError):
            parse_day(bad)


def test_today_is_helsinki_after_midnight() -> None:
    # 23.30 UTC on 6 Dec is 1.30 on 7 Dec in Helsinki.
    assert today_in_helsinki(datetime(2026, 12, 6, 23, 30, tzinfo=UTC)) == date(2026, 12, 7)


def test_clean_table_pads_trims_and_writes_decimal_commas() -> None:
    assert figure_cell(" 12.5 ") == "12,5"
    assert figure_cell("2025") == "2025"
    table = clean_table(
        " Asiakkaat ", ["Palvelu", "2025", ""], [["Kotihoito", "12.5", ""], ["", "", ""], ["X"]]
    )
    assert table == {
        "caption": "Asiakkaat",
        "columns": ["Palvelu", "2025"],
        "rows": [["Kotihoito", "12,5"], ["X", ""]],
    }
    assert clean_table("", ["", ""], [["", ""]]) is None


def _doc() -> dict[str, Any]:
    lead = {
        "name": "Oulun kaupunki",
        "org_type": "kunta",
        "y_tunnus": "0187690-1",
        "municipality": "",
    }
    return {"organisations": [{"organisation": lead, "role": "paatoteuttaja"}]}


def _row() -> dict[str, Any]:
    blank = {"name": "", "org_type": "", "y_tunnus": "", "municipality": ""}
    return {"funder": blank, "funder_code": ""}


def test_known_funder_code_names_the_organisation_and_adds_it_once() -> None:
    doc, row = _doc(), _row()
    assert choose_funder_code(doc, row, "STM") is True
    assert row["funder"]["name"] == "Sosiaali- ja terveysministeriö"
    assert row["funder"]["org_type"] == "valtio"
    assert doc["organisations"][-1] == {
        "organisation": {
            "name": "Sosiaali- ja terveysministeriö",
            "org_type": "valtio",
            "y_tunnus": "",
            "municipality": "",
        },
        "role": "rahoittaja",
    }
    assert choose_funder_code(doc, _row(), "STM") is False  # already there
    assert len(doc["organisations"]) == 2


def test_own_funding_is_the_lead_and_an_existing_organisation_brings_its_details() -> None:
    doc, row = _doc(), _row()
    assert choose_funder_code(doc, row, "OMA") is False
    assert row["funder"]["name"] == "Oulun kaupunki"
    row = _row()
    row["funder_code"] = "KUNTA"
    assert choose_funder_organisation(doc, row, "oulun kaupunki") is False
    assert row["funder"]["y_tunnus"] == "0187690-1"
    assert choose_funder_organisation(doc, _row(), "Iin kunta") is True
    assert doc["organisations"][-1]["role"] == "rahoittaja"
