"""What is due: the reporting calendar, hand-added deadlines and the due items computed from them.

A due item is computed, never stored, from each project's funders and reporting periods, the
calendar's active rules (``project_db.deadlines``) and the deadlines added by hand. Its ``key``
is stable ("p12:r3:period2": project 12, rule 3, period 2; "p12:r4:year2026"; "p12:d7" for
hand-added deadline 7; "a5:expost" for the planned ex-post check of decided assessment 5 of
a project), so it can name the item in reminders.

States relative to ``today``: ``done`` when a report of the item's kind for its period (or year)
is in the report archive (a hand-added deadline without a period: a report of its kind archived
after the deadline was added; an item without a report kind is never done by itself),
else ``overdue`` after the due date, ``due`` within ``DUE_SOON_DAYS`` days, else ``upcoming``.

Rights: an administrator and a viewer see every project's items, a manager the items of the
projects they edit as a team member; an administrator edits the calendar; whoever may edit a
project adds and removes its deadlines. Every write goes through the audited session.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from project_db import deadlines as data
from project_db.assessment_queries import planned_ex_post_checks
from project_db.audit import set_actor
from project_db.errors import N_, Problem, ValidationFailed
from project_db.schemas import DeadlineDoc, ProjectDoc
from project_db.validators import clean_line

from ..i18n import format_message, today_in_helsinki
from ..reports import kinds
from .access import Actor, require_admin, require_edit, require_read

State = Literal["upcoming", "due", "overdue", "done"]
STATES: tuple[State, ...] = ("overdue", "due", "upcoming", "done")
OPEN_STATES: tuple[State, ...] = ("overdue", "due")
DUE_SOON_DAYS = 14
MAX_YEARS = 50  # a project's years counted for yearly rules, at most
MAX_TITLE = 300

TITLE_REQUIRED = N_("The title is required (at most 300 characters).")
UNKNOWN_KIND = N_("Unknown report kind {kind}.")
UNKNOWN_BASIS = N_("Unknown rule basis {basis}.")
NO_SUCH_PERIOD = N_("The project has no reporting period {number}.")
BAD_DAYS = N_("The number of days must be between 0 and 366.")
BAD_DAY_OF_YEAR = N_("Give a valid day and month.")
FUNDER_REQUIRED = N_("The funder code is required.")
NOT_IN_FILE = N_("No project in the file has the key {key}.")
EX_POST_TITLE = N_("Ex-post check of the impact assessment: {title}")


class DueItem(BaseModel):
    """One report or task a project owes, with its due date and state on a given day."""

    key: str
    project_id: int
    project_name: str
    title: str  # in the reader's language
    due_on: date
    kind: str | None  # an evaus.reports.kinds name
    kind_label: str | None
    period: int | None
    year: int | None  # the calendar year a yearly report covers
    funder: str | None  # the funder code of the calendar rule (None: added by hand)
    state: State
    rule_id: int | None = None
    deadline_id: int | None = None
    url: str


class DueFilter(BaseModel):
    funder: str | None = None
    states: tuple[State, ...] = ()
    start: date | None = None  # due on or after
    end: date | None = None  # due on or before
    manager: int | None = None  # the user id of a project manager: their team's projects


class RuleIn(BaseModel):
    """A calendar rule as an administrator writes it."""

    funder_code: str
    basis: str = data.PERIOD_END
    days_after: int | None = None
    month: int | None = None
    day: int | None = None
    report_kind: str | None = None
    title_fi: str
    title_sv: str = ""
    title_en: str = ""
    starts_on: date | None = None
    active: bool = True


class RuleOut(RuleIn):
    id: int
    version: int


class DeadlineIn(BaseModel):
    due_on: date
    title: str = Field(max_length=MAX_TITLE)
    report_kind: str | None = None
    period: int | None = None


class DeadlineOut(DeadlineIn):
    id: int
    project_id: int
    created_by: str


def _today(today: date | None) -> date:
    return today if today is not None else today_in_helsinki()


def _kind_label(name: str | None, lang: str) -> str | None:
    if name is None:
        return None
    if name not in kinds.names():
        return name
    return format_message(kinds.get(name).label, lang)


def _state(due_on: date, done: bool, today: date, soon_days: int) -> State:
    if done:
        return "done"
    if due_on < today:
        return "overdue"
    if due_on <= today + timedelta(days=soon_days):
        return "due"
    return "upcoming"


def _day_of(year: int, month: int, day: int) -> date:
    """The day, or the month's last day when it is shorter (29.2. in a common year)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _years(project: data.ProjectFacts, funder: str) -> list[int]:
    """The calendar years the project runs with this funder: the funder's period of use, else
    the project's dates, else its reporting periods."""
    spans = [(f.start, f.end) for f in project.funding if f.funder_code == funder]
    spans = [(s, e) for s, e in spans if s is not None and e is not None]
    if not spans and project.start is not None and project.end is not None:
        spans = [(project.start, project.end)]
    if not spans and project.periods:
        spans = [(min(p.start for p in project.periods), max(p.end for p in project.periods))]
    years: set[int] = set()
    for start, end in spans:
        assert start is not None and end is not None
        years.update(range(start.year, min(end.year, start.year + MAX_YEARS) + 1))
    return sorted(years)


class _Archive:
    """What the report archive holds, for the ``done`` state."""

    def __init__(self, scopes: Iterable[data.ArchivedScope]) -> None:
        self.scopes = list(scopes)
        self.periods = {(s.project_id, s.kind, s.period) for s in self.scopes if s.period}
        self.years = {(s.project_id, s.kind, s.year) for s in self.scopes if s.year}

    def has_period(self, project_id: int, kind: str | None, period: int) -> bool:
        return kind is not None and (project_id, kind, period) in self.periods

    def has_year(self, project_id: int, kind: str | None, year: int) -> bool:
        return kind is not None and (project_id, kind, year) in self.years

    def has_since(self, project_id: int, kind: str | None, since: date) -> bool:
        return kind is not None and any(
            s.project_id == project_id and s.kind == kind and s.created_at.date() >= since
            for s in self.scopes
        )


def _items(
    session: Session,
    project_ids: set[int] | None,
    *,
    today: date,
    soon_days: int,
    lang: str,
) -> list[DueItem]:
    rules = list(data.list_rules(session, active_only=True))
    funders = {r.funder_code for r in rules}
    facts = data.project_facts(session, funders, project_ids)
    ids = [p.id for p in facts]
    archive = _Archive(data.archived_scopes(session, ids))
    manual: dict[int, list[data.ProjectDeadline]] = {}
    for deadline in data.manual_deadlines(session, ids):
        manual.setdefault(deadline.project_id, []).append(deadline)
    items: list[DueItem] = []
    for project in facts:
        codes = {f.funder_code for f in project.funding}

        def add(
            key: str,
            title: str,
            due_on: date,
            kind: str | None,
            done: bool,
            *,
            project: data.ProjectFacts = project,
            period: int | None = None,
            year: int | None = None,
            funder: str | None = None,
            rule_id: int | None = None,
            deadline_id: int | None = None,
        ) -> None:
            items.append(
                DueItem(
                    key=key,
                    project_id=project.id,
                    project_name=project.name,
                    title=title,
                    due_on=due_on,
                    kind=kind,
                    kind_label=_kind_label(kind, lang),
                    period=period,
                    year=year,
                    funder=funder,
                    state=_state(due_on, done, today, soon_days),
                    rule_id=rule_id,
                    deadline_id=deadline_id,
                    url=f"/projects/{project.id}/reports"
                    if kind is not None
                    else f"/projects/{project.id}",
                )
            )

        for rule in rules:
            if rule.funder_code not in codes:
                continue
            kind, title = rule.report_kind, rule.title(lang)
            if rule.basis == data.PERIOD_END and rule.days_after is not None:
                for period in project.periods:
                    due_on = period.end + timedelta(days=rule.days_after)
                    if rule.starts_on is not None and due_on < rule.starts_on:
                        continue
                    done = archive.has_period(project.id, kind, period.number)
                    key = f"p{project.id}:r{rule.id}:period{period.number}"
                    add(key, title, due_on, kind, done, period=period.number,
                        funder=rule.funder_code, rule_id=rule.id)  # fmt: skip
            elif rule.basis == data.YEARLY and rule.month and rule.day:
                for year in _years(project, rule.funder_code):
                    due_on = _day_of(year + 1, rule.month, rule.day)
                    if rule.starts_on is not None and due_on < rule.starts_on:
                        continue
                    done = archive.has_year(project.id, kind, year)
                    key = f"p{project.id}:r{rule.id}:year{year}"
                    add(key, title, due_on, kind, done, year=year,
                        funder=rule.funder_code, rule_id=rule.id)  # fmt: skip
        for deadline in manual.get(project.id, []):
            kind = deadline.report_kind
            if deadline.period is not None:
                done = archive.has_period(project.id, kind, deadline.period)
            else:
                done = archive.has_since(project.id, kind, deadline.created_at.date())
            add(f"p{project.id}:d{deadline.id}", deadline.title, deadline.due_on, kind, done,
                period=deadline.period, deadline_id=deadline.id)  # fmt: skip
    items.extend(_ex_post_items(session, project_ids, today, soon_days, lang))
    items.sort(key=lambda i: (i.due_on, i.project_name, i.key))
    return items


def _ex_post_items(
    session: Session, project_ids: set[int] | None, today: date, soon_days: int, lang: str
) -> list[DueItem]:
    """The planned ex-post checks of decided assessments (done when the ex-post is completed:
    a completed one is no longer listed)."""
    items = []
    for assessment_id, title, due_on, project_id, project_name in planned_ex_post_checks(
        session, project_ids
    ):
        label = format_message(EX_POST_TITLE, lang, title=title)
        items.append(
            DueItem(
                key=f"a{assessment_id}:expost",
                project_id=project_id,
                project_name=project_name,
                title=label,
                due_on=due_on,
                kind=None,
                kind_label=None,
                period=None,
                year=None,
                funder=None,
                state=_state(due_on, False, today, soon_days),
                url=f"/assessments/{assessment_id}/ex-post",
            )
        )
    return items


def _visible_projects(session: Session, actor: Actor) -> set[int] | None:
    """The projects whose items the actor's lists show (None: every project)."""
    require_read(actor)
    if actor.role != "manager":
        return None
    if actor.person_id is None:
        return set()
    return data.team_project_ids(session, actor.person_id)


def due_items(
    session: Session,
    *,
    actor: Actor,
    filters: DueFilter | None = None,
    today: date | None = None,
    soon_days: int = DUE_SOON_DAYS,
    lang: str | None = None,
) -> list[DueItem]:
    """The due items the actor sees (a manager: their own projects'), filtered, by due date."""
    filters = filters or DueFilter()
    project_ids = _visible_projects(session, actor)
    if filters.manager is not None:
        chosen = {u.id: u.person_id for u in data.managers(session)}
        person = chosen.get(filters.manager)
        team = data.team_project_ids(session, person) if person is not None else set()
        project_ids = team if project_ids is None else project_ids & team
    if project_ids is not None and not project_ids:
        return []
    items = _items(
        session, project_ids, today=_today(today), soon_days=soon_days, lang=lang or actor.language
    )
    return [
        i
        for i in items
        if (filters.funder is None or i.funder == filters.funder)
        and (not filters.states or i.state in filters.states)
        and (filters.start is None or i.due_on >= filters.start)
        and (filters.end is None or i.due_on <= filters.end)
    ]


def project_due_items(
    session: Session,
    project_id: int,
    *,
    actor: Actor,
    today: date | None = None,
    lang: str | None = None,
) -> list[DueItem]:
    """One project's due items, every state. Readable like the project itself."""
    require_read(actor)
    return _items(
        session,
        {project_id},
        today=_today(today),
        soon_days=DUE_SOON_DAYS,
        lang=lang or actor.language,
    )


def next_due(
    session: Session,
    project_id: int,
    *,
    actor: Actor,
    today: date | None = None,
    lang: str | None = None,
) -> DueItem | None:
    """The project's earliest item not yet done (overdue ones first), or None."""
    items = project_due_items(session, project_id, actor=actor, today=today, lang=lang)
    return next((i for i in items if i.state != "done"), None)


def manager_options(session: Session, *, actor: Actor) -> list[tuple[int, str]]:
    """(user id, name) of the project managers, for the portfolio view's filter."""
    require_read(actor)
    return [(u.id, u.display_name or u.username) for u in data.managers(session)]


# --- the calendar (administrators) ------------------------------------------------------------


def _rule_out(rule: data.ReportingRule) -> RuleOut:
    return RuleOut(
        id=rule.id,
        version=rule.version,
        funder_code=rule.funder_code,
        basis=rule.basis,
        days_after=rule.days_after,
        month=rule.month,
        day=rule.day,
        report_kind=rule.report_kind,
        title_fi=rule.title_fi,
        title_sv=rule.title_sv,
        title_en=rule.title_en,
        starts_on=rule.starts_on,
        active=rule.active,
    )


def list_rules(session: Session, *, actor: Actor) -> list[RuleOut]:
    require_read(actor)
    return [_rule_out(r) for r in data.list_rules(session)]


def _kind_problems(kind: str | None) -> list[Problem]:
    if kind is not None and kind not in kinds.names():
        return [Problem("report_kind", UNKNOWN_KIND, {"kind": kind})]
    return []


def _title_problems(title: str) -> list[Problem]:
    if not (0 < len(title) <= MAX_TITLE):
        return [Problem("title", TITLE_REQUIRED)]
    return []


def _clean_rule(rule: RuleIn) -> RuleIn:
    clean = rule.model_copy(
        update={
            "funder_code": clean_line(rule.funder_code),
            "title_fi": clean_line(rule.title_fi),
            "title_sv": clean_line(rule.title_sv),
            "title_en": clean_line(rule.title_en),
            "report_kind": clean_line(rule.report_kind or "") or None,
        }
    )
    problems = _kind_problems(clean.report_kind) + _title_problems(clean.title_fi)
    if any(len(t) > MAX_TITLE for t in (clean.title_sv, clean.title_en)):
        problems += _title_problems("")
    if not (0 < len(clean.funder_code) <= 80):
        problems.append(Problem("funder_code", FUNDER_REQUIRED))
    if clean.basis not in data.BASES:
        problems.append(Problem("basis", UNKNOWN_BASIS, {"basis": clean.basis}))
    if clean.days_after is not None and not (0 <= clean.days_after <= 366):
        problems.append(Problem("days_after", BAD_DAYS))
    if clean.basis == data.YEARLY:
        month, day = clean.month, clean.day
        valid = month is not None and day is not None and 1 <= month <= 12
        if not valid or not (1 <= (day or 0) <= calendar.monthrange(2000, month or 1)[1]):
            problems.append(Problem("day", BAD_DAY_OF_YEAR))
    if problems:
        raise ValidationFailed(problems)
    return clean


def _write_rule(target: data.ReportingRule, rule: RuleIn) -> None:
    for field, value in rule.model_dump().items():
        setattr(target, field, value)


def add_rule(session: Session, rule: RuleIn, *, actor: Actor) -> RuleOut:
    """A new calendar rule at the end of the calendar."""
    require_admin(actor)
    clean = _clean_rule(rule)
    set_actor(session, actor.username)
    row = data.ReportingRule(position=data.last_rule_position(session) + 1)
    _write_rule(row, clean)
    session.add(row)
    session.commit()
    return _rule_out(row)


def update_rule(session: Session, rule_id: int, rule: RuleIn, *, actor: Actor) -> RuleOut:
    require_admin(actor)
    clean = _clean_rule(rule)
    row = data.get_rule(session, rule_id)
    set_actor(session, actor.username)
    _write_rule(row, clean)
    session.commit()
    return _rule_out(row)


# --- deadlines added by hand ----------------------------------------------------------------


def _deadline_out(row: data.ProjectDeadline) -> DeadlineOut:
    return DeadlineOut(
        id=row.id,
        project_id=row.project_id,
        created_by=row.created_by,
        due_on=row.due_on,
        title=row.title,
        report_kind=row.report_kind,
        period=row.period,
    )


def list_deadlines(session: Session, project_id: int, *, actor: Actor) -> list[DeadlineOut]:
    require_read(actor)
    return [_deadline_out(d) for d in data.manual_deadlines(session, [project_id])]


def add_deadline(
    session: Session, project_id: int, deadline: DeadlineIn, *, actor: Actor
) -> DeadlineOut:
    """A deadline added by hand to a project the actor may edit."""
    numbers = data.period_numbers(session, project_id)  # NotFound first
    require_edit(session, actor, project_id)
    title = clean_line(deadline.title)
    kind = clean_line(deadline.report_kind or "") or None
    problems = _title_problems(title) + _kind_problems(kind)
    if deadline.period is not None and deadline.period not in numbers:
        problems.append(Problem("period", NO_SUCH_PERIOD, {"number": deadline.period}))
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor.username)
    row = data.ProjectDeadline(
        project_id=project_id,
        due_on=deadline.due_on,
        title=title,
        report_kind=kind,
        period=deadline.period,
        created_by=actor.username,
    )
    session.add(row)
    session.commit()
    return _deadline_out(row)


def delete_deadline(session: Session, deadline_id: int, *, actor: Actor) -> None:
    row = data.get_deadline(session, deadline_id)
    require_edit(session, actor, row.project_id)
    set_actor(session, actor.username)
    session.delete(row)
    session.commit()


def import_deadlines(
    session: Session,
    deadlines: Sequence[DeadlineDoc] | None,
    projects: Sequence[ProjectDoc],
    *,
    actor: Actor,
) -> int:
    """The hand-added deadlines of a registry file, after its projects are stored: each project
    of the file (by its key) gets exactly the deadlines the file lists for it. ``None`` (the
    file has no ``deadlines``) changes nothing. A deadline of a project not in the file, with an
    unknown report kind or a period its project does not have is refused, naming the field.
    How many deadlines were added or removed; the caller (the import) commits. Administrators,
    like the import."""
    require_admin(actor)
    if deadlines is None:
        return 0
    periods = {doc.key: {p.number for p in doc.periods} for doc in projects if doc.key}
    problems: list[Problem] = []
    for index, deadline in enumerate(deadlines):
        where = f"deadlines.{index}"
        if deadline.project not in periods:
            problems.append(Problem(f"{where}.project", NOT_IN_FILE, {"key": deadline.project}))
            continue
        kind_problems = _kind_problems(deadline.report_kind)
        problems += [Problem(f"{where}.{p.field}", p.message, p.params) for p in kind_problems]
        if deadline.period is not None and deadline.period not in periods[deadline.project]:
            problems.append(Problem(f"{where}.period", NO_SUCH_PERIOD, {"number": deadline.period}))
    if problems:
        raise ValidationFailed(problems)
    listed: dict[str, list[DeadlineDoc]] = {key: [] for key in periods}
    for deadline in deadlines:
        listed[deadline.project].append(deadline)
    set_actor(session, actor.username)
    ids = data.project_ids_by_key(session, list(listed))
    return sum(
        data.replace_deadlines(session, ids[key], wanted, author=actor.username)
        for key, wanted in listed.items()
        if key in ids
    )


__all__ = [
    "DUE_SOON_DAYS",
    "OPEN_STATES",
    "STATES",
    "DeadlineIn",
    "DeadlineOut",
    "DueFilter",
    "DueItem",
    "RuleIn",
    "RuleOut",
    "add_deadline",
    "add_rule",
    "delete_deadline",
    "due_items",
    "import_deadlines",
    "list_deadlines",
    "list_rules",
    "manager_options",
    "next_due",
    "project_due_items",
    "update_rule",
]
