"""Signing in and out, the first-run page, and that nothing is reachable without signing in."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORDS, Server, assert_accessible, login

pytestmark = pytest.mark.e2e


def test_first_run_creates_the_first_admin(fresh_server: Server, page: Page) -> None:
    page.goto(f"{fresh_server.url}/projects")
    expect(page).to_have_url(f"{fresh_server.url}/setup")
    expect(page.get_by_role("heading", name="Luo ensimmäinen pääkäyttäjä")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Käyttäjätunnus").fill("anna")
    page.get_by_label("Nimi", exact=True).fill("Anna Ylläpitäjä")
    page.get_by_label("Salasana", exact=True).fill("lyhyt")
    page.get_by_label("Salasana uudelleen").fill("lyhyt")
    page.get_by_role("button", name="Luo pääkäyttäjä").click()
    expect(page.get_by_role("alert")).to_contain_text("vähintään 10 merkkiä")
    page.get_by_label("Salasana", exact=True).fill("anna-salasana-1")
    page.get_by_label("Salasana uudelleen").fill("anna-salasana-1")
    page.get_by_role("button", name="Luo pääkäyttäjä").click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    # The first-run page is gone once an administrator exists.
    page.goto(f"{fresh_server.url}/setup")
    expect(page).not_to_have_url(f"{fresh_server.url}/setup")


def test_login_wrong_password_then_right_then_logout(app_server: Server, page: Page) -> None:
    page.goto(f"{app_server.url}/login")
    assert_accessible(page)
    page.get_by_label("Käyttäjätunnus").fill("ville")
    page.get_by_label("Salasana").fill("väärä-salasana")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("alert")).to_have_text("Väärä käyttäjätunnus tai salasana.")
    page.get_by_label("Salasana").fill(PASSWORDS["ville"])
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page).to_have_url(f"{app_server.url}/login")
    page.goto(f"{app_server.url}/projects")
    expect(page).to_have_url(f"{app_server.url}/login?next=/projects")


def test_login_returns_to_the_page_asked_for(app_server: Server, page: Page) -> None:
    login(page, app_server, "ville", path="/projects")
    expect(page).to_have_url(f"{app_server.url}/projects")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/projects",
        "/projects/1",
        "/projects/1/edit",
        "/projects/1/history",
        "/admin",
        "/projects/new",
        "/files/1",
    ],
)
def test_anonymous_pages_end_at_the_login(app_server: Server, path: str) -> None:
    response = httpx.get(f"{app_server.url}{path}", follow_redirects=False, timeout=10)
    assert response.status_code in (302, 307)
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/projects"), ("GET", "/api/projects/1"), ("PATCH", "/api/projects/1")],
)
def test_anonymous_api_calls_are_refused(app_server: Server, method: str, path: str) -> None:
    response = app_server.api(None).request(method, path, json={})
    assert response.status_code == 401
    assert "/login" in response.json()["detail"]
    bad_token = httpx.request(
        method, f"{app_server.url}{path}", json={}, headers={"Authorization": "Bearer evaus_wrong"}
    )
    assert bad_token.status_code == 401


def test_api_reads_and_searches_with_a_token(app_server: Server) -> None:
    with app_server.api("ville") as client:
        page = client.get("/api/projects", params={"q": "SoKu"}).json()
        assert page["total"] == 1
        project = client.get(f"/api/projects/{page['items'][0]['id']}").json()
    assert project["eura_code"] == "S20397"
    assert len([p for p in project["people"] if p["is_team"]]) >= 8


def test_api_edit_rights(app_server: Server) -> None:
    soku = app_server.project_ids["SoKu"]
    other = next(i for name, i in app_server.project_ids.items() if name != "SoKu")
    with app_server.api("ville") as viewer:
        assert (
            viewer.patch(f"/api/projects/{soku}", json={"municipality": "Akaa"}).status_code == 403
        )
    with app_server.api("maija") as manager:
        assert (
            manager.patch(f"/api/projects/{other}", json={"municipality": "X"}).status_code == 403
        )
        etag = manager.get(f"/api/projects/{soku}").headers["etag"]
        ok = manager.patch(
            f"/api/projects/{soku}",
            json={"municipality": "Valkeakoski"},
            headers={"If-Match": etag},
        )
        assert ok.status_code == 200, ok.text
        stale = manager.patch(
            f"/api/projects/{soku}", json={"municipality": "Akaa"}, headers={"If-Match": etag}
        )
        assert stale.status_code == 412  # changed since it was read: If-Match no longer holds
        bad = manager.patch(
            f"/api/projects/{soku}",
            json={"end_date": "31.2.2020"},
            headers={"If-Match": ok.headers["etag"]},
        )
        assert bad.status_code == 422
        assert "Päättymispäivä" in bad.json()["detail"][0]["message"]


def test_openapi_documents_the_api(app_server: Server) -> None:
    spec = httpx.get(f"{app_server.url}/api/openapi.json", timeout=10).json()
    assert "/api/projects" in spec["paths"]
    assert httpx.get(f"{app_server.url}/api/docs", timeout=10).status_code == 200


def test_swedish_user_gets_swedish_pages_and_widgets(app_server: Server, page: Page) -> None:
    page.goto(f"{app_server.url}/login?lang=sv")
    page.get_by_label("Användarnamn").fill("sanna")
    page.get_by_label("Lösenord").fill(PASSWORDS["sanna"])
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    # Quasar's own widgets (date picker, pager) speak the user's language too.
    page.wait_for_function("() => window.Quasar.Lang.props.isoName === 'sv'")


def test_security_headers_on_pages_and_api(app_server: Server) -> None:
    for path in ("/login", "/api/openapi.json", "/status"):
        headers = httpx.get(f"{app_server.url}{path}", timeout=10).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_session_cookie_flags(app_server: Server) -> None:
    response = httpx.get(f"{app_server.url}/login", timeout=10)
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "evaus_session" in v
    )
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=lax" in flags
    assert "max-age=43200" in flags
