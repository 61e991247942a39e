"""The code lists the cards map to: status, project type, region, budget class, funder,
organisation type; the short name in a title."""

from __future__ import annotations

import re
from decimal import Decimal

from .. import money
from .fields import label_key

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
