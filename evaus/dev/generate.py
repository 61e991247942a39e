"""A deterministic generator of realistic registry data (for scale tests and benchmarks).

``generate_docs(n, seed)`` yields the same ``ProjectDoc``s for the same seed: Finnish project
names, implementers and funders, goals, measures, indicators (with their direction) with reporting
periods and values, narrative sections and contacts, a budget by cost category with actual costs
per period, participants per period and for the whole project (each person once: never more
than the periods together, never fewer than in any one period), and volunteers.
``generate(session, n, seed)`` stores them with ``project_db.bulk.create_projects`` (the rows,
search text and full-text index ``apply_doc`` would write, in multi-row inserts), one commit
per batch.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from project_db.audit import set_actor
from project_db.bulk import create_projects
from project_db.schemas import ProjectDoc

FIRST = str.split(
    "Anna Maija Liisa Sanna Kaisa Päivi Tuula Heli Riikka Elina Jukka Mikko Timo Pekka Antti "
    "Juha Ville Jari Sami Tero Aino Eveliina Outi Hannele Markku Kalle Lauri Oona Siiri Väinö"
)
LAST = str.split(
    "Virtanen Korhonen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen "
    "Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen Salonen Turunen "
    "Salo Laitinen Tuominen Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen Ahonen"
)
# (town, genitive, inessive, region code)
PLACES = (
    ("Helsinki", "Helsingin", "Helsingissä", "uusimaa"),
    ("Espoo", "Espoon", "Espoossa", "uusimaa"),
    ("Vantaa", "Vantaan", "Vantaalla", "uusimaa"),
    ("Tampere", "Tampereen", "Tampereella", "pirkanmaa"),
    ("Valkeakoski", "Valkeakosken", "Valkeakoskella", "pirkanmaa"),
    ("Turku", "Turun", "Turussa", "varsinais-suomi"),
    ("Oulu", "Oulun", "Oulussa", "pohjois-pohjanmaa"),
    ("Kuopio", "Kuopion", "Kuopiossa", "pohjois-savo"),
    ("Jyväskylä", "Jyväskylän", "Jyväskylässä", "keski-suomi"),
    ("Lahti", "Lahden", "Lahdessa", "paijat-hame"),
    ("Pori", "Porin", "Porissa", "satakunta"),
    ("Joensuu", "Joensuun", "Joensuussa", "pohjois-karjala"),
    ("Seinäjoki", "Seinäjoen", "Seinäjoella", "etela-pohjanmaa"),
    ("Rovaniemi", "Rovaniemen", "Rovaniemellä", "lappi"),
    ("Kajaani", "Kajaanin", "Kajaanissa", "kainuu"),
    ("Mikkeli", "Mikkelin", "Mikkelissä", "etela-savo"),
    ("Vaasa", "Vaasan", "Vaasassa", "pohjanmaa"),
    ("Hämeenlinna", "Hämeenlinnan", "Hämeenlinnassa", "kanta-hame"),
)
# (theme, the subject in the genitive, the target group in the plural, its adessive/allative)
TOPICS = (
    ("asunnottomuus", "asunnottomuuden ehkäisyn", "asunnottomat", "asunnottomille"),
    ("sosiaalinen kuntoutus", "sosiaalisen kuntoutuksen", "pitkäaikaistyöttömät", "työttömille"),
    ("päihteet", "päihdetyön", "päihteiden käyttäjät", "päihteiden käyttäjille"),
    ("mielenterveys", "mielenterveyden tuen", "mielenterveyskuntoutujat", "kuntoutujille"),
    ("nuoret", "nuorten ohjauksen", "syrjäytymisvaarassa olevat nuoret", "nuorille"),
    ("ikääntyneet", "kotihoidon", "ikääntyneet", "ikääntyneille"),
    ("perheet", "perhekeskustoiminnan", "lapsiperheet", "perheille"),
    ("työllisyys", "työllisyyspalvelujen", "työnhakijat", "työnhakijoille"),
    ("maahanmuuttajat", "kotoutumisen", "maahanmuuttajat", "maahanmuuttajille"),
    ("vammaisuus", "henkilökohtaisen avun", "vammaiset henkilöt", "vammaisille"),
    ("omaishoito", "omaishoidon", "omaishoitajat", "omaishoitajille"),
    ("osallisuus", "osallisuuden", "yksinäiset", "yksinäisille"),
)
KINDS = ("kehittämishanke", "kokeilu", "hanke", "verkostohanke", "pilotti")
FUNDERS = (
    ("ESR", "Euroopan sosiaalirahasto", "esr"),
    ("STEA", "Sosiaali- ja terveysjärjestöjen avustuskeskus STEA", "stea"),
    ("STM", "Sosiaali- ja terveysministeriö", "stm"),
    ("KUNTA", None, "kunta"),
)
STATUSES = ("kaynnissa", "paattynyt", "paattynyt", "myonnetty", "suunnitteilla")
INDICATORS = (
    ("Tavoitetut asiakkaat", "henkilöä", 0, 400),
    ("Asiakastyytyväisyys", "%", 50, 95),
    ("Koulutetut työntekijät", "henkilöä", 0, 120),
    ("Asumisen jatkuminen vuoden jälkeen", "%", 40, 90),
    ("Työllistyneet", "henkilöä", 0, 80),
)


# Indicators where less is better, or on target is best: (name, unit, direction, baseline range).
OTHER_INDICATORS = (
    ("Kustannus per asiakas", "€", "less", (1200, 2000)),
    ("Jonotusaika", "vrk", "less", (20, 90)),
    ("Kotihoidon käyttöaste", "%", "target", (60, 75)),
)
# Shares of the budget per cost category (the rest goes to the last cost category).
BUDGET_SHARES = {
    "esr": (
        ("palkkakustannukset", "0.60"),
        ("ostopalvelut", "0.12"),
        ("matkakustannukset", "0.03"),
        ("kone-ja-laitehankinnat", "0.02"),
        ("flat-rate", "0.144"),  # 24 % of the wages
        ("muut-kustannukset", None),
    ),
    "stm": (
        ("henkilostokustannukset", "0.65"),
        ("palvelujen-ostot", "0.15"),
        ("matkakustannukset", "0.03"),
        ("vuokrat", "0.07"),
        ("muut-kustannukset", None),
    ),
    "stea": (
        ("henkilostokulut", "0.62"),
        ("vuokrat", "0.12"),
        ("matkakulut", "0.04"),
        ("palvelujen-ostot", "0.08"),
        ("muut-kulut", None),
    ),
}
SCHEMES = {"esr": "esr", "stea": "stea", "stm": "stm", "kunta": "stm"}
# Volunteer work is what STEA-funded organisations report.
VOLUNTEER_SCHEMES = frozenset({"stea"})
GENDERS = ("nainen", "mies", "muu")
AGE_CLASSES = ("alle-25", "25-29", "30-54", "yli-54")
LABOUR_STATUSES = ("tyollinen", "tyoton", "pitkaaikaistyoton", "tyovoiman-ulkopuolella")
EDUCATIONS = ("perusaste", "toinen-aste", "korkea-aste")
CENT = Decimal("0.01")


def _money_lines(
    rng: random.Random, scheme: str, budget: Decimal, periods: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Budget lines whose net (costs − income) is the budget, and actual costs per period."""
    income = (budget * Decimal(rng.choice(("0", "0", "0.01", "0.02")))).quantize(CENT)
    gross = budget + income
    lines: list[dict[str, Any]] = []
    for category, share in BUDGET_SHARES[scheme]:
        used = sum((line["amount"] for line in lines), Decimal(0))
        amount = gross - used if share is None else (gross * Decimal(share)).quantize(CENT)
        lines.append({"scheme": scheme, "category": category, "amount": amount})
    if income:
        lines.append({"scheme": scheme, "category": "tulot", "amount": income})
    actuals = []
    for period in periods:
        for line in lines:
            spent = line["amount"] / len(periods) * Decimal(rng.randint(70, 110)) / 100
            actuals.append(
                {
                    "period": period["number"],
                    "scheme": scheme,
                    "category": line["category"],
                    "amount": spent.quantize(CENT),
                }
            )
    return lines, actuals


def _participants(
    rng: random.Random, periods: list[dict[str, Any]], esr: bool
) -> list[dict[str, Any]]:
    """Groups of participants per period and for the whole project: each group's people enter
    in some period and some come back later, so the whole project's count of a group is at least
    that of any period and at most the periods' sum."""
    groups: set[tuple[Any, ...]] = set()
    wanted = rng.randint(2, 5)
    while len(groups) < wanted:
        status = rng.choice(LABOUR_STATUSES) if esr else None
        education = rng.choice(EDUCATIONS) if esr else None
        groups.add((rng.choice(GENDERS), rng.choice(AGE_CLASSES), status, education))
    rows = []
    for gender, age_class, status, education in sorted(groups, key=str):
        group = {
            "gender": gender,
            "age_class": age_class,
            "labour_status": status,
            "education": education,
        }
        seen = 0
        for period in periods:
            new = rng.randint(0, 25)
            returning = rng.randint(0, seen)
            seen += new
            if new + returning:
                rows.append({"period": period["number"], **group, "count": new + returning})
        if seen:
            rows.append({"period": None, **group, "count": seen})
    return rows


def _volunteers(rng: random.Random, period: dict[str, Any]) -> dict[str, Any]:
    people = rng.randint(3, 40)
    return period | {
        "volunteers": people,
        "volunteer_hours": Decimal(people * rng.randint(5, 60)),
        "volunteers_basis": rng.choice(("collected", "estimate")),
        "feedback_methods": "Palautelomake tapaamisten lopussa ja vuosittainen kysely.",
    }


def _directed_indicator(
    rng: random.Random, periods: list[dict[str, Any]], end: date
) -> dict[str, Any]:
    name, unit, direction, (low, high) = rng.choice(OTHER_INDICATORS)
    baseline = rng.randint(low, high)
    if direction == "less":
        target = baseline - rng.randint(1, max(1, baseline // 4))
    else:
        target = rng.randint(80, 90)
    values = []
    for k, p in enumerate(periods):
        # Part of the way, sometimes past it or back: the figure a real project reports.
        moved = (target - baseline) * (k + 1) * rng.randint(60, 120) // (100 * len(periods))
        values.append(
            {"period": p["number"], "value": Decimal(baseline + moved), "basis": "collected"}
        )
    return {
        "key": "i3",
        "goal_key": "g1",
        "name": name,
        "unit": unit,
        "direction": direction,
        "baseline": Decimal(baseline),
        "baseline_basis": "collected",
        "target": Decimal(target),
        "target_date": end,
        "values": values,
    }


def _person(rng: random.Random, org: str) -> dict[str, Any]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    ascii_name = f"{first}.{last}".lower().translate(str.maketrans("äöå", "aoa"))
    return {"name": f"{first} {last}", "email": f"{ascii_name}@example.fi", "organisation": org}


def _indicators(
    rng: random.Random, periods: list[dict[str, Any]], end: date
) -> list[dict[str, Any]]:
    result = []
    for i, (name, unit, low, high) in enumerate(rng.sample(INDICATORS, 2)):
        baseline = rng.randint(low, (low + high) // 2)
        target = rng.randint(baseline + 1, high)
        values = [
            {
                "period": p["number"],
                "value": Decimal(baseline + (target - baseline) * (k + 1) // len(periods)),
                "basis": rng.choice(("collected", "estimate")),
            }
            for k, p in enumerate(periods)
        ]
        result.append(
            {
                "key": f"i{i + 1}",
                "goal_key": "g1",
                "name": name,
                "unit": unit,
                "baseline": Decimal(baseline),
                "baseline_basis": "collected",
                "target": Decimal(target),
                "target_date": end,
                "values": values,
            }
        )
    return result


def esr_programme(start: date) -> str:
    """The ESR programme of the period a project starting on ``start`` belongs to."""
    if start < date(2021, 1, 1):
        return "Kestävää kasvua ja työtä 2014–2020 – Suomen rakennerahasto-ohjelma"
    return "Uudistuva ja osaava Suomi 2021–2027 – EU:n alue- ja rakennepolitiikan ohjelma"


def project_doc(rng: random.Random, number: int) -> ProjectDoc:
    """One generated project (``number`` makes names and source keys unique)."""
    theme, subject, group, to_group = rng.choice(TOPICS)
    second = rng.choice(TOPICS)
    town, town_gen, town_in, region = rng.choice(PLACES)
    code, funder_name, project_type = rng.choice(FUNDERS)
    implementer = f"{town_gen} kaupunki"
    start = date(2014, 1, 1) + timedelta(days=rng.randint(0, 3650))
    end = start + timedelta(days=rng.randint(365, 1100))
    periods = []
    period_start = start
    number_of_periods = rng.randint(2, 4)
    step = (end - start) // number_of_periods
    for p in range(number_of_periods):
        period_end = end if p == number_of_periods - 1 else period_start + step
        periods.append({"number": p + 1, "start_date": period_start, "end_date": period_end})
        period_start = period_end + timedelta(days=1)
    budget = Decimal(rng.randrange(50_000, 2_500_000, 1000))
    name = f"{town_gen} {subject} {rng.choice(KINDS)} {number}".capitalize()
    # Money, participants and the third indicator come from their own generator, seeded from
    # this one's state without drawing from it, so the rest of the data stays as it was. The
    # state's text is the seed: hash() of it differs between processes (hash(None) in it).
    extra = random.Random(repr(rng.getstate()))
    scheme = SCHEMES[project_type]
    budget_lines, cost_actuals = _money_lines(extra, scheme, budget, periods)
    indicators = _indicators(rng, periods, end)
    if extra.random() < 0.5:
        indicators.append(_directed_indicator(extra, periods, end))
    if scheme in VOLUNTEER_SCHEMES:
        periods = [_volunteers(extra, p) for p in periods]
    participants = _participants(extra, periods, esr=project_type == "esr")
    # The grant's own period of use lies within the project's term (drawn last, from ``extra``).
    use_start = start + timedelta(days=extra.randint(0, 60))
    use_end = end - timedelta(days=extra.randint(0, 60))
    return ProjectDoc.model_validate(
        {
            "name": name,
            "source_key": f"dev:{number}",
            "status": rng.choice(STATUSES),
            "project_type": project_type,
            "region": region,
            "municipality": town,
            "start_date": start,
            "end_date": end,
            "budget_amount": budget,
            "programme": esr_programme(start) if project_type == "esr" else None,
            "summary": (
                f"Hankkeessa kehitetään {subject} palveluja {to_group} {town_in}. "
                f"Kohderyhmänä ovat {group}; yhteistyössä huomioidaan myös {second[1]} tarpeet."
            ),
            "themes": sorted({theme, second[0]}),
            "organisations": [
                {
                    "organisation": {"name": implementer, "org_type": "kunta"},
                    "role": "paatoteuttaja",
                }
            ],
            "funding": [
                {
                    "funder": {"name": funder_name or implementer, "org_type": "valtio"},
                    "funder_code": code,
                    "amount": (budget * Decimal("0.75")).quantize(Decimal("0.01")),
                    "share_percent": Decimal(75),
                    "period_start": use_start,
                    "period_end": use_end,
                },
            ],
            "people": [
                {
                    "person": _person(rng, implementer),
                    "role": "Projektipäällikkö",
                    "is_contact": True,
                    "is_team": True,
                }
            ],
            "goals": [
                {"key": "g1", "title": f"Parantaa {subject} saatavuutta {to_group}"},
                {"key": "g2", "title": f"Vahvistaa {second[1]} yhteistyötä"},
            ],
            "measures": [
                {"key": "m1", "goal_key": "g1", "title": f"Matalan kynnyksen palvelupiste {town}"},
                {"key": "m2", "goal_key": "g2", "title": "Työntekijöiden koulutus"},
            ],
            "results": [
                {"kind": "result", "text": f"{group.capitalize()} saivat tukea nopeammin."}
            ],
            "sections": [
                {
                    "kind": "kohderyhma",
                    "title": "Kohderyhmä",
                    "body": f"{group.capitalize()} {town_in} ja lähikunnissa.",
                }
            ],
            "periods": periods,
            "indicators": indicators,
            "budget_lines": budget_lines,
            "cost_actuals": cost_actuals,
            "participant_stats": participants,
        }
    )


def generate_docs(count: int, seed: int = 1, first: int = 1) -> Iterator[ProjectDoc]:
    """``count`` projects numbered from ``first`` (numbers make names and source keys unique)."""
    rng = random.Random(seed)
    for number in range(first, first + count):
        yield project_doc(rng, number)


def generate(
    session: Session,
    count: int,
    seed: int = 1,
    *,
    first: int = 1,
    batch: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Store ``count`` generated projects (bulk inserts, one commit per ``batch``)."""
    set_actor(session, "generator")
    done = 0
    pending: list[ProjectDoc] = []
    shared: dict[str, Any] = {}  # organisations and people already stored, by their input
    for doc in generate_docs(count, seed, first):
        pending.append(doc)
        if len(pending) == batch or done + len(pending) == count:
            create_projects(session, pending, shared)
            session.commit()
            session.expunge_all()  # keep the identity map small
            done += len(pending)
            pending = []
            if progress:
                progress(done, count)
    return done


__all__ = ["generate", "generate_docs", "project_doc"]
