"""Removing personal data from the text of a public report (the STEA results report).

A public report holds no names of people, contact details, personal identity codes, links or
attachment names. ``Scrubber`` finds them in any text and replaces each with a neutral marker;
it remembers what it removed so that the person making the report can check it (the report's
warnings), while the report itself never shows it.

Every detector works on tokens or on fixed-length patterns, so the work is linear in the length
of the text: words are found with a single pass (``\\w[\\w'’-]*``), names are sequences of
words, links are checked word by word without a regex, and the identity code and phone patterns
have fixed lengths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from project_db.errors import N_

from ..i18n import _
from .finders import PHONE_RE, email_spans

NAME = "name"
CONTACT = "contact"
IDENTITY_CODE = "identity_code"
LINK = "link"
ATTACHMENT = "attachment"

MARKERS = {
    NAME: N_("[name removed]"),
    CONTACT: N_("[contact details removed]"),
    IDENTITY_CODE: N_("[personal identity code removed]"),
    LINK: N_("[link removed]"),
    ATTACHMENT: N_("[attachment removed]"),
}
# Earlier detectors win where spans overlap (a code is not also a phone number).
PRIORITY = {IDENTITY_CODE: 0, CONTACT: 1, LINK: 2, ATTACHMENT: 3, NAME: 4}

# --- personal identity code (henkilötunnus) ------------------------------------------------

# ddmmyy, the century sign (+ 1800s; - and U–Y 1900s; A–F 2000s), the individual number and
# the check character. Fixed length: no backtracking.
IDENTITY_CODE_RE = re.compile(r"(?<![\w+-])(\d{6})([-+A-FU-Y])(\d{3})([0-9A-Y])(?!\w)")
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def is_identity_code(birth: str, number: str, check: str) -> bool:
    """The check character of ``ddmmyy`` + ``nnn`` is right and the date part is possible."""
    day, month = int(birth[:2]), int(birth[2:4])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    return CHECK_CHARACTERS[int(birth + number) % 31] == check


def identity_code_spans(text: str) -> Iterator[tuple[int, int]]:
    for found in IDENTITY_CODE_RE.finditer(text):
        if is_identity_code(found.group(1), found.group(3), found.group(4)):
            yield found.span()


# --- words ----------------------------------------------------------------------------------

WORD_RE = re.compile(r"\w[\w'’-]*")
CHUNK_RE = re.compile(r"\S+")
# What surrounds a link or file name in running text: "(www.x.fi)." or "”raportti.pdf”,".
_LEADING = "([{\"'«“”‘’<"
_TRAILING = ".,;:!?)]}\"'»“”‘’>"


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


def words(text: str) -> list[Word]:
    return [Word(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]


def _gap(text: str, left: Word, right: Word) -> str:
    return text[left.end : right.start]


def _adjacent(text: str, left: Word, right: Word) -> bool:
    """Two words of one name: only spaces between them (no line break or punctuation)."""
    gap = _gap(text, left, right)
    return 0 < len(gap) <= 3 and not gap.strip(" \t\u00a0")


# --- links and file names --------------------------------------------------------------------

TOP_LEVEL_DOMAINS = frozenset(
    [
        "fi",
        "ax",
        "se",
        "no",
        "dk",
        "ee",
        "is",
        "de",
        "uk",
        "fr",
        "nl",
        "be",
        "es",
        "it",
        "pl",
        "ru",
        "eu",
        "com",
        "org",
        "net",
        "info",
        "io",
        "biz",
        "app",
        "me",
        "tv",
        "co",
        "online",
        "site",
        "gov",
        "edu",
        "int",
    ]
)
ATTACHMENT_SUFFIXES = frozenset(
    [
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "rtf",
        "txt",
        "csv",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "zip",
    ]
)
_HOST_LABEL_RE = re.compile(r"[\w-]+")


def _is_host(host: str) -> bool:
    labels = host.split(".")
    if len(labels) < 2 or labels[-1].lower() not in TOP_LEVEL_DOMAINS:
        return False
    if labels[-1].lower() != labels[-1] and labels[-1].upper() != labels[-1]:
        return False
    return all(_HOST_LABEL_RE.fullmatch(label) for label in labels)


def _link_kind(chunk: str) -> str | None:
    lowered = chunk.lower()
    if lowered.startswith(("http://", "https://", "ftp://", "www.")):
        return LINK
    host, _slash, _path = chunk.partition("/")
    if "@" in host:
        return None  # an e-mail address: the e-mail finder handles it
    if _is_host(host):
        return LINK
    stem, dot, suffix = chunk.rpartition(".")
    if dot and stem and "/" not in chunk and suffix.lower() in ATTACHMENT_SUFFIXES:
        return ATTACHMENT
    return None


def link_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Links (``https://…``, ``www.…``, ``olohuone.fi/palaute``) and file names (``x.pdf``)."""
    for found in CHUNK_RE.finditer(text):
        chunk = found.group()
        start, end = found.start(), found.end()
        stripped = chunk.lstrip(_LEADING)
        start += len(chunk) - len(stripped)
        core = stripped.rstrip(_TRAILING)
        end -= len(stripped) - len(core)
        if core and "." in core:
            kind = _link_kind(core)
            if kind:
                yield start, end, kind


# --- names -----------------------------------------------------------------------------------

# Role words that come before a name ("projektipäällikkö Anna Virtanen", "projektledare Anna
# Virtanen"), compared with the end of a lower-case word, so that compounds count too
# ("hankekoordinaattori", "verksamhetsledaren").
ROLE_WORDS = (
    "päällikkö",
    "koordinaattori",
    "johtaja",
    "ohjaaja",
    "työntekijä",
    "hoitaja",
    "asiantuntija",
    "suunnittelija",
    "kehittäjä",
    "yhteyshenkilö",
    "vastuuhenkilö",
    "sihteeri",
    "lääkäri",
    "psykologi",
    "tutkija",
    "kuraattori",
    "opettaja",
    "rehtori",
    "esimies",
    "esihenkilö",
    "puheenjohtaja",
    "assistentti",
    "neuvoja",
    "terapeutti",
    "valmentaja",
    "avustaja",
    "harjoittelija",
    "vapaaehtoinen",
    # Swedish ("projektledaren Anna Virtanen", "koordinator Sinikka Heino")
    "ledare",
    "koordinator",
    "chef",
    "direktör",
    "föreståndare",
    "arbetare",
    "skötare",
    "sköterska",
    "handläggare",
    "sakkunnig",
    "expert",
    "planerare",
    "utvecklare",
    "kontaktperson",
    "ansvarsperson",
    "sekreterare",
    "läkare",
    "forskare",
    "kurator",
    "lärare",
    "rektor",
    "ordförande",
    "assistent",
    "rådgivare",
    "terapeut",
    "tränare",
    "instruktör",
    "praktikant",
    "volontär",
)
# Inflected role words ("projektipäällikön", "ohjaajamme") end a few letters after the stem.
MAX_ROLE_ENDING = 4
# Words that look like an inflected role word but name a quality ("ledarskap": leadership).
NOT_ROLE_ENDINGS = ("skap", "skapet", "skapets")


FIRST_NAME_LISTS = ("data/first_names_fi.txt", "data/first_names_sv.txt")


@cache
def first_names() -> frozenset[str]:
    """Common first names of Finland, Finnish and Swedish (package data), for finding names in
    free text (a Finnish report may name a Swedish speaker, and the other way round)."""
    package = resources.files("evaus.reports")
    lines = [
        line.strip()
        for name in FIRST_NAME_LISTS
        for line in package.joinpath(name).read_text("utf-8").splitlines()
    ]
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _is_first_name(word: str) -> bool:
    names = first_names()
    return word in names or (
        "-" in word and all(part.capitalize() in names for part in word.split("-"))
    )


def _role_stem(role: str) -> str:
    return role[:-1] if len(role) > 4 else role


# A role word ends a word, followed by at most a case ending: "projektipäällikkö",
# "koordinaattorille". Matched on the word's tail only, so a 100 000-letter word costs no more
# than a short one.
_ROLE_AT_END = re.compile(
    "(?:" + "|".join(re.escape(_role_stem(role)) for role in ROLE_WORDS) + ")"
    f".{{0,{MAX_ROLE_ENDING}}}\\Z",
    re.DOTALL,
)
_ROLE_TAIL = max(len(_role_stem(role)) for role in ROLE_WORDS) + MAX_ROLE_ENDING


def _is_role(word: str) -> bool:
    lowered = word[-_ROLE_TAIL:].lower()
    if lowered.endswith(NOT_ROLE_ENDINGS):
        return False
    return _ROLE_AT_END.search(lowered) is not None


def _stems(name: str) -> set[str]:
    """What an inflected form of a name starts with: Virtanen → Virtas(en), Niemi → Niem(en)."""
    stems = {name}
    if name.endswith("nen") and len(name) > 5:
        stems.add(name[:-3] + "s")
    elif len(name) >= 5:
        stems.add(name[:-1])
    return stems


MAX_ENDING = 5  # letters of a case ending after the stem ("Virtaselle")


def _matches(word: str, name: str) -> bool:
    if word == name:
        return True
    if not word[:1].isupper():
        return False
    return any(word.startswith(s) and len(word) - len(s) <= MAX_ENDING for s in _stems(name))


@dataclass(frozen=True)
class KnownName:
    """A registry person's name: its words, and the surname (the last word)."""

    parts: tuple[str, ...]

    @property
    def surname(self) -> str:
        return self.parts[-1]


def known_names(names: Iterable[str]) -> list[KnownName]:
    found = []
    for name in names:
        parts = tuple(WORD_RE.findall(name))
        if parts and all(p[:1].isupper() for p in parts):
            found.append(KnownName(parts))
    return found


def name_spans(text: str, people: list[KnownName]) -> Iterator[tuple[int, int]]:
    """Names of people: the registry's people in their forms ("Etunimi Sukunimi",
    "Sukunimi", "E. Sukunimi"), a first name followed by a capitalised word, and capitalised
    words after a role word."""
    tokens = words(text)
    surnames = {p.surname for p in people if len(p.surname) >= 3}
    first_words = {p.parts[0] for p in people if len(p.parts) > 1}
    i = 0
    while i < len(tokens):
        word = tokens[i]
        span_end = _name_at(text, tokens, i, surnames, first_words)
        if span_end is not None:
            yield word.start, tokens[span_end].end
            i = span_end + 1
            continue
        if _is_role(word.text):
            after = _name_after_role(text, tokens, i)
            if after is not None:
                yield tokens[i + 1].start, tokens[after].end
                i = after + 1
                continue
        i += 1


def _name_at(
    text: str, tokens: list[Word], i: int, surnames: set[str], first_words: set[str]
) -> int | None:
    """The index of the last word of a name starting at word i, or None."""
    word = tokens[i]
    if not word.capitalised:
        return None
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    # "E. Virtanen": an initial, a full stop, a registry surname.
    if (
        len(word.text) == 1
        and following is not None
        and _gap(text, word, following).strip() == "."
        and any(_matches(following.text, s) for s in surnames)
    ):
        return i + 1
    is_first = _is_first_name(word.text) or word.text in first_words
    if (
        is_first
        and following is not None
        and following.capitalised
        and _adjacent(text, word, following)
    ):
        end = i + 1
        # A second first name before the surname: "Anna Maria Virtanen".
        if end + 1 < len(tokens):
            third = tokens[end + 1]
            if (
                _is_first_name(following.text)
                and third.capitalised
                and _adjacent(text, following, third)
            ):
                end += 1
        return end
    if any(_matches(word.text, s) for s in surnames):
        return i
    return None


def _name_after_role(text: str, tokens: list[Word], i: int) -> int | None:
    """The last word of the name right after the role word at i ("ohjaaja Anna Virtanen")."""
    if i + 1 >= len(tokens):
        return None
    role, first = tokens[i], tokens[i + 1]
    gap = _gap(text, role, first)
    if not first.capitalised or len(gap) > 3 or gap.strip(" \t\u00a0:") or first.text.isupper():
        return None
    end = i + 1
    if end + 1 < len(tokens):
        second = tokens[end + 1]
        if second.capitalised and _adjacent(text, first, second) and not second.text.isupper():
            end += 1
    return end


# --- the scrubber ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Removal:
    kind: str  # NAME, CONTACT, IDENTITY_CODE, LINK, ATTACHMENT
    text: str


class Scrubber:
    """Replaces personal data in texts with markers and lists what it removed."""

    def __init__(
        self,
        lang: str,
        *,
        people: Iterable[str] = (),
        attachments: Iterable[str] = (),
    ) -> None:
        self.markers = {kind: _(message, lang) for kind, message in MARKERS.items()}
        self.people = known_names(people)
        self.attachments = [a for a in attachments if a.strip()]
        self.removed: list[Removal] = []

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        found += [(s, e, IDENTITY_CODE) for s, e in identity_code_spans(text)]
        found += [(s, e, CONTACT) for s, e in email_spans(text)]
        found += [(m.start(), m.end(), CONTACT) for m in PHONE_RE.finditer(text)]
        found += list(link_spans(text))
        for filename in self.attachments:
            at = text.find(filename)
            while at >= 0:
                found.append((at, at + len(filename), ATTACHMENT))
                at = text.find(filename, at + len(filename))
        found += [(s, e, NAME) for s, e in name_spans(text, self.people)]
        # Left to right; where spans overlap, the one found by the stronger detector stays.
        found.sort(key=lambda f: (f[0], PRIORITY[f[2]], -f[1]))
        kept: list[tuple[int, int, str]] = []
        for span in found:
            if kept and span[0] < kept[-1][1]:
                last = kept[-1]
                if PRIORITY[span[2]] < PRIORITY[last[2]]:
                    kept[-1] = (last[0], max(last[1], span[1]), span[2])
                else:
                    kept[-1] = (last[0], max(last[1], span[1]), last[2])
                continue
            kept.append(span)
        return kept

    def scrub(self, text: str) -> str:
        spans = self.spans(text)
        if not spans:
            return text
        parts: list[str] = []
        kept_from = 0
        for start, end, kind in spans:
            self.removed.append(Removal(kind, text[start:end]))
            parts += (text[kept_from:start], self.markers[kind])
            kept_from = end
        return "".join(parts) + text[kept_from:]
