"""Checks and normalisers for Finnish registry data: Y-tunnus, dates, money, e-mail, phone, text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

import phonenumbers

_YTUNNUS = re.compile(r"^(\d{6,7})-(\d)$")
_YTUNNUS_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def ytunnus_check_digit(seven_digits: str) -> int | None:
    """The check digit of a business ID, or None when no valid ID has these digits (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(seven_digits, _YTUNNUS_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise_ytunnus(value: str) -> str:
    """'0123456-7' form with the check digit verified; old six-digit IDs get their leading zero.

    Raises ValueError when the form or the check digit is wrong.
    """
    match = _YTUNNUS.match(value.strip())
    if not match:
        raise ValueError("form")
    digits = match.group(1).rjust(7, "0")
    if ytunnus_check_digit(digits) != int(match.group(2)):
        raise ValueError("check digit")
    return f"{digits}-{match.group(2)}"


_FI_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_date(value: str) -> date:
    """A date written the Finnish way (1.11.2020, 01.09.2015) or as ISO 8601 (2020-11-01).

    Raises ValueError for other forms and for impossible dates such as 31.2.2020.
    """
    if m := _FI_DATE.match(value):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _ISO_DATE.match(value):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        raise ValueError("form")
    return date(year, month, day)


def parse_decimal(value: str) -> Decimal:
    """A number as Finns write it: '1 000 000,50', '23,35 €', '12 %' or plain '1000000.50'."""
    cleaned = re.sub(r"[\s\u00a0\u202f€%]", "", value).replace("−", "-")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError("number") from exc
    if not number.is_finite():
        raise ValueError("number")
    return number


def normalise_email(value: str) -> str:
    """A checked address with the domain lower-cased; '(at)' as published on web pages → '@'."""
    from email_validator import EmailNotValidError, validate_email  # loaded when first needed

    candidate = re.sub(r"\s*[\(\[]\s*(at|ät)\s*[\)\]]\s*", "@", value.strip(), flags=re.IGNORECASE)
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
    return result.normalized


def normalise_phone(value: str) -> tuple[str, bool]:
    """(number, valid): a valid Finnish or international number in international form
    ('+358 40 335 7319'); anything else is kept as written, whitespace folded, with valid=False."""
    folded = " ".join(value.split())
    try:
        parsed = phonenumbers.parse(folded, "FI")
    except phonenumbers.NumberParseException:
        return folded, False
    if not phonenumbers.is_valid_number(parsed):
        return folded, False
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL), True


# Control characters other than tab and newline break XML (DOCX/XLSX) and PostgreSQL (NUL);
# so do the non-characters U+FFFE and U+FFFF (not allowed in XML 1.0).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# What XML 1.0 cannot hold at all: for text stored before it was cleaned on input.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(value: str) -> str:
    """The text without the characters an XML file (XLSX, DOCX) cannot hold."""
    return _NOT_XML.sub("", value)


def clean_text(value: str) -> str:
    """NFC-normalised text with CR/LF folded to LF and control characters removed."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    # Lone surrogates cannot be stored or encoded as UTF-8 anywhere: replace them visibly.
    value = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return _CONTROL.sub("", value)


def clean_block(value: str) -> str:
    """Cleaned multi-line text without blank lines at its ends and without trailing spaces.

    Leading spaces and tabs of the first line are kept: they are part of what was written
    (and trimming them could turn "\t=cmd" into a formula-looking "=cmd").
    """
    lines = clean_text(value).rstrip().split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    return "\n".join(lines[first:])


def clean_line(value: str) -> str:
    """A one-line value (a name, a code): cleaned text with inner whitespace folded."""
    return " ".join(clean_text(value).split())


def search_fold(value: str) -> str:
    """Case-folded text for substring search (keeps ä, ö and å distinct from a and o)."""
    return unicodedata.normalize("NFC", value).casefold()
