"""Two `evaus serve` instances, one PostgreSQL database, sign-ins in Redis, nginx in front.

What deploy/README.md promises, as a user sees it:

- a browser signs in through the proxy and stays on one instance: its pages, its websocket and
  its upload all reach the instance that built the page (nginx's access log shows which);
- what is saved through one instance is what the other one shows (the database), and a file
  uploaded through one is downloaded from the other (the shared data directory);
- a sign-in made on one instance is honoured by the other, and a sign-out on one ends it on
  both (NiceGUI's user storage in Redis, one storage secret);
- browsers that arrive without a routing cookie are spread over both instances.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import httpx
import pytest
import redis
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect

from tests.e2e.conftest import Server, login

from .conftest import Cluster, Instance, requirements

# One worker runs this module (`make test`: --dist loadgroup): one cluster, not one per worker.
pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("multi-instance")]
# Where nginx, PostgreSQL or Redis is missing this skips the module, before a browser starts.
requirements()

# Over nginx's default client_max_body_size of 1 MB: the recipe must raise it.
PDF = b"%PDF-1.4\n%" + b"EVAUS " * 350_000 + b"\ntrailer<<>>\n%%EOF\n"


def _signed_in(page: Page) -> None:
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()


def _cookie(context: BrowserContext, name: str) -> Any:
    return next(c for c in context.cookies() if c["name"] == name)


def _project(server: Server, project_id: int) -> tuple[dict[str, Any], str]:
    with server.api("admin") as client:
        response = client.get(f"/api/projects/{project_id}")
    assert response.status_code == 200, response.text
    return response.json(), response.headers["ETag"]


def _upstreams(cluster: Cluster, route: str) -> set[str]:
    return {e.upstream for e in cluster.log_entries() if e.route == route}


def _other(cluster: Cluster, instance: Instance) -> Instance:
    (other,) = (i for i in cluster.instances if i is not instance)
    return other


def test_a_browser_stays_on_one_instance_and_sees_the_other_ones_edits(
    cluster: Cluster, browser: Browser
) -> None:
    proxy = cluster.proxy
    soku = proxy.project_ids["SoKu"]
    name = _project(proxy, soku)[0]["name"]
    tag = uuid.uuid4().hex[:6]

    context = browser.new_context()
    page = context.new_page()
    login(page, proxy, "admin", "/projects")
    route = _cookie(context, "evaus_route")["value"]
    for path in ("/", "/projects", f"/projects/{soku}"):
        page.goto(proxy.url + path)
        expect(page).to_have_url(proxy.url + path)  # not sent to the login page
        _signed_in(page)
    expect(page.get_by_text(name).first).to_be_visible()
    (address,) = _upstreams(cluster, route)  # every page load so far: one instance
    home = cluster.by_address(address)
    other = _other(cluster, home)

    # An edit and an upload through the proxy, i.e. through `home`.
    page.goto(f"{proxy.url}/projects/{soku}/edit")
    page.get_by_label("Kunta", exact=True).fill(f"Välityskunta {tag}")
    page.get_by_role("tab", name="Liitteet").click()
    upload: FilePayload = {
        "name": f"jaettu-{tag}.pdf",
        "mimeType": "application/pdf",
        "buffer": PDF,
    }
    page.locator("input[type=file]").set_input_files(files=[upload])
    expect(page.get_by_role("link", name=f"jaettu-{tag}.pdf")).to_be_visible()
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Tallennettu")).to_be_visible()

    # The other instance, reached directly with the same session cookie: still signed in,
    # shows the edit, and serves the file `home` stored.
    direct = browser.new_context()
    direct.add_cookies([_cookie(context, "evaus_session")])
    there = direct.new_page()
    there.goto(f"{other.url}/projects/{soku}")
    expect(there).to_have_url(f"{other.url}/projects/{soku}")
    _signed_in(there)
    expect(there.get_by_text(f"Välityskunta {tag}").first).to_be_visible()
    link = there.get_by_role("link", name=f"jaettu-{tag}.pdf")
    expect(link).to_be_visible()
    download = there.request.get(other.url + str(link.get_attribute("href")))
    assert download.status == 200
    assert download.body() == PDF
    direct.close()

    # An edit through the other instance's API shows through the proxy, served by `home`.
    at_other = cluster.direct(other)
    _doc, etag = _project(at_other, soku)
    with at_other.api("admin") as client:
        response = client.patch(
            f"/api/projects/{soku}",
            headers={"If-Match": etag},
            json={"municipality": f"Suoraan {tag}"},
        )
    assert response.status_code == 200, response.text
    page.goto(f"{proxy.url}/projects/{soku}")
    _signed_in(page)
    expect(page.get_by_text(f"Suoraan {tag}").first).to_be_visible()
    context.close()  # nginx logs a websocket when it closes

    entries = [e for e in cluster.log_entries() if e.route == route]
    assert {e.upstream for e in entries} == {home.address}
    assert any("transport=websocket" in e.uri and e.status == 101 for e in entries), entries
    assert any(e.method == "POST" and "/upload/" in e.uri for e in entries), entries


def test_a_sign_in_on_one_instance_is_honoured_by_the_other(
    cluster: Cluster, browser: Browser
) -> None:
    a, b = cluster.instances

    anonymous = browser.new_page()
    anonymous.goto(f"{b.url}/projects")
    expect(anonymous).to_have_url(f"{b.url}/login?next=/projects")
    anonymous.close()

    on_a = browser.new_context()
    page_a = on_a.new_page()
    login(page_a, cluster.direct(a), "admin", "/projects")
    cookie = _cookie(on_a, "evaus_session")

    # The session cookie names a session id; its user storage is in Redis, not in A's memory.
    session_id = json.loads(base64.b64decode(cookie["value"].split(".")[0]))["id"]
    store = redis.Redis.from_url(cluster.redis_url)
    try:
        stored = store.get(f"{cluster.redis_prefix}user-{session_id}")
    finally:
        store.close()
    assert stored is not None
    assert json.loads(stored) == {"user_id": cluster.admin_id}

    on_b = browser.new_context()
    on_b.add_cookies([cookie])
    page_b = on_b.new_page()
    page_b.goto(f"{b.url}/projects")
    expect(page_b).to_have_url(f"{b.url}/projects")
    _signed_in(page_b)
    expect(page_b.get_by_role("link", name="SoKu").first).to_be_visible()

    # Signing out on B ends the session on A too.
    page_b.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page_b).to_have_url(f"{b.url}/login")
    deadline = time.monotonic() + 10
    while True:
        page_a.goto(f"{a.url}/projects")
        if "/login" in page_a.url or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    expect(page_a).to_have_url(f"{a.url}/login?next=/projects")
    on_a.close()
    on_b.close()


def test_new_browsers_are_spread_over_both_instances(cluster: Cluster) -> None:
    routes: list[str] = []
    with httpx.Client(base_url=cluster.proxy.url, timeout=10) as client:
        for _ in range(24):
            client.cookies.clear()  # a new browser
            first = client.get("/status")
            assert first.status_code == 200
            route = first.cookies.get("evaus_route")
            assert route, first.headers
            again = client.get("/status")  # sends the cookie back
            assert again.status_code == 200
            assert "evaus_route" not in again.headers.get("set-cookie", "")  # set once
            routes.append(route)
    by_route = {route: _upstreams(cluster, route) for route in routes}
    assert all(len(upstreams) == 1 for upstreams in by_route.values()), by_route
    used = set().union(*by_route.values())
    assert used == {i.address for i in cluster.instances}, by_route
