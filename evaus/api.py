"""The JSON API under /api: list, search and read projects, and edit them with the same rights
as in the app. Authenticate with a personal token: ``Authorization: Bearer evaus_…``.

Every write names the version it was based on: ``If-Match`` with the ETag read from GET is
required (428 without it, 412 when it is not the current version or not a strong ETag, 409 when
a concurrent write of the same version was saved first). Messages follow the user's language,
or Accept-Language when the caller is not known."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from project_db.errors import N_, ConflictError, NotFound, Problem, ValidationFailed
from project_db.models import Project
from project_db.schemas import ProjectDoc, problems_from_validation_error

from .db import Database
from .i18n import LANGUAGES, describe_problem, format_message, normalise_language
from .services import deadlines as deadline_service
from .services import period_review as review_service
from .services import projects as project_service
from .services.access import Actor, Forbidden, require_edit
from .services.tokens import actor_for_token

API_DESCRIPTION = (
    "Read and search the project registry. Every request needs a personal API token "
    "(`Authorization: Bearer …`) that an administrator creates; the token has the rights of its "
    "user: viewers read, managers edit their own projects, administrators everything. "
    "Writes need `If-Match` with the ETag of the version they change (from GET)."
)

SIGN_IN = N_("Sign in: send a personal API token as 'Authorization: Bearer …' (see /login).")
PROJECT_NOT_FOUND = N_("Project {id} was not found.")
MAY_NOT_EDIT = N_("You may not edit this project.")
IF_MATCH_MISSING = N_(
    "The If-Match header is required: send the ETag you read with GET (for example "
    'If-Match: "{version}"), so that a change made meanwhile by someone else is not overwritten.'
)
IF_MATCH_INVALID = N_(
    "The If-Match header is not a valid ETag: send the strong ETag from GET, for example "
    '"{version}" (a weak W/"…" ETag does not do for a change).'
)
IF_MATCH_STALE = N_(
    "The project has been changed since you read it (it is now version {current}, changed by "
    "{who}). Nothing was saved: read it again and send the new ETag."
)
WRITE_RACE = N_(
    "Someone else saved the project at the same moment (now version {current}, by {who}). "
    "Nothing was saved: read it again and send the new ETag."
)
UNKNOWN_USER = N_("unknown user")

# An If-Match longer than this is no ETag list this API hands out.
_MAX_IF_MATCH = 200


async def get_database(request: Request) -> Database:
    """The application's database, kept in its state by the application's start-up (async: no
    trip through the thread pool for reading an attribute)."""
    database: Database = request.app.state.database
    return database


RegistryDatabase = Annotated[Database, Depends(get_database)]


def accept_language(header: str | None) -> str | None:
    """The supported language the client prefers most (``sv-FI,sv;q=0.9,en;q=0.8`` → sv)."""
    best: tuple[float, str] | None = None
    for part in (header or "")[:500].split(","):
        tag, _sep, params = part.strip().partition(";")
        lang = tag.strip().lower()[:2]
        if lang not in LANGUAGES:
            continue
        quality = 1.0
        name, _eq, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                continue
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, lang)
    return best[1] if best else None


def request_language(request: Request) -> str:
    """The token's user's language, else the client's Accept-Language, else Finnish."""
    token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if token:
        database: Database = request.app.state.database
        with database.session("api") as session:
            actor = actor_for_token(session, token)
        if actor is not None:
            return normalise_language(actor.language)
    return normalise_language(accept_language(request.headers.get("accept-language")))


def _problems(problems: list[Problem], lang: str) -> JSONResponse:
    return JSONResponse(
        status_code=422,
        content={
            "detail": [{"field": p.field, "message": describe_problem(p, lang)} for p in problems]
        },
    )


class _RequestErrors:
    """A request's validation errors as ``problems_from_validation_error`` reads them, with the
    location's first part (query, path, body) left out: the field is what the user sent."""

    def __init__(self, exc: RequestValidationError) -> None:
        self._errors = exc.errors()

    def errors(self, include_url: bool = False) -> list[dict[str, Any]]:
        return [{**error, "loc": tuple(error["loc"][1:])} for error in self._errors]


class TranslatedRoute(APIRoute):
    """Request validation errors (bad query values, a body that is not a JSON object …) in the
    same shape and language as the registry's own validation messages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def translated(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                problems = problems_from_validation_error(
                    cast(ValidationError, _RequestErrors(exc))
                )
                return _problems(problems, request_language(request))

        return translated


router = APIRouter(prefix="/api", tags=["projects"], route_class=TranslatedRoute)


def api_actor(
    database: RegistryDatabase,
    authorization: Annotated[str | None, Header()] = None,
    accept_language_header: Annotated[str | None, Header(alias="Accept-Language")] = None,
) -> Actor:
    """The token's user, or 401 that says where to get a token."""
    token = (authorization or "").removeprefix("Bearer ").strip()
    if token:
        with database.session("api") as session:
            actor = actor_for_token(session, token)
        if actor is not None:
            return actor
    raise HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=format_message(SIGN_IN, normalise_language(accept_language(accept_language_header))),
        headers={"WWW-Authenticate": "Bearer"},
    )


CurrentActor = Annotated[Actor, Depends(api_actor)]


def _not_found(project_id: int, actor: Actor) -> HTTPException:
    return HTTPException(
        status_code=404, detail=format_message(PROJECT_NOT_FOUND, actor.language, id=project_id)
    )


# The page as JSON bytes straight from pydantic-core: no validation of what the service made
# and no second pass through FastAPI's encoder.
_PAGE_JSON = TypeAdapter(project_service.ProjectPage)


@router.get("/projects", response_model=project_service.ProjectPage)
async def list_projects(  # noqa: PLR0917 - one parameter per query-string filter
    database: RegistryDatabase,
    authorization: Annotated[str | None, Header()] = None,
    accept_language_header: Annotated[str | None, Header(alias="Accept-Language")] = None,
    q: str = "",
    status_: Annotated[list[str], Query(alias="status")] = [],  # noqa: B006
    funder: Annotated[list[str], Query()] = [],  # noqa: B006
    portfolio: Annotated[list[str], Query()] = [],  # noqa: B006
    project_type: Annotated[list[str], Query(alias="type")] = [],  # noqa: B006
    region: Annotated[list[str], Query()] = [],  # noqa: B006
    theme: Annotated[list[str], Query()] = [],  # noqa: B006
    active_from: date | None = None,
    active_to: date | None = None,
    sort: project_service.SortField | None = None,
    descending: bool = False,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """Search and filter projects (the same query as the project list page). When ``q`` finds
    nothing, ``suggestions`` holds corrected search texts that find something ("did you mean").

    The token check, the search and the JSON run in one trip to the thread pool (a sync
    dependency and a sync endpoint would be two, each waiting for a thread on a busy server)."""
    query = project_service.ProjectQuery(
        text=q,
        status=status_,
        funder=funder,
        portfolio=portfolio,
        project_type=project_type,
        region=region,
        theme=theme,
        active_from=active_from,
        active_to=active_to,
        sort=sort,
        descending=descending,
        page=page,
        page_size=page_size,
    )

    def answer() -> bytes:
        actor = api_actor(database, authorization, accept_language_header)
        with database.session(actor.username) as session:
            found = project_service.list_projects(session, query, actor=actor)
        return _PAGE_JSON.dump_json(found)

    return Response(await run_in_threadpool(answer), media_type="application/json")


@router.get("/deadlines", response_model=list[deadline_service.DueItem], tags=["deadlines"])
def list_deadlines(  # noqa: PLR0917 - one parameter per query-string filter
    actor: CurrentActor,
    database: RegistryDatabase,
    state: Annotated[list[deadline_service.State], Query()] = [],  # noqa: B006
    funder: str | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    today: date | None = None,
) -> list[deadline_service.DueItem]:
    """The signed-in user's due items (a manager: their own projects'; others: every
    project's), by due date. ``state`` (repeatable: overdue, due, upcoming, done) narrows
    them; ``today`` computes the states for another day (default: today in Finland)."""
    filters = deadline_service.DueFilter(
        funder=funder, states=tuple(state), start=due_from, end=due_to
    )
    with database.session(actor.username) as session:
        return deadline_service.due_items(
            session, actor=actor, filters=filters, today=today, lang=actor.language
        )


def _etag(version: int) -> str:
    return f'"{version}"'


@router.get("/projects/{project_id}", response_model=ProjectDoc)
def read_project(project_id: int, actor: CurrentActor, database: RegistryDatabase) -> Any:
    """Everything stored about one project (the JSON interchange format). The ETag header is
    its version: send it back as If-Match to change it."""
    with database.session(actor.username) as session:
        try:
            project = project_service.get_project(session, project_id, actor=actor)
            doc = project_service.get_project_doc(session, project_id, actor=actor)
        except NotFound:
            raise _not_found(project_id, actor) from None
        return JSONResponse(
            content=doc.model_dump(mode="json"), headers={"ETag": _etag(project.version)}
        )


class PreconditionFailed(Exception):
    """If-Match is missing (428) or cannot match any version (412)."""

    def __init__(self, status_code: int) -> None:
        super().__init__(status_code)
        self.status_code = status_code


def if_match_versions(header: str | None) -> set[int]:
    """The versions a strong If-Match names (``"7"`` or ``"6", "7"``).

    Missing (or ``*``, which names no version) is 428; a weak ETag (RFC 9110: weak ETags never
    match for a change) or anything that is not an ETag of this API is 412."""
    value = (header or "").strip()
    if not value or value == "*":
        raise PreconditionFailed(status.HTTP_428_PRECONDITION_REQUIRED)
    if len(value) > _MAX_IF_MATCH:
        raise PreconditionFailed(status.HTTP_412_PRECONDITION_FAILED)
    versions: set[int] = set()
    for item in value.split(","):
        tag = item.strip()
        inner = tag[1:-1] if len(tag) > 2 and tag[0] == tag[-1] == '"' else ""
        if not (inner.isascii() and inner.isdigit()):
            raise PreconditionFailed(status.HTTP_412_PRECONDITION_FAILED)
        versions.add(int(inner))
    return versions


def _precondition_response(code: int, current: int, lang: str) -> JSONResponse:
    message = (
        IF_MATCH_MISSING if code == status.HTTP_428_PRECONDITION_REQUIRED else IF_MATCH_INVALID
    )
    return JSONResponse(
        status_code=code,
        content={"detail": format_message(message, lang, version=current)},
        headers={"ETag": _etag(current)},
    )


def _conflict_response(exc: ConflictError, lang: str) -> JSONResponse:
    info = exc.info
    stale_at_commit = isinstance(exc, project_service.StaleWrite)
    who = info.changed_by or format_message(UNKNOWN_USER, lang)
    message = WRITE_RACE if stale_at_commit else IF_MATCH_STALE
    return JSONResponse(
        status_code=409 if stale_at_commit else 412,
        content={
            "detail": format_message(message, lang, current=info.current_version, who=who),
            "current_version": info.current_version,
            "changed_by": info.changed_by,
        },
        headers={"ETag": _etag(info.current_version)},
    )


_IF_MATCH_PARAMETER = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": 'The ETag from GET /api/projects/{project_id}, e.g. "7" (a strong ETag).',
    "schema": {"type": "string"},
}

_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Saved; the new version is the ETag."},
    401: {"description": "No valid API token."},
    403: {"description": "The token's user may not edit this project."},
    404: {"description": "No such project."},
    409: {
        "description": "A concurrent write of the same version was saved first; nothing was "
        "saved. Read the project again and retry with the new ETag."
    },
    412: {
        "description": "If-Match is not the current version (the project was changed since it "
        "was read), or is a weak or malformed ETag; nothing was saved."
    },
    422: {"description": "The changes are not valid; each problem names its field."},
    428: {"description": "If-Match is missing: every change must name the version it is based on."},
}


def _write_project(
    project_id: int,
    actor: Actor,
    database: Database,
    request: Request,
    save: Callable[[Session, int], Project],
) -> Any:
    """One write of a project: edit rights, If-Match, ``save(session, expected_version)`` in
    the request's transaction, and each refusal as its status code in the user's language."""
    lang = normalise_language(actor.language)
    with database.session(actor.username) as session:
        try:
            require_edit(session, actor, project_id)
            current = project_service.get_project(session, project_id, actor=actor).version
            try:
                versions = if_match_versions(request.headers.get("if-match"))
            except PreconditionFailed as failed:
                return _precondition_response(failed.status_code, current, lang)
            project = save(session, current if current in versions else max(versions))
        except Forbidden:
            raise HTTPException(
                status_code=403, detail=format_message(MAY_NOT_EDIT, lang)
            ) from None
        except NotFound:
            raise _not_found(project_id, actor) from None
        except ConflictError as exc:
            return _conflict_response(exc, lang)
        except ValidationFailed as exc:
            return _problems(exc.problems, lang)
        return JSONResponse(
            content={"id": project.id, "version": project.version},
            headers={"ETag": _etag(project.version)},
        )


@router.patch(
    "/projects/{project_id}",
    responses=_WRITE_RESPONSES,
    openapi_extra={"parameters": [_IF_MATCH_PARAMETER]},
)
def update_project(
    project_id: int,
    changes: dict[str, Any],
    actor: CurrentActor,
    database: RegistryDatabase,
    request: Request,
) -> Any:
    """Change a project's own fields. If-Match (the ETag you read) is required."""
    return _write_project(
        project_id,
        actor,
        database,
        request,
        lambda session, expected: project_service.update_project(
            session, project_id, changes, expected_version=expected, actor=actor
        ),
    )


@router.put(
    "/projects/{project_id}",
    responses=_WRITE_RESPONSES,
    openapi_extra={"parameters": [_IF_MATCH_PARAMETER]},
)
def replace_project(
    project_id: int,
    doc: dict[str, Any],
    actor: CurrentActor,
    database: RegistryDatabase,
    request: Request,
) -> Any:
    """Replace everything stored about a project with a whole document (the format GET gives).
    If-Match is required. A change of an approved (locked) period is refused with 422."""
    return _write_project(
        project_id,
        actor,
        database,
        request,
        lambda session, expected: project_service.save_project_doc(
            session, project_id, doc, expected_version=expected, actor=actor
        ),
    )


@router.get(
    "/projects/{project_id}/periods",
    response_model=list[review_service.PeriodState],
    tags=["review"],
)
def period_reviews(
    project_id: int, actor: CurrentActor, database: RegistryDatabase
) -> list[review_service.PeriodState]:
    """Each reporting period's review state (draft, submitted, approved, returned) and history."""
    with database.session(actor.username) as session:
        try:
            return review_service.review_states(session, project_id, actor=actor)
        except NotFound:
            raise _not_found(project_id, actor) from None


_REVIEW_ACTIONS = ("submit", "approve", "return", "reopen")


@router.post(
    "/projects/{project_id}/periods/{period}/{action}",
    response_model=review_service.PeriodState,
    tags=["review"],
    responses={
        403: {"description": "The user may not do this (or approves their own submission)."},
        404: {"description": "No such project, or no such action."},
        409: {"description": "The period's state does not allow this now."},
        422: {"description": "A return or a reopening needs a reason."},
    },
)
def move_period(  # noqa: PLR0917 - the path's parts, the body and the dependencies
    project_id: int,
    period: int,
    action: str,
    actor: CurrentActor,
    database: RegistryDatabase,
    body: dict[str, Any] | None = None,
) -> Any:
    """Submit (the project's manager), approve, return or reopen (a reviewer) a reporting
    period. Return and reopen need a reason: ``{"reason": "…"}``. Approval locks the period."""
    lang = normalise_language(actor.language)
    if action not in _REVIEW_ACTIONS:
        raise HTTPException(status_code=404, detail=action)
    reason = str((body or {}).get("reason") or "")
    with database.session(actor.username) as session:
        try:
            if action == "submit":
                return review_service.submit(session, project_id, period, actor=actor)
            if action == "approve":
                return review_service.approve(session, project_id, period, actor=actor)
            if action == "return":
                return review_service.return_(session, project_id, period, reason, actor=actor)
            return review_service.reopen(session, project_id, period, reason, actor=actor)
        except review_service.ReviewForbidden as exc:
            raise HTTPException(status_code=403, detail=exc.text(lang)) from None
        except review_service.ReviewRefused as exc:
            raise HTTPException(status_code=409, detail=exc.text(lang)) from None
        except NotFound:
            raise _not_found(project_id, actor) from None
        except ValidationFailed as exc:
            return _problems(exc.problems, lang)


def api_app(database: Database, wrap: Callable[[Any], Any] = lambda app: app) -> Any:
    """The API and its documentation (``/api/docs``, ``/api/openapi.json``) as an application
    of its own, which the web application hands every ``/api`` request to before its own
    middleware (sessions, page tracking, compression are for pages). ``wrap``: the ASGI
    middleware the API shares with the pages (the security headers)."""
    app = FastAPI(
        title="EVAUS API",
        version="1",
        description=API_DESCRIPTION,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.database = database
    app.include_router(router)
    # The public catalogue's open data is served by the web application, documented here.
    from .public import open_data_router

    app.include_router(open_data_router)
    return wrap(app)
