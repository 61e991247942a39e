"""Salkkuraportti / portföljrapport: a selection of projects over a period, for a board or a
committee (lautakunta). The context is ``evaus.reports.kinds.portfolio.PortfolioContext``.

A title page with the key facts, then the selection and period, the projects by status, money
by cost category, participants, indicators and the list of projects. Header: the report's name
and the page number as "1 (7)"; footer: the date it was made. Run on its own to write only
these two templates (``build_templates.py`` writes the others):

    .venv/bin/python templates/report_portfolio.py
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from docx.table import Table
from report_blocks import (
    HEADER_FILL,
    HERE,
    T,
    bottom_border,
    cant_split,
    cell_text,
    chart,
    fixed_row,
    h1,
    h2,
    kv_table,
    loop_table,
    new_document,
    para,
    participant_columns,
    participant_totals,
    repeat_header,
    right_tab,
    set_widths,
    shade,
    tag,
    translator,
    word_field,
)

OUT = HERE.parent / "evaus" / "reports" / "templates"
MONEY = "|eur(True)"


def header_and_footer(doc: object, t: T) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    first = section.header.paragraphs[0]
    right_tab(first)
    first.paragraph_format.space_after = Pt(0)
    first.add_run(t("SALKKURAPORTTI", "PORTFÖLJRAPPORT")).bold = True
    first.add_run("\t")
    word_field(first, "PAGE", "1")
    first.add_run(" (")
    word_field(first, "NUMPAGES", "1")
    first.add_run(")")
    for run in first.runs:
        run.font.size = Pt(9)
    second = section.header.add_paragraph()
    right_tab(second)
    second.paragraph_format.space_after = Pt(0)
    second.add_run("{{ title|truncate(70) }}\t").font.size = Pt(9)
    second.add_run(period_text(t)).font.size = Pt(9)
    bottom_border(second)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    text = footer.add_run(t("Laadittu", "Upprättad") + " {{ generated_on|pvm }} · EVAUS")
    text.font.size = Pt(8)
    text.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def period_text(t: T) -> str:
    return (
        "{% if period_start or period_end %}{{ period_start|daterange(period_end) }}"
        "{% else %}" + t("koko toiminta-aika", "hela verksamhetstiden") + "{% endif %}"
    )


def title_page(doc: object, t: T) -> None:
    para(doc, t("Salkkuraportti", "Portföljrapport"), "Title")
    name = para(doc, "{{ title }}")
    name.runs[0].bold = True
    name.runs[0].font.size = Pt(14)
    name.paragraph_format.space_after = Pt(2)
    para(doc, t("Ajanjakso", "Period") + ": " + period_text(t))
    tag(doc, "{%p for s in selection %}")
    para(doc, "{{ s.label }}: {{ s.value }}").paragraph_format.space_after = Pt(2)
    tag(doc, "{%p endfor %}")
    para(doc, t("Laadittu", "Upprättad") + " {{ generated_on|pvm }}")
    para(doc)
    h2(doc, t("Keskeiset luvut", "De viktigaste siffrorna"))
    kv_table(
        doc,
        [
            (t("Hankkeita", "Projekt"), "{{ project_count }}"),
            (
                t("Hankkeiden budjetit yhteensä", "Projektens budgetar sammanlagt"),
                "{{ budget_total|eur(True) }}{% if budget_projects < project_count %} ("
                + t(
                    "{{ budget_projects }} hankkeella budjetti",
                    "budget för {{ budget_projects }} projekt",
                )
                + "){% endif %}",
            ),
            (
                t("Suunnitellut kustannukset", "Planerade kostnader"),
                "{% if money_known %}{{ cost_total.planned" + MONEY + " }}{% else %}"
                "{{ no_information }}{% endif %}",
            ),
            (
                t("Käytetty", "Använt")
                + "{% if period_end %} {{ period_end|pvm }} "
                + t("mennessä", "senast")
                + "{% endif %}",
                "{% if money_known %}{{ cost_total.used" + MONEY + " }}"
                "{% if cost_total.used_percent is not none %} ({{ cost_total.used_percent|pct }} "
                + t("suunnitellusta", "av det planerade")
                + "){% endif %}{% else %}{{ no_information }}{% endif %}",
            ),
            (
                t("Käytetty ajanjaksolla", "Använt under perioden"),
                "{% if money_known %}{{ cost_total.used_in_range" + MONEY + " }}{% else %}"
                "{{ no_information }}{% endif %}",
            ),
            (
                t("Osallistujia", "Deltagare"),
                "{% if participants.known %}{{ participants.total }} ("
                + t(
                    "{{ participants.projects }} hankkeen luvut",
                    "siffror för {{ participants.projects }} projekt",
                )
                + "){% else %}{{ no_information }}{% endif %}",
            ),
            (
                t("Mittarit", "Indikatorer"),
                "{% if indicators %}"
                + t(
                    "{{ on_track + behind + ahead + unknown }} mittaria "
                    "{{ indicators|length }} mittaristo-mittarilla: aikataulussa {{ on_track }}, "
                    "jäljessä {{ behind }}, edellä {{ ahead }}, ei arvioitavissa {{ unknown }}",
                    "{{ on_track + behind + ahead + unknown }} indikatorer för "
                    "{{ indicators|length }} indikatorer i katalogen: enligt tidsplanen "
                    "{{ on_track }}, efter {{ behind }}, före {{ ahead }}, kan inte bedömas "
                    "{{ unknown }}",
                )
                + "{% else %}"
                + t(
                    "Ei mittaristoon linkitettyjä mittareita",
                    "Inga indikatorer länkade till katalogen",
                )
                + "{% endif %}",
            ),
        ],
        label_width=70,
    )
    doc.add_page_break()  # type: ignore[attr-defined]


def selection_section(doc: object, t: T) -> None:
    h1(doc, t("1 Valinta ja ajanjakso", "1 Urval och period"))
    loop_table(
        doc,
        "selection",
        "s",
        [
            (t("Valinta", "Urval"), "{{ s.label }}", 55),
            (t("Arvo", "Värde"), "{{ s.value }}", 110),
        ],
        t(
            "Valintaa ei ole rajattu: mukana ovat kaikki rekisterin hankkeet.",
            "Urvalet är inte avgränsat: alla projekt i registret ingår.",
        ),
    )
    para(
        doc,
        t(
            "Mukana ovat hankkeet, jotka täyttävät kaikki valinnan ehdot{% if period_start or "
            "period_end %} ja ovat käynnissä jossakin vaiheessa ajanjaksoa "
            "{{ period_start|daterange(period_end) }}{% endif %}. Toteutuneet kustannukset ja "
            "mittareiden toteumat luetaan {% if period_end %}raportointijaksoista, jotka ovat "
            "alkaneet {{ period_end|pvm }} mennessä{% else %}kaikista raportointijaksoista"
            "{% endif %}.",
            "Med är de projekt som uppfyller alla villkor i urvalet{% if period_start or "
            "period_end %} och pågår någon gång under perioden "
            "{{ period_start|daterange(period_end) }}{% endif %}. Faktiska kostnader och "
            "indikatorernas utfall hämtas {% if period_end %}från de rapporteringsperioder som "
            "har börjat senast {{ period_end|pvm }}{% else %}från alla rapporteringsperioder"
            "{% endif %}.",
        ),
    ).paragraph_format.space_before = Pt(6)


def status_section(doc: object, t: T) -> None:
    h1(doc, t("2 Hankkeet käsittelyvaiheittain", "2 Projekten per skede"))
    loop_table(
        doc,
        "statuses",
        "s",
        [
            (t("Käsittelyvaihe", "Skede"), "{{ s.label }}", 85),
            (t("Hankkeita", "Projekt"), "{{ s.count }}", 40),
            (t("Osuus", "Andel"), "{{ s.percent|pct }}", 40),
        ],
        t("Valinnassa ei ole hankkeita.", "Urvalet innehåller inga projekt."),
        numeric=(1, 2),
        total_row=[t("Yhteensä", "Totalt"), "{{ project_count }}", "100\u00a0%"],
    )


def money_section(doc: object, t: T) -> None:
    h1(doc, t("3 Talous kustannuslajeittain", "3 Ekonomi per kostnadsslag"))
    used = t("Käyttö\u00adaste", "Utnytt\u00adjande\u00adgrad")
    columns = [
        (t("Kustannuslaji", "Kostnadsslag"), "category", 44),
        (t("Suunniteltu", "Planerat"), "planned" + MONEY, 30),
        (t("Käytetty", "Använt"), "used" + MONEY, 30),
        (used, "used_percent|pct", 16),
        (t("Ajanjaksolla", "Under perioden"), "used_in_range" + MONEY, 30),
        (t("Osuus", "Andel"), "share_percent|pct", 15),
    ]
    numeric = range(1, len(columns))

    def cells(row: str, label: str | None = None) -> list[str]:
        first = (
            label if label is not None else "{{ " + row + ".category }} ({{ " + row + ".scheme }})"
        )
        return [first] + ["{{ " + f"{row}.{expr}" + " }}" for _h, expr, _w in columns[1:]]

    tag(doc, "{%p if money_known %}")
    table: Table = doc.add_table(rows=9, cols=len(columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for i, (header, _expr, _w) in enumerate(columns):
        cell = table.rows[0].cells[i]
        cell_text(cell, header, bold=True, right=i in numeric)
        shade(cell, HEADER_FILL)
    repeat_header(table)
    cell_text(table.rows[1].cells[0], "{%tr for r in money %}")
    for i, text in enumerate(cells("r")):
        cell_text(table.rows[2].cells[i], text, right=i in numeric)
    cant_split(table.rows[2])
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    fixed_row(
        table, 4, cells("cost_total", t("Kustannukset yhteensä", "Kostnader totalt")), numeric
    )
    cell_text(table.rows[5].cells[0], "{%tr if income %}")
    income = cells("income", "{{ income.category }} " + t("(vähennetään)", "(avdras)"))
    income[-1] = ""
    for i, text in enumerate(income):
        cell_text(table.rows[6].cells[i], text, right=i in numeric)
    cant_split(table.rows[6])
    cell_text(table.rows[7].cells[0], "{%tr endif %}")
    net = cells(
        "net",
        t("Nettokustannukset (kustannukset − tulot)", "Nettokostnader (kostnader − intäkter)"),
    )
    net[-1] = ""
    fixed_row(table, 8, net, numeric)
    set_widths(table, [w for _h, _e, w in columns])
    para(
        doc,
        t(
            "Suunniteltu: valittujen hankkeiden budjettirivit koko toteutusajalta. Käytetty: "
            "toteutuneet kustannukset niiltä raportointijaksoilta, jotka ovat alkaneet "
            "{% if period_end %}{{ period_end|pvm }} mennessä{% else %}tähän mennessä{% endif %}. "
            "Käyttöaste: käytetty osuutena suunnitellusta. Ajanjaksolla: ajanjakson aikana "
            "alkaneiden raportointijaksojen kustannukset. Osuus: kustannuslajin osuus "
            "suunnitelluista kustannuksista. Tulot vähennetään nettokustannuksista.",
            "Planerat: de valda projektens budgetrader för hela genomförandetiden. Använt: "
            "faktiska kostnader för de rapporteringsperioder som har börjat "
            "{% if period_end %}senast {{ period_end|pvm }}{% else %}hittills{% endif %}. "
            "Utnyttjandegrad: det använda som andel av det planerade. Under perioden: "
            "kostnaderna för de rapporteringsperioder som började under perioden. Andel: "
            "kostnadsslagets andel av de planerade kostnaderna. Intäkterna dras av från "
            "nettokostnaderna.",
        ),
    ).paragraph_format.space_before = Pt(6)
    chart(doc, "money_chart")
    tag(doc, "{%p else %}")
    para(
        doc,
        t(
            "Valituilla hankkeilla ei ole kirjattu kustannusarviota eikä toteutuneita "
            "kustannuksia kustannuslajeittain.",
            "För de valda projekten har ingen kostnadsberäkning och inga faktiska kostnader per "
            "kostnadsslag registrerats.",
        ),
    )
    tag(doc, "{%p endif %}")


def participant_section(doc: object, t: T) -> None:
    h1(doc, t("4 Osallistujat", "4 Deltagare"))
    tag(doc, "{%p if participants.known %}")
    para(
        doc,
        t(
            "Hankkeiden omat koko hankkeen luvut (kukin henkilö kerran hanketta kohden) "
            "laskettuna yhteen {{ participants.projects }} hankkeelta.",
            "Projektens egna siffror för hela projektet (varje person en gång per projekt) "
            "sammanräknade för {{ participants.projects }} projekt.",
        ),
    )
    h2(doc, t("Sukupuoli ja ikäluokka", "Kön och åldersklass"))
    loop_table(
        doc,
        "participants.rows",
        "p",
        participant_columns(t),
        t("Ei tietoa.", "Uppgift saknas."),
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
        loop_table(doc, items, "c", columns, t("Ei tietoa.", "Uppgift saknas."), numeric=(1,))
        tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    para(
        doc,
        t(
            "Valitut hankkeet eivät ole kirjanneet koko hankkeen osallistujamääriä.",
            "De valda projekten har inte registrerat antalet deltagare för hela projektet.",
        ),
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if participants.in_range_projects %}")
    para(
        doc,
        t(
            "Ajanjakson aikana alkaneilla raportointijaksoilla osallistujia oli "
            "{{ participants.in_range }} ({{ participants.in_range_projects }} hanketta; sama "
            "henkilö voi olla mukana usealla jaksolla).",
            "Under de rapporteringsperioder som började under perioden fanns "
            "{{ participants.in_range }} deltagare ({{ participants.in_range_projects }} projekt; "
            "samma person kan delta under flera perioder).",
        ),
    ).paragraph_format.space_before = Pt(6)
    tag(doc, "{%p endif %}")


def indicator_section(doc: object, t: T) -> None:
    h1(doc, t("5 Mittarit", "5 Indikatorer"))
    para(
        doc,
        t(
            "Mittaristoon linkitetyt hankkeiden mittarit mittaristo-mittareittain.",
            "Projektens indikatorer som är länkade till indikatorkatalogen, per indikator.",
        ),
    )
    loop_table(
        doc,
        "indicators",
        "i",
        [
            (
                t("Mittari", "Indikator"),
                "{{ i.name }}{% if i.unit %} ({{ i.unit }}){% endif %}",
                33,
            ),
            (t("Hank\u00adkeita", "Projekt"), "{{ i.projects }}", 15),
            (t("Lähtötaso", "Utgångs\u00adnivå"), "{{ i.baseline_text }}", 23),
            (t("Tavoite", "Mål"), "{{ i.target_text }}", 23),
            (t("Viimeisin toteuma", "Senaste utfall"), "{{ i.actual_text }}", 23),
            (t("Toteuman tiedon laatu", "Utfallets kvalitet"), "{{ i.basis_text }}", 20),
            (t("Etenemi\u00adnen", "Fram\u00adsteg"), "{{ i.progress_text }}", 28),
        ],
        t(
            "Valittujen hankkeiden mittareita ei ole linkitetty mittaristoon.",
            "De valda projektens indikatorer är inte länkade till indikatorkatalogen.",
        ),
        numeric=(1,),
    )
    tag(doc, "{%p if indicators %}")
    para(
        doc,
        t(
            "Yhteenlaskettavien yksiköiden (henkilöä, kpl, €) luvut on laskettu yhteen; muista "
            "(%, vrk …) on annettu mediaani ja suluissa pienin–suurin. Viimeisin toteuma on "
            "kunkin mittarin viimeisimmän ajanjakson loppuun mennessä alkaneen "
            "raportointijakson arvo. Eteneminen vertaa kahta osuutta: kuinka suuren osan "
            "matkasta lähtötasolta tavoitteeseen toteuma on kulkenut (suunta huomioiden: mitä "
            "enemmän tai vähemmän, sitä parempi, tai paras tavoitetasossa) ja kuinka suuri osa "
            "ajasta hankkeen alusta tavoitepäivään (tai hankkeen loppuun) on kulunut toteuman "
            "jakson loppuun mennessä. Aikataulussa: ero on enintään 10 prosenttiyksikköä; "
            "edellä: toteuma on yli 10 prosenttiyksikköä aikaa edellä; jäljessä: yli 10 "
            "prosenttiyksikköä jäljessä. Ei arvioitavissa: lähtötaso, tavoite, toteuma tai "
            "päivämäärät puuttuvat.",
            "Siffror i enheter som kan summeras (personer, st., €) har räknats samman; för "
            "övriga (%, dygn …) anges medianen och inom parentes minsta–största. Senaste utfall "
            "är värdet för den senaste rapporteringsperiod som har börjat före periodens slut. "
            "Framsteget jämför två andelar: hur stor del av vägen från utgångsläget till målet "
            "utfallet har tillryggalagt (med hänsyn till riktningen: ju mer eller mindre desto "
            "bättre, eller bäst vid målnivån) och hur stor del av tiden från projektets början "
            "till måldatumet (eller projektets slut) som har gått vid utfallets periodslut. "
            "Enligt tidsplanen: skillnaden är högst 10 procentenheter; före: utfallet ligger mer "
            "än 10 procentenheter före tiden; efter: mer än 10 procentenheter efter. Kan inte "
            "bedömas: utgångsläge, mål, utfall eller datum saknas.",
        ),
    ).paragraph_format.space_before = Pt(6)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if free_indicators %}")
    h2(
        doc,
        t(
            "Muut mittarit (ei linkitetty mittaristoon)",
            "Övriga indikatorer (inte länkade till katalogen)",
        ),
    )
    loop_table(
        doc,
        "free_indicators",
        "f",
        [
            (t("Mittari", "Indikator"), "{{ f.name }}", 95),
            (t("Yksikkö", "Enhet"), "{{ f.unit|or_dash }}", 24),
            (t("Hankkeita", "Projekt"), "{{ f.projects }}", 23),
            (t("Mittareita", "Indikatorer"), "{{ f.indicators }}", 23),
        ],
        "",
        numeric=(2, 3),
    )
    tag(doc, "{%p if free_names > free_indicators|length %}")
    para(
        doc,
        t(
            "Luettelossa ovat {{ free_indicators|length }} käytetyintä nimeä "
            "{{ free_names }}:stä ({{ free_indicator_count }} mittaria).",
            "Listan visar de {{ free_indicators|length }} mest använda namnen av "
            "{{ free_names }} ({{ free_indicator_count }} indikatorer).",
        ),
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def project_section(doc: object, t: T) -> None:
    h1(doc, t("6 Hankkeet", "6 Projekt"))
    loop_table(
        doc,
        "projects",
        "p",
        [
            (t("Hanke", "Projekt"), "{{ p.name }}", 58),
            (t("Käsittely\u00advaihe", "Skede"), "{{ p.status }}", 24),
            (t("Toteutusaika", "Genomförandetid"), "{{ p.start_date|daterange(p.end_date) }}", 31),
            (t("Suunniteltu", "Planerat"), "{{ p.planned" + MONEY + " }}", 26),
            (t("Käytetty", "Använt"), "{{ p.used" + MONEY + " }}", 26),
        ],
        t("Valinnassa ei ole hankkeita.", "Urvalet innehåller inga projekt."),
        numeric=(3, 4),
    )
    tag(doc, "{%p if projects_total > projects|length %}")
    para(
        doc,
        t(
            "Luettelossa ovat {{ projects|length }} ensimmäistä hanketta {{ projects_total }}:stä "
            "aakkosjärjestyksessä; koko luettelo on raportin taulukkoversiossa (XLSX).",
            "Listan visar de {{ projects|length }} första projekten av {{ projects_total }} i "
            "alfabetisk ordning; hela listan finns i rapportens tabellversion (XLSX).",
        ),
    )
    tag(doc, "{%p endif %}")
    para(
        doc,
        t(
            "Suunniteltu ja käytetty: hankkeen kustannukset ilman tuloja, käytetty kuten "
            "luvussa 3.",
            "Planerat och använt: projektets kostnader utan intäkter, använt som i avsnitt 3.",
        ),
    ).paragraph_format.space_before = Pt(6)


def build_portfolio(lang: str) -> object:
    t = translator(lang)
    doc = new_document(lang)
    header_and_footer(doc, t)
    title_page(doc, t)
    selection_section(doc, t)
    status_section(doc, t)
    money_section(doc, t)
    participant_section(doc, t)
    indicator_section(doc, t)
    project_section(doc, t)
    return doc


TEMPLATES = {
    "portfolio_fi.docx": lambda: build_portfolio("fi"),
    "portfolio_sv.docx": lambda: build_portfolio("sv"),
}


def main() -> None:
    for name, build in TEMPLATES.items():
        doc = build()
        core = doc.core_properties  # type: ignore[attr-defined]
        core.author = "EVAUS"
        core.title = name.removesuffix(".docx")
        core.comments = "Report template; see templates/report_portfolio.py and README (Reports)"
        doc.save(str(OUT / name))  # type: ignore[attr-defined]
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
