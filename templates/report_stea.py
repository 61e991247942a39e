"""STEA tuloksellisuusraportti (public: no personal data)."""

from __future__ import annotations

from docx.shared import Pt
from report_blocks import (
    chart,
    embedding_block,
    goals,
    h1,
    h2,
    header_and_footer,
    indicator_name,
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
    progress_header,
    results_block,
    tag,
    text_block,
    title_block,
    translator,
)


def build_stea(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
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
    loop_table(doc, "goals", "g", goals(t), no_goals(t))
    h2(doc, "Toteutuminen hankkeen kuvausten mukaan")
    narratives(doc, "achievements")
    results_block(doc, t)
    h1(doc, "4 Toiminnan määrä ja tavoittavuus")
    loop_table(
        doc,
        "indicators",
        "i",
        [
            ("Nro", "{{ i.number }}", 10),
            ("Mittari", indicator_name(t), 52),
            ("Lähtötaso", "{{ i.baseline|num(i.unit) }}", 20),
            ("Tavoite", "{{ i.target|num(i.unit) }}", 20),
            ("Toteuma {{ year }}", "{{ i.value|num(i.unit) }}", 22),
            (progress_header(t), "{{ i.progress_percent|pct }}", 20),
            ("Tiedon laatu", "{{ i.value_basis }}", 21),
        ],
        no_indicators(t),
        numeric=(2, 3, 4, 5),
    )
    indicator_note(doc, t)
    chart(doc, "indicator_chart")
    tag(doc, "{%p if indicators %}")
    h2(doc, "Toteumat jaksoittain vuonna {{ year }}")
    loop_table(
        doc,
        "indicator_values",
        "v",
        indicator_values(t),
        "Vuodelle {{ year }} ei ole kirjattu toteumia: {{ no_information }}.",
        numeric=(1, 3),
    )
    tag(doc, "{%p endif %}")
    para(doc, new_year_rule(t)).paragraph_format.space_before = Pt(6)
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
