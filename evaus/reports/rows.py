"""The rows and small parts of the project reports: text, labels, organisations, people,
goals, indicators, participants and periods (pure functions of a project document).

``Labels`` maps a code list name to {code: label in the report's language}.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from project_db import finance
from project_db.codes import DEFAULT_CODE_LISTS
from project_db.errors import N_
from project_db.indicators import achievement
from project_db.schemas import (
    BASIS_LABELS,
    DIRECTION_LABELS,
    IndicatorIn,
    PeriodIn,
    ProjectDoc,
    ProjectOrganisationIn,
    ProjectPersonIn,
)
from project_db.store import finnish_sort_key

from ..i18n import _, format_message, number, pvm
from .contexts import (
    AttachmentRow,
    ChartSeries,
    ChartSpec,
    CountRow,
    GoalRow,
    IndicatorRow,
    IndicatorValueRow,
    MeasureRow,
    OrgRow,
    ParticipantRow,
    Participants,
    PeriodInfo,
    PeriodParticipants,
    PersonRow,
    ProjectInfo,
    ResultRow,
    SectionRow,
    VolunteerRow,
)
from .kinds.base import Labels

RESULT_KIND_LABELS = {
    "output": N_("Output"),
    "result": N_("Result"),
    "impact": N_("Long-term impact"),
}

NOT_KNOWN = N_("Not known")


def _t(text: str | None) -> str | None:
    """Blank text is 'not known' (None), which the renderer shows as 'Ei tietoa'."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def _label(labels: Labels, list_name: str, code: str | None) -> str | None:
    if not code:
        return None
    return labels.get(list_name, {}).get(code, code)


LONG_NUMBER_RE = re.compile(r"\d{4,}")


def _readable_numbers(text: str | None, lang: str) -> str | None:
    """Thousands separated the report's way: "Yli 1000000 €" → "Yli 1 000 000 €"."""
    if text is None:
        return None
    return LONG_NUMBER_RE.sub(lambda m: number(int(m.group()), lang), text)


def _section(doc: ProjectDoc, *kinds: str) -> str | None:
    """The text of the sections of these kinds, joined (several sections become paragraphs)."""
    bodies = [s.body.strip() for s in doc.sections if s.kind in kinds and s.body.strip()]
    return "\n\n".join(bodies) or None


def _section_title(labels: Labels, kind: str) -> str:
    return labels.get("section", {}).get(kind, kind)


def _narratives(doc: ProjectDoc, kinds: tuple[str, ...]) -> list[SectionRow]:
    """The project's sections of these kinds, each under its own title, in the order of
    ``kinds`` (the order a funder's form asks for them), empty ones left out."""
    rows = []
    for kind in kinds:
        rows += [
            SectionRow(title=s.title, body=s.body.strip())
            for s in doc.sections
            if s.kind == kind and s.body.strip()
        ]
    return rows


def _other_narratives(doc: ProjectDoc, placed: tuple[str, ...]) -> list[SectionRow]:
    """The sections a report has no place of its own for: printed at the end, never dropped."""
    return [
        SectionRow(title=s.title, body=s.body.strip())
        for s in doc.sections
        if s.kind not in placed and s.body.strip()
    ]


def _basis(basis: str | None, lang: str) -> str | None:
    return _(BASIS_LABELS[basis], lang) if basis in BASIS_LABELS else None


def _progress(indicator: IndicatorIn, value: Decimal | None) -> Decimal | None:
    """How far from the baseline to the target the value has come, in whole per cent."""
    share = achievement(indicator.baseline, indicator.target, value, indicator.direction)
    return None if share is None else (share * 100).quantize(Decimal("1"))


def _project_info(doc: ProjectDoc, labels: Labels, lang: str = "fi") -> ProjectInfo:
    leads = sorted(
        {o.organisation.name for o in doc.organisations if o.role == "paatoteuttaja"},
        key=finnish_sort_key,
    )
    return ProjectInfo(
        name=doc.name,
        short_name=_t(doc.short_name),
        code=_t(doc.eura_code),
        project_type=_label(labels, "project_type", doc.project_type),
        status=_label(labels, "status", doc.status),
        portfolio=_label(labels, "portfolio", doc.portfolio),
        region=_label(labels, "region", doc.region),
        municipality=_t(doc.municipality),
        start_date=doc.start_date,
        end_date=doc.end_date,
        budget_amount=doc.budget_amount,
        budget_class=_readable_numbers(_label(labels, "budget_class", doc.budget_class), lang),
        action_line=_t(doc.action_line),
        specific_objective=_t(doc.specific_objective),
        decision_number=_t(doc.decision_number),
        responsible_authority=_t(doc.responsible_authority),
        programme=_t(doc.programme),
        website=_t(doc.website),
        summary=_t(doc.summary),
        themes=", ".join(doc.themes) or None,
        lead=", ".join(leads) or None,
    )


def _role_order(labels: Labels) -> list[str]:
    """The organisation roles in the order of their code list (päätoteuttaja, osatoteuttaja,
    rahoittaja, yhteistyökumppani …); the shipped order when the labels do not carry it."""
    return list(labels.get("organisation_role") or {}) or [
        entry[0] for entry in DEFAULT_CODE_LISTS["organisation_role"]
    ]


def ordered_organisations(doc: ProjectDoc, labels: Labels) -> list[ProjectOrganisationIn]:
    """The project's organisations by role (in the code list's order, roles not in it last),
    then by name in Finnish alphabetical order (… Z Å Ä Ö, case-insensitive)."""
    order = {code: i for i, code in enumerate(_role_order(labels))}
    return sorted(
        doc.organisations,
        key=lambda o: (
            order.get(o.role, len(order)),
            finnish_sort_key(o.role) if o.role not in order else "",
            finnish_sort_key(o.organisation.name),
            o.organisation.name,
        ),
    )


def _organisations(
    doc: ProjectDoc,
    labels: Labels,
    keep: Callable[[ProjectOrganisationIn], bool] | None = None,
) -> list[OrgRow]:
    """The organisations as the reports list them (see ``ordered_organisations``);
    ``keep`` chooses some of them."""
    return [
        OrgRow(
            name=o.organisation.name,
            role=_label(labels, "organisation_role", o.role) or o.role,
            org_type=_label(labels, "organisation_type", o.organisation.org_type),
            y_tunnus=o.organisation.y_tunnus,
        )
        for o in ordered_organisations(doc, labels)
        if keep is None or keep(o)
    ]


def ordered_people(people: list[ProjectPersonIn]) -> list[ProjectPersonIn]:
    """People by role, then by name in Finnish alphabetical order. A person's role is free
    text: the roles keep the order in which the project first names them (the project
    manager the team lists first stays first), people without a role come last."""
    first_seen: dict[str, int] = {}
    for p in people:
        role = finnish_sort_key(p.role.strip())
        if role:
            first_seen.setdefault(role, len(first_seen))
    return sorted(
        people,
        key=lambda p: (
            first_seen.get(finnish_sort_key(p.role.strip()), len(first_seen)),
            finnish_sort_key(p.person.name),
            p.person.name,
        ),
    )


def _people(people: list[ProjectPersonIn]) -> list[PersonRow]:
    return [
        PersonRow(
            name=p.person.name,
            role=_t(p.role),
            organisation=p.person.organisation,
            email=p.person.email,
            phone=p.person.phone,
        )
        for p in ordered_people(people)
    ]


def _goal_numbers(doc: ProjectDoc) -> dict[str, str]:
    numbers: dict[str, str] = {}
    main = [g for g in doc.goals if not g.parent_key]
    for i, goal in enumerate(main, start=1):
        numbers[goal.key or f"#{i}"] = str(i)
        subs = [g for g in doc.goals if g.parent_key and g.parent_key == goal.key]
        for j, sub in enumerate(subs, start=1):
            numbers[sub.key or f"#{i}.{j}"] = f"{i}.{j}"
    return numbers


def _goals(doc: ProjectDoc) -> list[GoalRow]:
    numbers = _goal_numbers(doc)
    rows = [
        GoalRow(
            number=numbers.get(g.key or "", str(i)), title=g.title, description=_t(g.description)
        )
        for i, g in enumerate(doc.goals, start=1)
    ]
    return sorted(rows, key=lambda r: [int(x) for x in r.number.split(".")])


def _measures(doc: ProjectDoc) -> list[MeasureRow]:
    goals = _goal_numbers(doc)
    return [
        MeasureRow(
            number=str(i),
            title=m.title,
            goal=goals.get(m.goal_key) if m.goal_key else None,
            responsible=_t(m.responsible),
            start_date=m.start_date,
            end_date=m.end_date,
        )
        for i, m in enumerate(doc.measures, start=1)
    ]


def _results(doc: ProjectDoc, lang: str) -> list[ResultRow]:
    order = {"output": 0, "result": 1, "impact": 2}
    ordered = sorted(doc.results, key=lambda r: order.get(r.kind, 3))
    return [ResultRow(kind=_(RESULT_KIND_LABELS[r.kind], lang), text=r.text) for r in ordered]


def _revisions(indicator: IndicatorIn, lang: str) -> str | None:
    parts = [
        f"{number(r.old_target, lang) or '–'} → {number(r.new_target, lang) or '–'} "
        f"({pvm(r.revised_on, lang)}: {r.reason})"
        for r in indicator.revisions
    ]
    return "; ".join(parts) or None


def _indicator_row(
    doc: ProjectDoc,
    index: int,
    indicator: IndicatorIn,
    lang: str,
    periods: set[int] | None,
) -> IndicatorRow:
    """``periods``: the periods whose latest value is reported (None: any period)."""
    goals = _goal_numbers(doc)
    values = [v for v in indicator.values if periods is None or v.period in periods]
    latest = max(values, key=lambda v: v.period) if values else None
    return IndicatorRow(
        number=str(index),
        name=indicator.name,
        unit=_t(indicator.unit),
        goal=goals.get(indicator.goal_key) if indicator.goal_key else None,
        baseline=indicator.baseline,
        baseline_basis=_basis(indicator.baseline_basis, lang),
        target=indicator.target,
        target_date=indicator.target_date,
        value=latest.value if latest else None,
        value_basis=_basis(latest.basis, lang) if latest else None,
        value_period=latest.period if latest else None,
        direction=_(DIRECTION_LABELS[indicator.direction], lang),
        progress_percent=_progress(indicator, latest.value if latest else None),
        revisions=_revisions(indicator, lang),
        source=_t(indicator.source),
    )


def _indicators(doc: ProjectDoc, lang: str, periods: set[int] | None = None) -> list[IndicatorRow]:
    return [
        _indicator_row(doc, i, ind, lang, periods) for i, ind in enumerate(doc.indicators, start=1)
    ]


def _indicator_values(
    doc: ProjectDoc, lang: str, periods: set[int] | None = None
) -> list[IndicatorValueRow]:
    by_number = {p.number: p for p in doc.periods}
    rows = []
    for i, ind in enumerate(doc.indicators, start=1):
        for value in sorted(ind.values, key=lambda v: v.period):
            if periods is not None and value.period not in periods:
                continue
            period = by_number[value.period]
            rows.append(
                IndicatorValueRow(
                    indicator=f"{i}. {ind.name}",
                    period=value.period,
                    start_date=period.start_date,
                    end_date=period.end_date,
                    value=value.value,
                    unit=_t(ind.unit),
                    basis=_basis(value.basis, lang) or value.basis,
                    note=_t(value.note),
                )
            )
    return rows


def _in_code_order(labels: Labels, list_name: str, codes: set[str]) -> list[str]:
    order = list(labels.get(list_name, {}))
    return sorted(codes, key=lambda c: (c not in order, order.index(c) if c in order else 0, c))


def _counts_by(stats: list[Any], attribute: str, labels: Labels, lang: str) -> list[CountRow]:
    """Participants by one classification (labour-market status, education); empty when no
    row records it, the rows without it as "not known"."""
    if not any(getattr(s, attribute) for s in stats):
        return []
    counts: dict[str | None, int] = {}
    for stat in stats:
        code = getattr(stat, attribute) or None
        counts[code] = counts.get(code, 0) + stat.count
    rows = [
        CountRow(label=_label(labels, attribute, code) or code, count=counts[code])
        for code in _in_code_order(labels, attribute, {c for c in counts if c})
    ]
    if None in counts:
        rows.append(CountRow(label=_(NOT_KNOWN, lang), count=counts[None]))
    return rows


def _per_period(doc: ProjectDoc) -> list[PeriodParticipants]:
    """Each period's own participant figure (the same person may be in several)."""
    totals = finance.participants_per_period(doc)
    return [
        PeriodParticipants(
            number=p.number, start_date=p.start_date, end_date=p.end_date, total=totals[p.number]
        )
        for p in sorted(doc.periods, key=lambda p: p.number)
        if p.number in totals
    ]


def _participants(
    doc: ProjectDoc, labels: Labels, period: int | None, lang: str = "fi"
) -> Participants:
    """Participants of one period, or (``period`` None) of the whole project: its own figures
    with each person once, never the sum of the periods (which counts people twice)."""
    if period is not None:
        stats = [s for s in doc.participant_stats if s.period == period]
    else:
        stats = [s for s in doc.participant_stats if s.period is None]
    if not stats:
        return Participants(per_period=_per_period(doc) if period is None else [])
    rows = []
    for age_class in _in_code_order(labels, "age_class", {s.age_class for s in stats}):
        row = ParticipantRow(age_class=_label(labels, "age_class", age_class) or age_class)
        for stat in stats:
            if stat.age_class != age_class:
                continue
            if stat.gender == "nainen":
                row.women += stat.count
            elif stat.gender == "mies":
                row.men += stat.count
            else:
                row.other += stat.count
        row.total = row.women + row.men + row.other
        rows.append(row)
    return Participants(
        rows=rows,
        women=sum(r.women for r in rows),
        men=sum(r.men for r in rows),
        other=sum(r.other for r in rows),
        total=sum(r.total for r in rows),
        labour=_counts_by(stats, "labour_status", labels, lang),
        education=_counts_by(stats, "education", labels, lang),
        known=True,
        unique=period is None,
    )


def _volunteer_periods(periods: list[PeriodIn], lang: str) -> list[VolunteerRow]:
    return [
        VolunteerRow(
            number=p.number,
            start_date=p.start_date,
            end_date=p.end_date,
            volunteers=p.volunteers,
            hours=p.volunteer_hours,
            basis=_basis(p.volunteers_basis, lang),
            feedback_methods=_t(p.feedback_methods),
        )
        for p in periods
    ]


def _period_info(period: PeriodIn) -> PeriodInfo:
    return PeriodInfo(
        number=period.number,
        start_date=period.start_date,
        end_date=period.end_date,
        done=_t(period.done),
        changes=_t(period.changes),
        deviations=_t(period.deviations),
        next_steps=_t(period.next_steps),
    )


def _attachments(doc: ProjectDoc) -> list[AttachmentRow]:
    return [
        AttachmentRow(number=i, filename=a.filename, description=_t(a.description))
        for i, a in enumerate(doc.attachments, start=1)
    ]


MAX_CHART_SERIES = 8
# Fewer points than these and the chart only repeats the table next to it.
MIN_CHART_PERIODS = 2


def _indicator_chart(doc: ProjectDoc, lang: str, periods: list[PeriodIn]) -> ChartSpec | None:
    """Progress from the baseline to the target (%) per period, for the first indicators that
    have a baseline, a target and values: 100 is the target whichever way it lies."""
    numbers = [p.number for p in periods]
    if len(numbers) < MIN_CHART_PERIODS:
        return None
    series = []
    for i, ind in enumerate(doc.indicators, start=1):
        progress = {v.period: _progress(ind, v.value) for v in ind.values if v.period in numbers}
        if not any(x is not None for x in progress.values()):
            continue
        series.append(
            ChartSeries(
                name=f"{i}. {ind.name[:40]}",
                values=[float(x) if (x := progress.get(n)) is not None else None for n in numbers],
            )
        )
        if len(series) == MAX_CHART_SERIES:
            break
    if not series:
        return None
    return ChartSpec(
        style="percent_lines",
        title=_("Indicators: progress from the baseline to the target, by period", lang),
        categories=[format_message("Period {number}", lang, number=n) for n in numbers],
        series=series,
        y_label=_("per cent of the way to the target", lang),
        reference_label=_("Target (100 %)", lang),
    )
