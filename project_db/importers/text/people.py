"""People in the text: names, roles, e-mail addresses and phone numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

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
