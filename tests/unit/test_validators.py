from datetime import date
from decimal import Decimal

import pytest

from project_db import validators as v


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0201256-6", "0201256-6"), ("201256-6", "0201256-6"), (" 1572860-0 ", "1572860-0")],
)
def test_valid_ytunnus_is_normalised(value: str, expected: str) -> None:
    assert v.normalise_ytunnus(value) == expected


@pytest.mark.parametrize("value", ["0201256-5", "1234567-8", "0201256", "abc", "02012566-6"])
def test_invalid_ytunnus_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        v.normalise_ytunnus(value)


def test_ytunnus_remainder_one_has_no_valid_check_digit() -> None:
    # 0000006: 6 * 2 = 12, remainder 1 — no business ID has these digits.
    assert v.ytunnus_check_digit("0000006") is None
    for digit in range(10):
        with pytest.raises(ValueError):
            v.normalise_ytunnus(f"0000006-{digit}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.11.2020", date(2020, 11, 1)),
        ("01.09.2015", date(2015, 9, 1)),
        ("2018-11-30", date(2018, 11, 30)),
    ],
)
def test_dates_finnish_and_iso(text: str, expected: date) -> None:
    assert v.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31.2.2020", "1/11/2020", "2020-13-01", "", "huomenna"])
def test_impossible_or_unknown_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        v.parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 000 000,50 €", Decimal("1000000.50")),
        ("1\u00a0000\u00a0000 €", Decimal("1000000")),
        ("23,35", Decimal("23.35")),
        ("1.000.000,00", Decimal("1000000.00")),
        ("−5", Decimal("-5")),
        ("70 %", Decimal("70")),
    ],
)
def test_finnish_numbers(text: str, expected: Decimal) -> None:
    assert v.parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["NaN", "Infinity", "abc", "1,2,3"])
def test_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        v.parse_decimal(text)


def test_email_at_notation_and_case() -> None:
    assert v.normalise_email("Katja.Karppinen(at)OUKA.fi") == "Katja.Karppinen@ouka.fi"
    with pytest.raises(ValueError):
        v.normalise_email("ei osoite")


def test_phone_numbers() -> None:
    assert v.normalise_phone("044 703 4034") == ("+358 44 7034034", True)
    assert v.normalise_phone("040 335 7319")[1] is True
    # What is not a phone number is kept as written (whitespace folded), flagged invalid.
    assert v.normalise_phone("vaihde  klo 9-15") == ("vaihde klo 9-15", False)
    assert v.normalise_phone("12") == ("12", False)


def test_clean_text_removes_control_characters_keeps_text() -> None:
    assert v.clean_text("a\x00b\x07c\r\nd\te <&> =HYPERLINK(1)") == "abc\nd\te <&> =HYPERLINK(1)"
    assert v.clean_line("  monta   välilyöntiä \n rivillä ") == "monta välilyöntiä rivillä"
    assert "\ufffd" in v.clean_text("lone \ud800 surrogate")


def test_search_fold_keeps_scandinavian_letters_distinct() -> None:
    assert v.search_fold("ÄÖÅ") == "äöå"
    assert v.search_fold("Ä") != v.search_fold("A")
