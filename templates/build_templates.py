"""Write the shipped report templates (evaus/reports/templates/*.docx) with python-docx.

One module per report: ``report_card.py``, ``report_esr.py``, ``report_stea.py``,
``report_stm.py`` and ``report_evaus.py``; the shared set-up and blocks are in
``report_blocks.py``. Every builder takes the language and writes its text with ``t(fi, sv)``.

The .docx files are the source of truth: administrators open them in Word or LibreOffice, edit the
text and layout, and upload a new version in the application. This script documents how the
first versions were made; run it again only to start over from these originals:

    .venv/bin/python templates/build_templates.py                 # every template
    .venv/bin/python templates/build_templates.py evaus_fi.docx   # only the ones named

Conventions in every template:
- the header has the report's name, the project and the page number as "1 (7)" (Word fields
  PAGE and NUMPAGES); the footer the date the report was made;
- a title block, then Heading 1 / Heading 2 sections;
- tables have a header row that repeats on every page and one ``{%tr for … %}`` loop (flat rows);
- ``{{ x|pvm }}`` dates 1.11.2020, ``{{ x|daterange(y) }}`` 1.9.2015–30.11.2018, ``{{ x|eur }}``
  1 000 000 €, ``{{ x|num(unit) }}`` numbers, ``{{ x|pct }}`` percentages; an empty value shows
  "Ei tietoa" by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from report_blocks import HERE
from report_card import build_card
from report_esr import build_esr_final, build_esr_period
from report_evaus import build_evaus
from report_stea import build_stea
from report_stm import build_stm

# The templates are package data, found with importlib.resources (evaus/reports/templating.py).
OUT = HERE.parent / "evaus" / "reports" / "templates"

TEMPLATES: dict[str, Callable[[], object]] = {
    "card_fi.docx": lambda: build_card("fi"),
    "card_sv.docx": lambda: build_card("sv"),
    "evaus_fi.docx": lambda: build_evaus("fi"),
    "evaus_sv.docx": lambda: build_evaus("sv"),
    "esr-period_fi.docx": lambda: build_esr_period("fi"),
    "esr-period_sv.docx": lambda: build_esr_period("sv"),
    "esr-final_fi.docx": lambda: build_esr_final("fi"),
    "esr-final_sv.docx": lambda: build_esr_final("sv"),
    "stea_fi.docx": lambda: build_stea("fi"),
    "stea_sv.docx": lambda: build_stea("sv"),
    "stm_fi.docx": lambda: build_stm("fi"),
    "stm_sv.docx": lambda: build_stm("sv"),
}


def main(names: Sequence[str] = ()) -> None:
    """Write every template, or only the ones named (``build_templates.py evaus_fi.docx``)."""
    for name, build in TEMPLATES.items():
        if names and name not in names:
            continue
        doc = build()
        core = doc.core_properties  # type: ignore[attr-defined]
        core.author = "EVAUS"
        core.title = name.removesuffix(".docx")
        core.comments = "Report template; see templates/build_templates.py and README (Reports)"
        doc.save(str(OUT / name))  # type: ignore[attr-defined]
        print(f"wrote {name}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
