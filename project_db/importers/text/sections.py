"""Headings and blocks: where a section starts, what kind it is, and the text under it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .fields import _written_label, label_key, similar_label
from .people import EMAIL, PHONE
from .reading import bullet_text, first_nonblank, join_paragraphs, numbered_text

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
