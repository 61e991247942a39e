"""Shared set-up and blocks of the report templates (see build_templates.py)."""

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


def set_lang(style_element: object, lang: str) -> None:
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
    set_lang(normal.element, "fi-FI" if lang == "fi" else "sv-FI")
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


def word_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
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


def right_tab(paragraph: Paragraph) -> None:
    """One right-aligned tab stop at the text edge; the Header style's centre stop is cleared."""
    stops = paragraph.paragraph_format.tab_stops
    stops.add_tab_stop(Inches(3.25), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Inches(6.5), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)


def header_and_footer(doc: object, report_name: str, made_label: str) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    header = section.header
    first = header.paragraphs[0]
    right_tab(first)
    first.paragraph_format.space_after = Pt(0)
    run = first.add_run(report_name)
    run.bold = True
    run.font.size = Pt(9)
    first.add_run("\t").font.size = Pt(9)
    word_field(first, "PAGE", "1")
    first.add_run(" (")
    word_field(first, "NUMPAGES", "1")
    first.add_run(")")
    for r in first.runs:
        r.font.size = Pt(9)
    second = header.add_paragraph()
    right_tab(second)
    second.paragraph_format.space_after = Pt(0)
    name = second.add_run("{{ (project.short_name or project.name)|truncate(70) }}\t")
    name.font.size = Pt(9)
    when = second.add_run("{{ generated_on|pvm }}")
    when.font.size = Pt(9)
    bottom_border(second)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    text = footer.add_run(made_label + " {{ generated_on|pvm }}")
    text.font.size = Pt(8)
    text.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def bottom_border(paragraph: Paragraph) -> None:
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


def shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def cell_text(cell: _Cell, text: str, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(9)


def repeat_header(table: Table) -> None:
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def cant_split(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    trpr.append(OxmlElement("w:cantSplit"))


def set_widths(table: Table, widths: Sequence[float]) -> None:
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
        cell_text(row.cells[0], label, bold=True)
        shade(row.cells[0], LABEL_FILL)
        cell_text(row.cells[1], value)
        cant_split(row)
    set_widths(table, [label_width, TEXT_WIDTH_MM - label_width])
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
        cell_text(cell, header, bold=True, right=i in numeric)
        shade(cell, HEADER_FILL)
    repeat_header(table)
    cell_text(table.rows[1].cells[0], f"{{%tr for {var} in {items} %}}")
    for i, (_h, expr, _w) in enumerate(columns):
        cell_text(table.rows[2].cells[i], expr, right=i in numeric)
    cant_split(table.rows[2])
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    if total_row:
        for i, text in enumerate(total_row):
            cell = table.rows[4].cells[i]
            cell_text(cell, text, bold=True, right=i in numeric)
            shade(cell, LABEL_FILL)
    set_widths(table, [w for _h, _e, w in columns])
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


# --- shared blocks of the funder reports ------------------------------------------------------
# Each takes the translator ``t(fi, sv)`` of the template's language.


def goals(t: T) -> list[tuple[str, str, float]]:
    return [
        (t("Nro", "Nr"), "{{ g.number }}", 14),
        (
            t("Tavoite", "Mål"),
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


def measures(t: T) -> list[tuple[str, str, float]]:
    return [
        (t("Nro", "Nr"), "{{ m.number }}", 12),
        (
            t("Toimenpide", "Åtgärd"),
            measure_cell(
                t("tavoite", "mål"), t("Vastuutaho", "Ansvarig"), t("Aikataulu", "Tidsplan")
            ),
            TEXT_WIDTH_MM - 12,
        ),
    ]


def results(t: T) -> list[tuple[str, str, float]]:
    return [
        (t("Tyyppi", "Typ"), "{{ r.kind }}", 30),
        (t("Kuvaus", "Beskrivning"), "{{ r.text }}", TEXT_WIDTH_MM - 30),
    ]


def results_block(doc: object, t: T) -> None:
    """The registry keeps results as the project's aims (it records no achievement of a
    result): the reports say so and never list them as achieved."""
    h2(doc, t("Tavoitellut tulokset", "Eftersträvade resultat"))
    para(
        doc,
        t(
            "Hankkeen tavoittelemat tuotokset, tulokset ja vaikutukset. Niiden toteutuminen "
            "näkyy mittareista ja hankkeen kuvauksista.",
            "De prestationer, resultat och effekter som projektet eftersträvar. Hur de har "
            "uppnåtts framgår av indikatorerna och projektets beskrivningar.",
        ),
    )
    loop_table(
        doc,
        "results",
        "r",
        results(t),
        t("Tavoiteltuja tuloksia ei ole kirjattu.", "Inga eftersträvade resultat har registrerats."),
    )


def no_measures(t: T) -> str:
    return t(
        "Toimenpiteitä ei ole kirjattu erikseen.{% if implementation %} Toteutus on kuvattu "
        "yllä.{% endif %}",
        "Inga åtgärder har registrerats separat.{% if implementation %} Genomförandet beskrivs "
        "ovan.{% endif %}",
    )


def no_goals(t: T) -> str:
    return t("Tavoitteita ei ole kirjattu.", "Inga mål har registrerats.")


def no_indicators(t: T) -> str:
    return t("Mittareita ei ole kirjattu.", "Inga indikatorer har registrerats.")


def no_periods(t: T) -> str:
    return t("Raportointijaksoja ei ole kirjattu.", "Inga rapporteringsperioder har registrerats.")


def funding_columns(t: T) -> list[tuple[str, str, float]]:
    return [
        (t("Rahoittaja", "Finansiär"), "{{ f.funder }}", 42),
        (t("Rahoituslähde", "Finansieringskälla"), "{{ f.funder_code }}", 38),
        (
            t("Myönnetty", "Beviljat"),
            "{{ f.amount|eur }}{% if f.share_percent is not none %} ({{ f.share_percent|pct }})"
            "{% endif %}",
            28,
        ),
        (t("Omarahoitus", "Själv\u00adfinan\u00adsiering"), "{{ f.own_contribution|eur }}", 24),
        (
            t("Päätös", "Beslut"),
            "{{ f.decision_number }}{% if f.decision_date %}, {{ f.decision_date|pvm }}{% endif %}",
            33,
        ),
    ]


def participant_columns(t: T) -> list[tuple[str, str, float]]:
    return [
        (t("Ikäluokka", "Åldersklass"), "{{ p.age_class }}", 45),
        (t("Naiset", "Kvinnor"), "{{ p.women }}", 30),
        (t("Miehet", "Män"), "{{ p.men }}", 30),
        (t("Muu / ei tiedossa", "Annat / okänt"), "{{ p.other }}", 30),
        (t("Yhteensä", "Totalt"), "{{ p.total }}", 30),
    ]


def participant_totals(t: T) -> list[str]:
    return [
        t("Yhteensä", "Totalt"),
        "{{ participants.women }}",
        "{{ participants.men }}",
        "{{ participants.other }}",
        "{{ participants.total }}",
    ]


def indicator_name(t: T) -> str:
    """The indicator with its goal and the direction of progress in words."""
    return (
        "{{ i.name }}{% if i.goal %} ("
        + t("tavoite", "mål")
        + " {{ i.goal }}){% endif %}. "
        + t("Suunta", "Riktning")
        + ": {{ i.direction }}."
    )


def progress_header(t: T) -> str:
    return t("Edisty\u00adminen", "Fram\u00adsteg")


def indicator_note(doc: object, t: T) -> None:
    tag(doc, "{%p if indicators %}")
    note = t(
        "Edistyminen on se osuus matkasta lähtötasolta tavoitteeseen, joka on kuljettu: 0 % on "
        "lähtötaso ja 100 % tavoite, myös kun tavoitteena on pienempi luku. Yli 100 % ylittää "
        "tavoitteen, alle 0 % tarkoittaa muutosta väärään suuntaan. Ilman lähtötasoa "
        "edistymistä ei voi laskea.",
        "Framsteget är den andel av vägen från utgångsläget till målet som har tillryggalagts: "
        "0 % är utgångsläget och 100 % målet, även när målet är ett mindre tal. Över 100 % "
        "överskrider målet, under 0 % betyder en förändring i fel riktning. Utan utgångsläge "
        "kan framsteget inte beräknas.",
    )
    para(doc, note).paragraph_format.space_before = Pt(6)
    tag(doc, "{%p endif %}")


def by_language(t: T, fi: Sequence[float], sv: Sequence[float]) -> Sequence[float]:
    """Column widths (mm) per language: Swedish headers are longer ("Uppgifternas kvalitet")."""
    return fi if t("fi", "sv") == "fi" else sv


def indicator_columns(t: T, value_header: str) -> list[tuple[str, str, float]]:
    widths = by_language(t, (10, 50, 20, 20, 22, 20, 23), (10, 46, 21, 20, 22, 20, 26))
    columns = [
        (t("Nro", "Nr"), "{{ i.number }}"),
        (t("Mittari", "Indikator"), indicator_name(t)),
        (t("Lähtötaso", "Utgångs\u00adnivå"), "{{ i.baseline|num(i.unit) }}"),
        (t("Tavoite", "Mål"), "{{ i.target|num(i.unit) }}"),
        (value_header, "{{ i.value|num(i.unit) }}"),
        (progress_header(t), "{{ i.progress_percent|pct }}"),
        (t("Tiedon laatu", "Uppgif\u00adternas kvalitet"), "{{ i.value_basis }}"),
    ]
    return [(head, expr, w) for (head, expr), w in zip(columns, widths, strict=True)]


def indicator_values(t: T) -> list[tuple[str, str, float]]:
    widths = by_language(t, (55, 15, 35, 20, 20, 20), (50, 15, 33, 20, 26, 21))
    columns = [
        (t("Mittari", "Indikator"), "{{ v.indicator }}"),
        (t("Jakso", "Period"), "{{ v.period }}"),
        (t("Aika", "Tid"), "{{ v.start_date|daterange(v.end_date) }}"),
        (t("Toteuma", "Utfall"), "{{ v.value|num(v.unit) }}"),
        (t("Tiedon laatu", "Uppgif\u00adternas kvalitet"), "{{ v.basis }}"),
        (t("Huom.", "Anm."), "{{ v.note|or_dash }}"),
    ]
    return [(head, expr, w) for (head, expr), w in zip(columns, widths, strict=True)]


def no_data(t: T) -> str:
    return t("Ei tietoa.", "Uppgift saknas.")


def new_year_rule(t: T) -> str:
    return t(
        "Vuodenvaihteen ylittävä raportointijakso luetaan sille vuodelle, jolle suurin osa sen "
        "päivistä osuu (tasatilanteessa myöhemmälle), eikä koskaan kahdelle vuodelle.",
        "En rapporteringsperiod som sträcker sig över årsskiftet räknas till det år då de "
        "flesta av dess dagar infaller (vid lika antal till det senare), aldrig till två år.",
    )


def period_of_use(t: T, start: str, end: str, *, grant: bool = False) -> str:
    """The value of a funding's period of use: the funding row's own period (``start``/``end``:
    expressions); when the row has none, the project's term, saying that it is the term (never
    presented as the funding's own period). ``grant``: a state grant (avustus, understöd)."""
    term = "{{ project.start_date|daterange(project.end_date) }}"
    if grant:
        note = t(
            "(hankkeen toteutusaika; avustuksen omaa käyttöaikaa ei ole kirjattu)",
            "(projektets genomförandetid; understödets egen användningstid har inte registrerats)",
        )
    else:
        note = t(
            "(hankkeen toteutusaika; rahoituksen omaa käyttöaikaa ei ole kirjattu)",
            "(projektets genomförandetid; finansieringens egen användningstid har inte "
            "registrerats)",
        )
    return (
        f"{{% if {start} or {end} %}}{{{{ {start}|daterange({end}) }}}}"
        "{% elif project.start_date or project.end_date %}"
        + term
        + " "
        + note
        + "{% else %}{{ no_information }}{% endif %}"
    )


def basic_esr(doc: object, t: T, period_row: tuple[str, str] | None) -> None:
    rows = [
        (t("Hankekoodi", "Projektkod"), "{{ project.code }}"),
        (t("Hankkeen nimi", "Projektets namn"), "{{ project.name }}"),
        (t("Ohjelma", "Program"), "{{ project.programme }}"),
        (t("Toimintalinja", "Åtgärdslinje"), "{{ project.action_line }}"),
        (t("Erityistavoite", "Specifikt mål"), "{{ project.specific_objective }}"),
        (t("Vastuuviranomainen", "Ansvarig myndighet"), "{{ project.responsible_authority }}"),
        (t("Päätoteuttaja", "Huvudgenomförare"), "{{ project.lead }}"),
        (
            t("Toteutusaika", "Genomförandetid"),
            "{{ project.start_date|daterange(project.end_date) }}",
        ),
        (
            t("Rahoituksen käyttöaika", "Finansieringens användningstid"),
            period_of_use(t, "project.grant_start", "project.grant_end"),
        ),
    ]
    if period_row:
        rows.append(period_row)
    rows += [
        (t("Rahoituspäätös", "Finansieringsbeslut"), "{{ project.decision_number }}"),
        (t("Kokonaisbudjetti", "Total budget"), "{{ project.budget_amount|eur }}"),
        (t("Budjettiluokka", "Budgetklass"), "{{ project.budget_class }}"),
        (t("Käsittelyvaihe", "Skede"), "{{ project.status }}"),
    ]
    kv_table(doc, rows)


def fixed_row(table: Table, row: int, cells: Sequence[str], numeric: Sequence[int]) -> None:
    for i, text in enumerate(cells):
        cell = table.rows[row].cells[i]
        cell_text(cell, text, bold=True, right=i in numeric)
        shade(cell, LABEL_FILL)
    cant_split(table.rows[row])


def budget_table(doc: object, t: T, *, period: bool) -> None:
    """Budget against actual by cost category: the costs, their total, the income (subtracted)
    and the net cost. ``period``: the period's actual costs beside the cumulative ones."""
    money = "|eur(True)"
    used = t("Käyttö\u00adaste", "Utnytt\u00adjande\u00adgrad")
    if period:
        columns = [
            (t("Kustannuslaji", "Kostnadsslag"), "category", 55),
            (t("Budjetti", "Budget"), "planned" + money, 29),
            (t("Jakso", "Period") + " {{ period.number }}", "period_actual" + money, 29),
            (t("Kertynyt", "Ackumulerat"), "actual" + money, 29),
            (used, "used_percent|pct", 23),
        ]
    else:
        columns = [
            (t("Kustannuslaji", "Kostnadsslag"), "category", 71),
            (t("Budjetti", "Budget"), "planned" + money, 34),
            (t("Toteutunut", "Utfall"), "actual" + money, 34),
            (used, "used_percent|pct", 26),
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
        cell_text(cell, header, bold=True, right=i in numeric)
        shade(cell, HEADER_FILL)
    repeat_header(table)
    cell_text(table.rows[1].cells[0], "{%tr for r in budget.costs %}")
    for i, text in enumerate(cells("r")):
        cell_text(table.rows[2].cells[i], text, right=i in numeric)
    cant_split(table.rows[2])
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    total = t("Kustannukset yhteensä", "Kostnader totalt")
    fixed_row(table, 4, cells("budget.cost_total", total), numeric)
    cell_text(table.rows[5].cells[0], "{%tr if budget.income %}")
    deducted = t("(vähennetään)", "(avdras)")
    income = cells("budget.income", "{{ budget.income.category }} " + deducted)
    for i, text in enumerate(income):
        cell_text(table.rows[6].cells[i], text, right=i in numeric)
    cant_split(table.rows[6])
    cell_text(table.rows[7].cells[0], "{%tr endif %}")
    net = t("Nettokustannukset (kustannukset − tulot)", "Nettokostnader (kostnader − intäkter)")
    fixed_row(table, 8, cells("budget.net", net), numeric)
    set_widths(table, [w for _h, _e, w in columns])
    if period:
        note = t(
            "Jakso: raportointijakson toteutuneet kustannukset. Kertynyt: jaksot "
            "1–{{ period.number }} yhteensä. Käyttöaste: kertynyt osuutena budjetista.",
            "Period: rapporteringsperiodens faktiska kostnader. Ackumulerat: perioderna "
            "1–{{ period.number }} sammanlagt. Utnyttjandegrad: ackumulerat som andel av "
            "budgeten.",
        )
    else:
        note = t(
            "Käyttöaste: toteutunut osuutena budjetista. Tulot vähennetään nettokustannuksista.",
            "Utnyttjandegrad: utfallet som andel av budgeten. Intäkterna dras av från "
            "nettokostnaderna.",
        )
    para(doc, note).paragraph_format.space_before = Pt(6)
    tag(doc, "{%p else %}")
    para(
        doc,
        t(
            "Kustannusarviota ja toteutuneita kustannuksia kustannuslajeittain ei ole kirjattu.",
            "Kostnadsberäkning och faktiska kostnader per kostnadsslag har inte registrerats.",
        ),
    )
    tag(doc, "{%p endif %}")


def funding_block(doc: object, t: T, costs_note: str) -> None:
    loop_table(
        doc,
        "funding.rows",
        "f",
        funding_columns(t),
        t("Rahoittajia ei ole kirjattu.", "Inga finansiärer har registrerats."),
        numeric=(2, 3),
    )
    totals = para(
        doc,
        t(
            "Myönnetty yhteensä: {{ funding.total_granted|eur }}. Omarahoitus yhteensä: "
            "{{ funding.total_own|eur }}. Hankkeen kokonaisbudjetti: {{ funding.budget|eur }}.",
            "Beviljat totalt: {{ funding.total_granted|eur }}. Självfinansiering totalt: "
            "{{ funding.total_own|eur }}. Projektets totala budget: {{ funding.budget|eur }}.",
        ),
    )
    totals.paragraph_format.space_before = Pt(6)
    chart(doc, "funding_chart")
    if costs_note:
        para(doc, costs_note)


def horizontal(doc: object, t: T, number: int) -> None:
    h1(doc, f"{number} " + t("Horisontaaliset periaatteet", "Övergripande principer"))
    h2(doc, t("Sukupuolten tasa-arvo", "Jämställdhet mellan könen"))
    text_block(doc, "equality")
    h2(doc, t("Yhdenvertaisuus ja syrjimättömyys", "Likabehandling och icke-diskriminering"))
    text_block(doc, "non_discrimination")
    h2(doc, t("Kestävä kehitys", "Hållbar utveckling"))
    text_block(doc, "sustainability")


def participants(doc: object, t: T, number: int, *, whole_project: bool) -> None:
    """By gender and age class, labour-market status and education. The whole project's
    figures count each person once; without them the periods' own figures, never summed."""
    h1(doc, f"{number} " + t("Osallistujat", "Deltagare"))
    tag(doc, "{%p if participants.known %}")
    if whole_project:
        para(
            doc,
            t(
                "Koko hankkeen osallistujat, kukin henkilö kerran (ei jaksojen summa).",
                "Deltagarna i hela projektet, varje person en gång (inte periodernas summa).",
            ),
        )
    else:
        para(doc, t("Raportointijakson osallistujat.", "Rapporteringsperiodens deltagare."))
    h2(doc, t("Sukupuoli ja ikäluokka", "Kön och åldersklass"))
    loop_table(
        doc,
        "participants.rows",
        "p",
        participant_columns(t),
        no_data(t),
        numeric=(1, 2, 3, 4),
        total_row=participant_totals(t),
    )
    for items, title, header in (
        (
            "participants.labour",
            t("Työmarkkina-asema hankkeeseen tullessa", "Ställning på arbetsmarknaden vid start"),
            t("Asema", "Ställning"),
        ),
        ("participants.education", t("Koulutus", "Utbildning"), t("Koulutusaste", "Nivå")),
    ):
        tag(doc, f"{{%p if {items} %}}")
        h2(doc, title)
        columns = [(header, "{{ c.label }}", 100), (t("Henkilöä", "Personer"), "{{ c.count }}", 30)]
        loop_table(doc, items, "c", columns, no_data(t), numeric=(1,))
        tag(doc, "{%p endif %}")
    not_recorded = t(
        "{{ no_information }}: osallistujatietoja ei ole kirjattu.",
        "{{ no_information }}: inga deltagaruppgifter har registrerats.",
    )
    tag(doc, "{%p else %}")
    if whole_project:
        tag(doc, "{%p if participants.per_period %}")
        para(
            doc,
            t(
                "Yksilöityjä osallistujamääriä ei ole kirjattu. Alla ovat raportointijaksojen "
                "omat luvut: sama henkilö voi olla mukana usealla jaksolla, joten niitä ei "
                "lasketa yhteen.",
                "Antalet unika deltagare har inte registrerats. Nedan visas rapporteringsperiodernas "
                "egna siffror: samma person kan delta under flera perioder, så de summeras inte.",
            ),
        )
        loop_table(
            doc,
            "participants.per_period",
            "q",
            [
                (t("Jakso", "Period"), "{{ q.number }}", 16),
                (t("Aika", "Tid"), "{{ q.start_date|daterange(q.end_date) }}", 50),
                (t("Osallistujia jaksolla", "Deltagare under perioden"), "{{ q.total }}", 40),
            ],
            no_data(t),
            numeric=(2,),
        )
        tag(doc, "{%p else %}")
        para(doc, not_recorded)
        tag(doc, "{%p endif %}")
    else:
        para(doc, not_recorded)
    tag(doc, "{%p endif %}")
