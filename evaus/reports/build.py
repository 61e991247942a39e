"""Report contexts from a project document and code labels: pure functions, no database.

The contexts are assembled here from the rows of ``rows`` and the money of ``money``; the
period or year a report covers is chosen here too. ``Labels`` maps a code list name to
{code: label in the report's language}; the service reads them from the code lists.
Everything here is deterministic for the same input, so the SHA-256 of a context identifies
the data a report was made from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from project_db.errors import N_, Problem
from project_db.schemas import PeriodIn, ProjectDoc

from ..i18n import date_range, format_message, normalise_language, pvm
from .contexts import (
    CardContext,
    EsrFinalContext,
    EsrPeriodContext,
    LinkRow,
    Participants,
    PeriodInfo,
    PersonRow,
    ProjectInfo,
    SectionRow,
    SteaContext,
    SteaProjectInfo,
    StmContext,
    _ReportContext,
)
from .errors import ReportFailed
from .kinds import UNKNOWN_KIND, ReportInput, ReportKind
from .money import _budget, _funding, _funding_chart, grant_period
from .privacy import Removal, Scrubber
from .rows import (
    _attachments,
    _goals,
    _indicator_chart,
    _indicator_values,
    _indicators,
    _label,
    _measures,
    _narratives,
    _organisations,
    _other_narratives,
    _participants,
    _people,
    _period_info,
    _project_info,
    _results,
    _section,
    _t,
    _volunteer_periods,
)

Labels = dict[str, dict[str, str]]
HELSINKI = ZoneInfo("Europe/Helsinki")


# --- periods and years ----------------------------------------------------------------------

# Errors (message ids; the caller translates them).
NO_SUCH_PERIOD = N_("The project has no reporting period {number} (its periods: {available}).")
NO_PERIODS_AT_ALL = N_("The project has no reporting period {number}: it has no periods at all.")


def resolve_period(doc: ProjectDoc, number: int | None) -> PeriodIn | None:
    """The period asked for, the latest when none is asked, None when the project has none."""
    periods = sorted(doc.periods, key=lambda p: p.number)
    if number is None:
        return periods[-1] if periods else None
    for period in periods:
        if period.number == number:
            return period
    if not periods:
        raise ReportFailed(NO_PERIODS_AT_ALL, number=number)
    available = ", ".join(str(p.number) for p in periods)
    raise ReportFailed(NO_SUCH_PERIOD, number=number, available=available)


YEAR_OUTSIDE = N_("The project was not running in {year} (its term is {term}).")
NO_FINISHED_YEAR = N_(
    "No calendar year of the project has ended yet (it started on {start}): choose the year."
)


def resolve_year(doc: ProjectDoc, year: int | None, today: date) -> int:
    """The year asked for (checked against the project's term), else the last finished
    calendar year with data: a year still running (or to come) is never the default."""
    start, end = doc.start_date, doc.end_date
    if year is not None:
        if (start and year < start.year) or (end and year > end.year):
            raise ReportFailed(YEAR_OUTSIDE, year=year, term=date_range(start, end))
        return year
    last_finished = today.year - 1
    with_data = [y for y in map(period_year, doc.periods) if y <= last_finished]
    if with_data:
        return max(with_data)
    candidate = min(end.year, last_finished) if end else last_finished
    if start and candidate < start.year:
        raise ReportFailed(NO_FINISHED_YEAR, start=pvm(start), this_year=today.year)
    return candidate


def period_year(period: PeriodIn) -> int:
    """The one calendar year a period belongs to: the year in which most of its days fall (on
    a tie the later one). A period over New Year is so counted in one year, never in both."""
    days: dict[int, int] = {}
    for year in range(period.start_date.year, period.end_date.year + 1):
        first = max(period.start_date, date(year, 1, 1))
        last = min(period.end_date, date(year, 12, 31))
        days[year] = (last - first).days + 1
    return max(days, key=lambda y: (days[y], y))


def _periods_in_year(doc: ProjectDoc, year: int) -> list[PeriodIn]:
    return sorted((p for p in doc.periods if period_year(p) == year), key=lambda p: p.number)


# --- privacy for public reports ------------------------------------------------------------


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    return value


# --- the contexts ---------------------------------------------------------------------------


# A description on the card is cut after this many characters (at a word), so that the card
# stays at two pages at most; the card says so, and the full texts stay in the registry.
CARD_SECTION_CHARS = 600


def _card_sections(doc: ProjectDoc) -> tuple[list[SectionRow], bool]:
    rows, shortened = [], False
    for section in doc.sections:
        body = _t(section.body)
        if body is None:
            continue
        if len(body) > CARD_SECTION_CHARS:
            cut = body[:CARD_SECTION_CHARS]
            space = cut.rfind(" ")
            if space > CARD_SECTION_CHARS // 2:  # a 100 000-character word is cut where it is
                cut = cut[:space]
            body = cut.rstrip(" ,.;:–-") + " …"
            shortened = True
        rows.append(SectionRow(title=section.title, body=body))
    return rows, shortened


def build_card(doc: ProjectDoc, labels: Labels, lang: str, today: date) -> CardContext:
    contacts = [p for p in doc.people if p.is_contact] or list(doc.people)
    sections, shortened = _card_sections(doc)
    return CardContext(
        lang=lang,
        generated_on=today,
        project=_project_info(doc, labels, lang),
        organisations=_organisations(doc, labels),
        funding=_funding(doc, labels),
        contacts=_people(contacts),
        goals=_goals(doc),
        measures=_measures(doc),
        results=_results(doc, lang),
        indicators=_indicators(doc, lang),
        sections=sections,
        sections_shortened=shortened,
        attachments=_attachments(doc),
        links=[LinkRow(title=x.title or x.url, url=x.url) for x in doc.links],
    )


# Where each funder's form prints the project's narrative sections (section kinds).
STARTING_POINT = ("toimintaymparisto", "lahtotilanne", "tarpeet", "kehittyminen_ennen")
IMPLEMENTATION = (
    "lyhyt_selostus",
    "perusidea",
    "ratkaisun_kuvaus",
    "toimintatavat",
    "toteutussuunnitelma",
)
ACHIEVEMENTS = ("kehittyminen_aikana", "arvioinnin_tulokset", "arviointi")
EMBEDDING = ("juurruttaminen", "jatkuvuus", "ehdot")
HORIZONTAL = ("tasa_arvo", "yhdenvertaisuus", "kestava_kehitys")
# The implementation with the cooperation (ESR and STM print them together).
WITH_COOPERATION = (*IMPLEMENTATION, "yhteistyo")
# What both ESR forms print in places of their own.
ESR_PLACED = (*STARTING_POINT, "kohderyhma", *WITH_COOPERATION, *ACHIEVEMENTS, *HORIZONTAL)

MISSING_STEA_RECIPIENT = N_(
    "The STEA grant recipient cannot be told from the registry: mark the implementing "
    "association or foundation (organisation type) of the project"
)
REMOVED_FROM_PUBLIC = {
    "name": N_("Removed from the public report, a name: {text}"),
    "contact": N_("Removed from the public report, contact details: {text}"),
    "identity_code": N_("Removed from the public report, a personal identity code: {text}"),
    "link": N_("Removed from the public report, a link: {text}"),
    "attachment": N_("Removed from the public report, an attachment: {text}"),
}


def _esr_contacts(doc: ProjectDoc) -> list[PersonRow]:
    """The contact persons the ESR forms ask for (only those marked as contacts)."""
    return _people([p for p in doc.people if p.is_contact])


def _esr_project(doc: ProjectDoc, labels: Labels, lang: str) -> ProjectInfo:
    """The basic data of the ESR forms. What the project does not say itself comes from its
    ESR funding: the grant decision (number and date), and the responsible authority, which is
    the authority that granted the ESR funding (the ELY-keskus, "Hankkeen rahoittaja")."""
    info = _project_info(doc, labels, lang)
    esr = [f for f in doc.funding if f.funder_code == "ESR"]
    if info.decision_number is None:
        for f in esr:
            if _t(f.decision_number):
                when = f", {pvm(f.decision_date, lang)}" if f.decision_date else ""
                info.decision_number = f"{_t(f.decision_number)}{when}"
                break
    if info.responsible_authority is None and esr:
        info.responsible_authority = _t(esr[0].funder.name)
    info.grant_start, info.grant_end = grant_period(esr)
    return info


def build_esr_period(
    doc: ProjectDoc, labels: Labels, lang: str, today: date, period_number: int | None
) -> EsrPeriodContext:
    period = resolve_period(doc, period_number)
    if period is None:  # no periods: the whole term, clearly marked as such
        info = PeriodInfo(
            number=0,
            start_date=doc.start_date or today,
            end_date=doc.end_date or today,
        )
        numbers: set[int] = set()
        chart_periods: list[PeriodIn] = []
    else:
        info = _period_info(period)
        numbers = {period.number}
        chart_periods = [p for p in doc.periods if p.number <= period.number]
    indicators = _indicators(doc, lang, numbers)
    placed = (*ESR_PLACED, "viestinta")
    return EsrPeriodContext(
        lang=lang,
        generated_on=today,
        project=_esr_project(doc, labels, lang),
        period=info,
        period_count=len(doc.periods),
        whole_term=period is None,
        organisations=_organisations(doc, labels),
        contacts=_esr_contacts(doc),
        funding=_funding(doc, labels),
        goals=_goals(doc),
        starting_point=_narratives(doc, STARTING_POINT),
        target_group=_section(doc, "kohderyhma"),
        implementation=_narratives(doc, WITH_COOPERATION),
        measures=_measures(doc),
        achievements=_narratives(doc, ACHIEVEMENTS),
        indicators=indicators,
        participants=_participants(doc, labels, info.number, lang) if period else Participants(),
        budget=_budget(doc, labels, "esr", period.number if period else None),
        equality=_section(doc, "tasa_arvo"),
        non_discrimination=_section(doc, "yhdenvertaisuus"),
        sustainability=_section(doc, "kestava_kehitys"),
        communication=_section(doc, "viestinta"),
        other_sections=_other_narratives(doc, placed),
        indicator_chart=_indicator_chart(doc, lang, sorted(chart_periods, key=lambda p: p.number)),
        funding_chart=_funding_chart(doc, lang),
        attachments=_attachments(doc),
    )


def build_esr_final(doc: ProjectDoc, labels: Labels, lang: str, today: date) -> EsrFinalContext:
    periods = sorted(doc.periods, key=lambda p: p.number)
    deviations = [
        f"{format_message('Period {number}', lang, number=p.number)}: {p.deviations.strip()}"
        for p in periods
        if p.deviations.strip()
    ]
    problems = "\n\n".join(filter(None, [_section(doc, "ongelmat"), *deviations])) or None
    continuation = _section(doc, *EMBEDDING) or (_t(periods[-1].next_steps) if periods else None)
    placed = (*ESR_PLACED, "ongelmat", *EMBEDDING, "kehittamisehdotukset", "vinkit", "viestinta")
    return EsrFinalContext(
        lang=lang,
        generated_on=today,
        project=_esr_project(doc, labels, lang),
        organisations=_organisations(doc, labels),
        contacts=_esr_contacts(doc),
        funding=_funding(doc, labels),
        starting_point=_section(doc, *STARTING_POINT),
        starting_points=_narratives(doc, STARTING_POINT),
        target_group=_section(doc, "kohderyhma"),
        goals=_goals(doc),
        implementation=_narratives(doc, WITH_COOPERATION),
        measures=_measures(doc),
        periods=[_period_info(p) for p in periods],
        achievements=_narratives(doc, ACHIEVEMENTS),
        results=_results(doc, lang),
        indicators=_indicators(doc, lang),
        indicator_values=_indicator_values(doc, lang),
        participants=_participants(doc, labels, None, lang),
        budget=_budget(doc, labels, "esr"),
        equality=_section(doc, "tasa_arvo"),
        non_discrimination=_section(doc, "yhdenvertaisuus"),
        sustainability=_section(doc, "kestava_kehitys"),
        problems=problems,
        continuation=continuation,
        proposals=_section(doc, "kehittamisehdotukset", "vinkit"),
        communication=_section(doc, "viestinta"),
        other_sections=_other_narratives(doc, placed),
        indicator_chart=_indicator_chart(doc, lang, periods),
        funding_chart=_funding_chart(doc, lang),
        attachments=_attachments(doc),
    )


# STEA grants go to non-profit associations and foundations only (not to municipalities).
STEA_ELIGIBLE_TYPES = {"jarjesto", None}
IMPLEMENTER_ROLES = ("paatoteuttaja", "osatoteuttaja")


def stea_recipient(doc: ProjectDoc) -> str | None:
    """The organisation that receives the STEA grant, when the registry can tell: the one
    implementing association or foundation (the lead one first); None when it cannot."""
    implementers = [o for o in doc.organisations if o.role in IMPLEMENTER_ROLES]
    eligible = [o for o in implementers if o.organisation.org_type in STEA_ELIGIBLE_TYPES]
    typed = [o for o in eligible if o.organisation.org_type == "jarjesto"] or eligible
    chosen = [o for o in typed if o.role == "paatoteuttaja"] or typed
    names = {o.organisation.name for o in chosen}
    return names.pop() if len(names) == 1 else None


def _y_tunnus_of(doc: ProjectDoc, name: str | None) -> str | None:
    """The Y-tunnus the registry holds for the organisation of this name (None: none)."""
    codes = {
        o.organisation.y_tunnus
        for o in doc.organisations
        if name and o.organisation.name == name and o.organisation.y_tunnus
    }
    return codes.pop() if len(codes) == 1 else None


def _stea_context(
    doc: ProjectDoc, labels: Labels, lang: str, today: date, year: int | None
) -> SteaContext:
    the_year = resolve_year(doc, year, today)
    periods = _periods_in_year(doc, the_year)
    numbers = {p.number for p in periods}
    stea = next((f for f in doc.funding if f.funder_code == "STEA"), None)
    recipient = stea_recipient(doc)
    activity = (*STARTING_POINT, *IMPLEMENTATION)
    embedding = ("jatkuvuus", "ehdot", "vinkit")  # juurruttaminen has its own field
    placed = (
        "juurruttaminen",
        *activity,
        *ACHIEVEMENTS,
        "kohderyhma",
        "palaute",
        "yhteistyo",
        "vapaaehtoiset",
        *embedding,
    )
    return SteaContext(
        lang=lang,
        generated_on=today,
        year=the_year,
        project=SteaProjectInfo(
            name=doc.name,
            short_name=_t(doc.short_name),
            organisation=recipient,
            y_tunnus=_y_tunnus_of(doc, recipient),
            decision_number=(stea.decision_number if stea else None) or _t(doc.decision_number),
            decision_date=stea.decision_date if stea else None,
            grant_start=stea.period_start if stea else None,
            grant_end=stea.period_end if stea else None,
            start_date=doc.start_date,
            end_date=doc.end_date,
            region=_label(labels, "region", doc.region),
            summary=_t(doc.summary),
        ),
        activity=_narratives(doc, activity),
        year_activity=[
            info
            for info in map(_period_info, periods)
            if info.done or info.changes or info.deviations or info.next_steps
        ],
        goals=_goals(doc),
        achievements=_narratives(doc, ACHIEVEMENTS),
        indicators=_indicators(doc, lang, numbers),
        indicator_values=_indicator_values(doc, lang, numbers),
        results=_results(doc, lang),
        target_group=_section(doc, "kohderyhma"),
        feedback=_section(doc, "palaute"),
        partners=_organisations(
            doc,
            labels,
            keep=lambda o: o.role != "rahoittaja" and o.organisation.name != recipient,
        ),
        cooperation=_section(doc, "yhteistyo"),
        volunteers=_section(doc, "vapaaehtoiset"),
        volunteer_periods=_volunteer_periods(periods, lang),
        embedding=_section(doc, "juurruttaminen"),
        embedding_sections=_narratives(doc, embedding),
        other_sections=_other_narratives(doc, placed),
        indicator_chart=_indicator_chart(doc, lang, periods),
    )


def _stea_scrubbed(
    doc: ProjectDoc, labels: Labels, lang: str, today: date, year: int | None
) -> tuple[SteaContext, list[Removal]]:
    scrubber = Scrubber(
        lang,
        people=[p.person.name for p in doc.people],
        attachments=[a.filename for a in doc.attachments],
    )
    context = _stea_context(doc, labels, lang, today, year)
    data = _map_strings(context.model_dump(exclude={"lang"}), scrubber.scrub)
    data["lang"] = context.lang
    # An organisation's business ID is public, and "0201256-6" would pass for a phone number.
    data["project"]["y_tunnus"] = context.project.y_tunnus
    data["privacy_checked"] = True
    return SteaContext.model_validate(data), scrubber.removed


def build_stea(
    doc: ProjectDoc, labels: Labels, lang: str, today: date, year: int | None
) -> SteaContext:
    """The public STEA report: every text scrubbed of personal data (see ``privacy``)."""
    return _stea_scrubbed(doc, labels, lang, today, year)[0]


def stea_removals(
    doc: ProjectDoc, labels: Labels, lang: str, today: date, year: int | None
) -> list[Problem]:
    """What the scrub removes from the public STEA report, for the person making it (the
    report itself never shows it). Identity codes are shown without their personal part."""
    problems = []
    seen: set[tuple[str, str]] = set()
    for removal in _stea_scrubbed(doc, labels, lang, today, year)[1]:
        text = removal.text
        if removal.kind == "identity_code":
            text = text[:7] + "****"
        if (removal.kind, text) in seen:
            continue
        seen.add((removal.kind, text))
        problems.append(
            Problem(
                field="privacy", message=REMOVED_FROM_PUBLIC[removal.kind], params={"text": text}
            )
        )
    return problems


def build_stm(doc: ProjectDoc, labels: Labels, lang: str, today: date) -> StmContext:
    funding = _funding(doc, labels)
    grant_index = next((i for i, f in enumerate(doc.funding) if f.funder_code == "STM"), None)
    organisations = _organisations(doc, labels)
    leads = {o.organisation.name for o in doc.organisations if o.role == "paatoteuttaja"}
    periods = sorted(doc.periods, key=lambda p: p.number)
    embedding = ("jatkuvuus", "ehdot", "vinkit")  # juurruttaminen has its own field
    placed = (*STARTING_POINT, *WITH_COOPERATION, *ACHIEVEMENTS, "juurruttaminen", *embedding)
    return StmContext(
        lang=lang,
        generated_on=today,
        project=_project_info(doc, labels, lang),
        grant=funding.rows[grant_index] if grant_index is not None else None,
        recipients=[o for o in organisations if o.name in leads],
        organisations=organisations,
        funding=funding,
        starting_point=_narratives(doc, STARTING_POINT),
        goals=_goals(doc),
        implementation=_narratives(doc, WITH_COOPERATION),
        measures=_measures(doc),
        periods=[_period_info(p) for p in periods],
        achievements=_narratives(doc, ACHIEVEMENTS),
        results=_results(doc, lang),
        indicators=_indicators(doc, lang),
        embedding=_section(doc, "juurruttaminen"),
        embedding_sections=_narratives(doc, embedding),
        other_sections=_other_narratives(doc, placed),
        indicator_chart=_indicator_chart(doc, lang, periods),
        funding_chart=_funding_chart(doc, lang),
        budget=_budget(doc, labels, "stm"),
        attachments=_attachments(doc),
    )


def _input(
    doc: ProjectDoc,
    *,
    labels: Labels,
    lang: str,
    today: date,
    period: int | None,
    year: int | None,
) -> ReportInput:
    return ReportInput(
        lang=normalise_language(lang),
        today=today,
        project=doc,
        labels=labels,
        period=period,
        year=year,
    )


def _project_kind(kind: str) -> ReportKind:
    from . import kinds  # the kinds build with the functions of this module

    found = kinds.get(kind)
    if found.scope == "assessment":  # made of an assessment, not of a project document
        raise ReportFailed(UNKNOWN_KIND, kind=kind)
    return found


def build_context(
    kind: str,
    doc: ProjectDoc,
    labels: Labels,
    lang: str,
    today: date,
    *,
    period: int | None = None,
    year: int | None = None,
) -> _ReportContext:
    """The context of a report of one project (see ``evaus.reports.kinds``)."""
    return _project_kind(kind).build(
        _input(doc, labels=labels, lang=lang, today=today, period=period, year=year)
    )


def missing_data(
    kind: str,
    doc: ProjectDoc,
    period: int | None = None,
    *,
    year: int | None = None,
    labels: Labels | None = None,
    today: date | None = None,
) -> list[Problem]:
    """What the report of this kind would show as 'Ei tietoa', as warnings (message ids).

    Raises ``ReportFailed`` when the report cannot be made at all (an unknown period or year).
    """
    when = today or datetime.now(HELSINKI).date()
    return _project_kind(kind).missing(
        _input(doc, labels=labels or {}, lang="fi", today=when, period=period, year=year)
    )
