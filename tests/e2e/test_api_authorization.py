"""Who may call which API route: one table, every route × every kind of user (a real server).

"manager-this" is maija on the SoKu project (she is in its team), "manager-other" is maija on
the Oulu project. The README's "Authorization matrix" shows this table; keep the two in step.
The page matrix is in tests/ui/test_authorization_matrix.py.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from tests.e2e.conftest import Server

OULU = "Asunnottomien sosiaali- ja terveyspalveluiden kehittämishanke"


class Row(NamedTuple):
    method: str
    route: str  # {project}: SoKu (Oulu for manager-other)
    anonymous: int
    viewer: int
    manager_other: int
    manager_this: int
    admin: int


# fmt: off
API_MATRIX: list[Row] = [
    #   method   route                     anon viewer m-other m-this admin
    Row("GET",   "/api/projects",           401, 200,  200,    200,   200),
    Row("GET",   "/api/projects/{project}", 401, 200,  200,    200,   200),
    Row("PATCH", "/api/projects/{project}", 401, 403,  403,    200,   200),
]
# fmt: on

# column → (username or None, which project {project} stands for)
WHO = {
    "anonymous": (None, "SoKu"),
    "viewer": ("ville", "SoKu"),
    "manager_other": ("maija", OULU),
    "manager_this": ("maija", "SoKu"),
    "admin": ("admin", "SoKu"),
}


def _cases() -> list[Any]:
    return [
        pytest.param(row, column, id=f"{row.method} {row.route} {column} {getattr(row, column)}")
        for row in API_MATRIX
        for column in WHO
    ]


def _read(server: Server, project_id: int) -> tuple[str | None, str]:
    """The project's municipality and its ETag (the If-Match every write sends)."""
    with server.api("admin") as admin:
        response = admin.get(f"/api/projects/{project_id}")
        assert response.status_code == 200
        value: str | None = response.json()["municipality"]
        return value, response.headers["etag"]


def _municipality(server: Server, project_id: int) -> str | None:
    return _read(server, project_id)[0]


@pytest.mark.parametrize(("row", "column"), _cases())
def test_api_rights(app_server: Server, row: Row, column: str) -> None:
    username, which = WHO[column]
    project_id = app_server.project_ids[which]
    path = row.route.format(project=project_id)
    expected = getattr(row, column)
    with app_server.api(username) as client:
        if row.method == "GET":
            response = client.get(path)
            assert response.status_code == expected, response.text
            return
        original, etag = _read(app_server, project_id)
        # Refused callers try a real change; allowed ones write the current value back.
        wanted = original if expected == 200 else "Luvaton muutos"
        try:
            response = client.patch(path, json={"municipality": wanted}, headers={"If-Match": etag})
            assert response.status_code == expected, response.text
        finally:
            current, etag = _read(app_server, project_id)
            if current != original:
                with app_server.api("admin") as admin:
                    admin.patch(path, json={"municipality": original}, headers={"If-Match": etag})
        assert _municipality(app_server, project_id) == original
