"""Money and funders written in running Finnish text.

Amounts come in many forms: "250 000 euroa", "250 000 €", "250.000 e", "250 000,50 €",
"1,2 milj. euroa", "1,2 miljoonaa euroa", "5000 eur", "45 t€". A sentence may name several
funders with their shares ("Maaseuturahasto 250 000 euroa ELY-keskuksen kautta, Oulun kaupunki
148 000 eur") and the total ("Kustannukset yhteensä: 398 000 euroa"), or give amounts per year
("vuonna 2021 50 000 €").

Everything here is linear in the text: currency words are found with a fixed-width pattern, the
number before each is read from a bounded window, and no pattern repeats a group of unbounded
length. Nothing here raises on odd text: what is not understood is simply not an amount.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import NumberFormatError, parse_decimal

# --- amounts -------------------------------------------------------------------------------

# A currency word, not part of a longer word ("e-kirja", "eri" are no euros).
_CURRENCY = re.compile(
    r"(?<![\w€])(?:€|euroa|euron|euroja|eur|e)(?![\w-])|(?<=[\dmkt])€",
    re.IGNORECASE,
)
# The number written just before a currency word, read from a window that ends there.
_WINDOW = 48
_NUMBER_BEFORE = re.compile(
    r"(?<![\w,.])(?P<num>\d{1,3}(?:[ .\u00a0\u202f]\d{3}){1,4}|\d{1,13})(?:,(?P<dec>\d{1,3}))?"
    r"\s?(?:(?P<mult>miljoonaa|miljoonan|miljoona|milj\.?|m|tuhatta|t|k)\s?)?$",
    re.IGNORECASE,
)
_MULTIPLIERS = {"milj": 1_000_000, "m": 1_000_000, "t": 1_000, "k": 1_000}
_MAX_AMOUNT = Decimal("999999999999.99")  # what the money columns hold (14 digits, 2 decimals)
_YEAR_BEFORE = re.compile(
    r"(?:vuonna|vuodelle|vuodeksi|vuosina|vuosille|v\.)?\s?(?P<year>(?:19|20)\d{2})\s?:?\s?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """An amount of euros at ``start``–``end`` of the text, with the year it is for, if any."""

    value: Decimal
    start: int
    end: int
    year: int | None = None


def amounts_in(text: str) -> list[Amount]:
    """Every euro amount in a text, in order."""
    found: list[Amount] = []
    for currency in _CURRENCY.finditer(text):
        window_start = max(0, currency.start() - _WINDOW)
        window = text[window_start : currency.start()]
        number = _NUMBER_BEFORE.search(window)
        if number is None:
            continue
        value = _value(number.group("num"), number.group("dec"), number.group("mult"))
        if value is None:
            continue
        start = window_start + number.start()
        if found and start < found[-1].end:
            continue
        year = _year_before(text, start)
        found.append(Amount(value, start, currency.end(), year))
    return found


def money_in(text: str) -> Decimal | None:
    """The first euro amount in a text, else None."""
    amounts = amounts_in(text)
    return amounts[0].value if amounts else None


def _value(number: str, decimals: str | None, multiplier: str | None) -> Decimal | None:
    digits = "".join(ch for ch in number if ch.isdigit())
    factor = 1
    if multiplier:
        folded = multiplier.casefold()
        factor = _MULTIPLIERS["milj" if folded.startswith("milj") else folded[0]]
    elif decimals is not None and len(decimals) == 3:
        return None  # "250,000 €" is no Finnish amount: leave it rather than guess
    written = f"{digits},{decimals}" if decimals else digits
    parsed = _parse_fi(written)
    if parsed is None:
        return None
    value = parsed * factor
    if value > _MAX_AMOUNT:
        return None
    return value.quantize(Decimal("0.01")).normalize() if value % 1 else value.to_integral_value()


@lru_cache(maxsize=4096)
def _parse_fi(written: str) -> Decimal | None:
    """A number written the Finnish way ("250000,50"); cached, as cards repeat their amounts."""
    try:
        return parse_decimal(written, locale="fi_FI")
    except (NumberFormatError, InvalidOperation, ValueError):
        return None


def _year_before(text: str, start: int) -> int | None:
    """The year of "vuonna 2021 50 000 €" / "2021: 50 000 €" just before an amount."""
    window = text[max(0, start - 20) : start]
    match = _YEAR_BEFORE.search(window)
    if match is None:
        return None
    if window[: match.start("year")].rstrip().endswith(("-", "–", "—")):
        return None  # "2021–2023 300 000 €" is for the whole period
    return int(match.group("year"))


# --- funders -------------------------------------------------------------------------------

# Funder code → canonical name and organisation type. The codes are those of the "funder"
# code list (project_db/codes.py).
FUNDERS: dict[str, tuple[str, str | None]] = {
    "STM": ("Sosiaali- ja terveysministeriö", "valtio"),
    "STEA": ("Sosiaali- ja terveysjärjestöjen avustuskeskus STEA", "valtio"),
    "ESR": ("Euroopan sosiaalirahasto", None),
    "EAKR": ("Euroopan aluekehitysrahasto", None),
    "MAASEUTU": ("Euroopan maaseudun kehittämisen maatalousrahasto", None),
}

# Programmes and funds named in text (case-folded patterns) → funder code.
_FUND_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\beakr\b|aluekehitysrahasto", "EAKR"),
    (r"\besr\+?(?![\w])|sosiaalirahasto", "ESR"),
    (
        r"maaseuturahasto|maaseudun kehittämisohjelma|maaseudun kehittämisen maatalousrahasto"
        r"|\bmaaseutuohjelma|\bleader\b|\bmaseutu\b",
        "MAASEUTU",
    ),
    (r"\bstea\b|järjestöjen avustuskeskus", "STEA"),
    (r"\bstm\b|sosiaali- ja terveysministeriö", "STM"),
)
_FUND = re.compile("|".join(f"(?P<c{i}>{p})" for i, (p, _code) in enumerate(_FUND_PATTERNS)))
# Named public bodies: "Oulun kaupunki", "Pohjois-Pohjanmaan hyvinvointialue" (any case form).
_BODY = re.compile(
    r"(?<![\w-])(?P<name>[A-ZÄÖÅ][\wäöå]{1,30}(?:-[A-ZÄÖÅ]?[\wäöå]{1,30})?)\s"
    r"(?P<kind>kaupun(?:ki|gin|gilta|ki\w{0,4})|kun(?:ta|nan|nalta|ta\w{0,4})"
    r"|hyvinvointialue\w{0,6})(?![\wäöå])"
)
# Genitives that start a sentence but name no body ("Hankkeen kunta").
_NOT_NAMES = frozenset(
    {"hankkeen", "hakijan", "toteuttajan", "oman", "kunkin", "jokaisen", "muun", "saman", "koko"}
)
_OWN = re.compile(
    r"\boma(?:rahoitus\w{0,8}|\s+rahoitus\w{0,8}|\s+osuus\w{0,4}|vastuu\w{0,4})", re.IGNORECASE
)
_TOTAL = re.compile(r"yhteensä|kokonais|kustannus|budjetti|kulut|menot", re.IGNORECASE)
_PERCENT = re.compile(r"(?<![\d,])(\d{1,3}(?:,\d{1,2})?)\s?(?:%|prosenttia)")
# Clause breaks within a sentence.
# "Sosiaali- ja terveysministeriö" is one name: no break after a hyphen.
_CLAUSE = re.compile(r",\s|;\s?|(?<!-)\s(?:ja|sekä)\s|\s[–—]\s")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÅ])")


@dataclass(frozen=True)
class Mention:
    """A funder named at ``start``–``end`` of a sentence."""

    code: str
    name: str
    start: int
    end: int
    org_type: str | None = None


@dataclass
class FunderShare:
    """A funder with what the text says it gives: an amount, a share, amounts per year."""

    code: str
    name: str
    org_type: str | None = None
    amount: Decimal | None = None
    share_percent: Decimal | None = None
    by_year: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class FundingText:
    """What a costs-and-funding text says: the stated total and each funder's share."""

    total: Decimal | None = None
    funders: list[FunderShare] = field(default_factory=list)
    unattributed: list[Amount] = field(default_factory=list)
    index: dict[tuple[str, str], FunderShare] = field(default_factory=dict, repr=False)


def _basic_form(kind: str) -> tuple[str, str, str]:
    """("kaupungin") → ("kaupunki", "KUNTA", "kunta")."""
    folded = kind.casefold()
    if folded.startswith("kaupun"):
        return "kaupunki", "KUNTA", "kunta"
    if folded.startswith("kun"):
        return "kunta", "KUNTA", "kunta"
    return "hyvinvointialue", "HVA", "hyvinvointialue"


def mentions_in(sentence: str) -> list[Mention]:
    """Funders named in a sentence, in order."""
    found: list[Mention] = []
    folded = sentence.casefold()  # same length as the sentence for Finnish text
    if len(folded) == len(sentence):
        for match in _FUND.finditer(folded):
            code = _FUND_PATTERNS[int(str(match.lastgroup)[1:])][1]
            name, org_type = FUNDERS[code]
            found.append(Mention(code, name, match.start(), match.end(), org_type))
    for match in _BODY.finditer(sentence):
        if match.group("name").casefold() in _NOT_NAMES:
            continue
        basic, code, org_type = _basic_form(match.group("kind"))
        name = f"{match.group('name')} {basic}"
        found.append(Mention(code, name, match.start(), match.end(), org_type))
    for match in _OWN.finditer(sentence):
        found.append(Mention("OMA", "", match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    return found


def funding_in(text: str) -> FundingText:
    """The total and the funders' shares stated in a text (paragraph by paragraph)."""
    result = FundingText()
    for paragraph in re.split(r"\n\s*\n|\n(?=\s*[•‣◦▪●·–—*-]\s)", text):
        for sentence in _SENTENCE.split(" ".join(paragraph.split())):
            _read_sentence(sentence, result)
    if result.total is None and not result.funders and len(result.unattributed) == 1:
        # The only amount of a costs text that names no funder is its total.
        lone = result.unattributed[0]
        if lone.year is None:
            result.total = lone.value
            result.unattributed = []
    return result


def _clause_starts(sentence: str) -> list[int]:
    """Where each clause of a sentence starts (the first at 0)."""
    return [0, *(match.end() for match in _CLAUSE.finditer(sentence))]


def _read_sentence(sentence: str, result: FundingText) -> None:
    """Ties each amount to a funder: one named before it in its clause, else after it in its
    clause; an amount for a year may also belong to the funder named earlier in the sentence.
    An amount in a clause about costs or a total ("yhteensä", "kokonaiskustannukset") without a
    funder is the total. Each clause is read once, so the work is linear in the sentence."""
    amounts = amounts_in(sentence)
    mentions = mentions_in(sentence)
    starts = _clause_starts(sentence)
    ends = [*starts[1:], len(sentence)]

    def clause_of(position: int) -> int:
        return bisect_right(starts, position) - 1

    by_clause: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_clause.setdefault(clause_of(mention.end - 1), []).append(mention)
    is_total: dict[int, bool] = {}
    clause_starts = {index: [m.start for m in found] for index, found in by_clause.items()}
    for index, in_clause in by_clause.items():
        percent = _PERCENT.search(sentence, starts[index], ends[index])
        for mention in in_clause:
            share = _share(result, mention)
            if percent and share.share_percent is None:
                share.share_percent = _percent(percent.group(1))
    mention_ends = [m.end for m in mentions]
    for amount in amounts:
        index = clause_of(amount.start)
        in_clause = by_clause.get(index, [])
        if index not in is_total:
            is_total[index] = bool(_TOTAL.search(sentence, starts[index], ends[index]))
        owner = _nearest(in_clause, clause_starts.get(index, []), amount)
        if owner is None and not is_total[index] and amount.year is not None:
            earlier = bisect_right(mention_ends, amount.start)
            owner = mentions[earlier - 1] if earlier else None
        if owner is None:
            if is_total[index] and amount.year is None and result.total is None:
                result.total = amount.value
            else:
                result.unattributed.append(amount)
            continue
        share = _share(result, owner)
        if amount.year is not None:
            share.by_year[amount.year] = share.by_year.get(amount.year, 0) + amount.value
        elif share.amount is None:
            share.amount = amount.value
        else:
            result.unattributed.append(amount)


def _nearest(in_clause: list[Mention], starts: list[int], amount: Amount) -> Mention | None:
    """The funder named last before the amount in its clause, else the first after it."""
    position = bisect_right(starts, amount.start - 1)
    if position:
        return in_clause[position - 1]
    for mention in in_clause:
        if mention.start >= amount.end:
            return mention
    return None


def _percent(written: str) -> Decimal | None:
    try:
        value = parse_decimal(written, locale="fi_FI")
    except (NumberFormatError, InvalidOperation, ValueError):
        return None
    return value if 0 <= value <= 100 else None


def _share(result: FundingText, mention: Mention) -> FunderShare:
    """The funder's row: one per fund or ministry (by code), one per named body (by name)."""
    key = (mention.code, "" if mention.code in FUNDERS else mention.name.casefold())
    share = result.index.get(key)
    if share is None:
        share = FunderShare(mention.code, mention.name, mention.org_type)
        result.funders.append(share)
        result.index[key] = share
    return share


def fund_code(text: str) -> str | None:
    """The fund or funder a name or programme text refers to ("(ESR)", "maaseuturahasto")."""
    folded = text.casefold()
    match = _FUND.search(folded)
    if match is None:
        return None
    return _FUND_PATTERNS[int(str(match.lastgroup)[1:])][1]
