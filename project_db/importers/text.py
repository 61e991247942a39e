"""Shared helpers for importing plain-text project cards and descriptions.

Every plain-text importer uses these: decoding, lines and blocks, headings, bullet lists,
"Label: value" fields, people, quantified targets, and the code lists the cards map to
(status, project type, region, budget class, funder, organisation type). One place for each,
so that a new card format is mostly a table of labels.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from .. import validators as v
from ..errors import N_, ImportFailed
from ..schemas import MAX_TEXT, ProjectDoc
from . import money
from .base import ImportWarning, ParsedProject

# --- message ids shared by the text importers ----------------------------------------------

MSG_NOT_TEXT = N_("The file is not a text file.")
MSG_EMPTY = N_("The file is empty.")
MSG_UNPLACED = N_("Text that could not be placed was kept in the notes: {excerpt}")
MSG_INVALID = N_(
    "{field}: the value {value} is not valid; it was left empty and kept in the notes."
)
MSG_UNKNOWN = N_("{field}: the value {value} was not recognised; it was kept in the notes.")
MSG_SAME_DAY = N_("The start and end dates are the same day ({date}); please check them.")
MSG_PHONE = N_("The phone number {value} of {name} does not look valid; it was kept as written.")
MSG_INCOMPLETE = N_("The source seems incomplete: these were not found: {fields}.")
MSG_NOTES_CUT = N_(
    "The notes would be {length} characters long, more than the {limit} a project can hold; "
    "the text from “{excerpt}” on was left out of the notes."
)
MSG_OWN_FUNDING = N_(
    "Own funding is mentioned but the implementer is not known; it was not added as a "
    "funder: {excerpt}"
)
MSG_YEARLY_SUM = N_(
    "{funder}: the source gives amounts per year ({years}); their sum was used as the "
    "amount and the years were kept in the notes."
)
MSG_AMOUNT_UNPLACED = N_(
    "These amounts could not be tied to a funder or to the total ({amount}); they stay in "
    "the text: {excerpt}"
)

EXCERPT_LENGTH = 80
MAX_LISTED = 10  # amounts listed in one warning

# --- decoding --------------------------------------------------------------------------------

_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2000-\u200a\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def decode(data: bytes) -> str:
    """Text from bytes: UTF-16 (with a BOM, or evidently so from its zero bytes), UTF-8 (with or
    without BOM), else Windows-1252.

    Raises ImportFailed for empty input and for binary data (NUL bytes, mostly unprintable).
    """
    if not data.strip():
        raise ImportFailed(MSG_EMPTY)
    utf16 = _utf16_codec(data)
    if utf16 is not None:
        text = data.decode(utf16, errors="replace").removeprefix("\ufeff")
        if not text.strip():
            raise ImportFailed(MSG_EMPTY)
    elif b"\x00" in data:
        raise ImportFailed(MSG_NOT_TEXT)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if _unprintable_share(text) > 0.05:
        raise ImportFailed(MSG_NOT_TEXT)
    return text


_UTF16_SAMPLE = 4096


def _utf16_codec(data: bytes) -> str | None:
    """ "utf-16" for a UTF-16 byte-order mark; "utf-16-le"/"-be" when most bytes at odd (even)
    positions are zero and few at the others, as in Latin text written in UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not data.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16"
    sample = data[:_UTF16_SAMPLE]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.3 and zero_even < 0.05:
        return "utf-16-le"
    if zero_even > 0.3 and zero_odd < 0.05:
        return "utf-16-be"
    return None


def try_decode(data: bytes, limit: int = 65536) -> str | None:
    """The decoded start of the data, or None when it is not text (for ``detect``)."""
    try:
        return decode(data[: limit - limit % 2])
    except ImportFailed:
        return None


def _unprintable_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t")
    )
    return bad / len(text)


def to_lines(text: str) -> list[str]:
    """Cleaned lines: control characters removed, odd spaces made plain, right side trimmed."""
    cleaned = v.clean_text(text)
    cleaned = _ZERO_WIDTH.sub("", _SPACES.sub(" ", cleaned))
    return [line.rstrip() for line in cleaned.split("\n")]


def first_nonblank(lines: list[str], start: int = 0) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].strip():
            return i
    return None


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of a text, spaces folded, at most ``length`` characters (only the start of a
    long text is read)."""
    folded = " ".join(text[: length * 8].split())
    return folded if len(folded) <= length else folded[: length - 1].rstrip() + "…"


def join_paragraphs(lines: Iterable[str]) -> str:
    """Lines as text: spaces folded, blank runs folded to one blank line, no blank lines at
    the ends, and no blank line between two items of a list."""
    out: list[str] = []
    for line in lines:
        folded = " ".join(line.split())
        between_items = len(out) >= 2 and not out[-1] and item_text(out[-2]) is not None
        if folded and between_items and item_text(folded) is not None:
            out.pop()
        if folded or (out and out[-1]):
            out.append(folded)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def paragraphs(lines: Iterable[str]) -> list[str]:
    """Paragraphs (blank-line separated), each with its lines joined by spaces."""
    result: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(" ".join(line.split()))
        elif current:
            result.append(" ".join(current))
            current = []
    return result


# --- bullets and list items -----------------------------------------------------------------

_BULLET = re.compile(r"^\s*[•‣◦▪●·–—*-]\s*(\S.*)$")
_BULLET_CHARS = "•‣◦▪●·–—*-"


def bullet_text(line: str) -> str | None:
    """The text of a bullet list item ("• x", "– x", "- x", "* x"), else None.

    A hyphen or asterisk needs a space after it, so "-periaatteet" is no bullet.
    """
    stripped = line.strip()
    if not stripped or stripped[0] not in _BULLET_CHARS:
        return None
    if stripped[0] in "*-" and (len(stripped) < 2 or not stripped[1].isspace()):
        return None
    match = _BULLET.match(stripped)
    return " ".join(match.group(1).split()) if match else None


_NUMBERED_ITEM = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.*)$")
# "1. x 2. y" within a paragraph: a number 1–99 with "." or ")" before a capital letter.
_INLINE_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)]\s+(?=[A-ZÄÖÅ\d\"“])")


def numbered_text(line: str) -> str | None:
    """The text of a numbered list item ("1. x", "2) x"), else None. A date ("1.9.2015")
    and a numbered heading without its dot ("1 Hanke") are no items."""
    match = _NUMBERED_ITEM.match(line)
    return " ".join(match.group(2).split()) if match else None


def item_text(line: str) -> str | None:
    """The text of a bullet or numbered list item, else None."""
    text = bullet_text(line)
    return text if text is not None else numbered_text(line)


def split_inline_numbers(paragraph: str, first: int = 1) -> list[str]:
    """ "1. Yksi. 2. Kaksi. 3. Kolme." → the items, when the numbers run 1, 2, 3 … in order
    (at least two); else the paragraph as it is. With ``first`` above 1 the paragraph is the
    text of item ``first - 1`` (its number already removed) and goes on from there."""
    starts: list[tuple[int, int]] = []
    expected = first
    for match in _INLINE_NUMBER.finditer(paragraph):
        if int(match.group(1)) == expected:
            starts.append((match.start(), match.end()))
            expected += 1
    lead = paragraph[: starts[0][0]].strip() if starts else ""
    if len(starts) + (1 if first > 1 else 0) < 2 or (lead and first == 1):
        return [paragraph]
    items = [lead] if first > 1 else []
    for i, (_start, text_start) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(paragraph)
        items.append(paragraph[text_start:end].strip())
    return [item for item in items if item]


def list_items(lines: Iterable[str]) -> list[str]:
    """Items of a list: a bullet or a number ("1.", "1)") starts an item, following lines
    continue it, a blank line ends it; a paragraph without a bullet is an item of its own,
    unless it runs "1. … 2. …" in one paragraph."""
    items: list[str] = []
    for item, number in _list_items(lines):
        items.extend(split_inline_numbers(item, number + 1 if number else 1))
    return items


def _list_items(lines: Iterable[str]) -> list[tuple[str, int | None]]:
    """(item text, its number or None)."""
    items: list[tuple[str, int | None]] = []
    current: list[str] = []
    number: int | None = None
    for line in [*lines, ""]:
        text = item_text(line)
        if text is not None:
            if current:
                items.append((" ".join(current), number))
            current = [text]
            numbered = _NUMBERED_ITEM.match(line) if bullet_text(line) is None else None
            number = int(numbered.group(1)) if numbered else None
        elif line.strip():
            current.append(" ".join(line.split()))
        elif current:
            items.append((" ".join(current), number))
            current = []
            number = None
    return [(item, n) for item, n in items if item]


# --- "Label: value" field lines ------------------------------------------------------------


def label_key(label: str) -> str:
    """A heading or label for lookup: case-folded, spaces folded, trailing ':' and '*' removed."""
    folded = " ".join(label.replace("*", " ").split()).casefold()
    return folded.rstrip(" :").strip()


def match_label(
    line: str, labels: Mapping[str, str], *, loose: bool = False
) -> tuple[str, str] | None:
    """(field, value) when the line starts with one of the known ``labels`` (label key → field).

    The label ends with ':' or two or more spaces (or a tab) or the end of the line; with
    ``loose`` a single space is enough (for formats whose labels are fixed and known). A label
    written with a typo ("Yhteyshenkilön sähköpostisoite") is recognised by its similarity to
    a known one when it is followed by ':' or a wide gap.
    """
    stripped = line.strip()
    folded = stripped.casefold()
    for label in _labels_longest_first(labels):
        if not folded.startswith(label):
            continue
        rest = stripped[len(label) :]
        if not rest or rest.startswith(":"):
            return labels[label], rest[1:].strip() if rest else ""
        if rest.startswith(("  ", "\t")) or (loose and rest.startswith(" ")):
            return labels[label], rest.strip()
    written = _written_label(stripped)
    if written is None:
        return None
    similar = similar_label(label_key(written[0]), labels)
    return (labels[similar], written[1]) if similar else None


_LABEL_GAP = re.compile(r"\s*:\s*|\s{2,}|\t")
MAX_LABEL_CHARS = 60
LABEL_SIMILARITY = 0.9
MIN_FUZZY_LABEL = 8


def _written_label(line: str) -> tuple[str, str] | None:
    """(label, value) of a line "Label: value" or "Label   value" (label at most 60 chars)."""
    gap = _LABEL_GAP.search(line, 0, MAX_LABEL_CHARS + 3)
    if gap is None or gap.start() == 0:
        return None
    return line[: gap.start()], line[gap.end() :].strip()


_LABEL_ORDER: dict[int, tuple[Mapping[str, str], tuple[str, ...]]] = {}


def _labels_longest_first(labels: Mapping[str, str]) -> tuple[str, ...]:
    cached = _LABEL_ORDER.get(id(labels))
    if cached is None or cached[0] is not labels or len(cached[1]) != len(labels):
        cached = (labels, tuple(sorted(labels, key=len, reverse=True)))
        _LABEL_ORDER[id(labels)] = cached
    return cached[1]


def similar_label(key: str, labels: Mapping[str, str]) -> str | None:
    """The known label most like ``key`` (difflib ratio at least 0.9), else None. Short keys
    must match exactly: one letter changes the meaning of a short word."""
    if key in labels:
        return key
    if len(key) < MIN_FUZZY_LABEL or len(key) > MAX_LABEL_CHARS:
        return None
    return _closest(key, _labels_longest_first(labels))


@lru_cache(maxsize=4096)
def _closest(key: str, candidates: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=LABEL_SIMILARITY)
    return close[0] if close else None


_FIELD_SPACED = re.compile(r"^([A-ZÄÖÅ][^:\t]{0,60}?)(?:\s{3,}|\t+)(\S.*)$")
_FIELD_COLON = re.compile(r"^([A-ZÄÖÅ][^:\t]{0,60}?)\s*:\s+(\S.*)$")


def field_line(line: str, *, colon: bool = True) -> tuple[str, str] | None:
    """(label, value) for "Label: value" (when ``colon``) or "Label   value" (3+ spaces/tab)."""
    stripped = line.strip()
    match = _FIELD_SPACED.match(stripped)
    if not match and colon:
        match = _FIELD_COLON.match(stripped)
    if not match:
        return None
    return match.group(1).strip(), match.group(2).strip()


# --- headings and blocks -------------------------------------------------------------------

# Narrative headings as published (label key) → section kind.
SECTION_KINDS: dict[str, str] = {
    "toimintaympäristö": "toimintaymparisto",
    "lähtötilanne ja strategiset liittymäkohdat": "lahtotilanne",
    "lähtötilanne": "lahtotilanne",
    "kehitystyön lähtökohtana olevat tarpeet": "tarpeet",
    "tarpeet": "tarpeet",
    "tarve": "tarpeet",
    "tarve suunnitteluvaiheessa ja kiinnittyminen": "tarpeet",
    "toteutussuunnitelma": "toteutussuunnitelma",
    "yhteistyö": "yhteistyo",
    "kohderyhmä ja asiakasymmärrys": "kohderyhma",
    "kohderyhmä": "kohderyhma",
    "kohderyhmät": "kohderyhma",
    "ratkaisun perusidea": "perusidea",
    "toimivuuden ja käyttöönoton ehdot": "ehdot",
    "vinkit toimintamallin soveltajille": "vinkit",
    "arvioinnin tulokset tiivistettynä": "arvioinnin_tulokset",
    "arvioinnin tulokset": "arvioinnin_tulokset",
    "lyhyt selostus hankkeesta": "lyhyt_selostus",
    "lyhyt selostus": "lyhyt_selostus",
    "ratkaisun kuvaus": "ratkaisun_kuvaus",
    "mallin kuvaus": "ratkaisun_kuvaus",
    "ennen hanketta": "kehittyminen_ennen",
    "hankkeen aikana": "kehittyminen_aikana",
    "toimintatavat": "toimintatavat",
    "mallin arvio": "arviointi",
    "arviointi": "arviointi",
    "arvio": "arviointi",
}

# Headings of the logic chain and budget (label key) → what their list holds.
LOGIC_HEADINGS: dict[str, str] = {
    "hankkeen tavoitteena on": "goals",
    "hankkeen tavoitteet": "goals",
    "tavoitteet": "goals",
    "tavoite": "goals",
    "toimenpiteet": "measures",
    "keskeiset toimenpiteet": "measures",
    "tulokset ja hyödyt": "results",
    "tulokset": "results",
    "odotettavissa olevat tulokset": "results",
    "odotetut tulokset": "results",
    "hankkeen tulokset": "results",
    "pitkän aikavälin tulokset": "impacts",
    "vaikutukset": "impacts",
    "pitkän aikavälin vaikutukset": "impacts",
    "kustannukset ja rahoitus": "budget",
    "kustannukset": "budget",
    "budjetti": "budget",
    "rahoitus": "budget",
    "kustannusarvio": "budget",
}

# Labels of web-page furniture that carry nothing when they stand empty.
EMPTY_UI_LABELS = frozenset({"liitteet", "logot", "tutustu hankkeeseen", "linkit"})

_TERMINAL = (".", ",", ";", "!", "?")
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 100


def section_kind(title: str) -> str | None:
    """The section kind of a known narrative heading (also "Kohderyhmä: …" forms), else None."""
    key = label_key(title)
    if key in SECTION_KINDS:
        return SECTION_KINDS[key]
    head = key.split(":", 1)[0].strip()
    return SECTION_KINDS.get(head)


def logic_role(title: str) -> str | None:
    """ "goals", "measures", "results", "impacts" or "budget" for a logic-chain heading."""
    key = label_key(title)
    return LOGIC_HEADINGS.get(key) or LOGIC_HEADINGS.get(key.split(":", 1)[0].strip())


def is_known_heading(line: str) -> bool:
    """A heading word from the lists, exactly (not "Budjetti: 100 €", which is a field)."""
    key = label_key(line)
    return key in SECTION_KINDS or key in LOGIC_HEADINGS or key in EMPTY_UI_LABELS


def looks_like_heading(line: str) -> bool:
    """A short line that starts with a capital letter or digit and has no sentence ending."""
    text = line.strip().rstrip("*").strip()
    if not text or len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if bullet_text(line) is not None or any(ch in text for ch in ("@", "://", "|")):
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    return not text.endswith(_TERMINAL)


def is_heading_at(lines: list[str], i: int) -> bool:
    """Structure decides: a heading-like line that is known, ends with ':', stands alone
    between blank lines, ends the text, or is directly followed by a known heading."""
    line = lines[i]
    if not looks_like_heading(line) or is_contact_line(line):
        return False
    if is_known_heading(line) or line.strip().rstrip("*").strip().endswith(":"):
        return True
    if numbered_text(line) is not None:
        return is_known_heading(numbered_text(line) or "")
    if first_nonblank(lines, i + 1) is None:
        # The last line: a heading with nothing under it, unless it is a lone word, which is
        # more likely a line cut short ("H", "Hakijan") than a heading.
        return len(heading_title(line).split()) >= 2
    if is_known_heading(lines[i + 1]) and looks_like_heading(lines[i + 1]):
        return True
    blank_before = i == 0 or not lines[i - 1].strip()
    blank_after = not lines[i + 1].strip()
    return blank_before and blank_after


# Labels of address and contact lines: fields, never headings of narrative sections.
CONTACT_LABELS: dict[str, str] = {
    "osoite": "address",
    "jakeluosoite": "address",
    "katuosoite": "address",
    "käyntiosoite": "address",
    "postiosoite": "address",
    "laskutusosoite": "address",
    "postinumero": "postal_code",
    "postitoimipaikka": "post_office",
    "postinumero ja -toimipaikka": "post_office",
    "puhelin": "phone",
    "puhelinnumero": "phone",
    "puh": "phone",
    "matkapuhelin": "phone",
    "gsm": "phone",
    "sähköposti": "email",
    "sähköpostiosoite": "email",
    "faksi": "fax",
    "telefax": "fax",
}
_POSTAL_CODE = re.compile(r"(?<!\d)\d{5}\s+[A-ZÄÖÅ]")
_STREET = re.compile(
    r"^(?:[A-ZÄÖÅ][\wäöå-]{0,40}(?:katu|tie|polku|kuja|väylä|raitti|ranta|tori|aukio|puisto)"
    r"|PL|PB)\s+\d{1,4}\b"
)


def is_contact_line(line: str) -> bool:
    """An address, phone or e-mail line ("Suokatu 42", "90100 Oulu", "Puh. 040 123 4567")."""
    stripped = line.strip()
    if EMAIL.search(stripped) or PHONE.search(stripped) or _POSTAL_CODE.search(stripped):
        return True
    if _STREET.match(stripped):
        return True
    written = _written_label(stripped)
    head = written[0] if written else stripped.split(".")[0]
    return similar_label(label_key(head), CONTACT_LABELS) is not None


def heading_title(line: str) -> str:
    """The heading as written, without decoration (" **") and the trailing colon."""
    return line.strip().rstrip("*").strip().rstrip(":").strip()


@dataclass
class Block:
    """A heading (None for text before the first heading) and the lines under it."""

    title: str | None
    lines: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return join_paragraphs(self.lines)

    @property
    def role(self) -> str | None:
        return logic_role(self.title) if self.title else None

    @property
    def kind(self) -> str:
        return (section_kind(self.title) if self.title else None) or "muu"


def split_blocks(
    lines: list[str], is_heading: Callable[[list[str], int], bool] = is_heading_at
) -> list[Block]:
    blocks = [Block(None)]
    for i, line in enumerate(lines):
        if is_heading(lines, i):
            blocks.append(Block(heading_title(line)))
        else:
            blocks[-1].lines.append(line)
    if not blocks[0].body:
        blocks.pop(0)
    return blocks


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


# --- people ------------------------------------------------------------------------------

# Starts only where a run of address characters starts, and never gives back what it took:
# linear even over a 100 000-character word.
EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]++(?:@|\s*+[\(\[](?:at|ät)[\)\]]\s*+)[\w-]++(?:\.[\w-]++)++",
    re.IGNORECASE,
)
PHONE = re.compile(r"(?<![\w.])(?:\+358|0)\d{1,3}(?:[ -]?\d{2,5}){1,4}(?![\w])")
_NAME_WORD = r"[A-ZÄÖÅ][a-zäöåéüA-ZÄÖÅ']*(?:-[A-Za-zÄÖÅäöå][a-zäöåéü']+)?"
_TRAILING_NAME = re.compile(rf"(?<![\w-])({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}})\s*$")
_WHOLE_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}$")

ROLE_PHRASES = (
    "vastuullinen johtaja",
    "projektipäällikkö",
    "projektikoordinaattori",
    "yhteyshenkilö",
    "hankepäällikkö",
    "hankekoordinaattori",
)
_ROLE_SUFFIXES = (
    "johtaja",
    "päällikkö",
    "henkilö",
    "ohjaaja",
    "työntekijä",
    "koordinaattori",
    "hoitaja",
    "asiantuntija",
    "suunnittelija",
    "sihteeri",
    "kehittäjä",
)
_CONTACT_ROLES = ("yhteyshenkilö", "projektipäällikkö", "hankepäällikkö", "vastuuhenkilö")


@dataclass
class PersonFound:
    name: str
    role: str = ""
    email: str | None = None
    phone: str | None = None


def ascii_fold(text: str) -> str:
    """Lower-case ASCII for an e-mail address: ä→a, ö→o, å→a, é→e …"""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def email_from_pattern(pattern: str, name: str) -> str | None:
    """An address from a published pattern such as "etunimi.sukunimi(at)ouka.fi"."""
    parts = name.split()
    if len(parts) < 2 or "etunimi" not in pattern.casefold():
        return None
    address = re.sub(r"\s*[\(\[](?:at|ät)[\)\]]\s*", "@", pattern.strip(), flags=re.IGNORECASE)
    address = re.sub("etunimi", ascii_fold(parts[0]), address, flags=re.IGNORECASE)
    address = re.sub("sukunimi", ascii_fold(parts[-1]), address, flags=re.IGNORECASE)
    return address.strip(" ,.;").lower()


def is_role_word(word: str) -> bool:
    folded = word.casefold()
    return folded in ROLE_PHRASES or folded.endswith(_ROLE_SUFFIXES)


def tidy_role(role: str) -> str:
    """ "Vastuullinen johtaja sosiaalijohtaja" → "Vastuullinen johtaja, sosiaalijohtaja": when the
    text is a run of role titles they are separated by commas; otherwise it stays as written."""
    words = role.strip(" ,.:;").split()
    parts: list[str] = []
    i = 0
    while i < len(words):
        two = " ".join(words[i : i + 2])
        if two.casefold() in ROLE_PHRASES:
            parts.append(two)
            i += 2
        elif is_role_word(words[i]):
            parts.append(words[i])
            i += 1
        else:
            return " ".join(words)
    return ", ".join(parts)


def is_contact_role(role: str) -> bool:
    return any(word in role.casefold() for word in _CONTACT_ROLES)


def looks_like_name(text: str) -> bool:
    text = text.strip()
    return bool(_WHOLE_NAME.match(text)) and not any(is_role_word(w) for w in text.split())


def people_from_text(text: str, email_pattern: str | None = None) -> list[PersonFound]:
    """People in running text: "Vastuullinen johtaja sosiaalijohtaja Arja Heikkinen,
    044 703 4034. Yhteyshenkilö: Katja Karppinen, 044 703 6170." One sentence, one person."""
    people: list[PersonFound] = []
    for chunk in re.split(r"(?<=[.;])\s+(?=[A-ZÄÖÅ])", text):
        person = _person_from_chunk(chunk)
        if person is None:
            continue
        if person.email is None and email_pattern:
            person.email = email_from_pattern(email_pattern, person.name)
        people.append(person)
    return people


def _person_from_chunk(chunk: str) -> PersonFound | None:
    email_match = EMAIL.search(chunk)
    email = email_match.group(0) if email_match else None
    rest = EMAIL.sub(" ", chunk)
    phone_match = PHONE.search(rest)
    phone = phone_match.group(0) if phone_match else None
    rest = PHONE.sub(" ", rest).strip(" ,.;:")
    if ":" in rest:
        role, who = rest.split(":", 1)
    else:
        role, who = "", rest
    match = _TRAILING_NAME.search(who.strip(" ,.;"))
    if not match:
        return None
    name_words = match.group(1).split()
    if len(name_words) == 3 and is_role_word(name_words[0]):
        name_words = name_words[1:]
    name = " ".join(name_words)
    before = who.strip(" ,.;")[: -len(name)]
    role = " ".join(f"{role} {before}".split())
    return PersonFound(name=name, role=tidy_role(role), email=email, phone=phone)


def person_from_block(lines: list[str]) -> PersonFound | None:
    """A person written on lines: role, name, e-mail, "Puh. 040 …" in any order."""
    name: str | None = None
    role_lines: list[str] = []
    email = phone = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if EMAIL.fullmatch(line):
            email = line
        elif re.match(r"^(puh(elin)?\.?|p\.|tel\.?|gsm)\s*:?\s*", line, re.IGNORECASE):
            phone = re.sub(r"^(puh(elin)?\.?|p\.|tel\.?|gsm)\s*:?\s*", "", line, flags=re.I)
        elif PHONE.fullmatch(line):
            phone = line
        elif name is None and looks_like_name(line):
            name = line
        else:
            role_lines.append(line)
    if name is None:
        return None
    return PersonFound(name=name, role=" ".join(role_lines), email=email, phone=phone)


def split_on_blank(lines: Iterable[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


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


# --- code lists ---------------------------------------------------------------------------

STATUS_WORDS: dict[str, str] = {
    "suunnitteilla": "suunnitteilla",
    "suunnitelma": "suunnitteilla",
    "valmistelussa": "valmistelussa",
    "valmisteilla": "valmistelussa",
    "haettu": "haettu",
    "hakemus jätetty": "haettu",
    "myönnetty": "myonnetty",
    "rahoitus myönnetty": "myonnetty",
    "käynnissä": "kaynnissa",
    "toiminta käynnissä": "kaynnissa",
    "hanke käynnissä": "kaynnissa",
    "päättynyt": "paattynyt",
    "toiminta päättynyt": "paattynyt",
    "hanke päättynyt": "paattynyt",
    "hanke loppunut": "paattynyt",
    "loppunut": "paattynyt",
    "hylätty": "hylatty",
    "keskeytetty": "keskeytetty",
    "keskeytynyt": "keskeytetty",
    "hanke keskeytetty": "keskeytetty",
}


def status_code(text: str) -> str | None:
    return STATUS_WORDS.get(label_key(text).rstrip("."))


def project_type_code(text: str) -> str | None:
    """ "Oulun kaupungin hanke" → "kunta"; ESR, STEA, STM; None when not recognised."""
    folded = text.casefold()
    if re.search(r"\besr\b|sosiaalirahasto", folded):
        return "esr"
    if re.search(r"\bstea\b|avustuskeskus", folded):
        return "stea"
    if re.search(r"\bstm\b|ministeriö", folded):
        return "stm"
    if re.search(r"kaupun(ki|gin)|kun(ta|nan)\b", folded):
        return "kunta"
    return None


# The 19 regions (maakunnat): name → code.
REGIONS: dict[str, str] = {
    "Uusimaa": "uusimaa",
    "Varsinais-Suomi": "varsinais-suomi",
    "Satakunta": "satakunta",
    "Kanta-Häme": "kanta-hame",
    "Pirkanmaa": "pirkanmaa",
    "Päijät-Häme": "paijat-hame",
    "Kymenlaakso": "kymenlaakso",
    "Etelä-Karjala": "etela-karjala",
    "Etelä-Savo": "etela-savo",
    "Pohjois-Savo": "pohjois-savo",
    "Pohjois-Karjala": "pohjois-karjala",
    "Keski-Suomi": "keski-suomi",
    "Etelä-Pohjanmaa": "etela-pohjanmaa",
    "Pohjanmaa": "pohjanmaa",
    "Keski-Pohjanmaa": "keski-pohjanmaa",
    "Pohjois-Pohjanmaa": "pohjois-pohjanmaa",
    "Kainuu": "kainuu",
    "Lappi": "lappi",
    "Ahvenanmaa": "ahvenanmaa",
}
# Genitive forms ("Pohjois-Pohjanmaan maakunta") → code.
REGION_GENITIVES: dict[str, str] = {
    "Uudenmaan": "uusimaa",
    "Varsinais-Suomen": "varsinais-suomi",
    "Satakunnan": "satakunta",
    "Kanta-Hämeen": "kanta-hame",
    "Pirkanmaan": "pirkanmaa",
    "Päijät-Hämeen": "paijat-hame",
    "Kymenlaakson": "kymenlaakso",
    "Etelä-Karjalan": "etela-karjala",
    "Etelä-Savon": "etela-savo",
    "Pohjois-Savon": "pohjois-savo",
    "Pohjois-Karjalan": "pohjois-karjala",
    "Keski-Suomen": "keski-suomi",
    "Etelä-Pohjanmaan": "etela-pohjanmaa",
    "Pohjanmaan": "pohjanmaa",
    "Keski-Pohjanmaan": "keski-pohjanmaa",
    "Pohjois-Pohjanmaan": "pohjois-pohjanmaa",
    "Kainuun": "kainuu",
    "Lapin": "lappi",
    "Ahvenanmaan": "ahvenanmaa",
}


def region_code(name: str) -> str | None:
    """The code of a region written as its name ("Pirkanmaa", "pirkanmaa", "Pirkanmaan")."""
    key = name.strip().casefold()
    for table in (REGIONS, REGION_GENITIVES):
        for region, code in table.items():
            if region.casefold() == key:
                return code
    return None


BUDGET_CLASSES = ("alle-100000", "100000-500000", "500000-1000000", "yli-1000000")
_BUDGET_BOUNDS = (Decimal(100_000), Decimal(500_000), Decimal(1_000_000))


def budget_class_for(amount: Decimal) -> str:
    for code, bound in zip(BUDGET_CLASSES, _BUDGET_BOUNDS, strict=False):
        if amount < bound:
            return code
    return BUDGET_CLASSES[-1] if amount > _BUDGET_BOUNDS[-1] else BUDGET_CLASSES[2]


def budget_class(text: str) -> str | None:
    """ "Yli 1000000 €" → "yli-1000000"; "100 000 – 500 000 €" → "100000-500000"."""
    folded = re.sub(r"(?<=\d)[\s.](?=\d{3}\b)", "", text.casefold())
    if m := re.search(r"\b(yli|alle)\s*(\d+)", folded):
        code = f"{m.group(1)}-{m.group(2)}"
        return code if code in BUDGET_CLASSES else None
    if m := re.search(r"(\d+)\s*[-–]\s*(\d+)", folded):
        code = f"{m.group(1)}-{m.group(2)}"
        return code if code in BUDGET_CLASSES else None
    return None


def money_in(text: str) -> Decimal | None:
    """The first euro amount in a text ("1 234 567,50 €", "1,2 milj. euroa"), else None."""
    return money.money_in(text)


FUNDERS = money.FUNDERS


def funder_code(name: str) -> str:
    """The funder code of a funder's name. An ELY-keskus only channels money (ESR, EAKR, the
    rural development fund …): alone it names no fund, so it is "MUU" unless the caller knows
    the programme."""
    code = money.fund_code(name)
    if code:
        return code
    folded = name.casefold()
    if "hyvinvointialue" in folded:
        return "HVA"
    if re.search(r"(kaupunki|kunta)\b", folded):
        return "KUNTA"
    return "MUU"


def funders_mentioned(text: str) -> list[str]:
    """Funder codes named in running text as "STEA", "(STEA)", "STM:n"."""
    codes: list[str] = []
    for code in ("STEA", "STM"):
        if re.search(rf"(?<![\w-]){code}(?![\w-])", text):
            codes.append(code)
    return codes


_ORG_TYPES: tuple[tuple[str, str], ...] = (
    (r"hyvinvointialue\b", "hyvinvointialue"),
    (r"kuntayhtymä\b", "kuntayhtyma"),
    (r"(kaupunki|kunta)\b", "kunta"),
    (r"ministeriö\b|ely-keskus\b|virasto\b|\bstea\b|laitos\b|\bthl\b|\bkela\b", "valtio"),
    (r"ammattikorkeakoulu\b|yliopisto\b|oppilaitos\b|opisto\b|korkeakoulu\b", "oppilaitos"),
    (r"säätiö\b|\bry\b|\br\.y\.|yhdistys\b|liitto\b|seurakunta", "jarjesto"),
    (r"\boy\b|\boyj\b|\bab\b|\bay\b|\bky\b|osuuskunta\b", "yritys"),
)

# EURA "Organisaatiotyyppi" values and other written types → type code.
ORG_TYPE_WORDS: dict[str, str] = {
    "kunta": "kunta",
    "kaupunki": "kunta",
    "kuntayhtymä": "kuntayhtyma",
    "hyvinvointialue": "hyvinvointialue",
    "valtio": "valtio",
    "valtion virasto": "valtio",
    "valtion virasto tai laitos": "valtio",
    "yhdistys": "jarjesto",
    "järjestö": "jarjesto",
    "säätiö": "jarjesto",
    "yhdistys tai säätiö": "jarjesto",
    "ammattikorkeakoulu": "oppilaitos",
    "yliopisto": "oppilaitos",
    "oppilaitos": "oppilaitos",
    "yritys": "yritys",
    "osakeyhtiö": "yritys",
}


def org_type(name: str) -> str | None:
    """The organisation type guessed from its name ("Oulun kaupunki" → "kunta"), else None."""
    folded = name.casefold()
    for pattern, code in _ORG_TYPES:
        if re.search(pattern, folded):
            return code
    return None


def org_type_from_word(word: str) -> str | None:
    return ORG_TYPE_WORDS.get(label_key(word)) or org_type(word)


_ORG_IN_TEXT = re.compile(
    r"\b((?:[A-ZÄÖÅ][\wäöå]{0,40}(?:-[\wäöå]{1,40}){0,3}\s){1,4}"
    r"(?:kaupunki|kunta|hyvinvointialue|kuntayhtymä)\b"
    r"|[A-ZÄÖÅ][\wäöå]{0,40}-[Ss]äätiö\b|[A-ZÄÖÅ][\wäöå]{0,40}\s[Ss]äätiö\b)"
)


def organisations_named(text: str) -> list[str]:
    """Organisations named in running text in the basic form ("Jyväskylän kaupunki",
    "Sovatek-säätiö"); a generic part after a hyphen is written in lower case."""
    names: list[str] = []
    for match in _ORG_IN_TEXT.finditer(text):
        name = re.sub(r"-Säätiö\b", "-säätiö", match.group(1).strip())
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


_SHORT_NAME = re.compile(r"^(?P<name>.+?)\s+[–—-]\s+(?P<short>[A-ZÄÖÅ][\wäöåÄÖÅ-]{1,19})$")


def split_short_name(title: str) -> tuple[str, str | None]:
    """ "Etelä-Pirkanmaan … hanke – SoKu" → ("Etelä-Pirkanmaan … hanke", "SoKu")."""
    match = _SHORT_NAME.match(title.strip())
    if not match:
        return title.strip(), None
    return match.group("name").strip(), match.group("short")


# --- the project being built ---------------------------------------------------------------


class Draft:
    """A project dict being filled from a source, with its warnings and notes.

    ``finish`` validates it; values that do not pass are dropped with a warning and their
    raw text kept in the notes, so one bad value never fails the whole import.
    """

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.data: dict[str, Any] = {}
        self.warnings: list[ImportWarning] = []
        self.notes: list[str] = []
        self._notes_limit = MAX_TEXT
        self._notes_cut = False
        self._measured: set[tuple[Decimal, str]] = set()  # (target, unit) of the indicators
        self._funders: dict[tuple[str, str], dict[str, Any]] = {}  # funding rows by name, code

    # warnings and notes
    def warn(self, message: str, **params: Any) -> None:
        self.warnings.append(ImportWarning(message, params))

    def note(self, text: str) -> None:
        if text.strip():
            self.notes.append(text.strip())

    def unplaced(self, text: str) -> None:
        if text.strip():
            self.note(text)
            self.warn(MSG_UNPLACED, excerpt=excerpt(text))

    def invalid(self, label: str, value: str) -> None:
        self.note(f"{label}: {value}")
        self.warn(MSG_INVALID, field=label, value=excerpt(value))

    def unknown(self, label: str, value: str) -> None:
        self.note(f"{label}: {value}")
        self.warn(MSG_UNKNOWN, field=label, value=excerpt(value))

    # fields
    def set(self, key: str, value: Any) -> None:
        if value not in (None, ""):
            self.data[key] = value

    def set_date(self, key: str, raw: str, label: str) -> None:
        parsed = parse_fi_date(raw)
        if parsed is None:
            self.invalid(label, raw)
        else:
            self.data[key] = parsed.isoformat()

    def set_status(self, raw: str, label: str) -> None:
        code = status_code(raw)
        if code:
            self.data["status"] = code
        else:
            self.unknown(label, raw)

    def set_region(self, raw: str, label: str) -> None:
        code = region_code(raw)
        if code:
            self.data["region"] = code
        else:
            self.unknown(label, raw)

    def set_budget(self, raw: str, label: str) -> None:
        amount = money_in(raw)
        code = budget_class(raw)
        if amount is not None and code is None:
            self.data["budget_amount"] = str(amount)
            self.data["budget_class"] = budget_class_for(amount)
        elif code:
            self.data["budget_class"] = code
        else:
            self.unknown(label, raw)

    def append_summary(self, text: str) -> None:
        if text.strip():
            current = self.data.get("summary", "")
            self.data["summary"] = f"{current}\n\n{text.strip()}" if current else text.strip()

    # related records
    def add_section(self, kind: str, title: str, body: str) -> None:
        self.data.setdefault("sections", []).append({"kind": kind, "title": title, "body": body})

    def add_organisation(self, name: str, role: str, **extra: Any) -> None:
        orgs = self.data.setdefault("organisations", [])
        if any(o["organisation"]["name"].casefold() == name.casefold() for o in orgs):
            return
        organisation = {"name": name, "org_type": extra.pop("org_type", None) or org_type(name)}
        organisation.update({k: val for k, val in extra.items() if val})
        orgs.append({"organisation": organisation, "role": role})

    def add_funder(self, name: str, code: str | None = None, **extra: Any) -> None:
        """A funder; named again (also by its code, for the funds and ministries that exist
        once), the row is completed with what it lacked, never duplicated or overwritten."""
        funding = self.data.setdefault("funding", [])
        code = code or funder_code(name)
        known = FUNDERS.get(code)
        existing = self._funders.get(("name", name.casefold()))
        if existing is None and known is not None:
            existing = self._funders.get(("code", code))
        if existing is not None:
            for key, value in extra.items():
                if value is not None and existing.get(key) is None:
                    existing[key] = value
            return
        canonical_type = known[1] if known and known[0] == name else None
        row: dict[str, Any] = {
            "funder": {"name": name, "org_type": org_type(name) or canonical_type},
            "funder_code": code,
        }
        row.update({k: val for k, val in extra.items() if val is not None})
        funding.append(row)
        self._funders[("name", name.casefold())] = row
        if known is not None:
            self._funders.setdefault(("code", code), row)

    def add_funding_text(self, text: str, *, own_funder: str | None = None) -> None:
        """The funders, their shares and the total stated in a costs text. The total is the
        budget; a funder's share is never taken for it. Own funding is the implementer's
        (``own_funder``); amounts that cannot be tied to a funder are reported."""
        if own_funder is None:
            own_funder = next(
                (
                    o["organisation"]["name"]
                    for o in self.data.get("organisations", [])
                    if o["role"] == "paatoteuttaja"
                ),
                None,
            )
        found = money.funding_in(text)
        if found.total is not None and "budget_amount" not in self.data:
            self.set("budget_amount", str(found.total))
            self.set("budget_class", budget_class_for(found.total))
        for share in found.funders:
            name = share.name or own_funder
            if not name:
                self.warn(MSG_OWN_FUNDING, excerpt=excerpt(text))
                continue
            amount = share.amount
            if amount is None and share.by_year:
                amount = sum(share.by_year.values(), Decimal(0))
                years = ", ".join(
                    f"{year}: {value} €" for year, value in sorted(share.by_year.items())
                )
                self.note(f"{name}: {years}")
                self.warn(MSG_YEARLY_SUM, funder=name, years=years)
            self.add_funder(
                name,
                share.code,
                amount=str(amount) if amount is not None else None,
                share_percent=str(share.share_percent) if share.share_percent is not None else None,
            )
        if found.unattributed:
            shown = [f"{amount.value} €" for amount in found.unattributed[:MAX_LISTED]]
            more = "…" if len(found.unattributed) > MAX_LISTED else ""
            self.warn(MSG_AMOUNT_UNPLACED, amount=", ".join(shown) + more, excerpt=excerpt(text))

    def add_person(
        self, person: PersonFound, *, organisation: str | None, is_contact: bool, is_team: bool
    ) -> None:
        if person.phone and not v.normalise_phone(person.phone)[1]:
            self.warn(MSG_PHONE, value=person.phone, name=person.name)
        self.data.setdefault("people", []).append(
            {
                "person": {
                    "name": person.name,
                    "email": person.email,
                    "phone": person.phone,
                    "organisation": organisation,
                },
                "role": person.role,
                "is_contact": is_contact,
                "is_team": is_team,
            }
        )

    def add_goals(self, items: list[str]) -> None:
        goals = self.data.setdefault("goals", [])
        for item in items:
            key = f"g{len(goals) + 1}"
            goals.append({"key": key, "title": item})
            self.add_targets(item, goal_key=key)

    def add_measures(self, items: list[str]) -> None:
        measures = self.data.setdefault("measures", [])
        for item in items:
            key = f"m{len(measures) + 1}"
            measures.append({"key": key, "title": item})
            self.add_targets(item, measure_key=key)

    def add_results(self, items: list[str], kind: str) -> None:
        results = self.data.setdefault("results", [])
        for item in items:
            results.append({"key": f"r{len(results) + 1}", "kind": kind, "text": item})
            self.add_targets(item)

    def add_targets(
        self, text: str, measure_key: str | None = None, goal_key: str | None = None
    ) -> None:
        """Indicators for the quantified targets of a text; a quantity already measured
        (the results repeating a measure's "vähintään 200 henkilöä") is not added twice."""
        indicators = self.data.setdefault("indicators", [])
        for target in quantified_targets(text):
            if (target.target, target.unit) in self._measured:
                continue
            self._measured.add((target.target, target.unit))
            indicator = {
                "key": f"i{len(indicators) + 1}",
                "name": target.name,
                "unit": target.unit,
                "target": str(target.target),
            }
            if measure_key:
                indicator["measure_key"] = measure_key
            if goal_key:
                indicator["goal_key"] = goal_key
            indicators.append(indicator)

    def require(self, labels: Mapping[str, str]) -> None:
        """Warn when fields the format always has are missing (a truncated source)."""
        missing = [label for key, label in labels.items() if not self.data.get(key)]
        if missing:
            self.warn(MSG_INCOMPLETE, fields=", ".join(missing))

    # result
    def finish(self, missing_name_message: str) -> ParsedProject:
        name = self.data.get("name", "")
        if not isinstance(name, str) or not v.clean_line(name):
            raise ImportFailed(missing_name_message)
        if "source_key" not in self.data:
            eura = self.data.get("eura_code")
            self.data["source_key"] = (
                f"eura:{eura}" if eura else f"{self.fmt}:{v.clean_line(name).casefold()}"
            )
        for key in ("sections", "organisations", "funding", "people", "goals", "measures"):
            self.data.setdefault(key, [])
        doc = self._validate(missing_name_message)
        return ParsedProject(doc=doc, warnings=self.warnings)

    def _validate(self, missing_name_message: str) -> ProjectDoc:
        """Validate; every value that fails in one round is dropped at once (kept in the
        notes), so the work is bounded: a few rounds, each linear in the size of the data."""
        for _round in range(MAX_VALIDATION_ROUNDS):
            self._fix_references()
            self.data["notes"] = self._notes_text()
            try:
                return ProjectDoc.model_validate(self.data)
            except ValidationError as exc:
                errors = exc.errors(include_url=False)
            targets: dict[tuple[int | str, ...], str] = {}
            for error in errors:
                loc = tuple(error["loc"])
                if loc == ("name",):
                    raise ImportFailed(missing_name_message) from None
                targets.setdefault(self._target(loc, str(error["type"])), str(error["type"]))
            if ("notes",) in targets:
                # Cleaning made the notes longer than counted: leave more room.
                self._notes_limit //= 2
                del targets[("notes",)]
            for path in sorted(targets, key=_path_order, reverse=True):
                self._drop(path)
        raise ImportFailed(missing_name_message)

    def _notes_text(self) -> str:
        """The notes joined, at most the length the notes field holds; a note that does not
        fit is cut with a warning (it is never put back into the notes)."""
        parts: list[str] = []
        used = 0
        for note in self.notes:
            cleaned = v.clean_text(note).strip()
            room = self._notes_limit - used - (2 if parts else 0)
            if len(cleaned) > room:
                if room > 0:
                    parts.append(cleaned[:room])
                if not self._notes_cut:
                    self.warn(
                        MSG_NOTES_CUT,
                        length=sum(len(n) + 2 for n in self.notes) - 2,
                        limit=self._notes_limit,
                        excerpt=excerpt(cleaned[max(room, 0) :]),
                    )
                    self._notes_cut = True
                break
            parts.append(cleaned)
            used += len(cleaned) + (2 if len(parts) > 1 else 0)
        return "\n\n".join(parts)

    def _target(self, loc: tuple[int | str, ...], error_type: str) -> tuple[int | str, ...]:
        """What to drop for an error: the value, or the list item holding a required one."""
        if not loc:
            loc = ("end_date",) if error_type == "end_before_start" else ("notes",)
        if error_type == "end_before_start" and isinstance(loc[-1], int):
            loc = (*loc, "end_date")
        if error_type == "missing":
            loc = _item_path(loc)
        if self._lookup(loc) is None:
            loc = _item_path(loc)
        return loc

    def _lookup(self, loc: tuple[int | str, ...]) -> tuple[Any, int | str] | None:
        parent: Any = self.data
        for part in loc[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                return None
        key = loc[-1]
        if isinstance(parent, list) and isinstance(key, int) and key < len(parent):
            return parent, key
        if isinstance(parent, dict) and key in parent:
            return parent, key
        return None

    def _drop(self, loc: tuple[int | str, ...]) -> None:
        """Remove the value at ``loc`` and say so; its text is kept in the notes."""
        found = self._lookup(loc)
        if found is None:
            raise ImportFailed(MSG_INVALID, field=".".join(str(p) for p in loc), value="")
        parent, key = found
        value = parent.pop(key)
        label = ".".join(str(p) for p in loc)
        self.invalid(label, value if isinstance(value, str) else _plain(value))

    def _fix_references(self) -> None:
        """Links to goals or measures that are no longer there (dropped) are removed."""
        goal_keys = {g.get("key") for g in self.data.get("goals", []) if isinstance(g, dict)}
        measure_keys = {m.get("key") for m in self.data.get("measures", []) if isinstance(m, dict)}
        for list_name in ("measures", "results", "indicators"):
            for item in self.data.get(list_name, []):
                if not isinstance(item, dict):
                    continue
                if item.get("goal_key") and item["goal_key"] not in goal_keys:
                    item.pop("goal_key")
                if item.get("measure_key") and item["measure_key"] not in measure_keys:
                    item.pop("measure_key")


MAX_VALIDATION_ROUNDS = 8


def _plain(value: Any) -> str:
    """The text of a dropped record, for the notes: its string values, not its repr."""
    if isinstance(value, dict):
        return "; ".join(_plain(item) for item in value.values() if item not in (None, ""))
    if isinstance(value, list):
        return "; ".join(_plain(item) for item in value)
    return str(value)


def _path_order(path: tuple[int | str, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in path)


def _item_path(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """The path of the list item that holds a field, or the field itself at the top."""
    for i in range(len(loc) - 1, -1, -1):
        if isinstance(loc[i], int):
            return loc[: i + 1]
    return loc


# --- placing free-text blocks --------------------------------------------------------------


def place_block(draft: Draft, block: Block) -> None:
    """A titled block of free text: logic-chain lists, costs, or a narrative section."""
    assert block.title is not None
    role = block.role
    items = list_items(block.lines)
    if role == "goals":
        draft.add_goals(items)
    elif role == "measures":
        draft.add_measures(items)
    elif role in ("results", "impacts"):
        draft.add_results(items, "impact" if role == "impacts" else "result")
    elif role == "budget":
        place_budget(draft, block)
    elif block.title.casefold() in EMPTY_UI_LABELS and not block.body:
        return
    else:
        draft.add_section(block.kind, block.title, block.body)


def place_budget(draft: Draft, block: Block) -> None:
    """Costs written in the text: the stated total becomes the budget, the funders named with
    their shares become funding rows; the text itself is kept as a section."""
    draft.add_funding_text("\n".join(block.lines))
    draft.add_section("muu", block.title or "", block.body)


def score(text: str | None, markers: Iterable[str], *, need: int = 1) -> float:
    """A detect score: the share of ``markers`` (case-folded substrings) found in the text,
    0 when fewer than ``need`` are there."""
    if not text:
        return 0.0
    folded = text.casefold()
    marker_list = list(markers)
    hits = sum(1 for m in marker_list if m.casefold() in folded)
    if hits < need:
        return 0.0
    return round(min(1.0, hits / len(marker_list)), 3)
