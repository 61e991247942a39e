"""Start-up of the web application: database, sign-in guard, feature pages, JSON API."""

from __future__ import annotations

import gc
from typing import Any
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from project_db.errors import NotFound

from ..api import API_DESCRIPTION
from ..db import Database, open_database, startup_lock
from ..i18n import normalise_language
from ..services import attachments as attachment_service
from ..services import projects as project_service
from ..services.access import local_admin
from ..services.users import count_users
from ..settings import get_settings
from .context import STATE, current_actor, has_users

# Reachable without signing in. Everything else leads to the login (pages) or 401 (API).
PUBLIC_PATHS = frozenset({"/login", "/logout", "/setup", "/status"})
OPEN_PREFIXES = ("/_nicegui", "/api", "/favicon")


_ONE_PROJECT = project_service.ProjectQuery(page_size=1)


def prepare_database() -> Database:
    """Migrate, and load the demo projects into an empty registry (first start)."""
    database = open_database()
    server = local_admin("system")  # the application's own start-up
    with startup_lock(database.engine), database.session("system") as session:
        empty = project_service.list_projects(session, _ONE_PROJECT, actor=server).total == 0
        if empty:  # the importers (openpyxl and all) are loaded only when needed
            from ..demo import load_demo

            load_demo(session, actor="demo")
    return database


class SignInRequired:
    """Pages need a signed-in user: the login (or the first-run set-up) otherwise.

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` runs every request through an
    extra task and stream, which cost more than the check itself on each API call and page load.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        from nicegui import app

        path = scope["path"] if scope["type"] == "http" else ""
        if not path or path in PUBLIC_PATHS or path.startswith(OPEN_PREFIXES):
            await self.app(scope, receive, send)
        elif not has_users():
            await RedirectResponse("/setup")(scope, receive, send)
        elif not app.storage.user.get("user_id"):
            await RedirectResponse(f"/login?next={quote(path)}")(scope, receive, send)
        else:
            await self.app(scope, receive, send)


# As strict as NiceGUI allows: Vue compiles templates in the browser ('unsafe-eval') and
# Quasar sets inline styles; everything else comes from this server only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """The headers above on every HTTP response that does not set them itself (plain ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def startup(database: Database) -> None:
    from nicegui import app

    from ..api import router as api_router
    from . import auth_pages
    from .pages import (
        admin,
        admin_people,
        assessment_expost,
        assessment_list,
        assessment_matrix,
        assessment_summary,
        assessment_wizard,
        dashboard,
        project_edit,
        project_view,
        projects_list,
        reports_ui,
    )

    STATE.database = database
    with database.session() as session:
        STATE.has_users = count_users(session) > 0

    # The API and its OpenAPI documentation live together under /api.
    app.docs_url = "/api/docs"
    app.redoc_url = None
    app.openapi_url = "/api/openapi.json"
    app.add_middleware(SignInRequired)
    app.add_middleware(SecurityHeaders)
    for module in (
        auth_pages,
        dashboard,
        projects_list,
        project_view,
        project_edit,
        admin,
        admin_people,
        assessment_list,
        assessment_wizard,
        assessment_matrix,
        assessment_summary,
        assessment_expost,
        reports_ui,
    ):
        app.include_router(module.router)
    app.include_router(api_router)

    @app.get("/status", include_in_schema=False)
    def status() -> dict[str, Any]:
        # The health check of the server itself (no user signed in): it tells only the count.
        server = local_admin("status")
        with database.session() as session:
            page = project_service.list_projects(
                session, project_service.ProjectQuery(page_size=1), actor=server
            )
        return {"status": "ok", "projects": page.total}

    @app.get("/files/{attachment_id}", include_in_schema=False)
    def download(attachment_id: int) -> Response:
        actor = current_actor()
        if actor is None:  # every signed-in user may read
            return JSONResponse({"detail": "sign in"}, status_code=401)
        settings = get_settings()
        try:
            with database.session() as session:
                attachment, data = attachment_service.read_attachment(
                    session, attachment_id, attachments_dir=settings.attachments_dir, actor=actor
                )
        except NotFound:
            return JSONResponse({"detail": "not found"}, status_code=404)
        return Response(
            data,
            media_type=attachment.content_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(attachment.filename)}",
                "X-Content-Type-Options": "nosniff",
            },
        )

    # Everything made so far (modules, routes, the ORM's mappings) lives as long as the server.
    # Frozen, the cyclic garbage collector no longer walks it: otherwise each full collection
    # walks the whole application and stops the server for 0.1–0.4 s, in the middle of a click.
    # (`evaus serve` loads with the collector off; it is on again from here.)
    gc.freeze()
    gc.enable()


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
        # The session cookie: HttpOnly (Starlette's default), SameSite=Lax, Secure behind HTTPS,
        # and it expires after a working day.
        session_middleware_kwargs={
            "session_cookie": "evaus_session",
            "max_age": settings.session_hours * 3600,
            "same_site": "lax",
            "https_only": settings.secure_cookies,
        },
        fastapi_docs={"title": "EVAUS API", "version": "1", "description": API_DESCRIPTION},  # type: ignore[arg-type]
        # No per-message compression of the websocket: its buffers cost ~0.3 MB of server
        # memory per open page, and the messages of a page are small.
        ws_per_message_deflate=False,
    )
