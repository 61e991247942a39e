"""The hostile-input corpus through every text-card importer: no crash, and the text is kept.

By design a card that is not valid text (NUL bytes, lone surrogates) is refused as a whole, and
invisible format characters (zero-width spaces and joiners, BOMs: copy-paste artefacts of web
pages) are dropped from card text; every other string is found in the parsed project.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from project_db.importers import parse_source
from project_db.validators import clean_line

ROOT = Path(__file__).resolve().parents[2]
CORPUS = json.loads((ROOT / "tests" / "data" / "hostile_strings.json").read_text("utf-8"))[
    "strings"
]
CARDS = {
    "oulu-card": ("001_oulu_asunnottomat.txt", "Oulun kaupunki osallistuu"),
    "esr-card": ("004_esr_soku.txt", "Henkilöiden osallisuutta vahvistavien"),
    "innokyla": ("000_innokyla_hanska.txt", "Julkisen palvelun ja kolmannen sektorin"),
}


def _visible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("format_name", sorted(CARDS))
def test_hostile_strings_in_a_card(format_name: str) -> None:
    seed, anchor = CARDS[format_name]
    card = (ROOT / "evaus" / "demo" / "seeds" / seed).read_text("utf-8")
    lost = []
    for text in CORPUS:
        if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            continue  # not text: the whole card is refused (tested in test_importers_cards.py)
        one_line = " ".join(text.split())
        hostile = card.replace(anchor, f"{one_line} {anchor}", 1)
        _importer, parsed = parse_source(hostile.encode("utf-8"), seed, format_name)
        texts = _visible("\n".join(_strings([p.doc.model_dump(mode="json") for p in parsed])))
        if _visible(clean_line(one_line)) not in texts:
            lost.append(text)
    assert not lost, lost
