"""STM selvitys valtionavustuksen käytöstä."""

from __future__ import annotations

from report_blocks import (
    attachments,
    budget_table,
    chart,
    embedding_block,
    funding_block,
    goals,
    h1,
    h2,
    header_and_footer,
    indicator_columns,
    indicator_note,
    kv_table,
    loop_table,
    measures,
    narratives,
    new_document,
    no_goals,
    no_indicators,
    no_measures,
    no_periods,
    other_sections,
    results_block,
    tag,
    text_block,
    title_block,
    translator,
)


def build_stm(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
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
    loop_table(doc, "goals", "g", goals(t), no_goals(t))
    h2(doc, "Mittarit")
    loop_table(
        doc,
        "indicators",
        "i",
        indicator_columns(t, "Toteuma"),
        no_indicators(t),
        numeric=(2, 3, 4, 5),
    )
    indicator_note(doc, t)
    chart(doc, "indicator_chart")
    h1(doc, "4 Toimenpiteet")
    h2(doc, "Hankkeen toteutustapa")
    narratives(doc, "implementation")
    h2(doc, "Kirjatut toimenpiteet")
    loop_table(doc, "measures", "m", measures(t), no_measures(t))
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
        no_periods(t),
    )
    tag(doc, "{%p endif %}")
    h1(doc, "5 Tulokset ja vaikutukset")
    h2(doc, "Muutokset hankkeen aikana")
    narratives(doc, "achievements")
    results_block(doc, t)
    h1(doc, "6 Juurruttaminen")
    embedding_block(doc)
    h1(doc, "7 Talousarvio ja toteuma")
    funding_block(doc, t, "")
    h2(doc, "Talousarvio ja toteutuneet kustannukset kustannuslajeittain")
    budget_table(doc, t, period=False)
    other_sections(doc, "8 Muut hankkeen kuvaukset")
    attachments(doc, t)
    return doc
