"""The JSON API under /api: list, search and read projects, and edit them with the same rights
as in the app. Authenticate with a personal token: ``Authorization: Bearer evaus_…``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, status
from fastapi.responses import JSONResponse

from project_db.errors import ConflictError, NotFound, ValidationFailed
from project_db.schemas import ProjectDoc

from .i18n import describe_problem
from .services import projects as project_service
from .services.access import Actor, Forbidden, require_edit
from .services.tokens import actor_for_token

API_DESCRIPTION = (
    "Read and search the project registry. Every request needs a personal API token "
    "(`Authorization: Bearer …`) that an administrator creates; the token has the rights of its "
    "user: viewers read, managers edit their own projects, administrators everything."
)

router = APIRouter(prefix="/api", tags=["projects"])


def _database() -> Any:
    from .ui.context import database

    return database()


def api_actor(authorization: Annotated[str | None, Header()] = None) -> Actor:
    """The token's user, or 401 that says where to get a token."""
    token = (authorization or "").removeprefix("Bearer ").strip()
    if token:
        with _database().session("api") as session:
            actor = actor_for_token(session, token)
        if actor is not None:
            return actor
    raise HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Sign in: send a personal API token as 'Authorization: Bearer …' (see /login).",
        headers={"WWW-Authenticate": "Bearer"},
    )


CurrentActor = Annotated[Actor, Depends(api_actor)]


def _problems(exc: ValidationFailed, lang: str) -> JSONResponse:
    return JSONResponse(
        status_code=422,
        content={
            "detail": [
                {"field": p.field, "message": describe_problem(p, lang)} for p in exc.problems
            ]
        },
    )


@router.get("/projects", response_model=project_service.ProjectPage)
def list_projects(  # noqa: PLR0917 - one parameter per query-string filter
    actor: CurrentActor,
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
) -> project_service.ProjectPage:
    """Search and filter projects (the same query as the project list page)."""
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
    with _database().session(actor.username) as session:
        return project_service.list_projects(session, query)


@router.get("/projects/{project_id}", response_model=ProjectDoc)
def read_project(project_id: int, actor: CurrentActor) -> Any:
    """Everything stored about one project (the JSON interchange format)."""
    with _database().session(actor.username) as session:
        try:
            project = project_service.get_project(session, project_id)
            doc = project_service.get_project_doc(session, project_id)
        except NotFound:
            raise HTTPException(status_code=404, detail="project not found") from None
        return JSONResponse(
            content=doc.model_dump(mode="json"), headers={"ETag": f'"{project.version}"'}
        )


@router.patch("/projects/{project_id}")
def update_project(
    project_id: int,
    changes: dict[str, Any],
    actor: CurrentActor,
    if_match: Annotated[str | None, Header()] = None,
) -> Any:
    """Change a project's own fields. Send the ETag you read as If-Match to detect conflicts."""
    expected = int(if_match.strip('"')) if if_match and if_match.strip('"').isdigit() else None
    with _database().session(actor.username) as session:
        try:
            require_edit(session, actor, project_id)
            project = project_service.update_project(
                session, project_id, changes, expected_version=expected, actor=actor.username
            )
        except Forbidden:
            raise HTTPException(status_code=403, detail="you may not edit this project") from None
        except NotFound:
            raise HTTPException(status_code=404, detail="project not found") from None
        except ConflictError as exc:
            return JSONResponse(
                status_code=409,
                content={
                    "detail": "changed by someone else",
                    "current_version": exc.info.current_version,
                    "changed_by": exc.info.changed_by,
                },
            )
        except ValidationFailed as exc:
            return _problems(exc, actor.language)
        return JSONResponse(
            content={"id": project.id, "version": project.version},
            headers={"ETag": f'"{project.version}"'},
        )
