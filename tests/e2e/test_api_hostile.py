"""The hostile-input corpus through the JSON API: every string is saved intact or refused with
a message naming the field, and never causes a server error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from evaus.db import open_database
from evaus.services import projects
from evaus.services.access import local_admin
from project_db.engine import sqlite_url
from project_db.validators import clean_block, clean_line

from .conftest import Server, delete_project

pytestmark = pytest.mark.e2e

CORPUS = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "hostile_strings.json").read_text("utf-8")
)["strings"]


@pytest.fixture
def project_id(app_server: Server) -> Iterator[int]:
    database = open_database(url=sqlite_url(app_server.data_dir))
    with database.session("e2e-setup") as session:
        new_id = projects.create_project(
            session, {"name": "API-vihamielinen"}, actor=local_admin("t")
        ).id
    database.engine.dispose()
    yield new_id
    delete_project(app_server, new_id)


def test_hostile_strings_through_the_api(app_server: Server, project_id: int) -> None:
    assert len(CORPUS) >= 300
    saved = refused = 0
    with app_server.api("admin") as client:
        etag = client.get(f"/api/projects/{project_id}").headers["etag"]
        for text in CORPUS:
            changes = {"summary": text, "municipality": text}
            # json.dumps escapes lone surrogates (\ud800), which httpx's encoder refuses.
            response = client.patch(
                f"/api/projects/{project_id}",
                content=json.dumps(changes),
                headers={"Content-Type": "application/json", "If-Match": etag},
            )
            assert response.status_code in (200, 422), (text, response.text)
            etag = response.headers.get("etag", etag)  # a refused change keeps the version
            if response.status_code == 422:
                fields = {problem["field"] for problem in response.json()["detail"]}
                assert fields <= {"summary", "municipality"}, fields
                refused += 1
                continue
            doc = client.get(f"/api/projects/{project_id}").json()
            assert doc["summary"] == clean_block(text), text
            assert doc["municipality"] == (clean_line(text) or None), text
            saved += 1
    assert saved > 250 and refused < 50
