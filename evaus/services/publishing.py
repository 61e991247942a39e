"""The public project catalogue: publishing projects, and what anyone may read without signing in.

Publishing: a project is public by its own choice (``Project.public``) or, without one, by its
portfolio's default. Who may publish a project is who may edit it (an administrator, or a
manager in the project's team); a portfolio's default is an administrator's. Both are changes of
registry data through the audited session.

Reading: the public pages take no Actor. They get only what is built here from the projects of
the public catalogue (``project_db.public_catalogue``): a card never holds internal notes, period
narratives, budgets by row, attachments or anyone's contact details but those of the people
marked as the public contact.

The public pages act as ``VISITOR``, an Actor without a role: it may read the catalogue and send
feedback, nothing else (every other service refuses it, as it has no role they know).

Feedback on accessibility (law 306/2019) reaches every active administrator as a notice and,
when the registry sends mail, as an e-mail queued in the outbox.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from project_db import notifications as notice_data
from project_db import outbox
from project_db import public_catalogue as data
from project_db.audit import set_actor
from project_db.code_queries import code_items
from project_db.errors import N_, NotFound, Problem, ValidationFailed
from project_db.listing import ProjectQuery, list_projects
from project_db.models import Project
from project_db.schemas import BASIS_LABELS
from project_db.store import to_doc
from project_db.validators import clean_block, clean_line, normalise_email

from ..i18n import LANGUAGES, _, format_message, normalise_language
from ..mail import mail_enabled
from ..settings import get_settings
from .access import Actor, Forbidden, can_edit_project, require_admin, require_edit, require_read
from .codelists import label as code_label
from .projects import update_project

# Whoever reads the public pages: no user, no role. The audit log names what it caused (the
# feedback's notices) with its user name.
VISITOR = Actor(user_id=0, username="public-visitor", role="", person_id=None, language="fi")
PUBLIC_ACTOR = VISITOR.username
FEEDBACK_KIND = "accessibility_feedback"
PAGE_SIZE = 20
FUNDER_ROLE = "rahoittaja"
EXCERPT = 300

MESSAGE_MAX = 4000
NAME_MAX = 200
PAGE_MAX = 500

MESSAGE_MISSING = N_("Message: write your feedback.")
MESSAGE_TOO_LONG = N_("Message: at most {max} characters.")
NAME_TOO_LONG = N_("Name: at most {max} characters.")
EMAIL_INVALID = N_("E-mail: the address is not valid.")
PAGE_TOO_LONG = N_("Page or service: at most {max} characters.")
FEEDBACK_SUBJECT = N_("Accessibility feedback on the public project catalogue")
FEEDBACK_FROM = N_("From: {name} {email}")
FEEDBACK_PAGE = N_("About: {page}")
FEEDBACK_ANONYMOUS = N_("anonymous")


# --- publishing ----------------------------------------------------------------------------


def can_publish(session: Session, actor: Actor, project_id: int) -> bool:
    """An administrator, or a manager in the project's team (who may edit the project)."""
    return can_edit_project(session, actor, project_id)


def set_public(
    session: Session,
    project_id: int,
    public: bool | None,
    *,
    expected_version: int | None = None,
    actor: Actor,
) -> Project:
    """Put the project in the public catalogue (True), take it out (False) or let its portfolio
    decide (None). Saved like every change of a project's fields: checked, versioned, audited."""
    require_edit(session, actor, project_id)
    return update_project(
        session, project_id, {"public": public}, expected_version=expected_version, actor=actor
    )


def _require_reader(actor: Actor) -> None:
    """Anyone reads the catalogue, a visitor or a signed-in user, but as an Actor."""
    if not isinstance(actor, Actor):
        raise Forbidden("not an actor")


def project_is_public(session: Session, project_id: int, *, actor: Actor) -> bool:
    """Whether the project shows in the public catalogue (by its choice or its portfolio's)."""
    _require_reader(actor)
    return data.is_public(session, project_id)


def portfolio_default(session: Session, code: str | None, *, actor: Actor) -> bool:
    """Whether the portfolio's projects are public unless they say otherwise."""
    require_read(actor)
    return data.portfolio_default(session, code)


def set_portfolio_default(session: Session, code: str, public: bool, *, actor: Actor) -> bool:
    """Whether the portfolio's projects without a choice of their own are public (admins)."""
    require_admin(actor)
    item = data.portfolio_item(session, code)
    if item is None:
        raise NotFound("portfolio", code)
    set_actor(session, actor.username)
    item.public_default = public
    session.commit()
    return item.public_default


# --- what the public pages show ----------------------------------------------------------


class PublicSummary(BaseModel):
    id: int
    name: str
    short_name: str | None
    project_type: str
    portfolio: str
    status: str
    start_date: date | None
    end_date: date | None
    funders: list[str]
    excerpt: str


class PublicPage(BaseModel):
    items: list[PublicSummary]
    total: int
    page: int
    page_size: int
    # "Did you mean": corrected searches that find a public project, when nothing was found.
    suggestions: list[str] = []

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class PublicFunding(BaseModel):
    name: str
    amount: Decimal | None
    share_percent: Decimal | None


class PublicOrganisation(BaseModel):
    name: str
    role: str


class PublicContact(BaseModel):
    name: str
    role: str
    organisation: str
    email: str
    phone: str


class PublicFigure(BaseModel):
    period: int
    start_date: date | None
    end_date: date | None
    value: Decimal
    basis: str


class PublicIndicator(BaseModel):
    name: str
    unit: str
    baseline: Decimal | None
    baseline_basis: str
    target: Decimal | None
    target_date: date | None
    actuals: list[PublicFigure]


class PublicGoal(BaseModel):
    title: str
    description: str
    sub_goal: bool


class PublicSection(BaseModel):
    title: str
    body: str


class PublicLink(BaseModel):
    url: str
    title: str


class PublicCard(BaseModel):
    """One public project as the public card shows it: nothing else of it is read out."""

    id: int
    name: str
    short_name: str | None
    project_type: str
    portfolio: str
    status: str
    region: str
    municipality: str
    start_date: date | None
    end_date: date | None
    budget_amount: Decimal | None
    budget_class: str
    eura_code: str
    programme: str
    action_line: str
    specific_objective: str
    responsible_authority: str
    website: str
    summary: str
    themes: list[str]
    funders: list[PublicFunding]
    implementers: list[PublicOrganisation]
    sections: list[PublicSection]
    goals: list[PublicGoal]
    results: dict[str, list[str]]  # output | result | impact → texts
    indicators: list[PublicIndicator]
    contacts: list[PublicContact]
    links: list[PublicLink]
    updated_at: datetime | None


def _labels(session: Session, list_name: str, lang: str) -> dict[str, str]:
    return {item.code: code_label(item, lang) for item in code_items(session, list_name)}


def _excerpt(text: str) -> str:
    folded = " ".join(text.split())
    if len(folded) <= EXCERPT:
        return folded
    cut = folded[:EXCERPT].rsplit(" ", 1)[0]
    return cut + " …"


def public_projects(
    session: Session, text: str = "", page: int = 1, lang: str = "fi", *, actor: Actor
) -> PublicPage:
    """One page of the public projects, searched like the registry's list (Finnish stems)."""
    _require_reader(actor)
    query = ProjectQuery(text=text[:200], page=max(1, page), page_size=PAGE_SIZE, public_only=True)
    found = list_projects(session, query)
    summaries = data.public_summaries(session, [p.id for p in found.items])
    labels = {
        name: _labels(session, name, lang) for name in ("project_type", "portfolio", "status")
    }
    items = [
        PublicSummary(
            id=p.id,
            name=p.name,
            short_name=p.short_name,
            project_type=labels["project_type"].get(p.project_type or "", p.project_type or ""),
            portfolio=labels["portfolio"].get(p.portfolio or "", p.portfolio or ""),
            status=labels["status"].get(p.status or "", p.status or ""),
            start_date=p.start_date,
            end_date=p.end_date,
            funders=p.funders,
            excerpt=_excerpt(summaries.get(p.id, "")),
        )
        for p in found.items
        if p.id in summaries  # read in the same transaction: public, else left out
    ]
    return PublicPage(
        items=items,
        total=found.total,
        page=found.page,
        page_size=found.page_size,
        suggestions=found.suggestions,  # each finds a public project (public_only)
    )


def public_card(
    session: Session, project_id: int, lang: str = "fi", *, actor: Actor
) -> PublicCard | None:
    """The public card of the project; None when it is missing or not public (the same)."""
    _require_reader(actor)
    project = data.public_project(session, project_id)
    if project is None:
        return None
    lang = normalise_language(lang)
    doc = to_doc(project)
    lists = ("project_type", "portfolio", "status", "region", "budget_class", "organisation_role")
    labels = {name: _labels(session, name, lang) for name in lists}

    def shown(list_name: str, code: str | None) -> str:
        return labels[list_name].get(code or "", code or "")

    periods = {p.number: p for p in doc.periods}
    indicators = [
        PublicIndicator(
            name=x.name,
            unit=x.unit,
            baseline=x.baseline,
            baseline_basis=_(BASIS_LABELS[x.baseline_basis], lang) if x.baseline_basis else "",
            target=x.target,
            target_date=x.target_date,
            actuals=[
                PublicFigure(
                    period=v.period,
                    start_date=periods[v.period].start_date if v.period in periods else None,
                    end_date=periods[v.period].end_date if v.period in periods else None,
                    value=v.value,
                    basis=_(BASIS_LABELS[v.basis], lang),
                )
                for v in sorted(x.values, key=lambda v: v.period)
            ],
        )
        for x in doc.indicators
    ]
    results: dict[str, list[str]] = {}
    for result in doc.results:
        results.setdefault(result.kind, []).append(result.text)
    contacts = [
        PublicContact(
            name=row.person.name,
            role=row.role,
            organisation=row.person.organisation or "",
            email=row.person.email or "",
            phone=row.person.phone or "",
        )
        for row in doc.people
        if row.public_contact
    ]
    return PublicCard(
        id=project.id,
        name=doc.name,
        short_name=doc.short_name,
        project_type=shown("project_type", doc.project_type),
        portfolio=shown("portfolio", doc.portfolio),
        status=shown("status", doc.status),
        region=shown("region", doc.region),
        municipality=doc.municipality or "",
        start_date=doc.start_date,
        end_date=doc.end_date,
        budget_amount=doc.budget_amount,
        budget_class=shown("budget_class", doc.budget_class),
        eura_code=doc.eura_code or "",
        programme=doc.programme or "",
        action_line=doc.action_line or "",
        specific_objective=doc.specific_objective or "",
        responsible_authority=doc.responsible_authority or "",
        website=doc.website or "",
        summary=doc.summary,
        themes=list(doc.themes),
        funders=[
            PublicFunding(name=f.funder.name, amount=f.amount, share_percent=f.share_percent)
            for f in doc.funding
        ],
        implementers=[
            PublicOrganisation(name=o.organisation.name, role=shown("organisation_role", o.role))
            for o in doc.organisations
            if o.role != FUNDER_ROLE
        ],
        sections=[PublicSection(title=s.title, body=s.body) for s in doc.sections if s.body],
        goals=[
            PublicGoal(title=g.title, description=g.description, sub_goal=bool(g.parent_key))
            for g in doc.goals
        ],
        results=results,
        indicators=indicators,
        contacts=contacts,
        links=[PublicLink(url=x.url, title=x.title) for x in doc.links],
        updated_at=project.updated_at,
    )


def sitemap_entries(session: Session, *, actor: Actor) -> list[tuple[int, datetime | None]]:
    """(id, last change) of every public project: the sitemap's pages."""
    _require_reader(actor)
    return list(data.public_projects_for_sitemap(session))


# --- accessibility feedback ------------------------------------------------------------------


class Feedback(BaseModel):
    message: str
    name: str = ""
    email: str = ""
    page: str = ""

    @classmethod
    def checked(cls, message: str, name: str = "", email: str = "", page: str = "") -> Feedback:
        """The feedback cleaned, or ValidationFailed naming each field that is wrong."""
        return _checked_feedback(message, name, email, page)


def _checked_feedback(message: str, name: str, email: str, page: str) -> Feedback:
    problems: list[Problem] = []
    text = clean_block(message or "")
    if not text.strip():
        problems.append(Problem("", MESSAGE_MISSING))
    elif len(text) > MESSAGE_MAX:
        problems.append(Problem("", MESSAGE_TOO_LONG, {"max": MESSAGE_MAX}))
    who = clean_line(name or "")
    if len(who) > NAME_MAX:
        problems.append(Problem("", NAME_TOO_LONG, {"max": NAME_MAX}))
    address = clean_line(email or "")
    if address:
        try:
            address = normalise_email(address)
        except ValueError:
            problems.append(Problem("", EMAIL_INVALID))
    where = clean_line(page or "")
    if len(where) > PAGE_MAX:
        problems.append(Problem("", PAGE_TOO_LONG, {"max": PAGE_MAX}))
    if problems:
        raise ValidationFailed(problems)
    return Feedback(message=text, name=who, email=address, page=where)


def send_accessibility_feedback(session: Session, feedback: Feedback, *, actor: Actor) -> int:
    """Tell every active administrator: a notice each and, with mail, an e-mail in their own
    language. Returns how many administrators were told."""
    _require_reader(actor)
    admins = list(notice_data.active_users(session, "admin"))
    set_actor(session, actor.username)
    send_mail = mail_enabled()
    base = get_settings().public_url
    ident = uuid.uuid4().hex
    digest = hashlib.sha256(feedback.message.encode("utf-8")).hexdigest()[:12]

    def lines(lang: str) -> list[str]:
        sender = feedback.name or _(FEEDBACK_ANONYMOUS, lang)
        found = [format_message(FEEDBACK_FROM, lang, name=sender, email=feedback.email).strip()]
        if feedback.page:
            found.append(format_message(FEEDBACK_PAGE, lang, page=feedback.page))
        return [*found, "", feedback.message]

    texts = {lang: "\n".join([_(FEEDBACK_SUBJECT, lang), *lines(lang)]) for lang in LANGUAGES}
    for admin in admins:
        key = f"a11y-feedback:{ident}:{digest}:{admin.id}"
        notice_data.add_notice(
            session,
            dedup_key=key,
            user_id=admin.id,
            kind=FEEDBACK_KIND,
            texts=texts,
            link="/public/saavutettavuus",
        )
        if send_mail and admin.email:
            lang = normalise_language(admin.language)
            body = "\n".join(lines(lang))
            outbox.enqueue(
                session,
                outbox.MailDraft(
                    dedup_key=key,
                    recipient=admin.email,
                    subject=_(FEEDBACK_SUBJECT, lang),
                    body_text=body,
                    language=lang,
                    user_id=admin.id,
                    link=base + "/public/saavutettavuus",
                ),
            )
    session.commit()
    return len(admins)


__all__ = [
    "PAGE_SIZE",
    "VISITOR",
    "Feedback",
    "PublicCard",
    "PublicPage",
    "PublicSummary",
    "can_publish",
    "portfolio_default",
    "project_is_public",
    "public_card",
    "public_projects",
    "send_accessibility_feedback",
    "set_portfolio_default",
    "set_public",
    "sitemap_entries",
]
