"""ESR seurantaraportti (one period) and loppuraportti, in Finnish or Swedish.

Swedish follows the terms of the structural fund programme and EURA 2014 in Swedish:
ESF (Europeiska socialfonden), uppföljningsrapport, slutrapport, åtgärdslinje, specifikt mål,
ansvarig myndighet, utbetalningsansökan, genomförandetid, FO-nummer (Y-tunnus).
"""

from __future__ import annotations

from report_blocks import (
    T,
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



def implementers(doc: object, t: T) -> None:
    """The applicant and the other organisations with their business IDs, and the contact
    person: the "Hakijan perustiedot" an official checks against EURA."""
    h2(doc, t("Toteuttajat ja muut organisaatiot", "Genomförare och övriga organisationer"))
    loop_table(
        doc,
        "organisations",
        "o",
        [
            (t("Organisaatio", "Organisation"), "{{ o.name }}", 58),
            (t("Rooli", "Roll"), "{{ o.role }}", 32),
            (t("Organisaatiotyyppi", "Organisationstyp"), "{{ o.org_type }}", 45),
            (t("Y-tunnus", "FO-nummer"), "{{ o.y_tunnus }}", 30),
        ],
        t("Organisaatioita ei ole kirjattu.", "Inga organisationer har registrerats."),
    )
    h2(doc, t("Yhteyshenkilö", "Kontaktperson"))
    loop_table(
        doc,
        "contacts",
        "c",
        [
            (t("Nimi", "Namn"), "{{ c.name }}", 38),
            (
                t("Rooli", "Roll"),
                "{{ c.role }}{% if c.organisation %}, {{ c.organisation }}{% endif %}",
                47,
            ),
            (t("Sähköposti", "E-post"), "{{ c.email }}", 50),
            (t("Puhelin", "Telefon"), "{{ c.phone }}", 30),
        ],
        t("Yhteyshenkilöä ei ole kirjattu.", "Ingen kontaktperson har registrerats."),
    )


def build_esr_period(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
    header_and_footer(
        doc, t("ESR-SEURANTARAPORTTI", "ESF-UPPFÖLJNINGSRAPPORT"), t("Laadittu", "Upprättat")
    )
    dates = "{{ period.start_date|daterange(period.end_date) }}"
    period_text = t(
        "{% if whole_term %}Koko toteutusaika " + dates + " (raportointijaksoja ei ole "
        "kirjattu){% else %}Raportointijakso {{ period.number }} / {{ period_count }}: "
        + dates
        + "{% endif %}",
        "{% if whole_term %}Hela genomförandetiden " + dates + " (inga "
        "rapporteringsperioder har registrerats){% else %}Rapporteringsperiod {{ period.number }} / "
        "{{ period_count }}: " + dates + "{% endif %}",
    )
    code = t("Hankekoodi", "Projektkod") + " {{ project.code }}"
    title_block(doc, t("Seurantaraportti", "Uppföljningsrapport"), [period_text, code])
    h1(doc, t("1 Perustiedot", "1 Basuppgifter"))
    basic_esr(doc, t, (t("Raportointijakso", "Rapporteringsperiod"), period_text))
    implementers(doc, t)

    h1(doc, t("2 Lähtötilanne, tavoitteet ja kohderyhmä", "2 Utgångsläge, mål och målgrupp"))
    h2(doc, t("Tiivistelmä", "Sammandrag"))
    text_block(doc, "project.summary")
    h2(doc, t("Lähtötilanne", "Utgångsläge"))
    narratives(doc, "starting_point")
    h2(doc, t("Tavoitteet", "Mål"))
    loop_table(doc, "goals", "g", goals(t), no_goals(t))
    h2(doc, t("Kohderyhmä", "Målgrupp"))
    text_block(doc, "target_group")

    h1(doc, t("3 Toteutus", "3 Genomförande"))
    h2(doc, t("Hankkeen toteutustapa", "Projektets genomförandesätt"))
    narratives(doc, "implementation")
    tag(doc, "{%p if whole_term %}")
    para(
        doc,
        t(
            "Raportointijaksoja ei ole kirjattu: jaksokohtaiset kuvaukset (mitä tehtiin, "
            "muutokset, poikkeamat, seuraavat toimenpiteet) puuttuvat.",
            "Inga rapporteringsperioder har registrerats: periodvisa beskrivningar (vad som gjordes, "
            "ändringar, avvikelser, kommande åtgärder) saknas.",
        ),
    )
    tag(doc, "{%p else %}")
    h2(doc, t("Mitä jaksolla tehtiin", "Vad som gjordes under perioden"))
    text_block(doc, "period.done")
    h2(doc, t("Muutokset suunnitelmaan", "Ändringar i planen"))
    text_block(doc, "period.changes")
    h2(doc, t("Ongelmat ja poikkeamat", "Problem och avvikelser"))
    text_block(doc, "period.deviations")
    h2(doc, t("Seuraavan jakson toimenpiteet", "Åtgärder under nästa period"))
    text_block(doc, "period.next_steps")
    tag(doc, "{%p endif %}")
    h2(doc, t("Toimenpiteet", "Åtgärder"))
    loop_table(doc, "measures", "m", measures(t), no_measures(t))

    h1(doc, t("4 Tulokset suhteessa tavoitteisiin", "4 Resultat i förhållande till målen"))
    para(
        doc,
        t(
            "Mittareiden toteumat raportointijaksolla. Tiedon laatu kertoo, onko luku kerättyä "
            "tietoa, otos vai arvio.",
            "Indikatorernas utfall under rapporteringsperioden. Uppgifternas kvalitet anger om "
            "talet bygger på insamlade uppgifter, ett urval eller en uppskattning.",
        ),
    )
    loop_table(
        doc,
        "indicators",
        "i",
        indicator_columns(t, t("Jakson toteuma", "Periodens utfall")),
        no_indicators(t),
        numeric=(2, 3, 4, 5),
    )
    indicator_note(doc, t)
    chart(doc, "indicator_chart")
    tag(doc, "{%p if achievements %}")
    h2(doc, t("Muutokset hankkeen aikana", "Förändringar under projektet"))
    narratives(doc, "achievements", None)
    tag(doc, "{%p endif %}")

    participants(doc, t, 5, whole_project=False)
    horizontal(doc, t, 6)
    h1(doc, t("7 Viestintä", "7 Kommunikation"))
    text_block(doc, "communication")
    h1(doc, t("8 Rahoitus", "8 Finansiering"))
    funding_block(
        doc,
        t,
        t(
            "Toteutuneet kustannukset raportoidaan maksatushakemuksella EURA 2014 -järjestelmässä.",
            "De faktiska kostnaderna redovisas i utbetalningsansökan i systemet EURA 2014.",
        ),
    )
    h2(
        doc,
        t(
            "Budjetti ja toteutuneet kustannukset kustannuslajeittain",
            "Budget och faktiska kostnader per kostnadsslag",
        ),
    )
    budget_table(doc, t, period=True)
    other_sections(doc, t("9 Muut hankkeen kuvaukset", "9 Övriga beskrivningar av projektet"))
    attachments(doc, t)
    return doc


def build_esr_final(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
    header_and_footer(doc, t("ESR-LOPPURAPORTTI", "ESF-SLUTRAPPORT"), t("Laadittu", "Upprättat"))
    title_block(
        doc,
        t("Loppuraportti", "Slutrapport"),
        [
            t("Toteutusaika", "Genomförandetid")
            + " {{ project.start_date|daterange(project.end_date) }}",
            t("Hankekoodi", "Projektkod") + " {{ project.code }}",
        ],
    )
    h1(doc, t("1 Perustiedot", "1 Basuppgifter"))
    basic_esr(doc, t, (t("Raportointijaksoja", "Rapporteringsperioder"), "{{ periods|length }}"))
    implementers(doc, t)
    h1(doc, t("2 Lähtötilanne ja tavoitteet", "2 Utgångsläge och mål"))
    h2(doc, t("Lähtötilanne", "Utgångsläge"))
    narratives(doc, "starting_points")
    h2(doc, t("Tiivistelmä", "Sammandrag"))
    text_block(doc, "project.summary")
    h2(doc, t("Tavoitteet", "Mål"))
    loop_table(doc, "goals", "g", goals(t), no_goals(t))
    h2(doc, t("Kohderyhmä", "Målgrupp"))
    text_block(doc, "target_group")

    h1(doc, t("3 Toteutus", "3 Genomförande"))
    h2(doc, t("Hankkeen toteutustapa", "Projektets genomförandesätt"))
    narratives(doc, "implementation")
    h2(doc, t("Toimenpiteet", "Åtgärder"))
    loop_table(doc, "measures", "m", measures(t), no_measures(t))
    h2(doc, t("Raportointijaksot", "Rapporteringsperioder"))
    loop_table(
        doc,
        "periods",
        "p",
        [
            (t("Jakso", "Period"), "{{ p.number }}", 14),
            (t("Aika", "Tid"), "{{ p.start_date|daterange(p.end_date) }}", 36),
            (t("Mitä tehtiin", "Vad som gjordes"), "{{ p.done }}", 115),
        ],
        no_periods(t),
    )

    h1(doc, t("4 Tulokset", "4 Resultat"))
    h2(doc, t("Muutokset hankkeen aikana", "Förändringar under projektet"))
    narratives(doc, "achievements")
    results_block(doc, t)
    h2(doc, t("Mittarit", "Indikatorer"))
    loop_table(
        doc,
        "indicators",
        "i",
        indicator_columns(t, t("Toteuma", "Utfall")),
        no_indicators(t),
        numeric=(2, 3, 4, 5),
    )
    indicator_note(doc, t)
    chart(doc, "indicator_chart")
    h2(doc, t("Toteumat raportointijaksoittain", "Utfall per rapporteringsperiod"))
    loop_table(
        doc,
        "indicator_values",
        "v",
        indicator_values(t),
        t("Toteumia ei ole kirjattu.", "Inga utfall har registrerats."),
        numeric=(1, 3),
    )
    participants(doc, t, 5, whole_project=True)
    horizontal(doc, t, 6)
    h1(doc, t("7 Ongelmat ja niiden ratkaisut", "7 Problem och hur de har lösts"))
    text_block(doc, "problems")
    h1(
        doc,
        t("8 Toiminnan jatkuminen hankkeen jälkeen", "8 Fortsatt verksamhet efter projektet"),
    )
    text_block(doc, "continuation")
    h1(doc, t("9 Kehittämisehdotukset", "9 Utvecklingsförslag"))
    text_block(doc, "proposals")
    h1(doc, t("10 Viestintä", "10 Kommunikation"))
    text_block(doc, "communication")
    h1(doc, t("11 Rahoitus", "11 Finansiering"))
    funding_block(
        doc,
        t,
        t(
            "Toteutuneet kustannukset raportoidaan loppumaksatushakemuksella EURA 2014 "
            "-järjestelmässä.",
            "De faktiska kostnaderna redovisas i ansökan om slututbetalning i systemet EURA 2014.",
        ),
    )
    h2(
        doc,
        t(
            "Budjetti ja toteutuneet kustannukset kustannuslajeittain",
            "Budget och faktiska kostnader per kostnadsslag",
        ),
    )
    budget_table(doc, t, period=False)
    other_sections(doc, t("12 Muut hankkeen kuvaukset", "12 Övriga beskrivningar av projektet"))
    attachments(doc, t)
    return doc
