"""The administration: users, API tokens, code lists, organisations, import and export.

Every page here is for administrators only (``page(..., roles=("admin",))``); every handler
that changes data reloads the user and the services check ``require_admin`` again. The parts
live in users.py, codes.py, import_export.py and people.py; common.py has what they share.
Importing this module registers the administration's pages on ``router``; the report pages of
the administration live in ``evaus.ui.reports``.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import APIRouter, ui

from project_db.errors import N_

from ...mail import mail_enabled
from ...services import notifications
from ...services.access import Actor
from ..context import Translator, session
from ..layout import heading
from ..page import Opened, page
from . import codes, import_export, indicators, people, reporting_calendar, users
from .common import SECTIONS, admin_nav

router = APIRouter()

ADMIN = ("admin",)
SECTION_TITLES = dict(SECTIONS)

DESCRIPTIONS = {
    "/admin/users": N_("Create users, change their roles, deactivate them and set passwords."),
    "/admin/tokens": N_("Personal tokens that let programs use the JSON API."),
    "/admin/codes": N_("Statuses, project types, portfolios, regions, funders and other lists."),
    "/admin/calendar": N_("The funders' reporting deadlines that give projects their due items."),
    "/admin/organisations": N_("Names, types and Y-tunnus of the organisations in projects."),
    "/admin/import": N_("Bring in project cards, CSV and Excel tables or a registry file."),
    "/admin/export": N_("Download the whole registry as JSON, CSV or Excel."),
}

# The report pages live in evaus.ui.reports (and personal data in people.py); the overview
# links to them.
REPORT_PAGES = [
    (
        "/admin/reports/batch",
        N_("Reports for many projects"),
        N_("Make one kind of report for many projects into one ZIP file."),
    ),
    (
        "/admin/templates",
        N_("Report templates"),
        N_("Upload and take into use new versions of the Word report templates."),
    ),
    (
        "/admin/people",
        N_("Personal data"),
        N_("Download everything stored about a person; pseudonymise or delete them."),
    ),
    (
        "/admin/indicators",
        N_("Indicator catalogue"),
        N_("Shared indicator definitions (THL Sotkanet and our own) that indicators link to."),
    ),
]


@page(router, "/admin", title=N_("Administration"), roles=ADMIN)
def admin_overview(opened: Opened[None]) -> None:
    tr = opened.tr
    admin_nav(tr)
    if not mail_enabled():
        ui.label(tr("E-mail is not configured (EVAUS_SMTP_URL unset): nothing is sent.")).classes(
            "text-body1 text-negative"
        ).props('role="status"')
    _failed_mail(opened.actor, tr)
    with ui.element("div").classes("grid grid-cols-1 md:grid-cols-2 gap-3 w-full"):
        cards = [(path, title, DESCRIPTIONS[path]) for path, title in SECTIONS]
        for path, title, text in cards + REPORT_PAGES:
            with ui.card().classes("w-full"):
                with ui.link(target=path).classes("no-underline"):
                    heading(tr(title), 2)
                ui.label(tr(text))


def _failed_mail(actor: Actor, tr: Translator) -> None:
    """The newest e-mails the server refused for good (a wrong address …), if any."""
    with session(actor) as db_session:
        failed = notifications.failed_mail(db_session, actor=actor)
    if not failed:
        return
    with ui.card().classes("w-full").props('data-testid="failed-mail"'):
        heading(tr("E-mails that could not be sent"), 2)
        with ui.element("ul"):
            for mail in failed:
                local = mail.at.astimezone()
                with ui.element("li"):
                    ui.label(
                        f"{tr.date(local.date())} {local:%H.%M} · {mail.recipient} · "
                        f"{mail.subject}: {mail.error}"
                    ).classes("text-body2")


def _section(path: str, build: Callable[[Actor, Translator], None]) -> None:
    """An admin-only page at ``path``: its title from SECTIONS, the admin sub-navigation (this
    part marked), then its body."""

    @page(router, path, title=SECTION_TITLES[path], roles=ADMIN)
    def section_page(opened: Opened[None]) -> None:
        admin_nav(opened.tr, path)
        build(opened.actor, opened.tr)


_section("/admin/users", users.users_page)
_section("/admin/tokens", users.tokens_page)
_section("/admin/organisations", codes.organisations_page)
_section("/admin/calendar", reporting_calendar.calendar_page)
_section("/admin/import", import_export.import_page)
_section("/admin/export", import_export.export_page)


@page(router, "/admin/codes", title=SECTION_TITLES["/admin/codes"], roles=ADMIN)
def admin_codes_page(opened: Opened[None], list: str = "status") -> None:
    admin_nav(opened.tr, "/admin/codes")
    codes.codes_page(opened.actor, opened.tr, list)


@page(router, "/admin/people", title=N_("Personal data"), roles=ADMIN)
def admin_people_page(opened: Opened[None]) -> None:
    admin_nav(opened.tr)
    people.people_page(opened.actor, opened.tr)


@page(router, "/admin/indicators", title=N_("Indicator catalogue"), roles=ADMIN)
def admin_indicators_page(opened: Opened[None]) -> None:
    admin_nav(opened.tr, "/admin/indicators")
    indicators.catalogue_page(opened.actor, opened.tr)
