"""Start-up of the web application.

The full registry UI is being built feature by feature; this module registers what exists:
the ``/status`` health route and a read-only project list on ``/``.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..db import Database, open_database
from ..demo import load_demo, registry_is_empty
from ..i18n import _, date_range, normalise_language
from ..services import projects as project_service
from ..services.codelists import labels
from ..settings import get_settings


def prepare_database() -> Database:
    """Migrate, and load the demo projects into an empty registry (first start)."""
    database = open_database()
    with database.session("system") as session:
        if registry_is_empty(session):
            load_demo(session, actor="demo")
    return database


def startup(database: Database) -> None:
    from nicegui import app, run, ui

    lang = normalise_language(get_settings().lang)

    @app.get("/status")
    def status() -> dict[str, Any]:
        with database.session() as session:
            page = project_service.list_projects(session, project_service.ProjectQuery(page_size=1))
        return {"status": "ok", "projects": page.total}

    def fetch(text: str) -> list[dict[str, Any]]:
        with database.session() as session:
            status_labels = labels(session, "status", lang)
            page = project_service.list_projects(
                session, project_service.ProjectQuery(text=text, page_size=100)
            )
        return [
            {
                "id": item.id,
                "name": item.name,
                "status": status_labels.get(item.status or "", item.status or ""),
                "period": date_range(item.start_date, item.end_date, lang),
                "funders": ", ".join(item.funders),
            }
            for item in page.items
        ]

    @ui.page("/")
    async def index() -> None:
        ui.query("html").props(f"lang={lang}")
        with ui.header().classes("bg-blue-900 items-center"):
            ui.label("EVAUS").classes("text-h6")
            ui.label(_("Project registry", lang))
        with ui.column().classes("w-full max-w-5xl mx-auto p-4"):
            heading = escape(_("Projects", lang))
            ui.html(f"<h1 class='text-h5'>{heading}</h1>", sanitize=False)
            search = ui.input(_("Search", lang)).props("clearable outlined debounce=300")
            search.classes("w-96")
            columns = [
                {"name": "name", "label": _("Name", lang), "field": "name", "align": "left"},
                {"name": "status", "label": _("Status", lang), "field": "status", "align": "left"},
                {
                    "name": "period",
                    "label": _("Duration", lang),
                    "field": "period",
                    "align": "left",
                    "classes": "whitespace-nowrap",
                },
                {
                    "name": "funders",
                    "label": _("Funders", lang),
                    "field": "funders",
                    "align": "left",
                },
            ]
            table = ui.table(
                columns=columns, rows=await run.io_bound(fetch, "") or [], row_key="id"
            )
            table.classes("w-full").props("wrap-cells flat bordered")

            async def refresh() -> None:
                table.rows = await run.io_bound(fetch, search.value or "") or []
                table.update()

            search.on_value_change(refresh)


def serve(*, host: str, port: int, native: bool = False) -> None:
    from nicegui import ui

    database = prepare_database()
    startup(database)
    settings = get_settings()
    ui.run(
        host=host,
        port=port,
        title="EVAUS",
        language="fi" if normalise_language(settings.lang) == "fi" else "en-GB",
        reload=False,
        show=False,
        native=native,
        storage_secret=settings.secret(),
    )
