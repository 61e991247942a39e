"""`evaus token`: create a token for a user, use it against a real server, list, revoke."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.cli.test_cli import evaus
from tests.e2e.conftest import _start, _stop


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _token_ids(data_dir: Path) -> dict[str, str]:
    """Token name → ID, from `evaus token list`."""
    listing = evaus(data_dir, "token", "list", lang="en")
    assert listing.returncode == 0, listing.stderr
    header, *rows = listing.stdout.splitlines()
    assert header.split() == ["ID", "User", "Name", "Created", "Last", "used", "State"]
    return {row.split()[2]: row.split()[0] for row in rows}


def test_create_use_list_and_revoke(data_dir: Path) -> None:
    assert evaus(data_dir, "demo").returncode == 0
    added = evaus(data_dir, "user", "add", "anna", "--role", "viewer", stdin="anna-salasana-1\n")
    assert added.returncode == 0, added.stderr

    created = evaus(data_dir, "token", "create", "anna", "--name", "raportointi")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()  # standard output is the token and nothing else
    assert token.startswith("evaus_") and len(token) > 40
    assert "raportointi" not in created.stdout
    assert "anna" in created.stderr and "ei näytetä uudelleen" in created.stderr

    # Stored as its SHA-256 only: the token is nowhere in the database.
    with sqlite3.connect(data_dir / "evaus.sqlite3") as db:
        stored = db.execute("SELECT token_hash, created_by FROM api_token").fetchall()
        dump = "\n".join(db.iterdump())
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(), "cli")]
    assert token not in dump

    listing = evaus(data_dir, "token", "list")
    assert listing.returncode == 0
    assert token not in listing.stdout and stored[0][0] not in listing.stdout
    (row,) = listing.stdout.splitlines()[1:]
    assert row.split()[1:3] == ["anna", "raportointi"]
    assert row.split()[-2:] == ["–", "Voimassa"]  # never used, valid
    token_id = _token_ids(data_dir)["raportointi"]

    process, url = _start(data_dir)
    try:
        headers = {"Authorization": f"Bearer {token}"}
        used = httpx.get(f"{url}/api/projects", headers=headers, timeout=20)
        assert used.status_code == 200
        assert used.json()["total"] == 4
        # A viewer's token has a viewer's rights.
        project_id = used.json()["items"][0]["id"]
        etag = httpx.get(f"{url}/api/projects/{project_id}", headers=headers, timeout=20).headers[
            "etag"
        ]
        refused = httpx.patch(
            f"{url}/api/projects/{project_id}",
            json={"municipality": "Akaa"},
            headers={**headers, "If-Match": etag},
            timeout=20,
        )
        assert refused.status_code == 403

        (row,) = evaus(data_dir, "token", "list").stdout.splitlines()[1:]
        assert row.split()[-2] != "–"  # the time it was last used

        revoked = evaus(data_dir, "token", "revoke", token_id)
        assert revoked.returncode == 0, revoked.stderr
        assert token_id in revoked.stdout
        after = httpx.get(f"{url}/api/projects", headers=headers, timeout=20)
        assert after.status_code == 401
    finally:
        _stop(process)
    (row,) = evaus(data_dir, "token", "list").stdout.splitlines()[1:]
    assert row.split()[-1] == "Mitätöity"


def test_refusals_name_what_is_wrong(data_dir: Path) -> None:
    assert evaus(data_dir, "db", "upgrade").returncode == 0
    unknown_user = evaus(data_dir, "token", "create", "nobody")
    assert unknown_user.returncode == 1
    assert unknown_user.stderr.startswith("Virhe: ") and "nobody" in unknown_user.stderr
    assert unknown_user.stdout == ""
    unknown_token = evaus(data_dir, "token", "revoke", "12345", lang="en")
    assert unknown_token.returncode == 1
    assert unknown_token.stderr.startswith("Error: ") and "12345" in unknown_token.stderr
    empty = evaus(data_dir, "token", "list", lang="en")
    assert empty.returncode == 0 and empty.stdout.strip() == "No API tokens."
    with sqlite3.connect(data_dir / "evaus.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM api_token").fetchone() == (0,)
