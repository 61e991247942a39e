"""ESR seurantaraportti (one period) and loppuraportti."""

from __future__ import annotations

from report_blocks import (
    attachments,
    basic_esr,
    budget_table,
    chart,
    funding_block,
    goals,
    h1,
    h2,
    header_and_footer,
    horizontal,
    indicator_columns,
    indicator_note,
    indicator_values,
    loop_table,
    measures,
    narratives,
    new_document,
    no_goals,
    no_indicators,
    no_measures,
    no_periods,
    other_sections,
    para,
    participants,
    results_block,
    tag,
    text_block,
    title_block,
    translator,
)


def build_esr_period(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
    header_and_footer(doc, "ESR-SEURANTARAPORTTI", "Laadittu")
    period_text = (
        "{% if whole_term %}Koko toteutusaika {{ period.start_date|daterange(period.end_date) }} "
        "(raportointijaksoja ei ole kirjattu){% else %}Raportointijakso {{ period.number }} / "
        "{{ period_count }}: {{ period.start_date|daterange(period.end_date) }}{% endif %}"
    )
    title_block(doc, "Seurantaraportti", [period_text, "Hankekoodi {{ project.code }}"])
    h1(doc, "1 Perustiedot")
    basic_esr(doc, t, ("Raportointijakso", period_text))

    h1(doc, "2 Lähtötilanne, tavoitteet ja kohderyhmä")
    h2(doc, "Tiivistelmä")
    text_block(doc, "project.summary")
    h2(doc, "Lähtötilanne")
    narratives(doc, "starting_point")
    h2(doc, "Tavoitteet")
    loop_table(doc, "goals", "g", goals(t), no_goals(t))
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
    loop_table(doc, "measures", "m", measures(t), no_measures(t))

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
        indicator_columns(t, "Jakson toteuma"),
        no_indicators(t),
        numeric=(2, 3, 4, 5),
    )
    indicator_note(doc, t)
    chart(doc, "indicator_chart")
    tag(doc, "{%p if achievements %}")
    h2(doc, "Muutokset hankkeen aikana")
    narratives(doc, "achievements", None)
    tag(doc, "{%p endif %}")

    participants(doc, t, 5, whole_project=False)
    horizontal(doc, t, 6)
    h1(doc, "7 Viestintä")
    text_block(doc, "communication")
    h1(doc, "8 Rahoitus")
    funding_block(
        doc,
        t,
        "Toteutuneet kustannukset raportoidaan maksatushakemuksella EURA 2014 -järjestelmässä.",
    )
    h2(doc, "Budjetti ja toteutuneet kustannukset kustannuslajeittain")
    budget_table(doc, t, period=True)
    other_sections(doc, "9 Muut hankkeen kuvaukset")
    attachments(doc, t)
    return doc


def build_esr_final(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
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
    basic_esr(doc, t, ("Raportointijaksoja", "{{ periods|length }}"))
    h1(doc, "2 Lähtötilanne ja tavoitteet")
    h2(doc, "Lähtötilanne")
    narratives(doc, "starting_points")
    h2(doc, "Tiivistelmä")
    text_block(doc, "project.summary")
    h2(doc, "Tavoitteet")
    loop_table(doc, "goals", "g", goals(t), no_goals(t))
    h2(doc, "Kohderyhmä")
    text_block(doc, "target_group")

    h1(doc, "3 Toteutus")
    h2(doc, "Hankkeen toteutustapa")
    narratives(doc, "implementation")
    h2(doc, "Toimenpiteet")
    loop_table(doc, "measures", "m", measures(t), no_measures(t))
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

    h1(doc, "4 Tulokset")
    h2(doc, "Muutokset hankkeen aikana")
    narratives(doc, "achievements")
    results_block(doc, t)
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
    h2(doc, "Toteumat raportointijaksoittain")
    loop_table(
        doc,
        "indicator_values",
        "v",
        indicator_values(t),
        "Toteumia ei ole kirjattu.",
        numeric=(1, 3),
    )
    participants(doc, t, 5, whole_project=True)
    horizontal(doc, t, 6)
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
        t,
        "Toteutuneet kustannukset raportoidaan loppumaksatushakemuksella EURA 2014 "
        "-järjestelmässä.",
    )
    h2(doc, "Budjetti ja toteutuneet kustannukset kustannuslajeittain")
    budget_table(doc, t, period=False)
    other_sections(doc, "12 Muut hankkeen kuvaukset")
    attachments(doc, t)
    return doc
