"""The administration: users, API tokens, code lists, organisations, import and export.

Every page here is for administrators only (``page_actor(roles=("admin",))``); every handler
that changes data reloads the user and the services check ``require_admin`` again. The parts
live in admin_users.py, admin_codes.py and admin_io.py; admin_common.py has what they share.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import APIRouter, ui

from project_db.errors import N_

from ...services.access import Actor
from ..context import Translator, page_actor
from ..layout import frame, heading
from . import admin_codes, admin_io, admin_users
from .admin_common import SECTIONS, admin_nav

router = APIRouter()

ADMIN = ("admin",)
SECTION_TITLES = dict(SECTIONS)

DESCRIPTIONS = {
    "/admin/users": N_("Create users, change their roles, deactivate them and set passwords."),
    "/admin/tokens": N_("Personal tokens that let programs use the JSON API."),
    "/admin/codes": N_("Statuses, project types, portfolios, regions, funders and other lists."),
    "/admin/organisations": N_("Names, types and Y-tunnus of the organisations in projects."),
    "/admin/import": N_("Bring in project cards, CSV and Excel tables or a registry file."),
    "/admin/export": N_("Download the whole registry as JSON, CSV or Excel."),
}

# The report pages live in reports_ui.py; the overview links to them.
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
]


@router.page("/admin")
def admin_overview() -> None:
    context = page_actor(roles=ADMIN)
    if context is None:
        return
    actor, tr = context
    with frame(tr, tr("Administration"), actor):
        admin_nav(tr)
        with ui.element("div").classes("grid grid-cols-1 md:grid-cols-2 gap-3 w-full"):
            cards = [(path, title, DESCRIPTIONS[path]) for path, title in SECTIONS]
            for path, title, text in cards + REPORT_PAGES:
                with ui.card().classes("w-full"):
                    with ui.link(target=path).classes("no-underline"):
                        heading(tr(title), 2)
                    ui.label(tr(text))


def _section_page(path: str, build: Callable[[Actor, Translator], None]) -> None:
    """An admin-only page: its title from SECTIONS, the admin sub-navigation, then its body."""
    context = page_actor(roles=ADMIN)
    if context is None:
        return
    actor, tr = context
    with frame(tr, tr(SECTION_TITLES[path]), actor):
        admin_nav(tr, path)
        build(actor, tr)


@router.page("/admin/users")
def admin_users_page() -> None:
    _section_page("/admin/users", admin_users.users_page)


@router.page("/admin/tokens")
def admin_tokens_page() -> None:
    _section_page("/admin/tokens", admin_users.tokens_page)


@router.page("/admin/codes")
def admin_codes_page(list: str = "status") -> None:
    _section_page("/admin/codes", lambda actor, tr: admin_codes.codes_page(actor, tr, list))


@router.page("/admin/organisations")
def admin_organisations_page() -> None:
    _section_page("/admin/organisations", admin_codes.organisations_page)


@router.page("/admin/import")
def admin_import_page() -> None:
    _section_page("/admin/import", admin_io.import_page)


@router.page("/admin/export")
def admin_export_page() -> None:
    _section_page("/admin/export", admin_io.export_page)
