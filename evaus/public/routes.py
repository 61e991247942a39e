"""The public project catalogue: plain server-rendered pages under /public, no sign-in, no
JavaScript, no websocket (they cost the server nothing per visitor).

/public/projects            the public projects, searched like the registry's list, in pages
/public/projects/{id}       one project's public card (404 alike for missing and not public)
/public/saavutettavuus      the accessibility statement (law 306/2019) and its feedback form
/public/sitemap.xml         the public pages for search engines; /robots.txt points to it
"""

from __future__ import annotations

from datetime import UTC, date
from importlib import resources
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from project_db.errors import N_, ValidationFailed

from ..db import Database
from ..i18n import LANGUAGES, _, describe_problem, format_message
from ..services import publishing
from ..settings import get_settings
from .guard import feedback_limit, make_token, token_is_valid
from .rendering import canonical_url, render, requested_language, site_url

router = APIRouter(include_in_schema=False)

PREFIX = "/public"
LIST_PATH = f"{PREFIX}/projects"
STATEMENT_PATH = f"{PREFIX}/saavutettavuus"
STYLESHEET = "public.css"
MAX_FORM_BYTES = 32_000
SEARCH_MAX = 200

NOT_FOUND = N_("Page not found")
LIST_TITLE = N_("Public projects")
STATEMENT_TITLE = N_("Accessibility statement")
LIST_DESCRIPTION = N_(
    "The public projects of the registry: search them, and see who funds and carries them "
    "out, their goals, indicators and results."
)
CARD_DESCRIPTION = N_("{name}: the project's public details, funding, goals and results.")
STATEMENT_DESCRIPTION = N_(
    "The accessibility statement of the public project catalogue, and feedback on accessibility."
)
# When the accessibility statement was last reviewed (shown on it).
STATEMENT_DATE = date(2026, 12, 7)
# The supervisory authority's accessibility pages in each language.
AUTHORITY_SITES = {
    "fi": "https://www.saavutettavuusvaatimukset.fi",
    "sv": "https://www.tillganglighetskrav.fi",
    "en": "https://www.webaccessibility.fi",
}
DESCRIPTION_MAX = 160
FORM_EXPIRED = N_("The form has expired. Your message is still here: send it again.")
TOO_MANY = N_("Too many messages from your address. Please try again in a quarter of an hour.")
TOO_LARGE = N_("The message is too long.")


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def _page(
    request: Request,
    template: str,
    path: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    lang: str | None = None,
) -> HTMLResponse:
    lang = lang or requested_language(request)[0]
    response = HTMLResponse(
        render(template, request, lang, context, path=path), status_code=status_code
    )
    response.headers["Content-Language"] = lang
    # Which language a page without ?lang= is in depends on the browser's preference.
    response.headers["Vary"] = "Accept-Language"
    return response


def _not_found(request: Request) -> HTMLResponse:
    lang = requested_language(request)[0]
    context = {
        "title": _(NOT_FOUND, lang),
        "description": "",
        "current": "",
        "robots": "noindex",
        "query": {},
    }
    return _page(request, "not_found.html", LIST_PATH, context, status_code=404, lang=lang)


def _description(card: publishing.PublicCard, lang: str) -> str:
    """The card's summary cut at a word (what search engines show), else a sentence."""
    summary = " ".join(card.summary.split())
    if not summary:
        return format_message(CARD_DESCRIPTION, lang, name=card.name)
    if len(summary) <= DESCRIPTION_MAX:
        return summary
    return summary[: DESCRIPTION_MAX - 2].rsplit(" ", 1)[0] + " …"


def _whole_number(value: str | None, default: int = 1, most: int = 100_000) -> int:
    text = (value or "").strip()
    return min(int(text), most) if text.isdigit() and 0 < len(text) < 7 and int(text) else default


@router.get(PREFIX, response_class=HTMLResponse)
@router.get(f"{PREFIX}/", response_class=HTMLResponse)
def public_home(request: Request) -> Response:
    lang, chosen = requested_language(request)
    target = f"{LIST_PATH}?lang={lang}" if chosen else LIST_PATH
    return RedirectResponse(target, status_code=307)


@router.get(LIST_PATH, response_class=HTMLResponse)
def project_list(request: Request) -> Response:
    lang, _chosen = requested_language(request)
    text = " ".join((request.query_params.get("q") or "").split())[:SEARCH_MAX]
    page_number = _whole_number(request.query_params.get("page"))
    with _database(request).session("public") as session:
        found = publishing.public_projects(
            session, text, page_number, lang, actor=publishing.VISITOR
        )
    if page_number > found.pages and found.total:
        return _not_found(request)
    query: dict[str, Any] = {"q": text, "page": page_number}
    context = {
        "title": _(LIST_TITLE, lang),
        "description": _(LIST_DESCRIPTION, lang),
        "current": "projects",
        "found": found,
        "text": text,
        "query": query,
        # A search's results are not a page of their own for search engines.
        "robots": "noindex, follow" if text else "index, follow",
    }
    return _page(request, "list.html", LIST_PATH, context, lang=lang)


@router.get(f"{LIST_PATH}/{{project_id}}", response_class=HTMLResponse)
def project_card(request: Request, project_id: str) -> Response:
    if not project_id.isdigit() or len(project_id) > 12:
        return _not_found(request)
    lang, _chosen = requested_language(request)
    with _database(request).session("public") as session:
        card = publishing.public_card(session, int(project_id), lang, actor=publishing.VISITOR)
    if card is None:
        return _not_found(request)
    path = f"{LIST_PATH}/{card.id}"
    context = {
        "title": card.name,
        "description": _description(card, lang),
        "current": "projects",
        "card": card,
        "query": {},
    }
    return _page(request, "card.html", path, context, lang=lang)


def _statement(
    request: Request,
    lang: str,
    *,
    problems: list[str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "title": _(STATEMENT_TITLE, lang),
        "description": _(STATEMENT_DESCRIPTION, lang),
        "current": "statement",
        "prepared": STATEMENT_DATE,
        "authority_site": AUTHORITY_SITES[lang],
        "authority_name": get_settings().accessibility_authority.strip(),
        "authority_email": get_settings().accessibility_authority_email.strip(),
        "authority_phone": get_settings().accessibility_authority_phone.strip(),
        "token": make_token(get_settings().secret()),
        "problems": problems or [],
        "values": values or {"message": "", "name": "", "email": "", "page": ""},
        "sent": request.query_params.get("sent") == "1",
        "query": {},
    }
    return _page(
        request, "accessibility.html", STATEMENT_PATH, context, status_code=status_code, lang=lang
    )


@router.get(STATEMENT_PATH, response_class=HTMLResponse)
def accessibility_statement(request: Request) -> Response:
    return _statement(request, requested_language(request)[0])


@router.post(STATEMENT_PATH, response_class=HTMLResponse)
async def accessibility_feedback(request: Request) -> Response:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        return _too_large(request)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return _too_large(request)
    fields = {name: values[0] for name, values in parse_qs(body.decode("utf-8", "replace")).items()}
    lang = fields.get("lang", "")
    lang = lang if lang in LANGUAGES else requested_language(request)[0]
    values = {name: fields.get(name, "") for name in ("message", "name", "email", "page")}
    secret = get_settings().secret()
    if not token_is_valid(secret, fields.get("token", "")):
        problems = [_(FORM_EXPIRED, lang)]
        return _statement(request, lang, problems=problems, values=values, status_code=400)
    try:
        feedback = publishing.Feedback.checked(**values)
    except ValidationFailed as exc:
        problems = [describe_problem(p, lang) for p in exc.problems]
        return _statement(request, lang, problems=problems, values=values, status_code=400)
    address = request.client.host if request.client else "unknown"
    if not feedback_limit.allow(address):
        problems = [_(TOO_MANY, lang)]
        return _statement(request, lang, problems=problems, values=values, status_code=429)
    database = _database(request)

    def send() -> None:
        with database.session(publishing.PUBLIC_ACTOR) as session:
            publishing.send_accessibility_feedback(session, feedback, actor=publishing.VISITOR)

    await run_in_threadpool(send)
    return RedirectResponse(f"{STATEMENT_PATH}?lang={lang}&sent=1#feedback", status_code=303)


def _too_large(request: Request) -> HTMLResponse:
    lang = requested_language(request)[0]
    return _statement(request, lang, problems=[_(TOO_LARGE, lang)], status_code=413)


@router.get(f"{PREFIX}/sitemap.xml")
def sitemap(request: Request) -> Response:
    with _database(request).session("public") as session:
        entries = publishing.sitemap_entries(session, actor=publishing.VISITOR)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    pages: list[tuple[str, str | None]] = [(LIST_PATH, None), (STATEMENT_PATH, None)]
    for ident, updated in entries:
        moment = updated.astimezone(UTC).date().isoformat() if updated else None
        pages.append((f"{LIST_PATH}/{ident}", moment))
    for path, moment in pages:
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(canonical_url(request, path, 'fi'))}</loc>")
        for code in LANGUAGES:
            href = escape(canonical_url(request, path, code), {'"': "&quot;"})
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{code}" href="{href}"/>')
        if moment:
            lines.append(f"    <lastmod>{moment}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return Response("\n".join(lines) + "\n", media_type="application/xml")


@router.get("/robots.txt")
def robots(request: Request) -> Response:
    """Search engines may read the public pages; the signed-in application is not for them."""
    text = "\n".join(
        [
            "User-agent: *",
            f"Allow: {PREFIX}/",
            "Disallow: /",
            f"Sitemap: {site_url(request)}{PREFIX}/sitemap.xml",
            "",
        ]
    )
    return Response(text, media_type="text/plain")


@router.get(f"{PREFIX}/static/{STYLESHEET}")
def stylesheet() -> Response:
    css = resources.files(__package__).joinpath("static", STYLESHEET).read_bytes()
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@router.get(f"{PREFIX}/{{rest:path}}", response_class=HTMLResponse)
def unknown_page(request: Request, rest: str) -> Response:
    return _not_found(request)
