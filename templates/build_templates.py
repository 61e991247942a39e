"""Write the shipped report templates (templates/*.docx) with python-docx.

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
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
FONT = "Arial"  # LibreOffice shows it with the metric-compatible Liberation Sans
TEXT_WIDTH_MM = 165
DARK_BLUE = RGBColor(0x1F, 0x3A, 0x5F)
HEADER_FILL = "DCE6F1"
LABEL_FILL = "F2F2F2"

Doc = object  # python-docx's Document object (the package has no type stubs)
T = Callable[[str, str], str]


# --- document set-up -------------------------------------------------------------------------


def _set_lang(style_element: object, lang: str) -> None:
    rpr = style_element.get_or_add_rPr()  # type: ignore[attr-defined]
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), lang)
    lang_el.set(qn("w:eastAsia"), lang)
    rpr.append(lang_el)


def new_document(lang: str) -> object:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(28), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _set_lang(normal.element, "fi-FI" if lang == "fi" else "sv-FI")
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name, size, before in (("Title", 20, 0), ("Heading 1", 14, 14), ("Heading 2", 11, 10)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = DARK_BLUE
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
        rfonts = style.element.rPr.find(qn("w:rFonts"))
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if rfonts is not None and rfonts.get(qn(attr)) is not None:
                del rfonts.attrib[qn(attr)]
    title = styles["Title"]
    title.paragraph_format.space_after = Pt(2)
    # The default Title style has a bottom border: keep the look simple.
    ppr = title.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    return doc


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin / instrText / separate / result / end runs."""

    def run_with(element: Any) -> None:
        run = paragraph.add_run()
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _right_tab(paragraph: Paragraph) -> None:
    """One right-aligned tab stop at the text edge; the Header style's centre stop is cleared."""
    stops = paragraph.paragraph_format.tab_stops
    stops.add_tab_stop(Inches(3.25), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Inches(6.5), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)


def header_and_footer(doc: object, report_name: str, made_label: str) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    header = section.header
    first = header.paragraphs[0]
    _right_tab(first)
    first.paragraph_format.space_after = Pt(0)
    run = first.add_run(report_name)
    run.bold = True
    run.font.size = Pt(9)
    first.add_run("\t").font.size = Pt(9)
    _field(first, "PAGE", "1")
    first.add_run(" (")
    _field(first, "NUMPAGES", "1")
    first.add_run(")")
    for r in first.runs:
        r.font.size = Pt(9)
    second = header.add_paragraph()
    _right_tab(second)
    second.paragraph_format.space_after = Pt(0)
    name = second.add_run("{{ (project.short_name or project.name)|truncate(70) }}\t")
    name.font.size = Pt(9)
    when = second.add_run("{{ generated_on|pvm }}")
    when.font.size = Pt(9)
    _bottom_border(second)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    text = footer.add_run(made_label + " {{ generated_on|pvm }}")
    text.font.size = Pt(8)
    text.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _bottom_border(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "4"), ("w:color", "808080")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


# --- content helpers -------------------------------------------------------------------------


def para(doc: object, text: str = "", style: str | None = None, bold: bool = False) -> Paragraph:
    paragraph: Paragraph = doc.add_paragraph(style=style)  # type: ignore[attr-defined]
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
    return paragraph


def tag(doc: object, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p if … %}); it disappears."""
    para(doc, text)


def h1(doc: object, text: str) -> None:
    para(doc, text, "Heading 1")


def h2(doc: object, text: str) -> None:
    para(doc, text, "Heading 2")


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _cell_text(cell: _Cell, text: str, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(9)


def _repeat_header(table: Table) -> None:
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _cant_split(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    trpr.append(OxmlElement("w:cantSplit"))


def _widths(table: Table, widths: Sequence[float]) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word reads those)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)


def kv_table(doc: object, rows: Sequence[tuple[str, str]], label_width: float = 55) -> None:
    """Label | value rows (the title block and basic data)."""
    table: Table = doc.add_table(rows=len(rows), cols=2)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _cell_text(row.cells[0], label, bold=True)
        _shade(row.cells[0], LABEL_FILL)
        _cell_text(row.cells[1], value)
        _cant_split(row)
    _widths(table, [label_width, TEXT_WIDTH_MM - label_width])
    para(doc)


def loop_table(
    doc: object,
    items: str,
    var: str,
    columns: Sequence[tuple[str, str, float]],
    empty: str,
    *,
    numeric: Sequence[int] = (),
    total_row: Sequence[str] | None = None,
) -> None:
    """A table with a repeating header row and one {%tr for %} loop; a sentence when empty.

    ``columns``: (header, cell expression, width in mm).
    """
    tag(doc, f"{{%p if {items} %}}")
    rows = 4 + (1 if total_row else 0)
    table: Table = doc.add_table(rows=rows, cols=len(columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for i, (header, _expr, _w) in enumerate(columns):
        cell = table.rows[0].cells[i]
        _cell_text(cell, header, bold=True, right=i in numeric)
        _shade(cell, HEADER_FILL)
    _repeat_header(table)
    _cell_text(table.rows[1].cells[0], f"{{%tr for {var} in {items} %}}")
    for i, (_h, expr, _w) in enumerate(columns):
        _cell_text(table.rows[2].cells[i], expr, right=i in numeric)
    _cant_split(table.rows[2])
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    if total_row:
        for i, text in enumerate(total_row):
            cell = table.rows[4].cells[i]
            _cell_text(cell, text, bold=True, right=i in numeric)
            _shade(cell, LABEL_FILL)
    _widths(table, [w for _h, _e, w in columns])
    tag(doc, "{%p else %}")
    para(doc, empty)
    tag(doc, "{%p endif %}")


NO_DATA_TEXT = "{{ no_information }}"


def text_block(doc: object, expression: str) -> None:
    para(doc, f"{{{{ {expression} }}}}")


def chart(doc: object, name: str, none_text: str | None = None) -> None:
    """A chart when the data makes one worth drawing; else ``none_text``, or nothing when the
    table beside it already says what is missing."""
    tag(doc, f"{{%p if {name} %}}")
    paragraph = para(doc, f"{{{{ {name} }}}}")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_together = True
    if none_text is not None:
        tag(doc, "{%p else %}")
        para(doc, none_text)
    tag(doc, "{%p endif %}")


def narratives(doc: object, items: str, empty: str | None = NO_DATA_TEXT) -> None:
    """The project's own descriptions, each under its title; ``empty`` when there are none
    (None: nothing at all)."""
    tag(doc, f"{{%p for s in {items} %}}")
    title = para(doc, "{{ s.title }}", bold=True)
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.space_after = Pt(2)
    text_block(doc, "s.body")
    tag(doc, "{%p endfor %}")
    if empty is not None:
        tag(doc, f"{{%p if not {items} %}}")
        para(doc, empty)
        tag(doc, "{%p endif %}")


def embedding_block(doc: object) -> None:
    """Juurruttaminen: its own text, then continuation, conditions for adoption and tips."""
    tag(doc, "{%p if embedding or not embedding_sections %}")
    text_block(doc, "embedding")
    tag(doc, "{%p endif %}")
    narratives(doc, "embedding_sections", None)


def other_sections(doc: object, heading: str) -> None:
    """The descriptions a form has no place for: printed at the end, never dropped."""
    tag(doc, "{%p if other_sections %}")
    h1(doc, heading)
    narratives(doc, "other_sections", None)
    tag(doc, "{%p endif %}")


def attachments(doc: object, t: T) -> None:
    h1(doc, t("Liitteet", "Bilagor"))
    tag(doc, "{%p for a in attachments %}")
    para(
        doc,
        t("Liite", "Bilaga")
        + " {{ a.number }}: {{ a.filename }}{% if a.description %} – {{ a.description }}"
        "{% endif %}",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not attachments %}")
    para(doc, t("Ei liitteitä.", "Inga bilagor."))
    tag(doc, "{%p endif %}")


def title_block(doc: object, title: str, subtitle_lines: Sequence[str]) -> None:
    para(doc, title, "Title")
    name = para(doc, "{{ project.name }}")
    name.runs[0].bold = True
    name.runs[0].font.size = Pt(13)
    name.paragraph_format.space_after = Pt(2)
    for line in subtitle_lines:
        paragraph = para(doc, line)
        paragraph.paragraph_format.space_after = Pt(2)
    para(doc)


def translator(lang: str) -> T:
    return lambda fi, sv: fi if lang == "fi" else sv


# --- shared blocks -----------------------------------------------------------------------------

GOALS = [
    ("Nro", "{{ g.number }}", 14),
    (
        "Tavoite",
        "{{ g.title }}{% if g.description %} – {{ g.description }}{% endif %}",
        TEXT_WIDTH_MM - 14,
    ),
]


def measure_cell(goal: str, responsible: str, schedule: str) -> str:
    """The measure with what the registry says of it (goal, who, when) after it: no column
    of "Ei tietoa" when a project keeps only the measures' names."""
    return (
        "{{ m.title }}{% if m.goal %} (" + goal + " {{ m.goal }}){% endif %}"
        "{% if m.responsible %}. " + responsible + ": {{ m.responsible }}{% endif %}"
        "{% if m.start_date or m.end_date %}. " + schedule + ": "
        "{{ m.start_date|daterange(m.end_date) }}{% endif %}"
    )


MEASURES = [
    ("Nro", "{{ m.number }}", 12),
    ("Toimenpide", measure_cell("tavoite", "Vastuutaho", "Aikataulu"), TEXT_WIDTH_MM - 12),
]
RESULTS = [("Tyyppi", "{{ r.kind }}", 30), ("Kuvaus", "{{ r.text }}", TEXT_WIDTH_MM - 30)]
# The registry keeps results as the project's aims (it records no achievement of a result):
# the reports say so and never list them as achieved.
RESULTS_HEADING = "Tavoitellut tulokset"
RESULTS_NOTE = (
    "Hankkeen tavoittelemat tuotokset, tulokset ja vaikutukset. Niiden toteutuminen näkyy "
    "mittareista ja hankkeen kuvauksista."
)
NO_MEASURES = (
    "Toimenpiteitä ei ole kirjattu erikseen.{% if implementation %} Toteutus on kuvattu "
    "yllä.{% endif %}"
)
FUNDING = [
    ("Rahoittaja", "{{ f.funder }}", 42),
    ("Rahoituslähde", "{{ f.funder_code }}", 38),
    (
        "Myönnetty",
        "{{ f.amount|eur }}{% if f.share_percent is not none %} ({{ f.share_percent|pct }})"
        "{% endif %}",
        28,
    ),
    ("Omarahoitus", "{{ f.own_contribution|eur }}", 24),
    (
        "Päätös",
        "{{ f.decision_number }}{% if f.decision_date %}, {{ f.decision_date|pvm }}{% endif %}",
        33,
    ),
]
PARTICIPANTS = [
    ("Ikäluokka", "{{ p.age_class }}", 45),
    ("Naiset", "{{ p.women }}", 30),
    ("Miehet", "{{ p.men }}", 30),
    ("Muu / ei tiedossa", "{{ p.other }}", 30),
    ("Yhteensä", "{{ p.total }}", 30),
]
PARTICIPANT_TOTALS = [
    "Yhteensä",
    "{{ participants.women }}",
    "{{ participants.men }}",
    "{{ participants.other }}",
    "{{ participants.total }}",
]


# The indicator with its goal and the direction of progress in words.
INDICATOR_NAME = (
    "{{ i.name }}{% if i.goal %} (tavoite {{ i.goal }}){% endif %}. Suunta: {{ i.direction }}."
)
PROGRESS_HEADER = "Edisty\u00adminen"
PROGRESS_NOTE = (
    "Edistyminen on se osuus matkasta lähtötasolta tavoitteeseen, joka on kuljettu: 0 % on "
    "lähtötaso ja 100 % tavoite, myös kun tavoitteena on pienempi luku. Yli 100 % ylittää "
    "tavoitteen, alle 0 % tarkoittaa muutosta väärään suuntaan. Ilman lähtötasoa edistymistä "
    "ei voi laskea."
)


def indicator_note(doc: object) -> None:
    tag(doc, "{%p if indicators %}")
    para(doc, PROGRESS_NOTE).paragraph_format.space_before = Pt(6)
    tag(doc, "{%p endif %}")


def indicator_columns(value_header: str) -> list[tuple[str, str, float]]:
    return [
        ("Nro", "{{ i.number }}", 10),
        ("Mittari", INDICATOR_NAME, 50),
        ("Lähtötaso", "{{ i.baseline|num(i.unit) }}", 20),
        ("Tavoite", "{{ i.target|num(i.unit) }}", 20),
        (value_header, "{{ i.value|num(i.unit) }}", 22),
        (PROGRESS_HEADER, "{{ i.progress_percent|pct }}", 20),
        ("Tiedon laatu", "{{ i.value_basis }}", 23),
    ]


INDICATOR_VALUES = [
    ("Mittari", "{{ v.indicator }}", 55),
    ("Jakso", "{{ v.period }}", 15),
    ("Aika", "{{ v.start_date|daterange(v.end_date) }}", 35),
    ("Toteuma", "{{ v.value|num(v.unit) }}", 20),
    ("Tiedon laatu", "{{ v.basis }}", 20),
    ("Huom.", "{{ v.note|or_dash }}", 20),
]
NO_DATA = "Ei tietoa."
NEW_YEAR_RULE = (
    "Vuodenvaihteen ylittävä raportointijakso luetaan sille vuodelle, jolle suurin osa sen "
    "päivistä osuu (tasatilanteessa myöhemmälle), eikä koskaan kahdelle vuodelle."
)


def basic_esr(doc: object, period_row: tuple[str, str] | None) -> None:
    rows = [
        ("Hankekoodi", "{{ project.code }}"),
        ("Hankkeen nimi", "{{ project.name }}"),
        ("Toimintalinja", "{{ project.action_line }}"),
        ("Erityistavoite", "{{ project.specific_objective }}"),
        ("Vastuuviranomainen", "{{ project.responsible_authority }}"),
        ("Päätoteuttaja", "{{ project.lead }}"),
        ("Toteutusaika", "{{ project.start_date|daterange(project.end_date) }}"),
    ]
    if period_row:
        rows.append(period_row)
    rows += [
        ("Rahoituspäätös", "{{ project.decision_number }}"),
        ("Kokonaisbudjetti", "{{ project.budget_amount|eur }}"),
        ("Budjettiluokka", "{{ project.budget_class }}"),
        ("Käsittelyvaihe", "{{ project.status }}"),
    ]
    kv_table(doc, rows)


def _fixed_row(table: Table, row: int, cells: Sequence[str], numeric: Sequence[int]) -> None:
    for i, text in enumerate(cells):
        cell = table.rows[row].cells[i]
        _cell_text(cell, text, bold=True, right=i in numeric)
        _shade(cell, LABEL_FILL)
    _cant_split(table.rows[row])


def budget_table(doc: object, *, period: bool) -> None:
    """Budget against actual by cost category: the costs, their total, the income (subtracted)
    and the net cost. ``period``: the period's actual costs beside the cumulative ones."""
    money = "|eur(True)"
    if period:
        columns = [
            ("Kustannuslaji", "category", 55),
            ("Budjetti", "planned" + money, 29),
            ("Jakso {{ period.number }}", "period_actual" + money, 29),
            ("Kertynyt", "actual" + money, 29),
            ("Käyttö\u00adaste", "used_percent|pct", 23),
        ]
    else:
        columns = [
            ("Kustannuslaji", "category", 71),
            ("Budjetti", "planned" + money, 34),
            ("Toteutunut", "actual" + money, 34),
            ("Käyttö\u00adaste", "used_percent|pct", 26),
        ]
    numeric = range(1, len(columns))

    def cells(row: str, label: str | None = None) -> list[str]:
        first = [label if label is not None else "{{ " + row + ".category }}"]
        return first + ["{{ " + f"{row}.{expr}" + " }}" for _h, expr, _w in columns[1:]]

    tag(doc, "{%p if budget.known %}")
    table: Table = doc.add_table(rows=9, cols=len(columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for i, (header, _expr, _w) in enumerate(columns):
        cell = table.rows[0].cells[i]
        _cell_text(cell, header, bold=True, right=i in numeric)
        _shade(cell, HEADER_FILL)
    _repeat_header(table)
    _cell_text(table.rows[1].cells[0], "{%tr for r in budget.costs %}")
    for i, text in enumerate(cells("r")):
        _cell_text(table.rows[2].cells[i], text, right=i in numeric)
    _cant_split(table.rows[2])
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    _fixed_row(table, 4, cells("budget.cost_total", "Kustannukset yhteensä"), numeric)
    _cell_text(table.rows[5].cells[0], "{%tr if budget.income %}")
    income = cells("budget.income", "{{ budget.income.category }} (vähennetään)")
    for i, text in enumerate(income):
        _cell_text(table.rows[6].cells[i], text, right=i in numeric)
    _cant_split(table.rows[6])
    _cell_text(table.rows[7].cells[0], "{%tr endif %}")
    _fixed_row(table, 8, cells("budget.net", "Nettokustannukset (kustannukset − tulot)"), numeric)
    _widths(table, [w for _h, _e, w in columns])
    note = (
        "Jakso: raportointijakson toteutuneet kustannukset. Kertynyt: jaksot 1–{{ period.number }} "
        "yhteensä. Käyttöaste: kertynyt osuutena budjetista."
        if period
        else "Käyttöaste: toteutunut osuutena budjetista. Tulot vähennetään nettokustannuksista."
    )
    para(doc, note).paragraph_format.space_before = Pt(6)
    tag(doc, "{%p else %}")
    para(doc, "Kustannusarviota ja toteutuneita kustannuksia kustannuslajeittain ei ole kirjattu.")
    tag(doc, "{%p endif %}")


def funding_block(doc: object, costs_note: str) -> None:
    loop_table(doc, "funding.rows", "f", FUNDING, "Rahoittajia ei ole kirjattu.", numeric=(2, 3))
    totals = para(
        doc,
        "Myönnetty yhteensä: {{ funding.total_granted|eur }}. Omarahoitus yhteensä: "
        "{{ funding.total_own|eur }}. Hankkeen kokonaisbudjetti: {{ funding.budget|eur }}.",
    )
    totals.paragraph_format.space_before = Pt(6)
    chart(doc, "funding_chart")
    if costs_note:
        para(doc, costs_note)


def horizontal(doc: object, number: int) -> None:
    h1(doc, f"{number} Horisontaaliset periaatteet")
    h2(doc, "Sukupuolten tasa-arvo")
    text_block(doc, "equality")
    h2(doc, "Yhdenvertaisuus ja syrjimättömyys")
    text_block(doc, "non_discrimination")
    h2(doc, "Kestävä kehitys")
    text_block(doc, "sustainability")


COUNTS = [("{header}", "{{ c.label }}", 100), ("Henkilöä", "{{ c.count }}", 30)]


def participants(doc: object, number: int, *, whole_project: bool) -> None:
    """By gender and age class, labour-market status and education. The whole project's
    figures count each person once; without them the periods' own figures, never summed."""
    h1(doc, f"{number} Osallistujat")
    tag(doc, "{%p if participants.known %}")
    if whole_project:
        para(doc, "Koko hankkeen osallistujat, kukin henkilö kerran (ei jaksojen summa).")
    else:
        para(doc, "Raportointijakson osallistujat.")
    h2(doc, "Sukupuoli ja ikäluokka")
    loop_table(
        doc,
        "participants.rows",
        "p",
        PARTICIPANTS,
        NO_DATA,
        numeric=(1, 2, 3, 4),
        total_row=PARTICIPANT_TOTALS,
    )
    for items, title, header in (
        ("participants.labour", "Työmarkkina-asema hankkeeseen tullessa", "Asema"),
        ("participants.education", "Koulutus", "Koulutusaste"),
    ):
        tag(doc, f"{{%p if {items} %}}")
        h2(doc, title)
        columns = [(h.format(header=header), e, w) for h, e, w in COUNTS]
        loop_table(doc, items, "c", columns, NO_DATA, numeric=(1,))
        tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    if whole_project:
        tag(doc, "{%p if participants.per_period %}")
        para(
            doc,
            "Yksilöityjä osallistujamääriä ei ole kirjattu. Alla ovat raportointijaksojen omat "
            "luvut: sama henkilö voi olla mukana usealla jaksolla, joten niitä ei lasketa yhteen.",
        )
        loop_table(
            doc,
            "participants.per_period",
            "q",
            [
                ("Jakso", "{{ q.number }}", 16),
                ("Aika", "{{ q.start_date|daterange(q.end_date) }}", 50),
                ("Osallistujia jaksolla", "{{ q.total }}", 40),
            ],
            NO_DATA,
            numeric=(2,),
        )
        tag(doc, "{%p else %}")
        para(doc, "{{ no_information }}: osallistujatietoja ei ole kirjattu.")
        tag(doc, "{%p endif %}")
    else:
        para(doc, "{{ no_information }}: osallistujatietoja ei ole kirjattu.")
    tag(doc, "{%p endif %}")


# --- the report kinds --------------------------------------------------------------------------


def build_card(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
    header_and_footer(doc, t("HANKEKORTTI", "PROJEKTKORT"), t("Laadittu", "Upprättat"))
    title_block(
        doc,
        t("Hankekortti", "Projektkort"),
        ["{{ project.start_date|daterange(project.end_date) }} · {{ project.status }}"],
    )
    h1(doc, t("Perustiedot", "Basuppgifter"))
    kv_table(
        doc,
        [
            (t("Hankkeen nimi", "Projektets namn"), "{{ project.name }}"),
            (t("Lyhenne", "Förkortning"), "{{ project.short_name }}"),
            (t("Hanketyyppi", "Projekttyp"), "{{ project.project_type }}"),
            (t("Käsittelyvaihe", "Skede"), "{{ project.status }}"),
            (t("Salkku", "Portfölj"), "{{ project.portfolio }}"),
            (
                t("Toteutusaika", "Genomförandetid"),
                "{{ project.start_date|daterange(project.end_date) }}",
            ),
            (t("Maakunta", "Landskap"), "{{ project.region }}"),
            (t("Kunta", "Kommun"), "{{ project.municipality }}"),
            (t("Päätoteuttaja", "Huvudgenomförare"), "{{ project.lead }}"),
            (t("Budjetti", "Budget"), "{{ project.budget_amount|eur }}"),
            (t("Budjettiluokka", "Budgetklass"), "{{ project.budget_class }}"),
            (t("Hankekoodi (EURA)", "Projektkod (EURA)"), "{{ project.code }}"),
            (t("Toimintalinja", "Åtgärdslinje"), "{{ project.action_line }}"),
            (t("Erityistavoite", "Specifikt mål"), "{{ project.specific_objective }}"),
            (t("Päätösnumero", "Beslutsnummer"), "{{ project.decision_number }}"),
            (
                t("Vastuuviranomainen", "Ansvarig myndighet"),
                "{{ project.responsible_authority }}",
            ),
            (t("Teemat", "Teman"), "{{ project.themes }}"),
            (t("Verkkosivut", "Webbplats"), "{{ project.website }}"),
        ],
    )
    h1(doc, t("Tiivistelmä", "Sammandrag"))
    text_block(doc, "project.summary")

    h1(doc, t("Toteuttajat ja rahoitus", "Genomförare och finansiering"))
    h2(doc, t("Organisaatiot", "Organisationer"))
    loop_table(
        doc,
        "organisations",
        "o",
        [
            (t("Organisaatio", "Organisation"), "{{ o.name }}", 65),
            (t("Rooli", "Roll"), "{{ o.role }}", 35),
            (t("Tyyppi", "Typ"), "{{ o.org_type }}", 35),
            ("Y-tunnus" if lang == "fi" else "FO-nummer", "{{ o.y_tunnus }}", 30),
        ],
        t("Organisaatioita ei ole kirjattu.", "Inga organisationer har registrerats."),
    )
    h2(doc, t("Rahoitus", "Finansiering"))
    loop_table(
        doc,
        "funding.rows",
        "f",
        [
            (t("Rahoittaja", "Finansiär"), "{{ f.funder }}", 42),
            (t("Rahoituslähde", "Finansieringskälla"), "{{ f.funder_code }}", 38),
            (t("Myönnetty", "Beviljat"), FUNDING[2][1], 28),
            (t("Omarahoitus", "Egen finansiering"), "{{ f.own_contribution|eur }}", 24),
            (t("Päätös", "Beslut"), FUNDING[4][1], 33),
        ],
        t("Rahoittajia ei ole kirjattu.", "Inga finansiärer har registrerats."),
        numeric=(2, 3),
    )
    para(
        doc,
        t(
            "Myönnetty yhteensä: {{ funding.total_granted|eur }}. Omarahoitus yhteensä: "
            "{{ funding.total_own|eur }}.",
            "Beviljat sammanlagt: {{ funding.total_granted|eur }}. Egen finansiering sammanlagt: "
            "{{ funding.total_own|eur }}.",
        ),
    )

    h1(doc, t("Tavoitteet", "Mål"))
    loop_table(
        doc,
        "goals",
        "g",
        [(t("Nro", "Nr"), GOALS[0][1], 14), (t("Tavoite", "Mål"), GOALS[1][1], GOALS[1][2])],
        t("Tavoitteita ei ole kirjattu.", "Inga mål har registrerats."),
    )
    h1(doc, t("Toimenpiteet", "Åtgärder"))
    loop_table(
        doc,
        "measures",
        "m",
        [
            (t("Nro", "Nr"), MEASURES[0][1], 12),
            (
                t("Toimenpide", "Åtgärd"),
                measure_cell(
                    t("tavoite", "mål"), t("Vastuutaho", "Ansvarig"), t("Aikataulu", "Tidtabell")
                ),
                TEXT_WIDTH_MM - 12,
            ),
        ],
        t("Toimenpiteitä ei ole kirjattu.", "Inga åtgärder har registrerats."),
    )
    h1(doc, t("Tavoitellut tulokset ja vaikutukset", "Eftersträvade resultat och effekter"))
    loop_table(
        doc,
        "results",
        "r",
        [(t("Tyyppi", "Typ"), RESULTS[0][1], 30), (t("Kuvaus", "Beskrivning"), RESULTS[1][1], 135)],
        t(
            "Tavoiteltuja tuloksia ei ole kirjattu.",
            "Inga eftersträvade resultat har registrerats.",
        ),
    )
    h1(doc, t("Mittarit", "Indikatorer"))
    loop_table(
        doc,
        "indicators",
        "i",
        [
            (t("Nro", "Nr"), "{{ i.number }}", 10),
            (t("Mittari", "Indikator"), "{{ i.name }}", 58),
            (t("Lähtötaso", "Utgångsnivå"), "{{ i.baseline|num(i.unit) }}", 22),
            (t("Tavoite", "Mål"), "{{ i.target|num(i.unit) }}", 22),
            (
                t("Viimeisin toteuma", "Senaste utfall"),
                "{{ i.value|num(i.unit) }}{% if i.value_period %} ("
                + t("jakso", "period")
                + " {{ i.value_period }}){% endif %}",
                30,
            ),
            (t("Tiedon laatu", "Uppgiftens art"), "{{ i.value_basis }}", 23),
        ],
        t("Mittareita ei ole kirjattu.", "Inga indikatorer har registrerats."),
        numeric=(2, 3, 4),
    )
    h1(doc, t("Kuvaukset", "Beskrivningar"))
    tag(doc, "{%p for s in sections %}")
    h2(doc, "{{ s.title }}")
    text_block(doc, "s.body")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not sections %}")
    para(doc, t("Kuvauksia ei ole kirjattu.", "Inga beskrivningar har registrerats."))
    tag(doc, "{%p endif %}")

    h1(doc, t("Yhteyshenkilöt", "Kontaktpersoner"))
    loop_table(
        doc,
        "contacts",
        "c",
        [
            (t("Nimi", "Namn"), "{{ c.name }}", 38),
            (t("Rooli", "Roll"), "{{ c.role }}", 47),
            (t("Sähköposti", "E-post"), "{{ c.email }}", 50),
            (t("Puhelin", "Telefon"), "{{ c.phone }}", 30),
        ],
        t("Yhteyshenkilöitä ei ole kirjattu.", "Inga kontaktpersoner har registrerats."),
    )
    attachments(doc, t)
    h2(doc, t("Linkit", "Länkar"))
    tag(doc, "{%p for link in links %}")
    para(doc, "{{ link.title }}: {{ link.url }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not links %}")
    para(doc, t("Ei linkkejä.", "Inga länkar."))
    tag(doc, "{%p endif %}")
    return doc


def build_esr_period() -> object:
    t = translator("fi")
    doc = new_document("fi")
    header_and_footer(doc, "ESR-SEURANTARAPORTTI", "Laadittu")
    period_text = (
        "{% if whole_term %}Koko toteutusaika {{ period.start_date|daterange(period.end_date) }} "
        "(raportointijaksoja ei ole kirjattu){% else %}Raportointijakso {{ period.number }} / "
        "{{ period_count }}: {{ period.start_date|daterange(period.end_date) }}{% endif %}"
    )
    title_block(doc, "Seurantaraportti", [period_text, "Hankekoodi {{ project.code }}"])
    h1(doc, "1 Perustiedot")
    basic_esr(doc, ("Raportointijakso", period_text))

    h1(doc, "2 Lähtötilanne, tavoitteet ja kohderyhmä")
    h2(doc, "Tiivistelmä")
    text_block(doc, "project.summary")
    h2(doc, "Lähtötilanne")
    narratives(doc, "starting_point")
    h2(doc, "Tavoitteet")
    loop_table(doc, "goals", "g", GOALS, "Tavoitteita ei ole kirjattu.")
    h2(doc, "Kohderyhmä")
    text_block(doc, "target_group")

    h1(doc, "3 Toteutus")
    h2(doc, "Hankkeen toteutustapa")
    narratives(doc, "implementation")
    tag(doc, "{%p if whole_term %}")
    para(
        doc,
        "Raportointijaksoja ei ole kirjattu: jaksokohtaiset kuvaukset (mitä tehtiin, muutokset, "
        "poikkeamat, seuraavat toimenpiteet) puuttuvat.",
    )
    tag(doc, "{%p else %}")
    h2(doc, "Mitä jaksolla tehtiin")
    text_block(doc, "period.done")
    h2(doc, "Muutokset suunnitelmaan")
    text_block(doc, "period.changes")
    h2(doc, "Ongelmat ja poikkeamat")
    text_block(doc, "period.deviations")
    h2(doc, "Seuraavan jakson toimenpiteet")
    text_block(doc, "period.next_steps")
    tag(doc, "{%p endif %}")
    h2(doc, "Toimenpiteet")
    loop_table(doc, "measures", "m", MEASURES, NO_MEASURES)

    h1(doc, "4 Tulokset suhteessa tavoitteisiin")
    para(
        doc,
        "Mittareiden toteumat raportointijaksolla. Tiedon laatu kertoo, onko luku kerättyä tietoa, "
        "otos vai arvio.",
    )
    loop_table(
        doc,
        "indicators",
        "i",
        indicator_columns("Jakson toteuma"),
        "Mittareita ei ole kirjattu.",
        numeric=(2, 3, 4, 5),
    )
    indicator_note(doc)
    chart(doc, "indicator_chart")
    tag(doc, "{%p if achievements %}")
    h2(doc, "Muutokset hankkeen aikana")
    narratives(doc, "achievements", None)
    tag(doc, "{%p endif %}")

    participants(doc, 5, whole_project=False)
    horizontal(doc, 6)
    h1(doc, "7 Viestintä")
    text_block(doc, "communication")
    h1(doc, "8 Rahoitus")
    funding_block(
        doc,
        "Toteutuneet kustannukset raportoidaan maksatushakemuksella EURA 2014 -järjestelmässä.",
    )
    h2(doc, "Budjetti ja toteutuneet kustannukset kustannuslajeittain")
    budget_table(doc, period=True)
    other_sections(doc, "9 Muut hankkeen kuvaukset")
    attachments(doc, t)
    return doc


def build_esr_final() -> object:
    t = translator("fi")
    doc = new_document("fi")
    header_and_footer(doc, "ESR-LOPPURAPORTTI", "Laadittu")
    title_block(
        doc,
        "Loppuraportti",
        [
            "Toteutusaika {{ project.start_date|daterange(project.end_date) }}",
            "Hankekoodi {{ project.code }}",
        ],
    )
    h1(doc, "1 Perustiedot")
    basic_esr(doc, ("Raportointijaksoja", "{{ periods|length }}"))
    h1(doc, "2 Lähtötilanne ja tavoitteet")
    h2(doc, "Lähtötilanne")
    narratives(doc, "starting_points")
    h2(doc, "Tiivistelmä")
    text_block(doc, "project.summary")
    h2(doc, "Tavoitteet")
    loop_table(doc, "goals", "g", GOALS, "Tavoitteita ei ole kirjattu.")
    h2(doc, "Kohderyhmä")
    text_block(doc, "target_group")

    h1(doc, "3 Toteutus")
    h2(doc, "Hankkeen toteutustapa")
    narratives(doc, "implementation")
    h2(doc, "Toimenpiteet")
    loop_table(doc, "measures", "m", MEASURES, NO_MEASURES)
    h2(doc, "Raportointijaksot")
    loop_table(
        doc,
        "periods",
        "p",
        [
            ("Jakso", "{{ p.number }}", 14),
            ("Aika", "{{ p.start_date|daterange(p.end_date) }}", 36),
            ("Mitä tehtiin", "{{ p.done }}", 115),
        ],
        "Raportointijaksoja ei ole kirjattu.",
    )

    h1(doc, "4 Tulokset")
    h2(doc, "Muutokset hankkeen aikana")
    narratives(doc, "achievements")
    h2(doc, RESULTS_HEADING)
    para(doc, RESULTS_NOTE)
    loop_table(doc, "results", "r", RESULTS, "Tavoiteltuja tuloksia ei ole kirjattu.")
    h2(doc, "Mittarit")
    loop_table(
        doc,
        "indicators",
        "i",
        indicator_columns("Toteuma"),
        "Mittareita ei ole kirjattu.",
        numeric=(2, 3, 4, 5),
    )
    indicator_note(doc)
    chart(doc, "indicator_chart")
    h2(doc, "Toteumat raportointijaksoittain")
    loop_table(
        doc,
        "indicator_values",
        "v",
        INDICATOR_VALUES,
        "Toteumia ei ole kirjattu.",
        numeric=(1, 3),
    )
    participants(doc, 5, whole_project=True)
    horizontal(doc, 6)
    h1(doc, "7 Ongelmat ja niiden ratkaisut")
    text_block(doc, "problems")
    h1(doc, "8 Toiminnan jatkuminen hankkeen jälkeen")
    text_block(doc, "continuation")
    h1(doc, "9 Kehittämisehdotukset")
    text_block(doc, "proposals")
    h1(doc, "10 Viestintä")
    text_block(doc, "communication")
    h1(doc, "11 Rahoitus")
    funding_block(
        doc,
        "Toteutuneet kustannukset raportoidaan loppumaksatushakemuksella EURA 2014 "
        "-järjestelmässä.",
    )
    h2(doc, "Budjetti ja toteutuneet kustannukset kustannuslajeittain")
    budget_table(doc, period=False)
    other_sections(doc, "12 Muut hankkeen kuvaukset")
    attachments(doc, t)
    return doc


def build_stea() -> object:
    doc = new_document("fi")
    header_and_footer(doc, "TULOKSELLISUUSRAPORTTI", "Laadittu")
    title_block(
        doc,
        "Tuloksellisuusraportti {{ year }}",
        ["Avustuskohde: {{ project.short_name or project.name }}"],
    )
    note = para(
        doc,
        "{% if privacy_checked %}Raportti on julkinen. Siitä on poistettu henkilöiden nimet, "
        "yhteystiedot, henkilötunnukset, linkit ja liitteet.{% else %}Raportin tekstejä ei ole "
        "tarkistettu henkilötietojen varalta: sitä ei saa julkaista.{% endif %} "
        "Jokaisen luvun kohdalla kerrotaan, onko se kerättyä tietoa, otos vai arvio.",
    )
    note.runs[0].italic = True
    h1(doc, "1 Avustuskohteen perustiedot")
    kv_table(
        doc,
        [
            ("Avustuskohde", "{{ project.name }}"),
            ("Avustuksen saaja", "{{ project.organisation }}"),
            ("Avustuspäätös", "{{ project.decision_number }}"),
            ("Toiminta-aika", "{{ project.start_date|daterange(project.end_date) }}"),
            ("Raportointivuosi", "{{ year }}"),
            ("Toiminta-alue", "{{ project.region }}"),
        ],
    )
    h1(doc, "2 Tiivistelmä ja toiminnan kuvaus")
    text_block(doc, "project.summary")
    narratives(doc, "activity", None)
    tag(doc, "{%p if year_activity %}")
    h2(doc, "Toiminta vuonna {{ year }}")
    tag(doc, "{%p for p in year_activity %}")
    heading = para(doc, "Jakso {{ p.number }}: {{ p.start_date|daterange(p.end_date) }}", bold=True)
    heading.paragraph_format.keep_with_next = True
    tag(doc, "{%p if p.done %}")
    text_block(doc, "p.done")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if p.changes %}")
    para(doc, "Muutokset: {{ p.changes }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if p.deviations %}")
    para(doc, "Poikkeamat: {{ p.deviations }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if p.next_steps %}")
    para(doc, "Seuraavaksi: {{ p.next_steps }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    h1(doc, "3 Tavoitteet ja niiden toteutuminen")
    loop_table(doc, "goals", "g", GOALS, "Tavoitteita ei ole kirjattu.")
    h2(doc, "Toteutuminen hankkeen kuvausten mukaan")
    narratives(doc, "achievements")
    h2(doc, RESULTS_HEADING)
    para(doc, RESULTS_NOTE)
    loop_table(doc, "results", "r", RESULTS, "Tavoiteltuja tuloksia ei ole kirjattu.")
    h1(doc, "4 Toiminnan määrä ja tavoittavuus")
    loop_table(
        doc,
        "indicators",
        "i",
        [
            ("Nro", "{{ i.number }}", 10),
            ("Mittari", INDICATOR_NAME, 52),
            ("Lähtötaso", "{{ i.baseline|num(i.unit) }}", 20),
            ("Tavoite", "{{ i.target|num(i.unit) }}", 20),
            ("Toteuma {{ year }}", "{{ i.value|num(i.unit) }}", 22),
            (PROGRESS_HEADER, "{{ i.progress_percent|pct }}", 20),
            ("Tiedon laatu", "{{ i.value_basis }}", 21),
        ],
        "Mittareita ei ole kirjattu.",
        numeric=(2, 3, 4, 5),
    )
    indicator_note(doc)
    chart(doc, "indicator_chart")
    tag(doc, "{%p if indicators %}")
    h2(doc, "Toteumat jaksoittain vuonna {{ year }}")
    loop_table(
        doc,
        "indicator_values",
        "v",
        INDICATOR_VALUES,
        "Vuodelle {{ year }} ei ole kirjattu toteumia: {{ no_information }}.",
        numeric=(1, 3),
    )
    tag(doc, "{%p endif %}")
    para(doc, NEW_YEAR_RULE).paragraph_format.space_before = Pt(6)
    h1(doc, "5 Kohderyhmät")
    text_block(doc, "target_group")
    h1(doc, "6 Osallistujien näkemys ja palaute")
    text_block(doc, "feedback")
    h2(doc, "Miten palaute kerättiin vuonna {{ year }}")
    tag(doc, "{%p for p in volunteer_periods %}")
    para(
        doc,
        "Jakso {{ p.number }} ({{ p.start_date|daterange(p.end_date) }}): "
        "{% if p.feedback_methods %}{{ p.feedback_methods }}{% else %}{{ no_information }}"
        "{% endif %}",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not volunteer_periods %}")
    para(doc, "Vuodelle {{ year }} ei ole raportointijaksoja: {{ no_information }}.")
    tag(doc, "{%p endif %}")
    h1(doc, "7 Yhteistyö")
    loop_table(
        doc,
        "partners",
        "o",
        [
            ("Yhteistyökumppani", "{{ o.name }}", 80),
            ("Rooli", "{{ o.role }}", 40),
            ("Tyyppi", "{{ o.org_type }}", 45),
        ],
        "Yhteistyökumppaneita ei ole kirjattu.",
    )
    h2(doc, "Yhteistyön muoto")
    tag(doc, "{%p if cooperation or not activity %}")
    text_block(doc, "cooperation")
    tag(doc, "{%p else %}")
    para(doc, "Yhteistyötä ei ole kuvattu erikseen; toiminnan kuvaus on luvussa 2.")
    tag(doc, "{%p endif %}")
    h1(doc, "8 Vapaaehtoiset")
    text_block(doc, "volunteers")
    h2(doc, "Vapaaehtoiset ja tunnit jaksoittain vuonna {{ year }}")
    loop_table(
        doc,
        "volunteer_periods",
        "p",
        [
            ("Jakso", "{{ p.number }}", 14),
            ("Aika", "{{ p.start_date|daterange(p.end_date) }}", 42),
            ("Vapaa\u00adehtoisia", "{{ p.volunteers|num }}", 30),
            ("Tunteja", "{{ p.hours|num }}", 30),
            ("Tiedon laatu", "{{ p.basis }}", 49),
        ],
        "Vuodelle {{ year }} ei ole raportointijaksoja: {{ no_information }}.",
        numeric=(2, 3),
    )
    h1(doc, "9 Juurruttaminen")
    embedding_block(doc)
    other_sections(doc, "10 Muut kuvaukset")
    return doc


def build_stm() -> object:
    t = translator("fi")
    doc = new_document("fi")
    header_and_footer(doc, "SELVITYS VALTIONAVUSTUKSEN KÄYTÖSTÄ", "Laadittu")
    title_block(
        doc,
        "Selvitys valtionavustuksen käytöstä",
        ["Toteutusaika {{ project.start_date|daterange(project.end_date) }}"],
    )
    h1(doc, "1 Perustiedot")
    kv_table(
        doc,
        [
            ("Hanke", "{{ project.name }}"),
            ("Avustuksen saaja", "{{ project.lead }}"),
            ("Toteutusaika", "{{ project.start_date|daterange(project.end_date) }}"),
            (
                "Valtionavustuspäätös",
                "{% if grant %}{{ grant.decision_number }}{% if grant.decision_date %}, "
                "{{ grant.decision_date|pvm }}{% endif %}{% else %}{{ no_information }}{% endif %}",
            ),
            (
                "Myönnetty valtionavustus",
                "{% if grant %}{{ grant.amount|eur }}{% else %}{{ no_information }}{% endif %}",
            ),
            ("Hankkeen kokonaisbudjetti", "{{ project.budget_amount|eur }}"),
            ("Maakunta", "{{ project.region }}"),
            ("Käsittelyvaihe", "{{ project.status }}"),
        ],
    )
    h1(doc, "2 Tiivistelmä ja lähtötilanne")
    text_block(doc, "project.summary")
    narratives(doc, "starting_point", None)
    h1(doc, "3 Tavoitteet ja niiden toteutuminen")
    loop_table(doc, "goals", "g", GOALS, "Tavoitteita ei ole kirjattu.")
    h2(doc, "Mittarit")
    loop_table(
        doc,
        "indicators",
        "i",
        indicator_columns("Toteuma"),
        "Mittareita ei ole kirjattu.",
        numeric=(2, 3, 4, 5),
    )
    indicator_note(doc)
    chart(doc, "indicator_chart")
    h1(doc, "4 Toimenpiteet")
    h2(doc, "Hankkeen toteutustapa")
    narratives(doc, "implementation")
    h2(doc, "Kirjatut toimenpiteet")
    loop_table(doc, "measures", "m", MEASURES, NO_MEASURES)
    tag(doc, "{%p if periods %}")
    h2(doc, "Raportointijaksot")
    loop_table(
        doc,
        "periods",
        "p",
        [
            ("Jakso", "{{ p.number }}", 14),
            ("Aika", "{{ p.start_date|daterange(p.end_date) }}", 36),
            ("Mitä tehtiin", "{{ p.done }}", 115),
        ],
        "Raportointijaksoja ei ole kirjattu.",
    )
    tag(doc, "{%p endif %}")
    h1(doc, "5 Tulokset ja vaikutukset")
    h2(doc, "Muutokset hankkeen aikana")
    narratives(doc, "achievements")
    h2(doc, RESULTS_HEADING)
    para(doc, RESULTS_NOTE)
    loop_table(doc, "results", "r", RESULTS, "Tavoiteltuja tuloksia ei ole kirjattu.")
    h1(doc, "6 Juurruttaminen")
    embedding_block(doc)
    h1(doc, "7 Talousarvio ja toteuma")
    funding_block(doc, "")
    h2(doc, "Talousarvio ja toteutuneet kustannukset kustannuslajeittain")
    budget_table(doc, period=False)
    other_sections(doc, "8 Muut hankkeen kuvaukset")
    attachments(doc, t)
    return doc


# --- the EVAUS decision report -------------------------------------------------------------------


def _no_widths(table: Table) -> None:
    """Let a table with a column loop ({%tc for %}) share its width evenly (docxtpl fixes the
    grid after rendering; cells without their own width follow it)."""
    for row in table.rows:
        for cell in row.cells:
            tcpr = cell._tc.get_or_add_tcPr()
            for width in tcpr.findall(qn("w:tcW")):
                tcpr.remove(width)
    grid = table._tbl.tblGrid
    columns = grid.findall(qn("w:gridCol"))
    for col in columns:
        col.set(qn("w:w"), str(int(Mm(TEXT_WIDTH_MM / len(columns)).twips)))


def key_figure_tables(doc: object, t: T) -> None:
    """Each key-figure table of the alternatives as it was entered: its own columns and rows."""
    tag(doc, "{%p for kf in key_figures %}")
    caption = para(
        doc, "{{ kf.caption or '" + t("Tunnusluvut", "Nyckeltal") + "' }} ({{ kf.alternative }})"
    )
    caption.runs[0].bold = True
    caption.paragraph_format.keep_with_next = True
    table: Table = doc.add_table(rows=4, cols=3)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = table.rows[0].cells
    _cell_text(header[0], "{%tc for c in kf.columns %}")
    _cell_text(header[1], "{% if c %}{{ c }}{% endif %}", bold=True)
    _shade(header[1], HEADER_FILL)
    _cell_text(header[2], "{%tc endfor %}")
    _repeat_header(table)
    _cell_text(table.rows[1].cells[0], "{%tr for row in kf.rows %}")
    body = table.rows[2].cells
    _cell_text(body[0], "{%tc for v in row %}")
    _cell_text(body[1], "{{ v|or_dash }}")
    _cell_text(body[2], "{%tc endfor %}")
    _cant_split(table.rows[2])
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    _no_widths(table)
    para(doc)
    tag(doc, "{%p endfor %}")


def draft_header(doc: object, text: str) -> None:
    """A draft says so on every page: a bold line in the header (empty for other statuses)."""
    header = doc.sections[0].header  # type: ignore[attr-defined]
    paragraph = header.paragraphs[0]
    run = paragraph.add_run("{% if assessment.draft %}   " + text + "{% endif %}")
    run.bold = True
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)


def _small(paragraph: Paragraph) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(8)


def build_evaus(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
    header_and_footer(
        doc, t("EVAUS-ARVIOINTIRAPORTTI", "EVAUS-BEDÖMNINGSRAPPORT"), t("Laadittu", "Upprättat")
    )
    draft_header(doc, t("LUONNOS – EI PÄÄTETTY", "UTKAST – INTE BESLUTAT"))
    para(doc, t("Ennakkovaikutusten arviointi", "Förhandsbedömning av konsekvenser"), "Title")
    name = para(doc, "{{ assessment.title }}")
    name.runs[0].bold = True
    name.runs[0].font.size = Pt(13)
    tag(doc, "{%p if assessment.draft %}")
    banner = para(
        doc,
        t(
            "LUONNOS: arviointi on kesken eikä siitä ole päätetty. Sisältö voi vielä muuttua.",
            "UTKAST: bedömningen pågår och inget beslut har fattats. Innehållet kan ändras.",
        ),
        bold=True,
    )
    banner.runs[0].font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
    tag(doc, "{%p endif %}")
    kv_table(
        doc,
        [
            (
                t("Hanke", "Projekt"),
                "{% if project.linked %}{{ project.name }}{% else %}"
                + t("ei hanketta", "inget projekt")
                + "{% endif %}",
            ),
            (
                t("Versio ja tila", "Version och status"),
                "{{ assessment.version_number }} ({{ assessment.status }})"
                "{% if assessment.version_date %}, "
                + t("muutettu", "ändrad")
                + " {{ assessment.version_date|pvm }}{% endif %}",
            ),
            (
                t("Versiot", "Versioner"),
                "{% for v in assessment.versions %}{{ v.number }} {{ v.status }}"
                "{% if v.changed_on %} {{ v.changed_on|pvm }}{% endif %}"
                "{% if v.this %} ("
                + t("tämä raportti", "denna rapport")
                + "){% endif %}{% if not loop.last %}; {% endif %}{% endfor %}"
                "{% if not assessment.versions %}{{ assessment.version_number }}{% endif %}",
            ),
            (t("Arviointikehikko", "Bedömningsram"), "{{ assessment.framework }}"),
            (
                t("Valmistelijat", "Beredare"),
                "{{ assessment.preparers }}{% if assessment.organisation %}, "
                "{{ assessment.organisation }}{% endif %}",
            ),
        ],
        label_width=40,
    )
    tag(doc, "{%p if assessment.newer_version %}")
    para(
        doc,
        t(
            "Arvioinnista on uudempi versio {{ assessment.newer_version.number }} "
            "({{ assessment.newer_version.status }}). Tämä raportti on tehty versiosta "
            "{{ assessment.version_number }} ({{ assessment.status }}).",
            "Det finns en nyare version {{ assessment.newer_version.number }} "
            "({{ assessment.newer_version.status }}) av bedömningen. Denna rapport gäller "
            "version {{ assessment.version_number }} ({{ assessment.status }}).",
        ),
        bold=True,
    )
    tag(doc, "{%p endif %}")

    h1(doc, t("1 Tiivistelmä päätöksentekijöille", "1 Sammandrag för beslutsfattare"))
    h2(doc, t("Päätettävä asia", "Ärendet som ska beslutas"))
    text_block(doc, "assessment.decision")
    tag(doc, "{%p if assessment.decision_summary %}")
    text_block(doc, "assessment.decision_summary")
    tag(doc, "{%p endif %}")

    h2(doc, t("Vaihtoehdot", "Alternativ"))
    alternative_cell = (
        "{{ a.name }}{% if a.is_zero %} (" + t("0-vaihtoehto", "nollalternativ") + "){% endif %}"
        "{% if a.recommended %} – " + t("suositus", "rekommendation") + "{% endif %}"
        "{% if a.chosen %} – " + t("päätetty", "beslutat") + "{% endif %}"
    )
    loop_table(
        doc,
        "alternatives",
        "a",
        [
            (t("Vaihtoehto", "Alternativ"), alternative_cell, 40),
            (t("Kuvaus", "Beskrivning"), "{{ a.description }}", 79),
            (t("€ / vuosi", "€ / år"), "{{ a.cost_per_year|eur }}", 22),
            (t("Henkilöstö (htv)", "Personal (årsv.)"), "{{ a.staff_fte|num }}", 24),
        ],
        t("Vaihtoehtoja ei ole kirjattu.", "Inga alternativ har registrerats."),
        numeric=(2, 3),
    )
    h2(doc, t("Vaikutusten lukumäärät vaihtoehdoittain", "Antal konsekvenser per alternativ"))
    loop_table(
        doc,
        "alternatives",
        "a",
        [
            (t("Vaihtoehto", "Alternativ"), alternative_cell, 39),
            (t("Myön\u00adteisiä (+)", "Posi\u00adtiva (+)"), "{{ a.positive }}", 18),
            (t("Kiel\u00adteisiä (−)", "Nega\u00adtiva (−)"), "{{ a.negative }}", 18),
            (t("Ristirii\u00adtaisia (±)", "Mot\u00adstridiga (±)"), "{{ a.mixed }}", 19),
            (t("Epä\u00advarmoja (?)", "Osäkra (?)"), "{{ a.uncertain }}", 18),
            (
                t("Ei vaiku\u00adtusta (0)", "Ingen konse\u00adkvens (0)"),
                "{{ a.no_impact }}",
                19,
            ),
            (
                t("Arvioi\u00admatta (○)", "Ej be\u00addömda (○)"),
                "{{ a.not_assessed }}",
                18,
            ),
            (t("Riskejä (suuria)", "Risker (stora)"), "{{ a.risks }} ({{ a.high_risks }})", 16),
        ],
        t("Vaihtoehtoja ei ole kirjattu.", "Inga alternativ har registrerats."),
        numeric=(1, 2, 3, 4, 5, 6, 7),
    )
    _small(
        para(
            doc,
            t(
                "Taulukko kertoo, monellako vaikutusalueella vaihtoehdon vaikutus on myönteinen, "
                "kielteinen, ristiriitainen (sekä myönteinen että kielteinen), epävarma tai ei "
                "vaikutusta. Arvioimatta-sarakkeessa ovat olennaiset vaikutusalueet, joilla "
                "vaikutusta ei ole arvioitu, ja vaikutusalueet, joiden olennaisuutta ei ole "
                "ratkaistu. Asteikot ovat järjestysasteikkoja: lukuja ei lasketa yhteen pisteiksi.",
                "Tabellen anger inom hur många konsekvensområden alternativets konsekvens är "
                "positiv, negativ, motstridig (både positiv och negativ), osäker eller ingen. "
                "Kolumnen Ej bedömda omfattar relevanta områden där konsekvensen inte har "
                "bedömts och områden vars relevans inte har avgjorts. Skalorna är "
                "ordinalskalor: antalen summeras inte till poäng.",
            ),
        )
    )
    tag(doc, "{%p if coverage %}")
    para(
        doc,
        t(
            "Vaikutusalueita on {{ coverage.areas }}: olennaisiksi arvioitu "
            "{{ coverage.relevant }}, rajattu pois {{ coverage.excluded }}, olennaisuus "
            "ratkaisematta {{ coverage.undecided }}.",
            "Konsekvensområdena är {{ coverage.areas }}: relevanta {{ coverage.relevant }}, "
            "avgränsade {{ coverage.excluded }}, relevansen inte avgjord {{ coverage.undecided }}.",
        ),
    )
    para(
        doc,
        "{% if coverage.all_assessed %}"
        + t(
            "Kaikki vaikutusalueet arvioitiin: jokaisen olennaisuus ratkaistiin ja olennaiset "
            "vaikutukset arvioitiin kaikille vaihtoehdoille.",
            "Alla konsekvensområden bedömdes: relevansen avgjordes för vart och ett och de "
            "relevanta konsekvenserna bedömdes för alla alternativ.",
        )
        + "{% else %}"
        + t("Arviointi on vajaa:", "Bedömningen är ofullständig:")
        + "{% if coverage.undecided %} {{ coverage.undecided }} "
        + t(
            "vaikutusalueen olennaisuutta ei ole ratkaistu",
            "konsekvensområdens relevans har inte avgjorts",
        )
        + "{% endif %}{% if coverage.undecided and coverage.missing_impacts %};"
        "{% endif %}{% if coverage.missing_impacts %} {{ coverage.missing_impacts }} "
        + t(
            "vaikutusta olennaisilla vaikutusalueilla on arvioimatta",
            "konsekvenser inom relevanta områden är inte bedömda",
        )
        + "{% endif %}. "
        + t(
            "Vertailu ei siksi kata kaikkia vaikutuksia.",
            "Jämförelsen omfattar därför inte alla konsekvenser.",
        )
        + "{% endif %}",
        bold=True,
    )
    tag(doc, "{%p endif %}")

    impact_columns = [
        (t("Vaihtoehto", "Alternativ"), "{{ x.alternative }}", 34),
        (t("Vaikutusalue", "Konsekvensområde"), "{{ x.area }}", 38),
        (t("Suunta", "Riktning"), "{{ x.symbol }}", 17),
        (
            t("Kohdistuu", "Berör"),
            "{{ x.groups|or_dash }}{% if x.certainty %} ("
            + t("varmuus", "säkerhet")
            + ": {{ x.certainty|lower }}){% endif %}",
            76,
        ),
    ]
    h2(doc, t("Keskeiset myönteiset vaikutukset", "Centrala positiva konsekvenser"))
    loop_table(
        doc,
        "positives",
        "x",
        impact_columns,
        t("Myönteisiä vaikutuksia ei ole arvioitu.", "Inga positiva konsekvenser har bedömts."),
    )
    h2(
        doc,
        t(
            "Keskeiset kielteiset ja ristiriitaiset vaikutukset",
            "Centrala negativa och motstridiga konsekvenser",
        ),
    )
    loop_table(
        doc,
        "negatives",
        "x",
        impact_columns,
        t("Kielteisiä vaikutuksia ei ole arvioitu.", "Inga negativa konsekvenser har bedömts."),
    )
    h2(doc, t("Vaihtoehtojen punninta", "Avvägningar mellan alternativen"))
    text_block(doc, "trade_offs")
    h2(doc, t("Epävarmuudet", "Osäkerheter"))
    text_block(doc, "uncertainties")
    h2(doc, t("Haittojen lieventäminen", "Lindring av negativa konsekvenser"))
    tag(doc, "{%p for m in mitigations %}")
    para(doc, "{{ m.target }}: {{ m.text }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not mitigations %}")
    para(doc, "{{ no_information }}.")
    tag(doc, "{%p endif %}")

    h2(doc, t("Suositus ja perustelut", "Rekommendation och motivering"))
    para(
        doc,
        t("Suositeltava vaihtoehto", "Rekommenderat alternativ") + ": {{ recommendation }}",
        bold=True,
    )
    text_block(doc, "reasoning")
    tag(doc, "{%p if chosen %}")
    para(
        doc,
        t("Päätetty vaihtoehto", "Beslutat alternativ")
        + ": {{ chosen }}{% if assessment.decision_date %} ({{ assessment.decision_date|pvm }})"
        "{% endif %}",
    )
    tag(doc, "{%p endif %}")

    h2(doc, t("Seuranta", "Uppföljning"))
    loop_table(
        doc,
        "follow_ups",
        "f",
        [
            (t("Mittari", "Indikator"), "{{ f.name }}", 45),
            (t("Lähtötaso", "Utgångsnivå"), "{{ f.baseline|or_dash }}", 22),
            (t("Tavoite", "Mål"), "{{ f.target|or_dash }}", 22),
            (t("Tietolähde", "Källa"), "{{ f.source|or_dash }}", 28),
            (t("Aikataulu", "Tidtabell"), "{{ f.schedule|or_dash }}", 20),
            (t("Vastuu", "Ansvar"), "{{ f.responsible|or_dash }}", 28),
        ],
        t("Seurantamittareita ei ole kirjattu.", "Inga uppföljningsindikatorer har registrerats."),
    )
    para(
        doc,
        t("Jälkiarvioinnin ajankohta", "Tidpunkt för efterhandsbedömningen")
        + ": {{ assessment.ex_post_date|pvm }}",
    )
    h2(doc, t("Kuullut tahot", "Hörda parter"))
    loop_table(
        doc,
        "hearings",
        "h",
        [
            (t("Taho", "Part"), "{{ h.group }}", 45),
            (t("Tapa", "Sätt"), "{{ h.method|or_dash }}", 45),
            (t("Mitä tuotiin esiin", "Vad som framfördes"), "{{ h.summary|or_dash }}", 75),
        ],
        t("Kuulemisia ei ole kirjattu.", "Inga höranden har registrerats."),
    )

    h1(doc, t("2 Tausta", "2 Bakgrund"))
    h2(doc, t("Tarveharkinta", "Behovsprövning"))
    tag(doc, "{%p if screening %}")
    para(doc, "{{ screening.result }}", bold=True)
    tag(doc, "{%p if screening.criteria %}")
    para(doc, t("Perusteet", "Grunder") + ":")
    tag(doc, "{%p for c in screening.criteria %}")
    para(doc, "{{ c }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if screening.reason %}")
    text_block(doc, "screening.reason")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if screening.notes %}")
    text_block(doc, "screening.notes")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for b in background %}")
    h2(doc, "{{ b.heading }}")
    text_block(doc, "b.text")
    tag(doc, "{%p endfor %}")

    h1(doc, t("3 Vaikutukset vaihtoehdoittain", "3 Konsekvenser per alternativ"))
    chart(
        doc,
        "heatmap",
        t("Vaikutusalueita ei ole arvioitu.", "Inga konsekvensområden har bedömts."),
    )
    h2(doc, t("Vaikutusmatriisi", "Konsekvensmatris"))
    loop_table(
        doc,
        "matrix",
        "r",
        [
            (t("Vaikutusalue", "Konsekvens\u00adområde"), "{{ r.area }}", 28),
            (t("Vaihtoehto", "Alternativ"), "{{ r.alternative }}", 33),
            (t("Suunta", "Rikt\u00adning"), "{{ r.symbol }}", 15),
            (
                t("Suuruus, aikajänne, varmuus", "Storlek, tidsperspektiv, säkerhet"),
                "{% if r.assessed %}{{ r.size|or_dash }}, {{ r.time_span|or_dash|lower }}, "
                "{{ r.certainty|or_dash|lower }}{% else %}{{ r.direction }}{% endif %}",
                28,
            ),
            (
                t("Perustelu, kohdentuminen ja lähde", "Motivering, vem det berör och källa"),
                "{{ r.justification|or_dash }}{% if r.groups %} ("
                + t("kohdistuu", "berör")
                + ": {{ r.groups }}){% endif %}{% if r.evidence %} "
                + t("Lähde", "Källa")
                + ": {{ r.evidence }}{% endif %}",
                61,
            ),
        ],
        t("Vaikutuksia ei ole arvioitu.", "Inga konsekvenser har bedömts."),
    )
    _small(
        para(
            doc,
            t(
                "Suunta: ++ selvästi myönteinen, + myönteinen, 0 ei vaikutusta, − kielteinen, "
                "−− selvästi kielteinen, ± sekä myönteinen että kielteinen, ? epävarma, "
                "○ ei arvioitu.",
                "Riktning: ++ klart positiv, + positiv, 0 ingen konsekvens, − negativ, "
                "−− klart negativ, ± både positiv och negativ, ? osäker, ○ inte bedömd.",
            ),
        )
    )
    h2(doc, t("Risteävät ja kasautuvat vaikutukset", "Korsande och kumulativa konsekvenser"))
    text_block(doc, "crossing_impacts")
    h2(doc, t("Rajatut vaikutusalueet", "Avgränsade konsekvensområden"))
    loop_table(
        doc,
        "excluded_areas",
        "e",
        [
            (t("Vaikutusalue", "Konsekvensområde"), "{{ e.area }}", 60),
            (t("Miksi ei olennainen", "Varför inte relevant"), "{{ e.reason|or_dash }}", 105),
        ],
        t(
            "Yhtään vaikutusaluetta ei ole rajattu pois.",
            "Inget konsekvensområde har avgränsats bort.",
        ),
    )
    tag(doc, "{%p if undecided_areas %}")
    para(
        doc,
        t(
            "Näiden vaikutusalueiden olennaisuutta ei ole ratkaistu, eikä niitä ole arvioitu:",
            "Relevansen av dessa konsekvensområden har inte avgjorts och de har inte bedömts:",
        ),
        bold=True,
    )
    tag(doc, "{%p for u in undecided_areas %}")
    para(doc, "{{ u }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    h2(doc, t("Riskit", "Risker"))
    loop_table(
        doc,
        "risks",
        "k",
        [
            (t("Riski", "Risk"), "{{ k.description }}", 48),
            (
                t("Vaihtoehto", "Alternativ"),
                "{{ k.alternative or '" + t("koko muutos", "hela förändringen") + "' }}",
                28,
            ),
            (t("Todennäköisyys", "Sannolikhet"), "{{ k.likelihood|or_dash }}", 26),
            (t("Seuraus", "Konsekvens"), "{{ k.consequence|or_dash }}", 22),
            (t("Hallinta", "Hantering"), "{{ k.mitigation|or_dash }}", 41),
        ],
        t("Riskejä ei ole kirjattu.", "Inga risker har registrerats."),
    )
    h2(doc, t("Tunnusluvut", "Nyckeltal"))
    key_figure_tables(doc, t)
    tag(doc, "{%p if not key_figures %}")
    para(doc, t("Tunnuslukuja ei ole kirjattu.", "Inga nyckeltal har registrerats."))
    tag(doc, "{%p endif %}")

    h1(doc, t("4 Jälkiarviointi", "4 Efterhandsbedömning"))
    tag(doc, "{%p if ex_post %}")
    para(
        doc,
        t("Toteutettu vaihtoehto", "Genomfört alternativ") + ": {{ ex_post.alternative }}",
    )
    para(doc, "{{ ex_post.verdict }}", bold=True)
    tag(doc, "{%p if ex_post.summary %}")
    text_block(doc, "ex_post.summary")
    tag(doc, "{%p endif %}")
    loop_table(
        doc,
        "ex_post.rows",
        "o",
        [
            (t("Vaikutusalue", "Konsekvensområde"), "{{ o.area }}", 36),
            (t("Arvioitu", "Bedömt"), "{{ o.assessed }}", 22),
            (t("Toteutunut", "Utfall"), "{{ o.realised|or_dash }}", 22),
            (t("Tulos", "Resultat"), "{{ o.outcome }}", 20),
            (
                t("Peruste ja näyttö", "Grund och belägg"),
                "{{ o.reason }}{% if o.evidence %} {{ o.evidence }}{% endif %}",
                65,
            ),
        ],
        t("Vaikutuksia ei ole seurattu.", "Konsekvenserna har inte följts upp."),
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        t("Jälkiarviointia ei ole vielä tehty.", "Efterhandsbedömningen har inte gjorts ännu."),
    )
    tag(doc, "{%p endif %}")
    return doc


TEMPLATES: dict[str, Callable[[], object]] = {
    "card_fi.docx": lambda: build_card("fi"),
    "card_sv.docx": lambda: build_card("sv"),
    "evaus_fi.docx": lambda: build_evaus("fi"),
    "evaus_sv.docx": lambda: build_evaus("sv"),
    "esr-period_fi.docx": build_esr_period,
    "esr-final_fi.docx": build_esr_final,
    "stea_fi.docx": build_stea,
    "stm_fi.docx": build_stm,
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
        doc.save(str(HERE / name))  # type: ignore[attr-defined]
        print(f"wrote {name}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
