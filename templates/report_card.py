"""The project card (hankekortti / projektkort): the registry entry on one page, two at most.

Like the City of Oulu's public project card it prints what the registry holds and nothing
else: a basic-data row of an optional field (short name, portfolio, EURA code …) only when the
field is filled, a section only when it has content. The mandatory facts (name, term, status,
lead implementer, summary, goals, indicators) are always there and say "Ei tietoa" when they
are missing. Free texts are printed in full, as the Oulu card prints its summary.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt
from docx.table import Table
from report_blocks import (
    LABEL_FILL,
    TEXT_WIDTH_MM,
    cant_split,
    cell_text,
    goals,
    h1,
    h2,
    header_and_footer,
    loop_table,
    measure_cell,
    new_document,
    para,
    results,
    set_widths,
    shade,
    tag,
    text_block,
    translator,
)

# A basic-data row: (label, value expression, the condition that shows it or None: always).
Row = tuple[str, str, str | None]


def compact_styles(doc: object) -> None:
    """Smaller headings and spacing than the funder reports: the card is one page."""
    styles = doc.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.size = Pt(9.5)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.05
    for name, size, before in (("Title", 16, 0), ("Heading 1", 11.5, 7), ("Heading 2", 10, 5)):
        style = styles[name]
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(2)


def card_title(doc: object, title: str) -> None:
    para(doc, title, "Title")
    name = para(doc, "{{ project.name }}")
    name.runs[0].bold = True
    name.runs[0].font.size = Pt(13)


def optional_kv_table(doc: object, rows: Sequence[Row], label_width: float = 45) -> None:
    """Label | value rows; a row with a condition is left out when the condition is false
    (``{%tr if … %}`` rows around it), so an empty optional field prints nothing."""
    layout: list[tuple[str, str] | None] = []  # None: a row that only holds a tag
    tags: list[str] = []
    for label, value, condition in rows:
        if condition:
            layout.append(None)
            tags.append(f"{{%tr if {condition} %}}")
        layout.append((label, value))
        if condition:
            layout.append(None)
            tags.append("{%tr endif %}")
    table: Table = doc.add_table(rows=len(layout), cols=2)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    pending = iter(tags)
    for row, content in zip(table.rows, layout, strict=True):
        if content is None:
            cell_text(row.cells[0], next(pending))
            continue
        label, value = content
        cell_text(row.cells[0], label, bold=True)
        shade(row.cells[0], LABEL_FILL)
        cell_text(row.cells[1], value)
        cant_split(row)
    set_widths(table, [label_width, TEXT_WIDTH_MM - label_width])


def section(doc: object, condition: str, heading: str) -> None:
    """Opens a part printed only when ``condition`` holds (close it with ``end``)."""
    tag(doc, f"{{%p if {condition} %}}")
    h1(doc, heading)


def end(doc: object) -> None:
    tag(doc, "{%p endif %}")


def dash(expression: str, shown: str) -> str:
    """A table cell: ``shown`` when ``expression`` has a value, "–" when the registry has
    none (a column of "Ei tietoa" says nothing on a one-page card)."""
    return "{% if " + expression + " is not none %}" + shown + "{% else %}–{% endif %}"


def list_item(doc: object, text: str) -> None:
    """One line of a list (attachments, links): no space between the lines."""
    para(doc, text).paragraph_format.space_after = Pt(0)


def build_card(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
    compact_styles(doc)
    header_and_footer(doc, t("HANKEKORTTI", "PROJEKTKORT"), t("Laadittu", "Upprättat"))
    card_title(doc, t("Hankekortti", "Projektkort"))

    h1(doc, t("Perustiedot", "Basuppgifter"))
    optional_kv_table(
        doc,
        [
            (t("Hankkeen nimi", "Projektets namn"), "{{ project.name }}", None),
            (t("Lyhenne", "Förkortning"), "{{ project.short_name }}", "project.short_name"),
            (t("Hanketyyppi", "Projekttyp"), "{{ project.project_type }}", "project.project_type"),
            (t("Salkku", "Portfölj"), "{{ project.portfolio }}", "project.portfolio"),
            (t("Käsittelyvaihe", "Skede"), "{{ project.status }}", None),
            (
                t("Toteutusaika", "Genomförandetid"),
                "{{ project.start_date|daterange(project.end_date) }}",
                None,
            ),
            (t("Päätoteuttaja", "Huvudgenomförare"), "{{ project.lead }}", None),
            (t("Maakunta", "Landskap"), "{{ project.region }}", "project.region"),
            (t("Kunta", "Kommun"), "{{ project.municipality }}", "project.municipality"),
            (
                t("Budjetti", "Budget"),
                "{{ project.budget_amount|eur }}",
                "project.budget_amount is not none",
            ),
            (
                t("Budjettiluokka", "Budgetklass"),
                "{{ project.budget_class }}",
                "project.budget_class",
            ),
            (t("Hankekoodi (EURA)", "Projektkod (EURA)"), "{{ project.code }}", "project.code"),
            (
                t("Toimintalinja", "Åtgärdslinje"),
                "{{ project.action_line }}",
                "project.action_line",
            ),
            (
                t("Erityistavoite", "Specifikt mål"),
                "{{ project.specific_objective }}",
                "project.specific_objective",
            ),
            (
                t("Päätösnumero", "Beslutsnummer"),
                "{{ project.decision_number }}",
                "project.decision_number",
            ),
            (
                t("Vastuuviranomainen", "Ansvarig myndighet"),
                "{{ project.responsible_authority }}",
                "project.responsible_authority",
            ),
            (t("Teemat", "Teman"), "{{ project.themes }}", "project.themes"),
            (t("Verkkosivut", "Webbplats"), "{{ project.website }}", "project.website"),
        ],
    )

    h1(doc, t("Tiivistelmä", "Sammandrag"))
    text_block(doc, "project.summary")

    section(
        doc,
        "organisations or funding.rows",
        t("Toteuttajat ja rahoittajat", "Genomförare och finansiärer"),
    )
    tag(doc, "{%p if organisations %}")
    loop_table(
        doc,
        "organisations",
        "o",
        [
            (t("Rooli", "Roll"), "{{ o.role }}", 35),
            (
                t("Organisaatio", "Organisation"),
                "{{ o.name }}{% if o.y_tunnus %} ("
                + t("Y-tunnus", "FO-nummer")
                + " {{ o.y_tunnus }}){% endif %}",
                85,
            ),
            (t("Tyyppi", "Typ"), "{{ o.org_type|or_dash }}", 45),
        ],
        "",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if funding.rows %}")
    h2(doc, t("Rahoitus", "Finansiering"))
    loop_table(
        doc,
        "funding.rows",
        "f",
        [
            (
                t("Rahoittaja", "Finansiär"),
                # The funding source when it says more than the name ("Oulun kaupunki –
                # Kunta tai kaupunki"), not when it repeats it.
                "{{ f.funder }}{% if f.funder_code and f.funder not in f.funder_code "
                "and f.funder_code not in f.funder %} – {{ f.funder_code }}{% endif %}",
                68,
            ),
            (
                t("Myönnetty", "Beviljat"),
                dash(
                    "f.amount",
                    "{{ f.amount|eur }}{% if f.share_percent is not none %} "
                    "({{ f.share_percent|pct }}){% endif %}",
                ),
                32,
            ),
            (
                t("Omarahoitus", "Själv\u00adfinan\u00adsiering"),
                dash("f.own_contribution", "{{ f.own_contribution|eur }}"),
                25,
            ),
            (
                t("Päätös", "Beslut"),
                "{% if f.decision_number %}{{ f.decision_number }}"
                "{% if f.decision_date %}, {{ f.decision_date|pvm }}{% endif %}"
                "{% elif f.decision_date %}{{ f.decision_date|pvm }}{% else %}–{% endif %}",
                40,
            ),
        ],
        "",
        numeric=(1, 2),
    )
    totals = "funding.rows|length > 1 and funding.total_granted is not none"
    tag(doc, f"{{%p if {totals} %}}")
    para(
        doc,
        t("Myönnetty yhteensä", "Beviljat sammanlagt")
        + ": {{ funding.total_granted|eur }}{% if funding.total_own is not none %}. "
        + t("Omarahoitus yhteensä", "Självfinansiering sammanlagt")
        + ": {{ funding.total_own|eur }}{% endif %}.",
    ).paragraph_format.space_before = Pt(4)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    end(doc)

    h1(doc, t("Tavoitteet", "Mål"))
    loop_table(
        doc,
        "goals",
        "g",
        [
            (t("Nro", "Nr"), goals(t)[0][1], 12),
            (t("Tavoite", "Mål"), goals(t)[1][1], TEXT_WIDTH_MM - 12),
        ],
        t("Tavoitteita ei ole kirjattu.", "Inga mål har registrerats."),
    )
    section(doc, "measures", t("Toimenpiteet", "Åtgärder"))
    loop_table(
        doc,
        "measures",
        "m",
        [
            (t("Nro", "Nr"), "{{ m.number }}", 12),
            (
                t("Toimenpide", "Åtgärd"),
                measure_cell(
                    t("tavoite", "mål"), t("Vastuutaho", "Ansvarig"), t("Aikataulu", "Tidtabell")
                ),
                TEXT_WIDTH_MM - 12,
            ),
        ],
        "",
    )
    end(doc)
    section(
        doc,
        "results",
        t("Tavoitellut tulokset ja vaikutukset", "Eftersträvade resultat och effekter"),
    )
    loop_table(
        doc,
        "results",
        "r",
        [
            (t("Tyyppi", "Typ"), results(t)[0][1], 28),
            (t("Kuvaus", "Beskrivning"), results(t)[1][1], TEXT_WIDTH_MM - 28),
        ],
        "",
    )
    end(doc)
    h1(doc, t("Mittarit", "Indikatorer"))
    loop_table(
        doc,
        "indicators",
        "i",
        [
            (t("Nro", "Nr"), "{{ i.number }}", 10),
            (t("Mittari", "Indikator"), "{{ i.name }}", 47),
            (t("Lähtötaso", "Utgångsnivå"), dash("i.baseline", "{{ i.baseline|num(i.unit) }}"), 24),
            (t("Tavoite", "Mål"), "{{ i.target|num(i.unit) }}", 22),
            (
                t("Viimeisin toteuma", "Senaste utfall"),
                dash(
                    "i.value",
                    "{{ i.value|num(i.unit) }}{% if i.value_period %} ("
                    + t("jakso", "period")
                    + " {{ i.value_period }}){% endif %}",
                ),
                32,
            ),
            (t("Tiedon laatu", "Uppgif\u00adternas kvalitet"), "{{ i.value_basis|or_dash }}", 30),
        ],
        t("Mittareita ei ole kirjattu.", "Inga indikatorer har registrerats."),
        numeric=(2, 3, 4),
    )

    section(doc, "sections", t("Kuvaukset", "Beskrivningar"))
    tag(doc, "{%p for s in sections %}")
    title = para(doc, "{{ s.title }}", bold=True)
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.space_after = Pt(1)
    text_block(doc, "s.body")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if sections_shortened %}")
    note = para(
        doc,
        t(
            "Pitkät kuvaukset on lyhennetty kortille (…). Kokonaiset tekstit ovat hankkeen "
            "tiedoissa hankerekisterissä.",
            "Långa beskrivningar har förkortats på kortet (…). De fullständiga texterna finns i "
            "projektets uppgifter i projektregistret.",
        ),
    )
    note.runs[0].italic = True
    tag(doc, "{%p endif %}")
    end(doc)

    section(doc, "contacts", t("Yhteyshenkilöt", "Kontaktpersoner"))
    loop_table(
        doc,
        "contacts",
        "c",
        [
            (t("Nimi", "Namn"), "{{ c.name }}", 33),
            (t("Rooli", "Roll"), "{{ c.role|or_dash }}", 34),
            (t("Sähköposti", "E-post"), "{{ c.email|or_dash }}", 66),
            (t("Puhelin", "Telefon"), "{{ c.phone|or_dash }}", 32),
        ],
        "",
    )
    end(doc)

    section(
        doc,
        "attachments or links",
        "{% if attachments and links %}"
        + t("Liitteet ja linkit", "Bilagor och länkar")
        + "{% elif attachments %}"
        + t("Liitteet", "Bilagor")
        + "{% else %}"
        + t("Linkit", "Länkar")
        + "{% endif %}",
    )
    tag(doc, "{%p for a in attachments %}")
    list_item(
        doc,
        t("Liite", "Bilaga")
        + " {{ a.number }}: {{ a.filename }}{% if a.description %} – {{ a.description }}"
        "{% endif %}",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for link in links %}")
    list_item(doc, "{{ link.title }}: {{ link.url }}")
    tag(doc, "{%p endfor %}")
    end(doc)
    return doc
