"""STM selvitys valtionavustuksen käytöstä / redovisning över användningen av statsunderstöd."""

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
    period_of_use,
    results_block,
    tag,
    text_block,
    title_block,
    translator,
)


def build_stm(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
    header_and_footer(
        doc,
        t(
            "SELVITYS VALTIONAVUSTUKSEN KÄYTÖSTÄ",
            "REDOVISNING ÖVER ANVÄNDNINGEN AV STATSUNDERSTÖD",
        ),
        t("Laadittu", "Upprättat"),
    )
    term = "{{ project.start_date|daterange(project.end_date) }}"
    title_block(
        doc,
        t(
            "Selvitys valtionavustuksen käytöstä",
            "Redovisning över användningen av statsunderstöd",
        ),
        [t("Toteutusaika", "Genomförandetid") + " " + term],
    )
    h1(doc, t("1 Perustiedot", "1 Basuppgifter"))
    kv_table(
        doc,
        [
            (t("Hanke", "Projekt"), "{{ project.name }}"),
            (
                t("Avustuksen saaja", "Statsunderstödstagare"),
                "{% if recipients %}{% for o in recipients %}{{ o.name }}{% if o.y_tunnus %} ("
                + t("Y-tunnus", "FO-nummer")
                + " {{ o.y_tunnus }}){% endif %}{% if not loop.last %}, {% endif %}{% endfor %}"
                "{% else %}{{ no_information }}{% endif %}",
            ),
            (t("Toteutusaika", "Genomförandetid"), term),
            (
                t("Avustuksen käyttöaika", "Understödets användningstid"),
                "{% if grant %}"
                + period_of_use(t, "grant.period_start", "grant.period_end", grant=True)
                + "{% else %}{{ no_information }}{% endif %}",
            ),
            (
                t("Valtionavustuspäätös", "Beslut om statsunderstöd"),
                "{% if grant %}{{ grant.decision_number }}{% if grant.decision_date %}, "
                "{{ grant.decision_date|pvm }}{% endif %}{% else %}{{ no_information }}{% endif %}",
            ),
            (
                t("Myönnetty valtionavustus", "Beviljat statsunderstöd"),
                "{% if grant %}{{ grant.amount|eur }}{% else %}{{ no_information }}{% endif %}",
            ),
            (
                t("Hankkeen kokonaisbudjetti", "Projektets totala budget"),
                "{{ project.budget_amount|eur }}",
            ),
            (t("Maakunta", "Landskap"), "{{ project.region }}"),
            (t("Käsittelyvaihe", "Skede"), "{{ project.status }}"),
        ],
    )
    h1(doc, t("2 Tiivistelmä ja lähtötilanne", "2 Sammandrag och utgångsläge"))
    text_block(doc, "project.summary")
    narratives(doc, "starting_point", None)
    h1(doc, t("3 Tavoitteet ja niiden toteutuminen", "3 Målen och hur de har uppnåtts"))
    loop_table(doc, "goals", "g", goals(t), no_goals(t))
    h2(doc, t("Mittarit", "Indikatorer"))
    indicator_table = indicator_columns(t, t("Toteuma", "Utfall"))
    loop_table(doc, "indicators", "i", indicator_table, no_indicators(t), numeric=(2, 3, 4, 5))
    indicator_note(doc, t)
    chart(doc, "indicator_chart")
    h1(doc, t("4 Toimenpiteet", "4 Åtgärder"))
    h2(doc, t("Hankkeen toteutustapa", "Hur projektet genomfördes"))
    narratives(doc, "implementation")
    h2(doc, t("Kirjatut toimenpiteet", "Angivna åtgärder"))
    loop_table(doc, "measures", "m", measures(t), no_measures(t))
    tag(doc, "{%p if periods %}")
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
    tag(doc, "{%p endif %}")
    h1(doc, t("5 Tulokset ja vaikutukset", "5 Resultat och effekter"))
    h2(doc, t("Muutokset hankkeen aikana", "Förändringar under projektet"))
    narratives(doc, "achievements")
    results_block(doc, t)
    h1(doc, t("6 Juurruttaminen", "6 Förankring"))
    embedding_block(doc)
    h1(doc, t("7 Talousarvio ja toteuma", "7 Budget och utfall"))
    funding_block(doc, t, "")
    h2(
        doc,
        t(
            "Talousarvio ja toteutuneet kustannukset kustannuslajeittain",
            "Budget och faktiska kostnader per kostnadsslag",
        ),
    )
    budget_table(doc, t, period=False)
    other_sections(doc, t("8 Muut hankkeen kuvaukset", "8 Övriga beskrivningar av projektet"))
    attachments(doc, t)
    return doc
