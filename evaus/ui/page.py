"""How a page opens: the signed-in user and their rights, the data loaded off the event loop, the
frame, and the "not found" and "no access" pages.

A page is one decorated function::

    @page(
        router,
        "/projects/{project_id:int}",
        title=lambda tr, data: data.doc.name,  # or a message id: title=N_("Reports")
        load=_load,                            # blocking; None (or NotFound) → not found
        not_found=PROJECT_NOT_FOUND,
    )
    async def project_page(opened: Opened[ViewData], project_id: int) -> None:
        ...  # built inside the frame; opened.actor, opened.tr, opened.data

``page(router, path, *, title, roles=None, load=None, not_found=None, **options)``:

- ``router``, ``path``: where the page lives (``router.page(path, **options)``: NiceGUI's page
  options such as ``response_timeout`` pass through).
- the body's first parameter receives an ``Opened`` (``actor``, ``tr``, ``data``); its other
  parameters are the page's path and query parameters, declared as for FastAPI
  (``project_id: int``, ``step: str = "0"``, ``request: Request``), passed on by name.
- ``roles``: the roles that may open the page (None: every signed-in user). Not signed in → the
  login page; another role → the "no access" page (``page_actor``).
- ``load``: a blocking function run in a worker thread (``run.io_bound``). It is called with
  keyword arguments, only those it names: ``actor``, ``lang`` (the user's language) and any of
  the page's parameters. Its result is ``opened.data``. None, or ``NotFound`` raised, means
  "not found": the ``not_found`` page is shown instead (without one, nothing is built: None is
  also what ``run.io_bound`` returns while the server shuts down). ``Forbidden`` raised → the
  "no access" page. Without ``load``, ``opened.data`` is None.
- ``title``: the page's <h1> and <title>: a message id (translated), or a function
  ``(tr, data) -> str``.
- ``not_found``: a function ``(tr, actor) -> None`` that builds the whole not-found page, e.g.
  ``missing_page(...)`` below.

The body runs inside ``frame`` (it may be sync or async); rights for changes are still checked
in every handler (``context.handler_actor`` / ``guarded``) and again by the services.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from nicegui import APIRouter, run, ui

from project_db.errors import NotFound

from ..services.access import Actor, Forbidden
from .context import Translator, current_actor
from .layout import frame

T = TypeVar("T")
Body = Callable[..., Awaitable[None] | None]
NotFoundPage = Callable[[Translator, Actor], None]


@dataclass(frozen=True)
class Opened(Generic[T]):
    """What a page body gets: the signed-in user, their translator and the loaded data."""

    actor: Actor
    tr: Translator
    data: T


def page_actor(*, roles: tuple[str, ...] | None = None) -> tuple[Actor, Translator] | None:
    """At the top of a page: the signed-in user and their translator.

    Not signed in → the login page; wrong role → an explanation. Returns None in both cases and
    the page builds nothing more.
    """
    actor = current_actor()
    if actor is None:
        ui.navigate.to("/login")
        return None
    tr = Translator(actor.language)
    if roles is not None and actor.role not in roles:
        forbidden_notice(tr)
        return None
    return actor, tr


def forbidden_notice(tr: Translator) -> None:
    with frame(tr, tr("No access")):
        ui.label(tr("You do not have the rights to see this page.")).classes("text-body1")
        ui.link(tr("Back to the front page"), "/")


def missing_page(
    title: str, back_text: str, back_url: str, *, text: str | None = None
) -> NotFoundPage:
    """A not-found page: ``title`` (message id), an optional explanation, a link back."""

    def show(tr: Translator, actor: Actor) -> None:
        with frame(tr, tr(title), actor):
            if text is not None:
                ui.label(tr(text))
            ui.link(tr(back_text), back_url)

    return show


def _loader_call(load: Callable[..., Any], names: set[str]) -> Callable[[dict[str, Any]], Any]:
    """``load`` called with the keyword arguments it names (of ``names``)."""
    parameters = inspect.signature(load).parameters
    takes_all = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    wanted = names if takes_all else names & set(parameters)

    def call(arguments: dict[str, Any]) -> Any:
        return load(**{name: arguments[name] for name in wanted})

    return call


def page(
    router: APIRouter,
    path: str,
    *,
    title: str | Callable[[Translator, Any], str],
    roles: tuple[str, ...] | None = None,
    load: Callable[..., Any] | None = None,
    not_found: NotFoundPage | None = None,
    **options: Any,
) -> Callable[[Body], Body]:
    """Register the decorated body as the page at ``path`` (see the module's docstring)."""

    def decorate(body: Body) -> Body:
        # The annotations evaluated here: FastAPI reads the parameters' types from the signature.
        parameters = list(inspect.signature(body, eval_str=True).parameters.values())[1:]
        page_names = {p.name for p in parameters}
        call = _loader_call(load, page_names | {"actor", "lang"}) if load is not None else None

        async def opened_page(**params: Any) -> None:
            found = page_actor(roles=roles)
            if found is None:
                return
            actor, tr = found
            data = None
            if call is not None:
                try:
                    data = await run.io_bound(call, {"actor": actor, "lang": tr.lang, **params})
                except Forbidden:
                    forbidden_notice(tr)
                    return
                except NotFound:
                    data = None
                if data is None:
                    if not_found is not None:
                        not_found(tr, actor)
                    return
            heading = tr(title) if isinstance(title, str) else title(tr, data)
            with frame(tr, heading, actor):
                built = body(Opened(actor, tr, data), **params)
                if built is not None:
                    await built

        opened_page.__name__ = body.__name__
        opened_page.__qualname__ = body.__qualname__
        opened_page.__module__ = body.__module__
        opened_page.__doc__ = body.__doc__
        opened_page.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        router.page(path, **options)(opened_page)
        return body

    return decorate
