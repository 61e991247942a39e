"""The public list and cards are cacheable: a strong ETag of the registry's version, the page
and its language, revalidated on every use (``no-cache``), so that a project taken off the
catalogue never lingers in a cache — through the real routes (TestClient)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from evaus.db import Database
from evaus.services import publishing
from tests.db.test_public_catalogue import ADMIN, client, registry

__all__ = ["client", "registry"]  # the fixtures, shared with the catalogue's tests


def test_the_list_and_the_card_answer_304_until_the_registry_changes(
    client: TestClient, registry: dict[str, int], database: Database
) -> None:
    card_path = f"/public/projects/{registry['open']}"
    pages = {path: client.get(path) for path in ("/public/projects?q=kuntoutus", card_path)}
    for path, page in pages.items():
        assert page.status_code == 200, path
        assert page.headers["cache-control"] == "public, no-cache"
        etag = page.headers["etag"]
        assert etag.startswith('"') and not etag.startswith("W/")
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["vary"] == "Accept-Language"
        swedish = client.get(path, headers={"Accept-Language": "sv", "If-None-Match": etag})
        assert swedish.status_code == 200 and swedish.headers["etag"] != etag
    assert client.get("/public/projects").headers["etag"] != pages[card_path].headers["etag"]

    with database.session() as session:
        publishing.set_public(session, registry["open"], False, actor=ADMIN)
    listed = pages["/public/projects?q=kuntoutus"]
    fresh = client.get(
        "/public/projects?q=kuntoutus", headers={"If-None-Match": listed.headers["etag"]}
    )
    assert fresh.status_code == 200 and card_path not in fresh.text
    gone = client.get(card_path, headers={"If-None-Match": pages[card_path].headers["etag"]})
    assert gone.status_code == 404 and "etag" not in gone.headers
