"""``serve_api_apart``: /api requests go to the API app, the rest to the pages' stack, and
starting the app again in one process (the simulated user of tests/ui does, per test) does not
wrap the previous wrapper again."""

from __future__ import annotations

import inspect

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse

from evaus.ui.app import serve_api_apart


def _apps() -> tuple[FastAPI, FastAPI, list[int]]:
    depths: list[int] = []
    pages = FastAPI()

    @pages.get("/projects")
    async def page() -> PlainTextResponse:
        depths.append(len(inspect.stack(0)))
        return PlainTextResponse("page")

    api = FastAPI()

    @api.get("/api/projects")
    def projects() -> PlainTextResponse:
        return PlainTextResponse("api")

    return pages, api, depths


def test_api_requests_go_to_the_api_and_pages_to_the_pages() -> None:
    pages, api, _depths = _apps()
    serve_api_apart(pages, api)
    with TestClient(pages) as client:
        assert client.get("/api/projects").text == "api"
        assert client.get("/projects").text == "page"


def test_starting_again_does_not_nest_the_dispatch() -> None:
    pages, api, depths = _apps()
    serve_api_apart(pages, api)
    with TestClient(pages) as client:
        client.get("/projects")
    for _ in range(50):  # fifty starts of the app in one process
        serve_api_apart(pages, api)
    pages.middleware_stack = None  # built again on the next start, as Starlette does
    with TestClient(pages) as client:
        assert client.get("/api/projects").text == "api"
        client.get("/projects")
    assert depths[1] == depths[0]
