"""The project card (hankekortti / projektkort)."""

from __future__ import annotations

from report_blocks import (
    TEXT_WIDTH_MM,
    attachments,
    funding_columns,
    goals,
    h1,
    h2,
    header_and_footer,
    kv_table,
    loop_table,
    measure_cell,
    measures,
    new_document,
    para,
    results,
    tag,
    text_block,
    title_block,
    translator,
)


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
            (t("Myönnetty", "Beviljat"), funding_columns(t)[2][1], 28),
            (t("Omarahoitus", "Egen finansiering"), "{{ f.own_contribution|eur }}", 24),
            (t("Päätös", "Beslut"), funding_columns(t)[4][1], 33),
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
        [
            (t("Nro", "Nr"), goals(t)[0][1], 14),
            (t("Tavoite", "Mål"), goals(t)[1][1], goals(t)[1][2]),
        ],
        t("Tavoitteita ei ole kirjattu.", "Inga mål har registrerats."),
    )
    h1(doc, t("Toimenpiteet", "Åtgärder"))
    loop_table(
        doc,
        "measures",
        "m",
        [
            (t("Nro", "Nr"), measures(t)[0][1], 12),
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
        [
            (t("Tyyppi", "Typ"), results(t)[0][1], 30),
            (t("Kuvaus", "Beskrivning"), results(t)[1][1], 135),
        ],
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
