"""The Innokylä practice-model description (toimintamallin kuvaus) as copied from the web page.

A title, a lead paragraph and narrative sections under fixed headings (Toimintaympäristö,
Ratkaisun perusidea, Vinkit toimintamallin soveltajille …; a heading may end with " **").
Funders and organisations are only named in the running text.
"""

from __future__ import annotations

from ..errors import N_, ImportFailed
from . import text as t
from .base import ParsedProject

MARKERS = (
    "toimintaympäristö",
    "lähtötilanne ja strategiset liittymäkohdat",
    "kehitystyön lähtökohtana olevat tarpeet",
    "kohderyhmä ja asiakasymmärrys",
    "ratkaisun perusidea",
    "toimivuuden ja käyttöönoton ehdot",
    "vinkit toimintamallin soveltajille",
    "arvioinnin tulokset tiivistettynä",
)
NO_NAME = N_("The description has no title (the name of the practice model).")
MSG_FUNDERS = N_(
    "Funders were recognised only by their names in the text ({funders}); "
    "please check what they fund."
)
MSG_ORGANISATIONS = N_(
    "Organisations were recognised only by their names in the text ({organisations}); "
    "please check their roles."
)


class InnokylaImporter:
    name = "innokyla"
    label = N_("Innokylä practice-model description")

    def detect(self, data: bytes, filename: str | None) -> float:
        return t.score(t.try_decode(data), MARKERS, need=3)

    def parse(self, data: bytes, filename: str | None) -> list[ParsedProject]:
        lines = t.to_lines(t.decode(data))
        start = t.first_nonblank(lines)
        if start is None or not t.looks_like_heading(lines[start]):
            raise ImportFailed(NO_NAME)
        draft = t.Draft(self.name)
        draft.set("name", lines[start].strip())
        for block in t.split_blocks(lines[start + 1 :]):
            if block.title is None:
                draft.append_summary(block.body)
            else:
                t.place_block(draft, block)
        self._named(draft, "\n".join(lines))
        return [draft.finish(NO_NAME)]

    def _named(self, draft: t.Draft, text: str) -> None:
        """Funders (STEA, STM) and organisations (X:n kaupunki, Y-säätiö) named in the text."""
        codes = t.funders_mentioned(text)
        for code in codes:
            name, _org_type = t.FUNDERS[code]
            draft.add_funder(name, code)
        if codes:
            draft.warn(MSG_FUNDERS, funders=", ".join(codes))
        names = t.organisations_named(text)
        for i, name in enumerate(names):
            draft.add_organisation(name, "paatoteuttaja" if i == 0 else "osatoteuttaja")
        if names:
            draft.warn(MSG_ORGANISATIONS, organisations=", ".join(names))


IMPORTERS = [InnokylaImporter()]
