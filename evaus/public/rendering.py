"""The public pages' HTML: Jinja2 templates in the reader's language, Finnish formats.

The language comes from ``?lang=`` (a link or the language menu), else from the browser's
Accept-Language, else Finnish; every link of a page keeps it. Texts are the gettext catalogs'
(``_("…")`` in the templates); user text is escaped (autoescape), never trusted as HTML.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request

from ..i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    date_range,
    eur,
    format_message,
    local_time,
    number,
    pvm,
)
from ..settings import get_settings

# The languages' own names, for the language menu (never translated).
LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


def requested_language(request: Request) -> tuple[str, bool]:
    """(language, whether ``?lang=`` chose it): ?lang= first, then Accept-Language."""
    asked = (request.query_params.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked, True
    return accepted_language(request.headers.get("accept-language", "")), False


def accepted_language(header: str) -> str:
    """The supported language the browser prefers most (q-values honoured), else Finnish."""
    best: tuple[float, int, str] | None = None
    for order, part in enumerate(header.split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        code = tag.strip().lower()[:2]
        if code not in LANGUAGES:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        candidate = (-quality, order, code)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else DEFAULT_LANGUAGE


def site_url(request: Request) -> str:
    """The registry's address for canonical links and the sitemap: EVAUS_BASE_URL when set,
    else the address the request came to."""
    base = get_settings().base_url
    return (base or str(request.base_url)).rstrip("/")


def page_url(path: str, lang: str, **params: Any) -> str:
    """A link within the public pages that keeps the language (and the given parameters)."""
    query = {k: v for k, v in params.items() if v not in (None, "", 1) or k == "lang"}
    query["lang"] = lang
    return f"{path}?{urlencode(query)}"


def canonical_url(request: Request, path: str, lang: str, **params: Any) -> str:
    """The page's one address: Finnish without ``lang`` (the default), the others with it."""
    query = {k: v for k, v in params.items() if v not in (None, "", 1)}
    if lang != DEFAULT_LANGUAGE:
        query["lang"] = lang
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{site_url(request)}{path}{suffix}"


def _percent(value: Decimal | None, lang: str) -> str:
    if value is None:
        return ""
    return f"{number(value.normalize(), lang)}\u00a0%"


def _figure(value: Decimal | None, lang: str) -> str:
    if value is None:
        return ""
    normal = value.normalize()
    return number(normal if normal == normal.to_integral() else value, lang)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("evaus.public", "templates"),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


@cache
def templates_signature() -> str:
    """A digest of the templates and the translations the pages are made of (read once): a
    new release's pages get new ETags, alike on every instance that runs it."""
    digest = hashlib.sha256()
    roots = (resources.files("evaus.public") / "templates", resources.files("evaus") / "locales")
    for root in roots:
        stack = [root]
        while stack:
            for entry in sorted(stack.pop().iterdir(), key=lambda e: e.name):
                if entry.is_dir():
                    stack.append(entry)
                elif entry.name.endswith((".html", ".mo")):
                    digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()[:16]


def render(
    template: str, request: Request, lang: str, context: Mapping[str, Any], *, path: str
) -> str:
    """The page in ``lang``; ``path`` (with the context's ``query``) names it for links."""
    query: dict[str, Any] = dict(context.get("query", {}))

    def translate(message: str, **params: Any) -> str:
        return format_message(message, lang, **params)

    def link(target: str, **params: Any) -> str:
        return page_url(target, lang, **params)

    values: dict[str, Any] = {
        "_": translate,
        "lang": lang,
        "link": link,
        "languages": [
            (code, LANGUAGE_NAMES[code], page_url(path, code, **query)) for code in LANGUAGES
        ],
        "canonical": canonical_url(request, path, lang, **query),
        "alternates": [(code, canonical_url(request, path, code, **query)) for code in LANGUAGES],
        "pvm": lambda d: pvm(d, lang) if isinstance(d, date) else "",
        "day": lambda moment: pvm(local_time(moment).date(), lang),
        "dates": lambda start, end: date_range(start, end, lang),
        "eur": lambda v: eur(v, lang),
        "figure": lambda v: _figure(v, lang),
        "percent": lambda v: _percent(v, lang),
        "robots": "index, follow",
        **context,
    }
    return environment().get_template(template).render(values)
