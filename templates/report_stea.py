"""STEA tuloksellisuusraportti / resultatrapport (public: no personal data)."""

from __future__ import annotations

from docx.shared import Pt
from report_blocks import (
    chart,
    embedding_block,
    goals,
    h1,
    h2,
    header_and_footer,
    indicator_columns,
    indicator_note,
    indicator_values,
    kv_table,
    loop_table,
    narratives,
    new_document,
    new_year_rule,
    no_goals,
    no_indicators,
    other_sections,
    para,
    period_of_use,
    results_block,
    tag,
    text_block,
    title_block,
    translator,
)


def build_stea(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
    header_and_footer(
        doc, t("TULOKSELLISUUSRAPORTTI", "RESULTATRAPPORT"), t("Laadittu", "Upprättat")
    )
    title_block(
        doc,
        t("Tuloksellisuusraportti {{ year }}", "Resultatrapport {{ year }}"),
        [t("Avustuskohde", "Understödsobjekt") + ": {{ project.short_name or project.name }}"],
    )
    note = para(
        doc,
        t(
            "{% if privacy_checked %}Raportti on julkinen. Siitä on poistettu henkilöiden nimet, "
            "yhteystiedot, henkilötunnukset, linkit ja liitteet.{% else %}Raportin tekstejä ei ole "
            "tarkistettu henkilötietojen varalta: sitä ei saa julkaista.{% endif %} "
            "Jokaisen luvun kohdalla kerrotaan, onko se kerättyä tietoa, otos vai arvio.",
            "{% if privacy_checked %}Rapporten är offentlig. Namn på personer, kontaktuppgifter, "
            "personbeteckningar, länkar och bilagor har tagits bort ur den.{% else %}Rapportens "
            "texter har inte granskats med tanke på personuppgifter: den får inte publiceras."
            "{% endif %} För varje siffra anges om den bygger på insamlade uppgifter, ett urval "
            "eller en uppskattning.",
        ),
    )
    note.runs[0].italic = True
    h1(doc, t("1 Avustuskohteen perustiedot", "1 Understödsobjektets basuppgifter"))
    kv_table(
        doc,
        [
            (t("Avustuskohde", "Understödsobjekt"), "{{ project.name }}"),
            (
                t("Avustuksen saaja", "Understödsmottagare"),
                "{{ project.organisation }}{% if project.y_tunnus %} ("
                + t("Y-tunnus", "FO-nummer")
                + " {{ project.y_tunnus }}){% endif %}",
            ),
            (
                t("Avustuspäätös", "Understödsbeslut"),
                "{{ project.decision_number }}{% if project.decision_date %}, "
                "{{ project.decision_date|pvm }}{% endif %}",
            ),
            (
                t("Toiminta-aika", "Verksamhetstid"),
                "{{ project.start_date|daterange(project.end_date) }}",
            ),
            (
                t("Avustuksen käyttöaika", "Understödets användningstid"),
                period_of_use(t, "project.grant_start", "project.grant_end", grant=True),
            ),
            (t("Raportointivuosi", "Rapporteringsår"), "{{ year }}"),
            (t("Toiminta-alue", "Verksamhetsområde"), "{{ project.region }}"),
        ],
    )
    h1(doc, t("2 Tiivistelmä ja toiminnan kuvaus", "2 Sammandrag och beskrivning av verksamheten"))
    text_block(doc, "project.summary")
    narratives(doc, "activity", None)
    tag(doc, "{%p if year_activity %}")
    h2(doc, t("Toiminta vuonna {{ year }}", "Verksamheten år {{ year }}"))
    tag(doc, "{%p for p in year_activity %}")
    heading = para(
        doc,
        t("Jakso", "Period") + " {{ p.number }}: {{ p.start_date|daterange(p.end_date) }}",
        bold=True,
    )
    heading.paragraph_format.keep_with_next = True
    tag(doc, "{%p if p.done %}")
    text_block(doc, "p.done")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if p.changes %}")
    para(doc, t("Muutokset", "Förändringar") + ": {{ p.changes }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if p.deviations %}")
    para(doc, t("Poikkeamat", "Avvikelser") + ": {{ p.deviations }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if p.next_steps %}")
    para(doc, t("Seuraavaksi", "Nästa steg") + ": {{ p.next_steps }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    h1(doc, t("3 Tavoitteet ja niiden toteutuminen", "3 Målen och hur de har uppnåtts"))
    loop_table(doc, "goals", "g", goals(t), no_goals(t))
    h2(
        doc,
        t(
            "Toteutuminen hankkeen kuvausten mukaan",
            "Måluppfyllelsen enligt projektets beskrivningar",
        ),
    )
    narratives(doc, "achievements")
    results_block(doc, t)
    h1(doc, t("4 Toiminnan määrä ja tavoittavuus", "4 Verksamhetens omfattning och räckvidd"))
    indicator_table = indicator_columns(t, t("Toteuma", "Utfall") + " {{ year }}")
    values_table = indicator_values(t)
    loop_table(doc, "indicators", "i", indicator_table, no_indicators(t), numeric=(2, 3, 4, 5))
    indicator_note(doc, t)
    chart(doc, "indicator_chart")
    tag(doc, "{%p if indicators %}")
    h2(doc, t("Toteumat jaksoittain vuonna {{ year }}", "Utfall per period år {{ year }}"))
    loop_table(
        doc,
        "indicator_values",
        "v",
        values_table,
        t(
            "Vuodelle {{ year }} ei ole kirjattu toteumia: {{ no_information }}.",
            "Inga utfall har registrerats för år {{ year }}: {{ no_information }}.",
        ),
        numeric=(1, 3),
    )
    tag(doc, "{%p endif %}")
    para(doc, new_year_rule(t)).paragraph_format.space_before = Pt(6)
    no_periods_in_year = t(
        "Vuodelle {{ year }} ei ole raportointijaksoja: {{ no_information }}.",
        "År {{ year }} har inga rapporteringsperioder: {{ no_information }}.",
    )
    h1(doc, t("5 Kohderyhmät", "5 Målgrupper"))
    text_block(doc, "target_group")
    h1(doc, t("6 Osallistujien näkemys ja palaute", "6 Deltagarnas synpunkter och respons"))
    text_block(doc, "feedback")
    h2(
        doc,
        t("Miten palaute kerättiin vuonna {{ year }}", "Hur responsen samlades in år {{ year }}"),
    )
    tag(doc, "{%p for p in volunteer_periods %}")
    para(
        doc,
        t("Jakso", "Period") + " {{ p.number }} ({{ p.start_date|daterange(p.end_date) }}): "
        "{% if p.feedback_methods %}{{ p.feedback_methods }}{% else %}{{ no_information }}"
        "{% endif %}",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not volunteer_periods %}")
    para(doc, no_periods_in_year)
    tag(doc, "{%p endif %}")
    h1(doc, t("7 Yhteistyö", "7 Samarbete"))
    loop_table(
        doc,
        "partners",
        "o",
        [
            (t("Yhteistyökumppani", "Samarbetspartner"), "{{ o.name }}", 80),
            (t("Rooli", "Roll"), "{{ o.role }}", 40),
            (t("Tyyppi", "Typ"), "{{ o.org_type }}", 45),
        ],
        t("Yhteistyökumppaneita ei ole kirjattu.", "Inga samarbetspartner har registrerats."),
    )
    h2(doc, t("Yhteistyön muoto", "Samarbetsformer"))
    tag(doc, "{%p if cooperation or not activity %}")
    text_block(doc, "cooperation")
    tag(doc, "{%p else %}")
    para(
        doc,
        t(
            "Yhteistyötä ei ole kuvattu erikseen; toiminnan kuvaus on luvussa 2.",
            "Samarbetet har inte beskrivits separat; verksamheten beskrivs i avsnitt 2.",
        ),
    )
    tag(doc, "{%p endif %}")
    h1(doc, t("8 Vapaaehtoiset", "8 Frivilliga"))
    text_block(doc, "volunteers")
    h2(
        doc,
        t(
            "Vapaaehtoiset ja tunnit jaksoittain vuonna {{ year }}",
            "Frivilliga och timmar per period år {{ year }}",
        ),
    )
    loop_table(
        doc,
        "volunteer_periods",
        "p",
        [
            (t("Jakso", "Period"), "{{ p.number }}", 14),
            (t("Aika", "Tid"), "{{ p.start_date|daterange(p.end_date) }}", 42),
            (t("Vapaa\u00adehtoisia", "Frivilliga"), "{{ p.volunteers|num }}", 30),
            (t("Tunteja", "Timmar"), "{{ p.hours|num }}", 30),
            (t("Tiedon laatu", "Uppgifternas kvalitet"), "{{ p.basis }}", 49),
        ],
        no_periods_in_year,
        numeric=(2, 3),
    )
    h1(doc, t("9 Juurruttaminen", "9 Förankring"))
    embedding_block(doc)
    other_sections(doc, t("10 Muut kuvaukset", "10 Övriga beskrivningar"))
    return doc
