"""The Sokra "Arvio toimintamallista" practice-model evaluation (text copied from the PDF).

The title names the model; "Kehittäjä" names the project that developed it ("Name (ESR
2016–2019)") and its contact person; the rest is the evaluation under "Mallin kuvaus" and
"Mallin arvio" with sub-headings. Every page ends with the programme's logos as text
("Kestävää kasvua ja työtä -ohjelma", "Vipuvoimaa", "EU:lta", "2014–2020" …): those lines are
removed and a paragraph broken by a page end is joined again. Footnotes ("¹ …") are moved
after the text that refers to them.
"""

from __future__ import annotations

import re

from ..errors import N_, ImportFailed
from . import text as t
from .base import ParsedProject

# Page furniture of the ESR 2014–2020 programme documents (whole lines, case-folded).
NOISE_LINES = frozenset(
    {
        "kestävää kasvua ja työtä -ohjelma",
        "kestävää kasvua ja työtä 2014–2020 -ohjelma",
        "vipuvoimaa",
        "eu:lta",
        "vipuvoimaa eu:lta",
        "2014–2020",
        "2014-2020",
        "thl",
        "diak",
        "sokra",
        "euroopan unioni",
        "euroopan sosiaalirahasto",
        "euroopan unioni euroopan sosiaalirahasto",
    }
)
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_FOOTNOTE = re.compile(rf"^\s*([{SUPERSCRIPTS}]+)\s*(\S.*)$")
_TITLE_PREFIX = re.compile(r"^arvio toimintamallista\s*:\s*", re.IGNORECASE)
_DEVELOPER = re.compile(
    r"^(?P<name>[^.()]+?)\s*\((?P<funder>[A-ZÄÖÅ]{2,6})?\s*(?P<y1>\d{4})\s*[–-]\s*(?P<y2>\d{4})\)"
)
DEVELOPER_HEADING = "kehittäjä"
CONTACT_LABELS = {"kehittäjän yhteyshenkilö": "contact", "yhteyshenkilö": "contact"}
# Group headings: the kind their sub-sections get unless their own heading is known.
GROUP_KINDS = {"mallin kuvaus": "ratkaisun_kuvaus", "mallin arvio": "arviointi"}
NO_NAME = N_("The evaluation has no title (Arvio toimintamallista: …).")
MSG_NO_DEVELOPER = N_(
    "The evaluation does not name the project that developed the model (Kehittäjä); "
    "the model's name was used as the project name."
)
MSG_YEARS_ONLY = N_(
    "The source gives only the years {years}; the start and end dates were left empty."
)


def remove_noise(lines: list[str]) -> tuple[list[str], list[str]]:
    """Lines without page furniture and footnotes, paragraphs broken by a page end joined;
    and the footnotes."""
    out: list[str] = []
    footnotes: list[str] = []
    page_break = False
    for line in lines:
        text = " ".join(line.split())
        if text.casefold() in NOISE_LINES:
            page_break = True
            continue
        if _FOOTNOTE.match(text):
            footnotes.append(text)
            page_break = True
            continue
        if text and page_break and _continues(out, text):
            while not out[-1].strip():
                out.pop()
            out[-1] = f"{out[-1].rstrip()} {text}"
        else:
            out.append(line)
        if text:
            page_break = False
    return out, footnotes


def _continues(out: list[str], text: str) -> bool:
    """Does ``text`` go on with the last paragraph (which has no sentence ending)?"""
    last = next((line.strip() for line in reversed(out) if line.strip()), "")
    return bool(last) and text[0].islower() and not last.endswith((".", "!", "?", ":"))


class SokraEvaluationImporter:
    name = "sokra-evaluation"
    label = N_("Practice-model evaluation (Arvio toimintamallista)")

    def detect(self, data: bytes, filename: str | None) -> float:
        text = t.try_decode(data)
        if not text or "arvio toimintamallista" not in text.casefold():
            return 0.0
        markers = (
            "arvio toimintamallista",
            "kehittäjä",
            "mallin kuvaus",
            "mallin arvio",
            "kehittäjän yhteyshenkilö",
        )
        return t.score(text, markers, need=2)

    def parse(self, data: bytes, filename: str | None) -> list[ParsedProject]:
        lines, footnotes = remove_noise(t.to_lines(t.decode(data)))
        start = t.first_nonblank(lines)
        if start is None:
            raise ImportFailed(NO_NAME)
        draft = t.Draft(self.name)
        title = lines[start].strip()
        model = _TITLE_PREFIX.sub("", title).strip()
        draft.append_summary(title)
        group_kind: str | None = None
        for block in t.split_blocks(lines[start + 1 :]):
            key = t.label_key(block.title) if block.title else None
            if key is None:
                draft.append_summary(block.body)
            elif key == DEVELOPER_HEADING:
                self._developer(draft, block)
            else:
                group_kind = GROUP_KINDS.get(key, group_kind)
                kind = t.section_kind(block.title or "") or group_kind or "arviointi"
                draft.add_section(kind, block.title or "", block.body)
        if not draft.data.get("name"):
            if not model:
                raise ImportFailed(NO_NAME)
            draft.set("name", model)
            draft.warn(MSG_NO_DEVELOPER)
        self._footnotes(draft, footnotes)
        return [draft.finish(NO_NAME)]

    def _developer(self, draft: t.Draft, block: t.Block) -> None:
        """The developing project (name, funder, years) and its contact person."""
        kept: list[str] = []
        contact: list[str] = []
        for paragraph in t.paragraphs(block.lines):
            if t.match_label(paragraph, CONTACT_LABELS):
                contact.append(paragraph)
            else:
                kept.append(paragraph)
        if kept:
            self._project(draft, kept[0])
        draft.add_section("muu", block.title or "", "\n\n".join(kept))
        for paragraph in contact:
            self._contact(draft, paragraph)

    def _project(self, draft: t.Draft, paragraph: str) -> None:
        match = _DEVELOPER.match(paragraph)
        if not match:
            return
        draft.set("name", match.group("name").strip())
        funder = match.group("funder")
        if funder:
            draft.set("project_type", t.project_type_code(funder) or "muu")
            code = t.funder_code(funder)
            if code in t.FUNDERS:
                draft.add_funder(t.FUNDERS[code][0], code)
        years = f"{match.group('y1')}–{match.group('y2')}"
        draft.note(f"Toteutusaika: {years}")
        draft.warn(MSG_YEARS_ONLY, years=years)

    def _contact(self, draft: t.Draft, paragraph: str) -> None:
        """The contact line: "Kehittäjän yhteyshenkilö: Name, Organisation, e-mail"."""
        matched = t.match_label(paragraph, CONTACT_LABELS)
        value = matched[1] if matched else paragraph
        parts = [p.strip() for p in value.split(",") if p.strip()]
        name = next((p for p in parts if t.looks_like_name(p)), None)
        email = next((p for p in parts if t.EMAIL.fullmatch(p)), None)
        organisation = next((p for p in parts if t.org_type(p)), None)
        if name is None:
            draft.unplaced(paragraph)
            return
        person = t.PersonFound(name=name, role="Kehittäjän yhteyshenkilö", email=email)
        draft.add_person(person, organisation=organisation, is_contact=True, is_team=False)
        if organisation:
            draft.add_organisation(organisation, "paatoteuttaja")
        rest = [p for p in parts if p not in (name, email, organisation)]
        if rest:
            draft.unplaced(", ".join(rest))

    def _footnotes(self, draft: t.Draft, footnotes: list[str]) -> None:
        """Each footnote goes after the summary or section that has its marker."""
        for footnote in footnotes:
            marker = footnote[0]
            if marker in draft.data.get("summary", ""):
                draft.append_summary(footnote)
                continue
            section = next((s for s in draft.data.get("sections", []) if marker in s["body"]), None)
            if section is None:
                draft.unplaced(footnote)
            else:
                section["body"] = f"{section['body']}\n\n{footnote}"


IMPORTERS = [SokraEvaluationImporter()]
