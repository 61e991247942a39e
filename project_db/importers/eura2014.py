"""The public project page of EURA 2014 (rakennerahastot.fi / eura2014.fi), copied as text.

Numbered parts ("1 Hanke", "2 Hakijan perustiedot", "3 Suunnitelman mukainen tiivistelmä
toteutuksesta", "4 Hankkeen tavoitteet", … "Kustannukset ja rahoitus") hold "Label: value"
lines or free text.
"""

from __future__ import annotations

import re

from .. import validators as v
from ..errors import N_
from . import money
from . import text as t
from .base import ParsedProject
from .esr_card import EURA_PREFIX_FUNDS

FIELDS: dict[str, str] = {
    "hankekoodi": "eura_code",
    "projektikoodi": "eura_code",
    "hankkeen nimi": "name",
    "toimintalinja": "action_line",
    "erityistavoite": "specific_objective",
    "ohjelma": "programme",
    "suunnitelman mukainen toteutusaika": "period",
    "toteutusaika": "period",
    "toiminnan tila": "status",
    "hankkeen tila": "status",
    "vastuuviranomainen": "authority",
    "rahoittava viranomainen": "authority",
    "päätöksen numero": "decision_number",
    "diaarinumero": "decision_number",
    "hakijan virallinen nimi": "applicant",
    "organisaatiotyyppi": "org_type",
    "y-tunnus": "y_tunnus",
    "hankkeen yhteyshenkilön nimi": "contact_name",
    "hankkeen yhteyshenkilön asema": "contact_role",
    "hankkeen yhteyshenkilön tehtävä": "contact_role",
    "hankkeen yhteyshenkilön tehtävänimike": "contact_role",
    "hankkeen yhteyshenkilön titteli": "contact_role",
    "hankkeen yhteyshenkilön sähköposti": "contact_email",
    "hankkeen yhteyshenkilön sähköpostiosoite": "contact_email",
    "hankkeen yhteyshenkilön puhelin": "contact_phone",
    "hankkeen yhteyshenkilön puhelinnumero": "contact_phone",
    "yhteyshenkilön nimi": "contact_name",
    "yhteyshenkilö": "contact_name",
    "yhteyshenkilön asema": "contact_role",
    "yhteyshenkilön tehtävä": "contact_role",
    "yhteyshenkilön tehtävänimike": "contact_role",
    "yhteyshenkilön titteli": "contact_role",
    "yhteyshenkilön sähköposti": "contact_email",
    "yhteyshenkilön sähköpostiosoite": "contact_email",
    "yhteyshenkilön puhelin": "contact_phone",
    "yhteyshenkilön puhelinnumero": "contact_phone",
    "osatoteuttajat": "co_implementers",
    "osatoteuttaja": "co_implementers",
    "maakunta": "region",
    "maakunnat": "region",
    "kunnat": "municipality",
    "kunta": "municipality",
    "verkkosivut": "website",
    "www-osoite": "website",
    "kustannukset yhteensä": "total",
    "suunnitellut kustannukset yhteensä": "total",
    "kokonaiskustannukset": "total",
    "hankkeen kokonaiskustannukset": "total",
    "eu- ja valtion rahoitus": "public",
    "julkinen rahoitus yhteensä": "public",
    "suunniteltu julkinen rahoitus yhteensä": "public",
    "omarahoitus": "own",
    # Address and contact lines of the applicant: fields, kept in the notes as written.
    **{label: f"org_{key}" for label, key in t.CONTACT_LABELS.items()},
}
LABELS = {
    "period": "Suunnitelman mukainen toteutusaika",
    "status": "Toiminnan tila",
    "y_tunnus": "Y-tunnus",
    "region": "Maakunta",
    "org_type": "Organisaatiotyyppi",
    "total": "Kustannukset yhteensä",
    "name": "Hankkeen nimi",
    "applicant": "Hakijan virallinen nimi",
    "summary": "Suunnitelman mukainen tiivistelmä toteutuksesta",
    "authority": "Vastuuviranomainen",
}
# The applicant's address and contact lines: kept in the notes as written.
CONTACT_KEYS = tuple(dict.fromkeys(f"org_{key}" for key in t.CONTACT_LABELS.values()))
# Parts that hold "Label: value" lines; text in them that is no field goes to the notes.
FIELD_PARTS = {"hanke", "hakijan perustiedot", "alueet", "hankkeen perustiedot", "viranomainen"}
BUDGET_PARTS = {"kustannukset ja rahoitus", "rahoitus", "kustannukset", "budjetti"}
_NUMBERED = re.compile(r"^\s*\d{1,2}\.?\s+(?=[A-ZÄÖÅ])")
NO_NAME = N_("The page has no project name (Hankkeen nimi).")


def is_page_heading(lines: list[str], i: int) -> bool:
    line = lines[i]
    if t.match_label(line, FIELDS):
        return False
    if _NUMBERED.match(line) and t.looks_like_heading(line):
        return True
    return t.is_heading_at(lines, i)


def part_title(title: str) -> str:
    return _NUMBERED.sub("", title).strip()


def _is_address_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and t.is_contact_line(stripped) and not t.EMAIL.search(stripped)


class Eura2014Importer:
    name = "eura2014"
    label = N_("EURA 2014 public project page")

    def detect(self, data: bytes, filename: str | None) -> float:
        markers = (
            "hankekoodi",
            "hankkeen nimi",
            "toimintalinja",
            "erityistavoite",
            "suunnitelman mukainen toteutusaika",
            "hakijan virallinen nimi",
            "toiminnan tila",
            "vastuuviranomainen",
        )
        return t.score(t.try_decode(data), markers, need=3)

    def parse(self, data: bytes, filename: str | None) -> list[ParsedProject]:
        lines = t.to_lines(t.decode(data))
        draft = t.Draft(self.name)
        values: dict[str, str] = {}
        numbered = False
        for block in t.split_blocks(lines, is_page_heading):
            numbered = numbered or bool(block.title and _NUMBERED.match(block.title))
            if numbered:
                self._block(draft, block, values)
            else:  # the page's own header before "1 Hanke"
                draft.unplaced("\n".join(filter(None, [block.title, block.body])))
        self._apply(draft, values)
        draft.require(
            {
                "eura_code": "Hankekoodi",
                "name": LABELS["name"],
                "start_date": LABELS["period"],
                "status": LABELS["status"],
                "responsible_authority": LABELS["authority"],
                "organisations": LABELS["applicant"],
                "summary": LABELS["summary"],
                "budget_amount": LABELS["total"],
            }
        )
        return [draft.finish(NO_NAME)]

    def _block(self, draft: t.Draft, block: t.Block, values: dict[str, str]) -> None:
        title = part_title(block.title) if block.title else None
        key = t.label_key(title) if title else None
        loose = key in FIELD_PARTS or key in BUDGET_PARTS
        rest: list[str] = []
        for line in block.lines:
            matched = t.match_label(line, FIELDS, loose=loose)
            if matched is None and key not in FIELD_PARTS and t.is_contact_line(line):
                matched = t.match_label(line, FIELDS)
            if matched and matched[1] and matched[0].startswith("org_"):
                # Kept as written ("Jakeluosoite: Suokatu 42"), one line each.
                written = " ".join(line.split())
                values[matched[0]] = "\n".join(filter(None, [values.get(matched[0]), written]))
            elif matched and matched[1] and matched[0] not in values:
                values[matched[0]] = matched[1]
            elif matched is None and key in FIELD_PARTS and _is_address_line(line):
                # "50100 Mikkeli", "PL 10": an address line without a label.
                written = " ".join(line.split())
                values["org_address"] = "\n".join(
                    filter(None, [values.get("org_address"), written])
                )
            else:
                rest.append(line)
        if "contact_name" in values:
            rest = self._contact_nearby(values, rest)
        if key in BUDGET_PARTS:
            draft.add_section("muu", title or "", block.body)
            if any(line.strip() for line in rest):
                draft.add_funding_text("\n".join(rest))
        elif key is None or key in FIELD_PARTS:
            for paragraph in t.paragraphs(rest):
                draft.unplaced(paragraph)
        elif "tiivistelmä" in key:
            body = t.join_paragraphs(rest)
            draft.append_summary(body if "summary" not in draft.data else f"{title}\n{body}")
        else:
            t.place_block(draft, t.Block(title, rest))

    def _apply(self, draft: t.Draft, values: dict[str, str]) -> None:
        draft.set("name", values.get("name"))  # as written; the short name also on its own
        draft.set("short_name", t.split_short_name(values.get("name", ""))[1])
        for key in (
            "eura_code",
            "action_line",
            "specific_objective",
            "programme",
            "decision_number",
            "municipality",
            "website",
        ):
            draft.set(key, values.get(key))
        code = values.get("eura_code", "")
        fund = money.fund_code(values.get("action_line", "")) or EURA_PREFIX_FUNDS.get(
            code[:1].upper()
        )
        is_esr = fund == "ESR"
        draft.set("project_type", "esr" if is_esr else "muu")
        if "period" in values:
            self._period(draft, values["period"])
        if "status" in values:
            draft.set_status(values["status"], LABELS["status"])
        if "region" in values:
            self._regions(draft, values["region"])
        self._money(draft, values, fund)
        self._applicant(draft, values)

    def _period(self, draft: t.Draft, raw: str) -> None:
        """Dates from a period such as "Alkaa 1.9.2015 ja päättyy 30.11.2018"."""
        dates = t.dates_in(raw)
        if len(dates) != 2:
            draft.invalid(LABELS["period"], raw)
            return
        draft.set_date("start_date", dates[0], LABELS["period"])
        draft.set_date("end_date", dates[1], LABELS["period"])

    def _regions(self, draft: t.Draft, raw: str) -> None:
        names = [n.strip() for n in re.split(r"[,;]", raw) if n.strip()]
        codes = [t.region_code(n) for n in names]
        if not names or codes[0] is None:
            draft.unknown(LABELS["region"], raw)
            return
        draft.set("region", codes[0])
        if len(names) > 1:
            draft.note(f"{LABELS['region']}: {raw}")

    def _money(self, draft: t.Draft, values: dict[str, str], fund: str | None) -> None:
        if "total" in values:
            draft.set_budget(values["total"], LABELS["total"])
        authority = values.get("authority")
        if authority:
            draft.set("responsible_authority", authority)
            public = t.money_in(values.get("public", ""))
            own = t.money_in(values.get("own", ""))
            draft.add_funder(
                authority,
                fund,
                amount=str(public) if public is not None else None,
                own_contribution=str(own) if own is not None else None,
            )

    def _applicant(self, draft: t.Draft, values: dict[str, str]) -> None:
        applicant = values.get("applicant")
        if applicant:
            draft.add_organisation(
                applicant,
                "paatoteuttaja",
                org_type=self._org_type(draft, values, applicant),
                y_tunnus=self._y_tunnus(draft, values.get("y_tunnus")),
            )
        for name in re.split(r"[;\n]", values.get("co_implementers", "")):
            if name.strip():
                draft.add_organisation(name.strip(), "osatoteuttaja")
        for key in CONTACT_KEYS:
            if values.get(key):
                draft.note(values[key])
        if values.get("contact_name"):
            person = t.PersonFound(
                name=values["contact_name"],
                role=values.get("contact_role", "Hankkeen yhteyshenkilö"),
                email=values.get("contact_email"),
                phone=values.get("contact_phone"),
            )
            draft.add_person(person, organisation=applicant, is_contact=True, is_team=False)

    def _contact_nearby(self, values: dict[str, str], rest: list[str]) -> list[str]:
        """An e-mail address or phone number written near the contact person (in the name's
        value, or on a line of its own in the same part) is the contact's."""
        name = values["contact_name"]
        for key, pattern in (("contact_email", t.EMAIL), ("contact_phone", t.PHONE)):
            found = pattern.search(name)
            if found:
                values.setdefault(key, found.group(0))
                name = f"{name[: found.start()]} {name[found.end() :]}"
        values["contact_name"] = " ".join(name.split()).strip(" ,;")
        kept: list[str] = []
        for line in rest:
            stripped = line.strip()
            email, phone = t.EMAIL.fullmatch(stripped), t.PHONE.fullmatch(stripped)
            if email and "contact_email" not in values:
                values["contact_email"] = stripped
            elif phone and "contact_phone" not in values:
                values["contact_phone"] = stripped
            else:
                kept.append(line)
        for key, contact_key, pattern in (
            ("org_email", "contact_email", t.EMAIL),
            ("org_phone", "contact_phone", t.PHONE),
        ):
            found = pattern.search(values.get(key, ""))
            if found and contact_key not in values and "\n" not in values[key]:
                values[contact_key] = found.group(0)
                del values[key]
        return kept

    def _org_type(self, draft: t.Draft, values: dict[str, str], applicant: str) -> str | None:
        written = values.get("org_type")
        if not written:
            return t.org_type(applicant)
        code = t.org_type_from_word(written)
        if code is None:
            draft.unknown(LABELS["org_type"], written)
        return code or t.org_type(applicant)

    def _y_tunnus(self, draft: t.Draft, raw: str | None) -> str | None:
        if not raw:
            return None
        try:
            return v.normalise_ytunnus(raw)
        except ValueError:
            draft.invalid(LABELS["y_tunnus"], raw)
            return None


IMPORTERS = [Eura2014Importer()]
