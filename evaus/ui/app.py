"""Start-up of the web application: database, sign-in guard, feature pages, JSON API."""

from __future__ import annotations

import gc
import os
import sys
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from project_db.errors import NotFound

from ..api import API_DESCRIPTION
from ..db import Database
from ..i18n import normalise_language
from ..services import attachments as attachment_service
from ..services import projects as project_service
from ..services.access import local_admin
from ..services.startup import open_registry
from ..services.users import count_users
from ..settings import get_settings
from ..workshop import start_workshop, stop_workshop
from .context import current_actor, has_users

# Reachable without signing in. Everything else leads to the login (pages) or 401 (API).
PUBLIC_PATHS = frozenset({"/login", "/logout", "/setup", "/status", "/public", "/robots.txt"})
OPEN_PREFIXES = ("/_nicegui", "/api", "/favicon", "/public/")  # /public/: the public catalogue


def prepare_database() -> Database:
    """The configured database, migrated and ready, with the demo projects loaded into an
    empty registry (the first start)."""
    return open_registry(demo=True)


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


def page_routers() -> list[APIRouter]:
    """The routers of every page: sign-in, then each feature's (importing a feature's ``pages``
    module registers its pages)."""
    from . import auth_pages, notices
    from .admin import pages as admin
    from .assessment import pages as assessment
    from .cycle import pages as cycle
    from .portfolio import pages as portfolio
    from .registry import pages as registry
    from .reports import pages as reports

    return [
        auth_pages.router,
        registry.router,
        admin.router,
        assessment.router,
        reports.router,
        cycle.router,
        portfolio.router,
        notices.router,
    ]


def serve_api_apart(app: Any, api: ASGIApp) -> None:
    """Every ``/api`` request goes to ``api`` before the pages' middleware (NiceGUI's session,
    request tracking, cache headers and compression: three ``BaseHTTPMiddleware``, each an extra
    task and stream per request), which the API, signed in by its token, does not use."""
    # The pages' own builder, kept once: a process that starts the app again (the tests'
    # simulated user does, per test) must not wrap the previous wrapper, one level deeper
    # each time, until the stack overflows.
    build_pages = app.__dict__.setdefault("_pages_middleware_stack", app.build_middleware_stack)

    def build() -> ASGIApp:
        pages = build_pages()

        async def route(scope: Scope, receive: Receive, send: Send) -> None:
            path = scope.get("path", "") if scope["type"] == "http" else ""
            if path == "/api" or path.startswith("/api/"):
                await api(scope, receive, send)
            else:
                await pages(scope, receive, send)

        return route

    app.build_middleware_stack = build


def startup(database: Database) -> None:
    from nicegui import app

    from ..api import api_app
    from ..public import router as public_router

    # The database lives in the application's state: pages read it through context.database(),
    # API routes through the api.get_database dependency.
    app.state.database = database
    with database.session() as session:
        app.state.has_users = count_users(session) > 0

    # The API and its OpenAPI documentation live together under /api.
    app.docs_url = "/api/docs"
    app.redoc_url = None
    app.openapi_url = "/api/openapi.json"
    app.add_middleware(SignInRequired)
    app.add_middleware(SecurityHeaders)
    # The live assessment workshop: in-process, or across instances through Redis when
    # EVAUS_WORKSHOP_REDIS_URL (or NICEGUI_REDIS_URL) is set.
    app.on_startup(start_workshop)
    app.on_shutdown(stop_workshop)
    # FastAPI nests the app's lifespan inside each included router's, one level per include;
    # these routers have no lifespan of their own, and a process that starts the app again
    # (the simulated user of tests/ui does, per test) would nest deeper each time until the
    # stack overflows. The app keeps its own lifespan.
    lifespan = app.router.lifespan_context
    app.include_router(public_router)  # the public project catalogue: plain HTML, no sign-in
    for router in page_routers():
        app.include_router(router)
    app.router.lifespan_context = lifespan
    serve_api_apart(app, api_app(database, SecurityHeaders))

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


# The desktop window (`evaus serve --native`): big enough for the wizard and the matrix on a
# laptop screen; the user can resize it.
NATIVE_WINDOW_SIZE = (1200, 760)


def _has_qt_webengine() -> bool:
    from importlib.util import find_spec

    return find_spec("qtpy") is not None and any(
        find_spec(binding) is not None and find_spec(f"{binding}.QtWebEngineWidgets") is not None
        for binding in ("PyQt6", "PySide6")
    )


def native_available() -> bool:
    """Whether pywebview and a web engine for it are installed: Qt WebEngine (what
    `pip install 'evaus[native]'` brings) or, on Linux, GTK's WebKit through gi."""
    from importlib.util import find_spec

    return find_spec("webview") is not None and (
        _has_qt_webengine() or (sys.platform == "linux" and find_spec("gi") is not None)
    )


def _native_gui() -> str | None:
    """pywebview's back-end on Linux: Qt when GTK's is not there (pywebview would try GTK first
    and log its failure as an error), else pywebview's own choice (or PYWEBVIEW_GUI)."""
    from importlib.util import find_spec

    if sys.platform != "linux" or "PYWEBVIEW_GUI" in os.environ or find_spec("gi") is not None:
        return None
    return "qt" if _has_qt_webengine() else None


def serve(*, host: str, port: int | None, native: bool = False) -> None:
    """Serve the app; with ``native`` in a desktop window of its own instead of a browser
    (``port`` None: a free port, as the window needs no fixed address)."""
    from nicegui import app, ui

    database = prepare_database()
    startup(database)
    settings = get_settings()
    from .daily import start_daily_reminders, start_mail_delivery

    app.on_startup(lambda: start_daily_reminders(database))  # the reminders, once a day
    app.on_startup(lambda: start_mail_delivery(database))  # notices by e-mail, every minute
    if native and (gui := _native_gui()):
        app.native.start_args["gui"] = gui
    ui.run(
        host=host,
        port=port,
        title="EVAUS",
        language="fi" if normalise_language(settings.lang) == "fi" else "en-GB",
        reload=False,
        show=False,
        native=native,
        window_size=NATIVE_WINDOW_SIZE if native else None,
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
