"""The City of Oulu project card (Oulun kaupungin kehittämissalkut – hanketietokanta).

The card is a list of "Label   value" lines; a value may go on over the following lines
(Tiivistelmä, Rahoittajat, Toteuttajat). The Tiivistelmä holds free text with sub-headings
whose wording varies between cards: goals, measures, results, costs and other narratives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import N_, ImportFailed
from . import money
from . import text as t
from .base import ParsedProject

CITY = "Oulun kaupunki"
MUNICIPALITY = "Oulu"
REGION = "pohjois-pohjanmaa"
# Other cities publish cards with the same labels ("Hankkeen nimi: …"); their city is read
# from the card ("Tampereen kaupungin hanke"), and Oulu's municipality and region are not
# assumed for them.
_CITY_IN_TEXT = re.compile(
    r"(?<![\w-])([A-ZÄÖÅ][\wäöå]{1,30}(?:-[A-ZÄÖÅ][\wäöå]{1,30})?)\s+kaupungin\b"
)

# Label (as a label key) → field of the card.
LABELS: dict[str, str] = {
    "hankkeen nimi": "name",
    "hanketyyppi": "type",
    "salkku": "portfolio",
    "tiivistelmä": "summary",
    "käsittelyvaihe": "status",
    "aloittamispvm": "start",
    "aloituspvm": "start",
    "alkamispvm": "start",
    "päättymispvm": "end",
    "rahoittajat": "funders",
    "rahoittaja": "funders",
    "toteuttajat": "implementers",
    "toteuttaja": "implementers",
    "päätoteuttaja": "implementers",
    "toteuttajaorganisaatio": "implementers",
    "hallinnoija": "implementers",
    "osatoteuttajat": "co_implementers",
    "osatoteuttaja": "co_implementers",
    "yhteyshenkilöt": "contacts",
    "yhteyshenkilö": "contacts",
    "sähköposti": "email",
    "maakunta": "region",
    "kunta": "municipality",
    "verkkosivut": "website",
    "liitteet": "attachments",
    "logot": "logos",
}
# How each field is written in the notes and warnings.
FIELD_LABELS = {
    "type": "Hanketyyppi",
    "status": "Käsittelyvaihe",
    "start": "Aloittamispvm",
    "end": "Päättymispvm",
    "region": "Maakunta",
    "summary": "Tiivistelmä",
    "attachments": "Liitteet",
    "logos": "Logot",
}
HEADER_MARKERS = ("hanketietokanta", "kehittämissalkut")
NO_NAME = N_("The card has no project name (Hankkeen nimi).")


@dataclass
class CardField:
    key: str
    lines: list[str] = field(default_factory=list)

    @property
    def value(self) -> str:
        return t.join_paragraphs(self.lines)

    @property
    def one_line(self) -> str:
        return " ".join(self.value.split())


def read_fields(lines: list[str]) -> tuple[list[str], list[CardField]]:
    """The lines before the first label, and the fields in the order written."""
    header: list[str] = []
    fields: list[CardField] = []
    for line in lines:
        matched = t.match_label(line, LABELS)
        if matched:
            fields.append(CardField(matched[0], [matched[1]] if matched[1] else []))
        elif fields:
            fields[-1].lines.append(line)
        else:
            header.append(line)
    return header, fields


def is_noise(line: str) -> bool:
    """Page furniture: separators, the © footer."""
    stripped = line.strip()
    return stripped in {"*", "**", "-", "—"} or stripped.startswith(("©", "(c) "))


class OuluCardImporter:
    name = "oulu-card"
    label = N_("City of Oulu project card")

    def detect(self, data: bytes, filename: str | None) -> float:
        text = t.try_decode(data)
        markers = (
            "hanketietokanta",
            "hankkeen nimi",
            "hanketyyppi",
            "salkku",
            "käsittelyvaihe",
            "rahoittajat",
            "toteuttajat",
            "aloittamispvm",
        )
        return t.score(text, markers, need=3)

    def parse(self, data: bytes, filename: str | None) -> list[ParsedProject]:
        lines = [line for line in t.to_lines(t.decode(data)) if not is_noise(line)]
        header, fields = read_fields(lines)
        if not fields:
            raise ImportFailed(NO_NAME)
        draft = t.Draft(self.name)
        self.city = card_city(header, fields)
        title = self._header(draft, header)
        by_key: dict[str, CardField] = {}
        for card_field in fields:
            if card_field.key in by_key and card_field.value:
                draft.unplaced(card_field.value)
                continue
            by_key[card_field.key] = card_field
        self._basic(draft, by_key, title)
        self._organisations(draft, by_key)
        self._summary(draft, by_key.get("summary"))
        self._people(draft, by_key)
        self._leftovers(draft, by_key)
        required = {"project_type": "Hanketyyppi", "status": "Käsittelyvaihe"}
        if "summary" not in by_key or not by_key["summary"].value:
            # A Tiivistelmä may hold only sub-headings (goals, measures …): it is there.
            required["summary"] = "Tiivistelmä"
        draft.require(required)
        return [draft.finish(NO_NAME)]

    # --- parts of the card ---------------------------------------------------------------

    def _header(self, draft: t.Draft, header: list[str]) -> str | None:
        """The title line; the site header is furniture; anything else goes to the notes."""
        title = None
        for line in header:
            text = line.strip()
            if not text or any(m in text.casefold() for m in HEADER_MARKERS):
                continue
            if title is None:
                title = text
            else:
                draft.unplaced(text)
        return title

    def _basic(self, draft: t.Draft, by_key: dict[str, CardField], title: str | None) -> None:
        name_field = by_key.get("name")
        draft.set("name", name_field.one_line if name_field else None)
        if not draft.data.get("name") and title and len(by_key) > 1:
            draft.set("name", title)
        elif title and t.label_key(title) != t.label_key(draft.data.get("name", "")):
            draft.unplaced(title)
        if "type" in by_key and by_key["type"].one_line:
            raw = by_key["type"].one_line
            code = t.project_type_code(raw)
            if code is None:
                draft.unknown(FIELD_LABELS["type"], raw)
            draft.set("project_type", code or "muu")
        if "portfolio" in by_key:
            draft.set("portfolio", by_key["portfolio"].one_line)
        if "status" in by_key and by_key["status"].one_line:
            draft.set_status(by_key["status"].one_line, FIELD_LABELS["status"])
        for key, target in (("start", "start_date"), ("end", "end_date")):
            if key in by_key and by_key[key].one_line:
                draft.set_date(target, by_key[key].one_line, FIELD_LABELS[key])
        start, end = draft.data.get("start_date"), draft.data.get("end_date")
        if start and start == end:
            draft.warn(t.MSG_SAME_DAY, date=by_key["start"].one_line)
        is_oulu = self.city == CITY
        if "municipality" in by_key:
            draft.set("municipality", by_key["municipality"].one_line)
        elif is_oulu:
            draft.set("municipality", MUNICIPALITY)
        if "region" in by_key and by_key["region"].one_line:
            draft.set_region(by_key["region"].one_line, FIELD_LABELS["region"])
        elif is_oulu:
            draft.set("region", REGION)
        if "website" in by_key:
            draft.set("website", by_key["website"].one_line)

    def _summary(self, draft: t.Draft, summary: CardField | None) -> None:
        if summary is None:
            return
        for block in t.split_blocks(summary.lines):
            if block.title is None:
                draft.append_summary(block.body)
            else:
                t.place_block(draft, block)

    def _organisations(self, draft: t.Draft, by_key: dict[str, CardField]) -> None:
        if "funders" in by_key:
            for name in names_in(by_key["funders"].lines):
                if money.amounts_in(name):
                    draft.add_funding_text(name)  # "STM 300 000 €"
                else:
                    draft.add_funder(name)
        implementers = names_in(by_key["implementers"].lines) if "implementers" in by_key else []
        co_implementers = (
            names_in(by_key["co_implementers"].lines) if "co_implementers" in by_key else []
        )
        for i, name in enumerate([*implementers, *co_implementers]):
            role = "paatoteuttaja" if i == 0 and implementers else "osatoteuttaja"
            if t.org_type(name) is None and self.city:
                # A unit of the city such as "Hyvinvointipalvelut".
                unit = name[0].lower() + name[1:] if name[1:2].islower() else name
                draft.add_organisation(
                    f"{self.city}, {unit}",
                    role,
                    org_type="kunta",
                    municipality=MUNICIPALITY if self.city == CITY else None,
                )
            else:
                draft.add_organisation(name, role)

    def _people(self, draft: t.Draft, by_key: dict[str, CardField]) -> None:
        contacts = by_key.get("contacts")
        if contacts is None or not contacts.value:
            return
        pattern = by_key["email"].one_line if "email" in by_key else None
        found = t.people_from_text(contacts.one_line, pattern)
        if not found:
            draft.unplaced(contacts.value)
        for person in found:
            draft.add_person(person, organisation=self.city, is_contact=True, is_team=False)
        if pattern and "etunimi" not in pattern.casefold() and t.EMAIL.search(pattern) is None:
            draft.unplaced(f"Sähköposti: {pattern}")

    def _leftovers(self, draft: t.Draft, by_key: dict[str, CardField]) -> None:
        for key in ("attachments", "logos"):
            if key in by_key and by_key[key].value:
                draft.unplaced(f"{FIELD_LABELS[key]}: {by_key[key].value}")
        for key in (
            "name",
            "type",
            "portfolio",
            "status",
            "start",
            "end",
            "region",
            "municipality",
            "website",
            "email",
        ):
            extra = by_key[key].lines[1:] if key in by_key else []
            if t.join_paragraphs(extra):
                draft.unplaced(t.join_paragraphs(extra))


def card_city(header: list[str], fields: list[CardField]) -> str | None:
    """The city whose card this is: Oulu's site header, else "X:n kaupungin hanke"."""
    text = "\n".join(header).casefold()
    if any(marker in text for marker in HEADER_MARKERS) and "oulu" in text:
        return CITY
    for card_field in fields:
        if card_field.key in ("type", "portfolio") or card_field.key == "name":
            match = _CITY_IN_TEXT.search(card_field.one_line)
            if match:
                return f"{match.group(1)} kaupunki"
    match = _CITY_IN_TEXT.search("\n".join(header))
    return f"{match.group(1)} kaupunki" if match else None


def names_in(lines: list[str]) -> list[str]:
    """Organisation names, one a line (a line may also list them separated by ';')."""
    names: list[str] = []
    for line in lines:
        for part in line.split(";"):
            name = " ".join(part.split()).strip(" ,.")
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return names


IMPORTERS = [OuluCardImporter()]
