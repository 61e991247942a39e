"""Quantified targets in the text ("vähintään 50 osallistujaa") and dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ... import validators as v

# --- dates -------------------------------------------------------------------------------

_DATE_IN_TEXT = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")


def dates_in(text: str) -> list[str]:
    """The date-like strings in a text, as written ("1.9.2015", "2015-09-01")."""
    return _DATE_IN_TEXT.findall(text)


def parse_fi_date(raw: str) -> date | None:
    try:
        return v.parse_date(raw)
    except ValueError:
        return None


# --- quantified targets ------------------------------------------------------------------

QUANTIFIERS = ("vähintään", "noin", "yli", "alle", "enintään", "ainakin", "jopa", "yhteensä")
UNITS = (
    "henkilöä",
    "asiakasta",
    "nuorta",
    "perhettä",
    "lasta",
    "osallistujaa",
    "työntekijää",
    "ammattilaista",
    "kertaa",
    "ryhmää",
    "tapahtumaa",
    "kuntaa",
    "toimijaa",
    "asuntoa",
    "vapaaehtoista",
    "kokemusasiantuntijaa",
    "kpl",
)
_NUMBER = re.compile(
    r"(?<![\d.,/])(?:(?P<q>" + "|".join(QUANTIFIERS) + r")\s+)?"
    r"(?P<n>\d{1,3}(?: \d{3})+|\d+)(?:,(?P<d>\d+))?(?![\d.,/-]\d)"
    r"(?:\s*(?P<pct>%|prosenttia))?",
    re.IGNORECASE,
)
_UNIT_WINDOW = 8
# How far around a number its unit and clause are looked for: bounded, so that a sentence
# full of numbers is read in linear time.
_UNIT_LOOKAHEAD = 200
_CLAUSE_REACH = 600
_NAME_MAX_WORDS = 10
_NAME_HARD_MAX = 14


@dataclass(frozen=True)
class Target:
    name: str
    unit: str
    target: Decimal


def quantified_targets(text: str) -> list[Target]:
    """Targets written as "vähintään 200 henkilöä", "Asutetaan vähintään 20 … henkilöä",
    "Asiakasmäärä noin 350", "70 %". Years and dates are not targets."""
    found: list[Target] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        for match in _NUMBER.finditer(sentence):
            target = _target_from_match(sentence, match)
            if target and target not in found:
                found.append(target)
    return found


def _target_from_match(sentence: str, match: re.Match[str]) -> Target | None:
    number = Decimal(
        match.group("n").replace(" ", "") + ("." + match.group("d") if match.group("d") else "")
    )
    after = sentence[match.end() : match.end() + _UNIT_LOOKAHEAD]
    unit = "%" if match.group("pct") else _unit_after(after)
    if not match.group("q") and not unit:
        return None
    if not unit and 1900 <= number <= 2100 and not match.group("d"):
        return None
    return Target(name=_target_name(sentence, match.start(), unit), unit=unit, target=number)


def _unit_after(rest: str) -> str:
    for word in re.split(r"\s+", rest.strip())[:_UNIT_WINDOW]:
        clean = word.strip("(),.;:").casefold()
        if clean in UNITS:
            return clean
        if word.endswith((",", ".", ";", ":")):
            break
    return ""


def _target_name(sentence: str, start: int, unit: str) -> str:
    """A short name: the clause holding the number, cut after the unit when it is long."""
    reach = max(0, start - _CLAUSE_REACH)
    clause_start = max(
        sentence.rfind(",", reach, start), sentence.rfind(";", reach, start), reach - 1
    )
    clause_start += 1
    clause = re.split(r"[,;:]|\.\s|\.$", sentence[clause_start : start + _CLAUSE_REACH])[0]
    words = clause.split(None, _NAME_HARD_MAX + 1)[: _NAME_HARD_MAX + 1]
    for i, word in enumerate(words):
        if i > 3 and word.casefold().endswith(("malla", "mällä")):
            words = words[:i]
            break
    if len(words) > _NAME_MAX_WORDS and unit and unit != "%":
        for i, word in enumerate(words):
            if word.strip("(),").casefold() == unit:
                words = words[: i + 1]
                break
    if len(words) > _NAME_HARD_MAX:
        return " ".join(words[:_NAME_HARD_MAX]) + " …"
    return " ".join(words).strip(" .")
