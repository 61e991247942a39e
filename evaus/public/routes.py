"""The public project catalogue: plain server-rendered pages under /public, no sign-in, no
JavaScript, no websocket (they cost the server nothing per visitor).

/public/projects            the public projects, searched like the registry's list, in pages
/public/projects/{id}       one project's public card (404 alike for missing and not public)
/public/saavutettavuus      the accessibility statement (law 306/2019) and its feedback form
/public/sitemap.xml         the public pages for search engines; /robots.txt points to it
/public/api/projects.json   the public projects as open data (and .csv, and IATI's iati.xml)

Every address may make EVAUS_PUBLIC_RATE_LIMIT requests a minute to these (120 by default);
more get a 429 page in the reader's language with Retry-After. The counts live in each process
(several instances behind nginx each count their own share). The address is the one uvicorn
gives: behind nginx the X-Forwarded-For of a trusted proxy (FORWARDED_ALLOW_IPS).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Coroutine, Iterator
from datetime import UTC, date
from importlib import resources
from typing import Any, BinaryIO
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from project_db import search_cache
from project_db.errors import N_, ValidationFailed

from ..db import Database
from ..i18n import (
    LANGUAGES,
    _,
    describe_problem,
    format_message,
    normalise_language,
    today_in_helsinki,
)
from ..services import publishing
from ..settings import get_settings
from . import guard, iati, open_data
from .guard import feedback_limit, make_token, token_is_valid
from .rendering import (
    canonical_url,
    render,
    requested_language,
    site_url,
    templates_signature,
)

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
TOO_MANY_TITLE = N_("Too many requests")
TOO_MANY_REQUESTS = N_(
    "Your address has made a great many requests in a short time. Please wait {seconds} "
    "seconds and try again."
)
IATI_NOT_SET_UP = N_("The registry does not publish IATI data.")

log = logging.getLogger(__name__)


def client_address(request: Request) -> str:
    """The visitor's address as uvicorn gives it (behind a trusted proxy: X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"


class LimitedRoute(APIRoute):
    """A public route: an address's requests beyond the limit get the 429 page instead."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            limit = guard.page_limit()
            address = client_address(request)
            if not limit.allow(address):
                return _too_many(request, limit.retry_after(address))
            return await handler(request)

        return limited


router = APIRouter(include_in_schema=False, route_class=LimitedRoute)
# The open data is documented in the API's OpenAPI description (the pages are not).
open_data_router = APIRouter(tags=["open data"], route_class=LimitedRoute)


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


def _too_many(request: Request, seconds: int) -> HTMLResponse:
    lang = requested_language(request)[0]
    context = {
        "title": _(TOO_MANY_TITLE, lang),
        "message": format_message(TOO_MANY_REQUESTS, lang, seconds=seconds),
        "description": "",
        "current": "",
        "robots": "noindex",
        "query": {},
    }
    response = _page(request, "too_many.html", LIST_PATH, context, status_code=429, lang=lang)
    response.headers["Retry-After"] = str(seconds)
    return response


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


# The list and the cards: caches (browsers, proxies) may keep them, but ask each time whether
# they are still current (a project taken off the catalogue must not linger in a cache); the
# answer "it is" (304) costs one read of the registry's version.
PAGE_CACHE_CONTROL = "public, no-cache"


def _page_etag(request: Request, session: Session, lang: str) -> str | None:
    """The page's strong ETag: the registry's version (it moves with every write, publishing
    included), the page's address and language, the site and the release's templates and
    translations. None when the registry keeps no version."""
    version = search_cache.version(session)
    if version is None:
        return None
    parts = (version, lang, request.url.path, sorted(request.query_params.multi_items()))
    key = repr((*parts, site_url(request), templates_signature()))
    return f'"{hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]}"'


def _cacheable(response: HTMLResponse, etag: str | None) -> HTMLResponse:
    if etag is not None:
        response.headers["ETag"] = etag
        response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
    return response


def _unchanged(request: Request, etag: str | None, lang: str) -> Response | None:
    """304 when the client's copy (If-None-Match) is this version of the page."""
    if etag is None or not _not_modified(request.headers.get("if-none-match", ""), etag):
        return None
    headers = {
        "ETag": etag,
        "Cache-Control": PAGE_CACHE_CONTROL,
        "Content-Language": lang,
        "Vary": "Accept-Language",
    }
    return Response(status_code=304, headers=headers)


@router.get(LIST_PATH, response_class=HTMLResponse)
def project_list(request: Request) -> Response:
    lang, _chosen = requested_language(request)
    text = " ".join((request.query_params.get("q") or "").split())[:SEARCH_MAX]
    page_number = _whole_number(request.query_params.get("page"))
    with _database(request).session("public") as session:
        etag = _page_etag(request, session, lang)  # first: the page is at least this new
        if (unchanged := _unchanged(request, etag, lang)) is not None:
            return unchanged
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
    return _cacheable(_page(request, "list.html", LIST_PATH, context, lang=lang), etag)


@router.get(f"{LIST_PATH}/{{project_id}}", response_class=HTMLResponse)
def project_card(request: Request, project_id: str) -> Response:
    if not project_id.isdigit() or len(project_id) > 12:
        return _not_found(request)
    lang, _chosen = requested_language(request)
    with _database(request).session("public") as session:
        etag = _page_etag(request, session, lang)
        unchanged = _unchanged(request, etag, lang)
        # Only a public card answers 304: a project taken off the catalogue is a 404 at once.
        if unchanged is not None and publishing.project_is_public(
            session, int(project_id), actor=publishing.VISITOR
        ):
            return unchanged
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
    return _cacheable(_page(request, "card.html", path, context, lang=lang), etag)


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
    address = client_address(request)
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


# --- open data -------------------------------------------------------------------------------

API_PREFIX = f"{PREFIX}/api"
CACHE_CONTROL = "public, max-age=300"
_LANG_PARAMETER = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "The language of the code lists' labels: fi (default), sv or en.",
    "schema": {"type": "string", "enum": list(LANGUAGES), "default": "fi"},
}
_CACHING = (
    " The response carries an ETag (the version of the public data) and Cache-Control; send "
    "the ETag back in If-None-Match to get 304 Not Modified while nothing has changed. One "
    "address may make EVAUS_PUBLIC_RATE_LIMIT (by default 120) requests a minute to the public "
    "pages and these files together (429 with Retry-After beyond)."
)


def _data_language(request: Request) -> str:
    asked = (request.query_params.get("lang") or "").strip().lower()
    return asked if asked in LANGUAGES else "fi"


def _not_modified(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header[:2000].split(",")]
    return "*" in tags or etag in tags


async def _open_data(
    request: Request,
    media_type: str,
    filename: str,
    chunks: Callable[[Iterator[list[open_data.Record]]], Iterator[bytes]],
    *extra: object,
    lang: str | None = None,
) -> Response:
    """The file of the registry's current version (built once, open_data.build_once), or 304
    when the client has that version."""
    database = _database(request)
    lang = lang or _data_language(request)
    site = site_url(request)  # the cards' addresses in the file: part of its version

    def current_version() -> str:
        parts = (filename, lang, site, *extra)
        with database.session("public") as session:
            # The digest sums every public project's version (~160 ms at 100 000 projects):
            # kept until the registry's next write, so a revalidation reads one row.
            return search_cache.cached(
                session,
                ("open-data-version", repr(parts)),
                lambda: open_data.registry_version(session, *parts),
            )

    version = await run_in_threadpool(current_version)
    etag = f'"{version}"'
    headers = {
        "ETag": etag,
        "Cache-Control": CACHE_CONTROL,
        "Access-Control-Allow-Origin": "*",  # open data: any site may read it
    }
    if _not_modified(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = f'inline; filename="{filename}"'

    def write(out: BinaryIO) -> None:
        for chunk in chunks(open_data.records(database, site, LIST_PATH, lang)):
            out.write(chunk)

    path = open_data.cached_path(open_data.cache_folder(database), filename, lang, version)
    build = await run_in_threadpool(open_data.build_once, path, write)
    try:
        # Shielded: a client that goes away does not cancel the build the others wait for.
        built = await asyncio.shield(asyncio.wrap_future(build))
    except OSError:
        # The data folder cannot hold the file (full, read-only): written to the client as
        # it is read instead, every time.
        log.exception("The open-data file %s could not be kept", path)
        batches = open_data.records(database, site, LIST_PATH, lang)
        return StreamingResponse(chunks(batches), media_type=media_type, headers=headers)
    return FileResponse(built, media_type=media_type, headers=headers)


def _documented(summary: str, description: str, media_type: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "description": description + _CACHING,
        "response_class": Response,
        "openapi_extra": {"parameters": [_LANG_PARAMETER]},
        "responses": {
            200: {"content": {media_type: {}}, "description": "The public projects."},
            304: {"description": "Not modified since the version named in If-None-Match."},
            429: {"description": "Too many requests from the address (see Retry-After)."},
        },
    }


@open_data_router.get(
    f"{API_PREFIX}/projects.json",
    **_documented(
        "The public projects as JSON",
        "Every project of the public catalogue, without signing in: `licence` (name and URL), "
        "`language`, `source`, and `projects`, each with its id, key, the URL of its public "
        "card, name, type, portfolio, status, dates, region, summary, themes, budget (EUR), "
        "funders and their amounts, implementers, goals, expected results, indicators (baseline, "
        "target and the actual value of each reporting period) and the public contact person, "
        "when the project has marked one. Codes come with their labels in `lang`. Figures are "
        "JSON numbers, dates ISO 8601.",
        "application/json",
    ),
)
async def projects_json(request: Request) -> Response:
    rights = open_data.licence()
    header = {
        "licence": rights,
        "language": _data_language(request),
        "source": f"{site_url(request)}{LIST_PATH}",
    }
    return await _open_data(
        request,
        "application/json",
        "projects.json",
        lambda batches: open_data.json_chunks(batches, header),
        rights,
    )


@open_data_router.get(
    f"{API_PREFIX}/projects.csv",
    **_documented(
        "The public projects as CSV",
        "The same projects, one row each, for spreadsheets: UTF-8 with a byte-order mark, "
        "semicolon-separated, decimal commas, ISO dates (what the Finnish Excel opens in "
        "columns with a double-click). Fields with several values (funders, funding amounts in "
        "the same order, implementers, themes, goals, results, indicators, contacts) join them "
        "with ` | `; each row names the licence.",
        "text/csv",
    ),
)
async def projects_csv(request: Request) -> Response:
    rights = open_data.licence()
    return await _open_data(
        request,
        "text/csv; charset=utf-8",
        "projects.csv",
        lambda batches: open_data.csv_chunks(batches, rights),
        rights,
    )


@open_data_router.get(
    f"{API_PREFIX}/iati.xml",
    **_documented(
        "The public projects as IATI activities",
        "The public projects as an IATI Standard 2.03 activity file (`iati-activities`), "
        "reported by the organisation the registry is set up with (EVAUS_IATI_REPORTING_ORG_REF "
        "and _NAME; 404 without them). Only data the registry has is written: a project "
        "lacking what IATI requires of an activity (a summary, a funder or implementer, a status "
        "with an IATI counterpart, a date) is left out.",
        "application/xml",
    ),
)
async def iati_xml(request: Request) -> Response:
    settings = get_settings()
    org = {
        "ref": settings.iati_reporting_org_ref.strip(),
        "name": settings.iati_reporting_org_name.strip(),
        "type": settings.iati_reporting_org_type.strip(),
    }
    if not (org["ref"] and org["name"] and org["type"]):
        lang = requested_language(request)[0]
        return Response(_(IATI_NOT_SET_UP, lang) + "\n", status_code=404, media_type="text/plain")
    lang = normalise_language(settings.lang)
    today = today_in_helsinki()
    return await _open_data(
        request,
        "application/xml",
        "iati.xml",
        lambda batches: iati.xml_chunks(batches, org, lang, today),
        org,
        today,
        lang=lang,  # the file's language is the registry's, whatever ?lang= asks
    )


@router.get(f"{PREFIX}/static/{STYLESHEET}")
def stylesheet() -> Response:
    css = resources.files(__package__).joinpath("static", STYLESHEET).read_bytes()
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@router.get(f"{PREFIX}/{{rest:path}}", response_class=HTMLResponse)
def unknown_page(request: Request, rest: str) -> Response:
    return _not_found(request)
