"""The default code lists, loaded into ``code_item`` on an empty database.

Administrators edit them afterwards; projects refer to the ``code``.
Each entry: (code, Finnish label, Swedish label, English label).
"""

from __future__ import annotations

CodeEntry = tuple[str, str, str, str]

DEFAULT_CODE_LISTS: dict[str, list[CodeEntry]] = {
    "status": [
        ("suunnitteilla", "Suunnitteilla", "Planeras", "Planned"),
        ("valmistelussa", "Valmistelussa", "Under beredning", "In preparation"),
        ("haettu", "Haettu", "Ansökt", "Applied"),
        ("myonnetty", "Myönnetty", "Beviljad", "Granted"),
        ("kaynnissa", "Käynnissä", "Pågår", "Running"),
        ("paattynyt", "Päättynyt", "Avslutad", "Ended"),
        ("hylatty", "Hylätty", "Avslagen", "Rejected"),
        ("keskeytetty", "Keskeytetty", "Avbruten", "Discontinued"),
    ],
    "project_type": [
        ("kunta", "Kunnan tai kaupungin hanke", "Kommunens projekt", "Municipal project"),
        (
            "hyvinvointialue",
            "Hyvinvointialueen hanke",
            "Välfärdsområdets projekt",
            "Wellbeing services county project",
        ),
        ("esr", "ESR-hanke", "ESF-projekt", "ESF project"),
        ("stea", "STEA-avustuskohde", "STEA-understödsobjekt", "STEA grant target"),
        ("stm", "STM-kehittämishanke", "SHM-utvecklingsprojekt", "STM development project"),
        ("muu", "Muu hanke", "Annat projekt", "Other project"),
    ],
    "portfolio": [
        (
            "Hyvinvointisalkku 2014-2020",
            "Hyvinvointisalkku 2014-2020",
            "Välfärdsportfölj 2014-2020",
            "Wellbeing portfolio 2014-2020",
        ),
    ],
    # The 19 regions of mainland Finland and Åland.
    "region": [
        ("uusimaa", "Uusimaa", "Nyland", "Uusimaa"),
        ("varsinais-suomi", "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland"),
        ("satakunta", "Satakunta", "Satakunta", "Satakunta"),
        ("kanta-hame", "Kanta-Häme", "Egentliga Tavastland", "Kanta-Häme"),
        ("pirkanmaa", "Pirkanmaa", "Birkaland", "Pirkanmaa"),
        ("paijat-hame", "Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme"),
        ("kymenlaakso", "Kymenlaakso", "Kymmenedalen", "Kymenlaakso"),
        ("etela-karjala", "Etelä-Karjala", "Södra Karelen", "South Karelia"),
        ("etela-savo", "Etelä-Savo", "Södra Savolax", "South Savo"),
        ("pohjois-savo", "Pohjois-Savo", "Norra Savolax", "North Savo"),
        ("pohjois-karjala", "Pohjois-Karjala", "Norra Karelen", "North Karelia"),
        ("keski-suomi", "Keski-Suomi", "Mellersta Finland", "Central Finland"),
        ("etela-pohjanmaa", "Etelä-Pohjanmaa", "Södra Österbotten", "South Ostrobothnia"),
        ("pohjanmaa", "Pohjanmaa", "Österbotten", "Ostrobothnia"),
        ("keski-pohjanmaa", "Keski-Pohjanmaa", "Mellersta Österbotten", "Central Ostrobothnia"),
        ("pohjois-pohjanmaa", "Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia"),
        ("kainuu", "Kainuu", "Kajanaland", "Kainuu"),
        ("lappi", "Lappi", "Lappland", "Lapland"),
        ("ita-uusimaa", "Itä-Uusimaa", "Östra Nyland", "Eastern Uusimaa"),
        ("ahvenanmaa", "Ahvenanmaa", "Åland", "Åland"),
    ],
    "funder": [
        (
            "ESR",
            "Euroopan sosiaalirahasto (ELY-keskus)",
            "Europeiska socialfonden (NTM-centralen)",
            "European Social Fund (ELY Centre)",
        ),
        (
            "STEA",
            "Sosiaali- ja terveysjärjestöjen avustuskeskus STEA",
            "Social- och hälsoorganisationernas understödscentral STEA",
            "Funding Centre for Social Welfare and Health Organisations STEA",
        ),
        (
            "STM",
            "Sosiaali- ja terveysministeriö",
            "Social- och hälsovårdsministeriet",
            "Ministry of Social Affairs and Health",
        ),
        (
            "EAKR",
            "Euroopan aluekehitysrahasto",
            "Europeiska regionala utvecklingsfonden",
            "European Regional Development Fund",
        ),
        (
            "MAASEUTU",
            "Maaseuturahasto (Manner-Suomen maaseudun kehittämisohjelma)",
            "Landsbygdsfonden (Landsbygdsutvecklingsprogrammet för Fastlandsfinland)",
            "Rural Development Fund (Rural Development Programme for Mainland Finland)",
        ),
        ("KUNTA", "Kunta tai kaupunki", "Kommun eller stad", "Municipality or city"),
        ("HVA", "Hyvinvointialue", "Välfärdsområde", "Wellbeing services county"),
        ("OMA", "Oma rahoitus", "Egen finansiering", "Own funding"),
        ("MUU", "Muu rahoittaja", "Annan finansiär", "Other funder"),
    ],
    "organisation_type": [
        ("kunta", "Kunta", "Kommun", "Municipality"),
        ("hyvinvointialue", "Hyvinvointialue", "Välfärdsområde", "Wellbeing services county"),
        ("kuntayhtyma", "Kuntayhtymä", "Samkommun", "Joint municipal authority"),
        ("valtio", "Valtio", "Staten", "State"),
        ("jarjesto", "Järjestö tai säätiö", "Organisation eller stiftelse", "NGO or foundation"),
        ("oppilaitos", "Oppilaitos", "Läroanstalt", "Educational institution"),
        ("yritys", "Yritys", "Företag", "Company"),
    ],
    "organisation_role": [
        ("paatoteuttaja", "Päätoteuttaja", "Huvudgenomförare", "Lead implementer"),
        ("osatoteuttaja", "Osatoteuttaja", "Delgenomförare", "Co-implementer"),
        ("rahoittaja", "Rahoittaja", "Finansiär", "Funder"),
        ("yhteistyokumppani", "Yhteistyökumppani", "Samarbetspartner", "Partner"),
    ],
    "budget_class": [
        ("alle-100000", "Alle 100000 €", "Under 100000 €", "Under €100,000"),
        ("100000-500000", "100000–500000 €", "100000–500000 €", "€100,000–500,000"),
        ("500000-1000000", "500000–1000000 €", "500000–1000000 €", "€500,000–1,000,000"),
        ("yli-1000000", "Yli 1000000 €", "Över 1000000 €", "Over €1,000,000"),
    ],
    "section": [
        ("toimintaymparisto", "Toimintaympäristö", "Verksamhetsmiljö", "Operating environment"),
        (
            "lahtotilanne",
            "Lähtötilanne ja strategiset liittymäkohdat",
            "Utgångsläge och strategiska kopplingar",
            "Starting situation and strategic links",
        ),
        (
            "tarpeet",
            "Kehitystyön lähtökohtana olevat tarpeet",
            "Behov som utvecklingsarbetet utgår från",
            "Needs behind the development work",
        ),
        ("toteutussuunnitelma", "Toteutussuunnitelma", "Genomförandeplan", "Implementation plan"),
        ("yhteistyo", "Yhteistyö", "Samarbete", "Cooperation"),
        (
            "kohderyhma",
            "Kohderyhmä ja asiakasymmärrys",
            "Målgrupp och kundförståelse",
            "Target group and client insight",
        ),
        ("perusidea", "Ratkaisun perusidea", "Lösningens grundidé", "Basic idea of the solution"),
        (
            "ehdot",
            "Toimivuuden ja käyttöönoton ehdot",
            "Villkor för funktion och ibruktagande",
            "Conditions for working and adoption",
        ),
        (
            "vinkit",
            "Vinkit toimintamallin soveltajille",
            "Tips för dem som tillämpar modellen",
            "Tips for those applying the model",
        ),
        (
            "arvioinnin_tulokset",
            "Arvioinnin tulokset tiivistettynä",
            "Utvärderingens resultat i sammandrag",
            "Evaluation results in brief",
        ),
        ("lyhyt_selostus", "Lyhyt selostus", "Kort beskrivning", "Short description"),
        (
            "ratkaisun_kuvaus",
            "Ratkaisun kuvaus",
            "Beskrivning av lösningen",
            "Description of the solution",
        ),
        (
            "kehittyminen_ennen",
            "Kehittymisen paikat ennen hanketta",
            "Utvecklingsbehov före projektet",
            "Development needs before the project",
        ),
        (
            "kehittyminen_aikana",
            "Kehittymisen paikat hankkeen aikana",
            "Utveckling under projektet",
            "Development during the project",
        ),
        ("toimintatavat", "Toimintatavat", "Arbetssätt", "Ways of working"),
        (
            "tiivistelma_muu",
            "Tiivistelmän muu sisältö",
            "Övrigt i sammandraget",
            "Other summary content",
        ),
        ("arviointi", "Arviointi", "Utvärdering", "Evaluation"),
        # Report blocks the funders ask for (ESR, STEA, STM reports read them by kind).
        ("tasa_arvo", "Sukupuolten tasa-arvo", "Jämställdhet", "Gender equality"),
        ("yhdenvertaisuus", "Yhdenvertaisuus", "Likabehandling", "Non-discrimination"),
        ("kestava_kehitys", "Kestävä kehitys", "Hållbar utveckling", "Sustainable development"),
        ("viestinta", "Viestintä", "Kommunikation", "Communication"),
        ("ongelmat", "Ongelmat ja ratkaisut", "Problem och lösningar", "Problems and solutions"),
        (
            "jatkuvuus",
            "Toiminnan jatkuminen hankkeen jälkeen",
            "Fortsatt verksamhet efter projektet",
            "How the work continues after the project",
        ),
        (
            "kehittamisehdotukset",
            "Kehittämisehdotukset",
            "Utvecklingsförslag",
            "Development proposals",
        ),
        (
            "palaute",
            "Osallistujien näkemys ja palaute",
            "Deltagarnas syn och respons",
            "Participants' view and feedback",
        ),
        ("vapaaehtoiset", "Vapaaehtoiset", "Frivilliga", "Volunteers"),
        ("juurruttaminen", "Juurruttaminen", "Förankring", "Embedding"),
        ("muu", "Muu kuvaus", "Annan beskrivning", "Other description"),
    ],
    "gender": [
        ("nainen", "Nainen", "Kvinna", "Woman"),
        ("mies", "Mies", "Man", "Man"),
        ("muu", "Muu tai ei tiedossa", "Annat eller okänt", "Other or unknown"),
    ],
    "age_class": [
        ("alle-25", "Alle 25 v.", "Under 25 år", "Under 25"),
        ("25-29", "25–29 v.", "25–29 år", "25–29"),
        ("30-54", "30–54 v.", "30–54 år", "30–54"),
        ("yli-54", "Yli 54 v.", "Över 54 år", "Over 54"),
    ],
    # ESR participant monitoring: labour-market status at entry and education.
    "labour_status": [
        ("tyollinen", "Työllinen", "Sysselsatt", "Employed"),
        ("tyoton", "Työtön", "Arbetslös", "Unemployed"),
        ("pitkaaikaistyoton", "Pitkäaikaistyötön", "Långtidsarbetslös", "Long-term unemployed"),
        (
            "tyovoiman-ulkopuolella",
            "Työvoiman ulkopuolella",
            "Utanför arbetskraften",
            "Outside the labour force",
        ),
        ("opiskelija", "Opiskelija", "Studerande", "Student"),
    ],
    "education": [
        ("perusaste", "Perusaste", "Grundnivå", "Basic level"),
        ("toinen-aste", "Toinen aste", "Andra stadiet", "Upper secondary level"),
        ("korkea-aste", "Korkea-aste", "Högre nivå", "Tertiary level"),
    ],
    # Cost categories (kustannuslajit) of budgets and actual costs, one list per funder's scheme.
    # The code "tulot" is income in every list: it reduces the net cost (project_db.finance).
    "cost_category_esr": [
        ("palkkakustannukset", "Palkkakustannukset", "Lönekostnader", "Salary costs"),
        ("ostopalvelut", "Ostopalvelut", "Köpta tjänster", "Purchased services"),
        ("matkakustannukset", "Matkakustannukset", "Resekostnader", "Travel costs"),
        (
            "kone-ja-laitehankinnat",
            "Kone-, laite- ja kalustohankinnat",
            "Anskaffning av maskiner, anordningar och inventarier",
            "Machinery, equipment and furniture",
        ),
        ("muut-kustannukset", "Muut kustannukset", "Övriga kostnader", "Other costs"),
        (
            "flat-rate",
            "Flat rate (välilliset kustannukset)",
            "Flat rate (indirekta kostnader)",
            "Flat rate (indirect costs)",
        ),
        ("tulot", "Tulot", "Intäkter", "Income"),
    ],
    "cost_category_stm": [
        ("henkilostokustannukset", "Henkilöstökustannukset", "Personalkostnader", "Staff costs"),
        ("matkakustannukset", "Matkakustannukset", "Resekostnader", "Travel costs"),
        ("palvelujen-ostot", "Palvelujen ostot", "Köp av tjänster", "Purchased services"),
        (
            "aineet-ja-tarvikkeet",
            "Aineet, tarvikkeet ja tavarat",
            "Material, förnödenheter och varor",
            "Materials and supplies",
        ),
        ("vuokrat", "Vuokrat", "Hyror", "Rents"),
        ("investoinnit", "Investoinnit", "Investeringar", "Investments"),
        ("muut-kustannukset", "Muut kustannukset", "Övriga kostnader", "Other costs"),
        ("tulot", "Tulot", "Intäkter", "Income"),
    ],
    "cost_category_stea": [
        ("henkilostokulut", "Henkilöstökulut", "Personalkostnader", "Staff costs"),
        ("vuokrat", "Vuokrat", "Hyror", "Rents"),
        ("matkakulut", "Matka- ja kokouskulut", "Rese- och möteskostnader", "Travel and meetings"),
        ("palvelujen-ostot", "Palvelujen ostot", "Köp av tjänster", "Purchased services"),
        (
            "aine-ja-tarvikekulut",
            "Aine- ja tarvikekulut",
            "Material och förnödenheter",
            "Materials",
        ),
        ("muut-kulut", "Muut kulut", "Övriga kostnader", "Other costs"),
        ("tulot", "Tuotot", "Intäkter", "Income"),
    ],
}

# The cost category list of each funder's scheme (budget lines and actual costs).
COST_CATEGORY_LISTS = {
    "esr": "cost_category_esr",
    "stm": "cost_category_stm",
    "stea": "cost_category_stea",
}
# The category that is income, not cost, in every scheme.
INCOME_CATEGORY = "tulot"

# Lists whose codes an importer may extend (a new portfolio appears in a card).
OPEN_LISTS = frozenset({"portfolio"})

# Which project field, or related-record field, is checked against which list.
PROJECT_CODE_FIELDS = {
    "status": "status",
    "project_type": "project_type",
    "portfolio": "portfolio",
    "region": "region",
    "budget_class": "budget_class",
}
