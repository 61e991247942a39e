"""Writes through the JSON API name the version they change (If-Match), and fifty simultaneous
PATCHes of one version against a real server give one 200 and conflicts, never a 500.

The race runs on SQLite and on PostgreSQL: `evaus serve` in a subprocess on a fresh database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from evaus.db import open_database
from evaus.services import projects, tokens
from evaus.services.access import Actor, local_admin
from evaus.services.users import create_user
from project_db.engine import sqlite_url
from project_db.models import AuditEntry, Project

from .conftest import Server, _free_port, _stop, child_environment, serve

pytestmark = pytest.mark.e2e

WRITERS = 50


@pytest.fixture
def race_server(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    """A server of its own on a fresh database (SQLite or PostgreSQL) with one administrator's
    token and one project."""
    database = open_database(url=database_url)
    server = Server(url="", data_dir=tmp_path)
    with database.session("setup") as session:
        user = create_user(
            session, "admin", role="admin", password="admin-salasana-1", actor=local_admin("setup")
        )
        server.tokens["admin"] = tokens.create_token(
            session, user.id, "kilpa", actor=Actor.of(user)
        )
        project = projects.create_project(
            session, {"name": "Kilpailtu hanke", "municipality": "Alku"}, actor=local_admin("setup")
        )
        server.project_ids["race"] = project.id
    database.engine.dispose()
    extra = {} if database_url.startswith("sqlite") else {"EVAUS_DATABASE_URL": database_url}
    if database_url.startswith("sqlite"):
        assert database_url == sqlite_url(tmp_path)  # the server's default database
    port = _free_port()
    server.url = f"http://127.0.0.1:{port}"
    process = serve(tmp_path, port, child_environment(tmp_path, **extra))
    yield server, database_url
    _stop(process)
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def _patch_together(
    server: Server, project_id: int, etag: str, round_number: int = 0
) -> list[httpx.Response]:
    barrier = threading.Barrier(WRITERS)
    responses: list[Any] = [None] * WRITERS

    def run(index: int) -> None:
        with server.api("admin") as client:
            client.get("/status")  # the connection is open before the race starts
            barrier.wait()
            responses[index] = client.patch(
                f"/api/projects/{project_id}",
                # A value of its own per round: a PATCH that repeats the stored value changes
                # nothing and rightly answers 200 without a new version.
                json={"municipality": f"Kunta {round_number}-{index}"},
                headers={"If-Match": etag},
            )

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads)
    return responses


def test_fifty_simultaneous_patches_of_one_version(race_server: tuple[Server, str]) -> None:
    server, database_url = race_server
    project_id = server.project_ids["race"]
    database = open_database(url=database_url)
    try:
        with database.session() as session:
            mark = session.scalar(select(func.max(AuditEntry.id))) or 0
        for round_number in range(2):
            with server.api("admin") as client:
                read = client.get(f"/api/projects/{project_id}")
            etag = read.headers["etag"]
            responses = _patch_together(server, project_id, etag, round_number)
            codes = [r.status_code for r in responses]
            assert 500 not in codes
            winners = [i for i, code in enumerate(codes) if code == 200]
            assert len(winners) == 1, codes
            assert set(codes) <= {200, 409, 412}, codes
            winner = winners[0]
            new_etag = responses[winner].headers["etag"]
            assert new_etag != etag
            for response in responses:
                if response.status_code != 200:
                    body = response.json()
                    assert response.headers["etag"] == new_etag  # what to read again
                    assert body["changed_by"] == "admin"
                    assert "Nothing was saved" not in body["detail"]  # Finnish, the user's
            with server.api("admin") as client:
                doc = client.get(f"/api/projects/{project_id}")
            assert doc.json()["municipality"] == f"Kunta {round_number}-{winner}"
            assert doc.headers["etag"] == new_etag
            with database.session() as session:
                entries = list(session.scalars(select(AuditEntry).where(AuditEntry.id > mark)))
                mark = max(e.id for e in entries)
                stored = session.get(Project, project_id)
                assert stored is not None and f'"{stored.version}"' == new_etag
            assert [(e.field, e.new_value) for e in entries] == [
                ("municipality", f"Kunta {round_number}-{winner}")
            ]
    finally:
        database.engine.dispose()


# --- If-Match rules, on the shared server ---------------------------------------------------


@pytest.fixture
def soku(app_server: Server) -> Iterator[tuple[int, str]]:
    """SoKu's id and its municipality, which is put back afterwards."""
    project_id = app_server.project_ids["SoKu"]
    with app_server.api("admin") as client:
        original = client.get(f"/api/projects/{project_id}").json()["municipality"]
    yield project_id, original
    with app_server.api("admin") as client:
        etag = client.get(f"/api/projects/{project_id}").headers["etag"]
        client.patch(
            f"/api/projects/{project_id}",
            json={"municipality": original},
            headers={"If-Match": etag},
        )


@pytest.mark.parametrize(
    ("if_match", "expected"),
    [
        (None, 428),
        ("", 428),
        ("*", 428),
        ("W/{etag}", 412),  # weak ETags never match for a change (RFC 9110)
        ("{version}", 412),  # not quoted: not an ETag
        ('"abc"', 412),
        ('"-1"', 412),
        ("garbage", 412),
        ('"999999"', 412),  # a version that is not the current one
    ],
)
def test_a_write_without_a_valid_if_match_changes_nothing(
    app_server: Server, soku: tuple[int, str], if_match: str | None, expected: int
) -> None:
    project_id, original = soku
    with app_server.api("admin") as client:
        etag = client.get(f"/api/projects/{project_id}").headers["etag"]
        headers = {"Accept-Language": "en"}
        if if_match is not None:
            headers["If-Match"] = if_match.format(etag=etag, version=etag.strip('"'))
        response = client.patch(
            f"/api/projects/{project_id}", json={"municipality": "Luvaton"}, headers=headers
        )
        assert response.status_code == expected, response.text
        assert response.headers["etag"] == etag  # the version to send next
        assert "If-Match" in response.json()["detail"] or expected == 412
        after = client.get(f"/api/projects/{project_id}")
    assert after.json()["municipality"] == original
    assert after.headers["etag"] == etag


def test_if_match_with_the_current_etag_saves_and_a_stale_one_is_refused(
    app_server: Server, soku: tuple[int, str]
) -> None:
    project_id, _original = soku
    path = f"/api/projects/{project_id}"
    with app_server.api("admin") as client:
        etag = client.get(path).headers["etag"]
        saved = client.patch(path, json={"municipality": "Akaa"}, headers={"If-Match": etag})
        assert saved.status_code == 200
        assert saved.headers["etag"] == f'"{saved.json()["version"]}"' != etag
        stale = client.patch(path, json={"municipality": "Urjala"}, headers={"If-Match": etag})
        assert stale.status_code == 412
        assert stale.json()["current_version"] == saved.json()["version"]
        # A list of ETags matches when one of them is the current version.
        listed = client.patch(
            path,
            json={"municipality": "Urjala"},
            headers={"If-Match": f"{etag}, {saved.headers['etag']}"},
        )
        assert listed.status_code == 200
        assert client.get(path).json()["municipality"] == "Urjala"


def test_messages_follow_the_users_language(app_server: Server) -> None:
    missing = 999_999
    with app_server.api("sanna") as swedish, app_server.api("admin") as finnish:
        assert "hittades inte" in swedish.get(f"/api/projects/{missing}").json()["detail"]
        assert "ei löytynyt" in finnish.get(f"/api/projects/{missing}").json()["detail"]
        # The stored language wins over the client's Accept-Language.
        detail = finnish.get(f"/api/projects/{missing}", headers={"Accept-Language": "sv"}).json()[
            "detail"
        ]
        assert "ei löytynyt" in detail
        bad = swedish.get("/api/projects", params={"page": 0}).json()["detail"]
        assert bad[0]["field"] == "page"
        assert "minst" in bad[0]["message"]
    # Without a valid token, the client's Accept-Language.
    for header, words in (
        ("sv-FI,sv;q=0.9,en;q=0.5", "Logga in"),
        ("en", "Sign in"),
        ("", "Kirjaudu"),
    ):
        response = httpx.get(
            f"{app_server.url}/api/projects", headers={"Accept-Language": header}, timeout=20
        )
        assert response.status_code == 401
        assert words in response.json()["detail"], (header, response.text)


def test_openapi_documents_if_match_and_the_precondition_answers(app_server: Server) -> None:
    spec = httpx.get(f"{app_server.url}/api/openapi.json", timeout=10).json()
    patch = spec["paths"]["/api/projects/{project_id}"]["patch"]
    (if_match,) = [p for p in patch["parameters"] if p["name"] == "If-Match"]
    assert if_match["in"] == "header" and if_match["required"] is True
    assert {"409", "412", "428"} <= set(patch["responses"])
