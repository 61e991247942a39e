"""The ESR results card (hanketuloskortti) as published on the rakennerahastot web pages.

The card starts with the title ("Name – SHORT"), a subtitle, a line "Toimintalinja 5 (ESR) |
01.09.2015 – 30.11.2018 | Pirkanmaa" and the status; then the project team (one person per
paragraph), "Label: value" facts, a short description, results and narrative sections.
"""

from __future__ import annotations

from ..errors import N_, ImportFailed
from . import money
from . import text as t
from .base import ParsedProject

FIELDS: dict[str, str] = {
    "hankkeen rahoittaja": "funder",
    "rahoittaja": "funder",
    "eura-tunnus": "eura_code",
    "hankekoodi": "eura_code",
    "toteuttajaorganisaatio": "implementer",
    "toteuttaja": "implementer",
    "osatoteuttajat": "co_implementer",
    "osatoteuttaja": "co_implementer",
    "maakunta": "region",
    "aloituspäivä": "start",
    "alkamispäivä": "start",
    "lopetuspäivä": "end",
    "päättymispäivä": "end",
    "budjetti": "budget",
    "toimintalinja": "action_line",
    "erityistavoite": "specific_objective",
    "ohjelma": "programme",
    "verkkosivut": "website",
}
FIELD_LABELS = {
    "region": "Maakunta",
    "start": "Aloituspäivä",
    "end": "Lopetuspäivä",
    "budget": "Budjetti",
    "status": "Tila",
}
TEAM_HEADINGS = {"projektitiimi", "hanketiimi", "yhteyshenkilöt"}
FACT_HEADINGS = {"tietoja hankkeesta", "perustiedot"}
SUMMARY_HEADINGS = {"lyhyt selostus hankkeesta", "lyhyt selostus"}
GROUP_LABELS = {"yleistiedot hankkeesta", "tutustu hankkeeseen"}
NO_NAME = N_("The card has no project name (the title line).")


def is_card_heading(lines: list[str], i: int) -> bool:
    key = t.label_key(lines[i])
    if key in TEAM_HEADINGS | FACT_HEADINGS | SUMMARY_HEADINGS | GROUP_LABELS:
        return True
    if t.status_code(lines[i]) or t.match_label(lines[i], FIELDS):
        return False
    return t.is_heading_at(lines, i)


class EsrCardImporter:
    name = "esr-card"
    label = N_("ESR results card (hanketuloskortti)")

    def detect(self, data: bytes, filename: str | None) -> float:
        text = t.try_decode(data)
        markers = (
            "eura-tunnus:",
            "toimintalinja",
            "projektitiimi",
            "lyhyt selostus hankkeesta",
            "hankkeen rahoittaja:",
            "toteuttajaorganisaatio:",
            "erityistavoite:",
            "(esr) |",
            "(eakr) |",
        )
        return t.score(text, markers, need=3)

    def parse(self, data: bytes, filename: str | None) -> list[ParsedProject]:
        lines = t.to_lines(t.decode(data))
        start = t.first_nonblank(lines)
        if start is None:
            raise ImportFailed(NO_NAME)
        draft = t.Draft(self.name)
        title = " ".join(lines[start].split())
        draft.set("name", title)  # as written, "… – SoKu"; the short name also on its own
        draft.set("short_name", t.split_short_name(title)[1])
        self.funders: list[str] = []
        self.seen: set[str] = set()
        for block in t.split_blocks(lines[start + 1 :], is_card_heading):
            self._block(draft, block)
        fund = programme_fund(draft.data)
        # The card is ESR's own format; a card of another fund (EAKR) says so in its action
        # line or EURA code, and then it is no ESR project.
        draft.set("project_type", "esr" if fund in (None, "ESR") else "muu")
        for name in self.funders:
            code = t.funder_code(name)
            draft.add_funder(name, code if code != "MUU" else fund or "ESR")
        missing = [
            label
            for key, label in (
                ("eura_code", "EURA-tunnus"),
                ("start_date", "Aloituspäivä"),
                ("end_date", "Lopetuspäivä"),
            )
            if not draft.data.get(key)
        ]
        # The subtitle fills the summary too: the parts are checked by their headings.
        if not self.seen & FACT_HEADINGS:
            missing.append("Tietoja hankkeesta")
        if not self.seen & SUMMARY_HEADINGS:
            missing.append("Lyhyt selostus hankkeesta")
        if missing:
            draft.warn(t.MSG_INCOMPLETE, fields=", ".join(missing))
        return [draft.finish(NO_NAME)]

    def _block(self, draft: t.Draft, block: t.Block) -> None:
        key = t.label_key(block.title) if block.title else None
        if key is not None:
            self.seen.add(key)
        if key is None:
            self._intro(draft, block.lines)
        elif key in TEAM_HEADINGS:
            self._team(draft, block.lines)
        elif key in FACT_HEADINGS:
            self._facts(draft, block.lines)
        elif key in SUMMARY_HEADINGS:
            draft.append_summary(block.body)
        elif key in GROUP_LABELS and not block.body:
            return
        else:
            t.place_block(draft, block)

    def _intro(self, draft: t.Draft, lines: list[str]) -> None:
        """Subtitle, the "Toimintalinja | dates | region" line and the status."""
        for paragraph in t.paragraphs(lines):
            if "|" in paragraph:
                self._pipe_line(draft, paragraph)
            elif t.status_code(paragraph):
                draft.set_status(paragraph, FIELD_LABELS["status"])
            elif t.label_key(paragraph) in GROUP_LABELS:
                continue
            else:
                draft.append_summary(paragraph)

    def _pipe_line(self, draft: t.Draft, line: str) -> None:
        for part in (p.strip() for p in line.split("|")):
            dates = t.dates_in(part)
            if len(dates) == 2:
                draft.set_date("start_date", dates[0], FIELD_LABELS["start"])
                draft.set_date("end_date", dates[1], FIELD_LABELS["end"])
            elif t.region_code(part):
                draft.set("region", t.region_code(part))
            elif part.casefold().startswith("toimintalinja"):
                draft.set("action_line", part)
            elif part:
                draft.unplaced(part)

    def _team(self, draft: t.Draft, lines: list[str]) -> None:
        for group in t.split_on_blank(lines):
            person = t.person_from_block(group)
            if person is None:
                draft.unplaced("\n".join(group))
                continue
            draft.add_person(
                person, organisation=None, is_contact=t.is_contact_role(person.role), is_team=True
            )

    def _facts(self, draft: t.Draft, lines: list[str]) -> None:
        for line in lines:
            if not line.strip():
                continue
            matched = t.match_label(line, FIELDS)
            if matched is None or not matched[1]:
                draft.unplaced(line)
                continue
            self._fact(draft, *matched)

    def _fact(self, draft: t.Draft, key: str, value: str) -> None:
        if key == "funder":
            self.funders.append(value)
        elif key in ("implementer", "co_implementer"):
            role = "paatoteuttaja" if key == "implementer" else "osatoteuttaja"
            for name in (n.strip() for n in value.split(";")):
                draft.add_organisation(name, role)
        elif key == "region":
            draft.set_region(value, FIELD_LABELS["region"])
        elif key in ("start", "end"):
            draft.set_date(f"{key}_date", value, FIELD_LABELS[key])
        elif key == "budget":
            draft.set_budget(value, FIELD_LABELS["budget"])
        else:
            draft.set(key, value)


# EURA 2014 project codes: the letter says the fund.
EURA_PREFIX_FUNDS = {"S": "ESR", "A": "EAKR"}


def programme_fund(data: dict[str, object]) -> str | None:
    """The fund of the card: from the action line ("Toimintalinja 1 (EAKR)"), else the EURA code."""
    action_line = str(data.get("action_line") or "")
    fund = money.fund_code(action_line) if action_line else None
    if fund:
        return fund
    code = str(data.get("eura_code") or "")
    return EURA_PREFIX_FUNDS.get(code[:1].upper())


IMPORTERS = [EsrCardImporter()]
