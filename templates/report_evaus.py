"""The EVAUS decision report (ennakkovaikutusten arviointi)."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from report_blocks import (
    HEADER_FILL,
    TEXT_WIDTH_MM,
    T,
    cant_split,
    cell_text,
    chart,
    h1,
    h2,
    header_and_footer,
    kv_table,
    loop_table,
    new_document,
    para,
    repeat_header,
    shade,
    tag,
    text_block,
    translator,
)


def even_widths(table: Table) -> None:
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
    cell_text(header[0], "{%tc for c in kf.columns %}")
    cell_text(header[1], "{% if c %}{{ c }}{% endif %}", bold=True)
    shade(header[1], HEADER_FILL)
    cell_text(header[2], "{%tc endfor %}")
    repeat_header(table)
    cell_text(table.rows[1].cells[0], "{%tr for row in kf.rows %}")
    body = table.rows[2].cells
    cell_text(body[0], "{%tc for v in row %}")
    cell_text(body[1], "{{ v|or_dash }}")
    cell_text(body[2], "{%tc endfor %}")
    cant_split(table.rows[2])
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    even_widths(table)
    para(doc)
    tag(doc, "{%p endfor %}")


def narrow_margins(table: Table, mm: float) -> None:
    """Left and right cell margins of a whole table (Word's default is 1.9 mm)."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(int(Mm(mm).twips)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = tbl_pr.find(qn("w:tblLook"))  # the schema's order: tblCellMar before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


def draft_header(doc: object, text: str) -> None:
    """A draft says so on every page: a bold line in the header (empty for other statuses)."""
    header = doc.sections[0].header  # type: ignore[attr-defined]
    paragraph = header.paragraphs[0]
    run = paragraph.add_run("{% if assessment.draft %}   " + text + "{% endif %}")
    run.bold = True
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)


def small_print(paragraph: Paragraph) -> None:
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
    tag(doc, "{%p if assessment.approved_by %}")
    para(
        doc,
        t("Hyväksynyt", "Godkänd av")
        + ": {{ assessment.approved_by }}, {{ assessment.approved_on|pvm }}",
    )
    tag(doc, "{%p endif %}")
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
    small_print(
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
            (t("Taho", "Part"), "{{ h.group }}", 30),
            (t("Tapa", "Sätt"), "{{ h.method|or_dash }}", 26),
            (t("Ajankohta", "Tidpunkt"), "{{ h.held_on|or_dash }}", 19),
            (
                t("Määrä", "Antal"),
                "{% if h.participants is not none %}{{ h.participants|num }}{% else %}–"
                "{% endif %}",
                12,
            ),
            (t("Lapsia ja nuoria kuultu", "Barn och unga hörda"), "{{ h.children }}", 22),
            (t("Mitä tuotiin esiin", "Vad som framfördes"), "{{ h.summary|or_dash }}", 28),
            (t("Mitä muuttui", "Vad som ändrades"), "{{ h.outcome|or_dash }}", 28),
        ],
        t("Kuulemisia ei ole kirjattu.", "Inga höranden har registrerats."),
        numeric=(3,),
    )
    # Seven columns on a portrait page: narrow cell margins leave room for long Finnish words.
    narrow_margins(doc.tables[-1], 1.0)  # type: ignore[attr-defined]
    tag(doc, "{%p if children_unheard %}")
    unheard = para(
        doc,
        t(
            "Lapsia tai nuoria ei ole kuultu, vaikka arviointi koskee heitä: ",
            "Barn eller unga har inte hörts, fast bedömningen gäller dem: ",
        )
        + "{{ children_unheard|join(', ') }}.",
        bold=True,
    )
    unheard.paragraph_format.space_before = Pt(6)
    tag(doc, "{%p endif %}")

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
    small_print(
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
    tag(doc, "{%p if ex_post.rating or ex_post.ratings %}")
    h2(doc, t("Tavoitteiden saavuttaminen", "Måluppfyllelse"))
    tag(doc, "{%p for r in ex_post.ratings %}")
    para(doc, "{{ r.name }}: {{ r.rating }}")
    tag(doc, "{%p endfor %}")
    para(
        doc,
        t("Kokonaisuutena", "Som helhet") + ": {{ ex_post.rating|or_dash }}",
        bold=True,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    para(
        doc,
        t("Jälkiarviointia ei ole vielä tehty.", "Efterhandsbedömningen har inte gjorts ännu."),
    )
    tag(doc, "{%p endif %}")
    return doc
