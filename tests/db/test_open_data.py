"""The public catalogue as open data (/public/api/projects.json, .csv, iati.xml): the public
projects only, their fields, the licence, caching with ETags, the IATI file valid against the
official IATI 2.03 schema, the OpenAPI description, and the limit of requests per address —
through the real routes (TestClient) on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import os
import threading
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from lxml import etree

from evaus import public
from evaus.api import api_app
from evaus.db import Database
from evaus.public import guard, iati, open_data
from evaus.services import projects
from evaus.services.access import local_admin
from evaus.settings import get_settings
from tests.db.conftest import IATI_REF

ADMIN = local_admin("paakayttaja")
NBSP = "\u00a0"


def _doc(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "summary": "", **extra}


def _person(name: str, email: str, phone: str | None = None, **row: Any) -> dict[str, Any]:
    return {"person": {"name": name, "email": email, "phone": phone}, "role": "Jäsen", **row}


KUNTOUTUS = _doc(
    "Sosiaalisen kuntoutuksen kokeilu",
    short_name="SOKU",
    summary="Kehitämme sosiaalista kuntoutusta Pirkanmaalla; ”lainausmerkit” & <merkit>.",
    status="kaynnissa",
    project_type="kunta",
    region="pirkanmaa",
    start_date="2015-09-01",
    end_date="2018-11-30",
    budget_amount="1000000.50",
    public=True,
    themes=["Osallisuus", "Työllisyys"],
    funding=[
        {"funder": {"name": "Keski-Suomen ELY-keskus"}, "amount": "750000.25"},
        {"funder": {"name": "Valkeakosken kaupunki"}, "amount": "250000.25"},
    ],
    organisations=[
        {"organisation": {"name": "Valkeakosken kaupunki"}, "role": "paatoteuttaja"},
        {"organisation": {"name": "Pirkkalan kunta"}, "role": "osatoteuttaja"},
    ],
    people=[
        _person(
            "Julkinen Yhteyshenkilö", "julkinen@example.fi", "+358 40 1111111", public_contact=True
        ),
        _person("Piilotettu Tiimiläinen", "piilo@example.fi", "+358 40 7654321", is_contact=True),
    ],
    goals=[{"key": "g1", "title": "Asiakkaat osallistuvat", "description": "Osallisuus kasvaa."}],
    periods=[
        {"number": 1, "start_date": "2015-09-01", "end_date": "2015-12-31", "done": "SISÄINEN"},
        {"number": 2, "start_date": "2016-01-01", "end_date": "2016-06-30"},
    ],
    indicators=[
        {
            "key": "asiakkaat",
            "goal_key": "g1",
            "name": "Asiakkaiden määrä",
            "unit": "henkeä",
            "baseline": "0",
            "target": "350",
            "target_date": "2018-06-30",
            "values": [
                {"period": 1, "value": "120", "basis": "collected"},
                {"period": 2, "value": "180.5", "basis": "estimate"},
            ],
        },
        {"key": "irrallinen", "name": "Tyytyväisyys", "unit": "%", "target": "80"},
    ],
    results=[{"kind": "result", "text": "Asiakkaista 70 % saa palvelua."}],
    notes="Sisäinen muistiinpano: rahoittajan kanssa riitaa.",
)


@pytest.fixture
def registry(database: Database) -> dict[str, int]:
    """Two public projects (one rich, one nearly empty) and a private one."""
    with database.session() as session:
        rich = projects.create_project(session, KUNTOUTUS, actor=ADMIN)
        bare = projects.create_project(
            session, _doc("=Kaava-alkuinen hanke", public=True), actor=ADMIN
        )
        private = projects.create_project(
            session,
            _doc(
                "Salainen hanke",
                public=False,
                people=[_person("Salainen Henkilö", "salainen@example.fi", public_contact=True)],
            ),
            actor=ADMIN,
        )
        return {"rich": rich.id, "bare": bare.id, "private": private.id}


@pytest.fixture
def client(public_client: TestClient) -> TestClient:
    return public_client


def _json(client: TestClient, lang: str = "fi") -> dict[str, Any]:
    response = client.get(f"/public/api/projects.json?lang={lang}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    data: dict[str, Any] = json.loads(response.content)
    return data


def test_the_json_has_the_public_projects_with_their_public_details(
    client: TestClient, registry: dict[str, int]
) -> None:
    data = _json(client)
    assert data["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert data["source"] == "http://testserver/public/projects"
    assert [p["id"] for p in data["projects"]] == [registry["rich"], registry["bare"]]
    rich = data["projects"][0]
    assert rich["url"] == f"http://testserver/public/projects/{registry['rich']}"
    assert len(rich["key"]) == 36
    assert (rich["name"], rich["short_name"]) == ("Sosiaalisen kuntoutuksen kokeilu", "SOKU")
    assert (rich["status"], rich["status_label"]) == ("kaynnissa", "Käynnissä")
    assert (rich["region_label"], rich["project_type_label"]) == (
        "Pirkanmaa",
        "Kunnan tai kaupungin hanke",
    )
    assert (rich["start_date"], rich["end_date"]) == ("2015-09-01", "2018-11-30")
    assert (rich["budget_amount"], rich["currency"]) == (1000000.5, "EUR")
    assert rich["themes"] == ["Osallisuus", "Työllisyys"]
    assert [(f["name"], f["amount"]) for f in rich["funders"]] == [
        ("Keski-Suomen ELY-keskus", 750000.25),
        ("Valkeakosken kaupunki", 250000.25),
    ]
    assert [(o["name"], o["role"], o["role_label"]) for o in rich["implementers"]] == [
        ("Valkeakosken kaupunki", "paatoteuttaja", "Päätoteuttaja"),
        ("Pirkkalan kunta", "osatoteuttaja", "Osatoteuttaja"),
    ]
    assert [(g["key"], g["title"]) for g in rich["goals"]] == [("g1", "Asiakkaat osallistuvat")]
    assert [r["text"] for r in rich["results"]] == ["Asiakkaista 70 % saa palvelua."]
    counted, loose = rich["indicators"]
    assert (counted["goal_key"], counted["baseline"], counted["target"]) == ("g1", 0, 350)
    assert counted["target_date"] == "2018-06-30"
    assert [
        (a["period"], a["start_date"], a["end_date"], a["value"], a["basis"])
        for a in counted["actuals"]
    ] == [
        (1, "2015-09-01", "2015-12-31", 120, "collected"),
        (2, "2016-01-01", "2016-06-30", 180.5, "estimate"),
    ]
    assert (loose["goal_key"], loose["baseline"], loose["actuals"]) == (None, None, [])
    assert [(c["name"], c["email"], c["phone"]) for c in rich["contacts"]] == [
        ("Julkinen Yhteyshenkilö", "julkinen@example.fi", "+358 40 1111111")
    ]
    text = json.dumps(data, ensure_ascii=False)
    for hidden in ("Salainen", "salainen@example.fi", "piilo@example.fi", "7654321"):
        assert hidden not in text
    assert "muistiinpano" not in text and "SISÄINEN" not in text
    # The labels in the language asked for; an unknown language is Finnish.
    assert _json(client, "sv")["projects"][0]["status_label"] == "Pågår"
    assert _json(client, "xx")["projects"][0]["status_label"] == "Käynnissä"


def test_the_licence_is_the_administrators_choice(
    client: TestClient, registry: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = client.get("/public/api/projects.json")
    monkeypatch.setenv("EVAUS_OPEN_DATA_LICENCE", "CC0 1.0")
    monkeypatch.setenv(
        "EVAUS_OPEN_DATA_LICENCE_URL", "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    get_settings.cache_clear()
    data = _json(client)
    assert data["licence"]["name"] == "CC0 1.0"
    rows = list(csv.reader(io.StringIO(client.get("/public/api/projects.csv").text), delimiter=";"))
    assert {row[-2] for row in rows[1:]} == {"CC0 1.0"}
    # Another licence is another version of the files.
    after = client.get(
        "/public/api/projects.json", headers={"If-None-Match": before.headers["etag"]}
    )
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]


def test_the_csv_opens_in_the_finnish_excel(client: TestClient, registry: dict[str, int]) -> None:
    response = client.get("/public/api/projects.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert [row["id"] for row in rows] == [str(registry["rich"]), str(registry["bare"])]
    rich, bare = rows
    assert rich["name"] == "Sosiaalisen kuntoutuksen kokeilu" and rich["status"] == "Käynnissä"
    assert rich["budget_amount"] == "1000000,5" and rich["start_date"] == "2015-09-01"
    assert rich["funders"] == "Keski-Suomen ELY-keskus | Valkeakosken kaupunki"
    assert rich["funding_amounts"] == "750000,25 | 250000,25"
    assert rich["implementers"] == (
        "Valkeakosken kaupunki (Päätoteuttaja) | Pirkkalan kunta (Osatoteuttaja)"
    )
    assert rich["indicators"] == (
        "Asiakkaiden määrä (henkeä): baseline 0; target 350 by 2018-06-30; period 1 120; "
        "period 2 180,5 | Tyytyväisyys (%): target 80"
    )
    assert rich["contacts"] == "Julkinen Yhteyshenkilö, Jäsen, julkinen@example.fi, +358 40 1111111"
    assert rich["summary"].startswith("Kehitämme") and rich["licence"] == "CC BY 4.0"
    # A text Excel would take for a formula is not one.
    assert bare["name"] == "'=Kaava-alkuinen hanke"
    assert "Salainen" not in body.decode("utf-8") and "piilo@" not in body.decode("utf-8")


def test_a_revalidation_reads_the_digest_once_per_registry_version(
    client: TestClient,
    registry: dict[str, int],
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = "/public/api/projects.json"
    digests: list[object] = []
    digest = open_data.registry_version

    def counted(session: Any, *extra: object) -> str:
        digests.append(extra[0])
        return digest(session, *extra)

    monkeypatch.setattr(open_data, "registry_version", counted)
    etag = client.get(path).headers["etag"]
    for _ in range(3):
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert digests == ["projects.json"]
    # Any write moves the registry's version: the digest is read again. A private project's
    # edit leaves it as it was, so the file is still the one the client has.
    with database.session() as session:
        projects.update_project(
            session,
            registry["private"],
            {"summary": "Muuttui."},
            expected_version=None,
            actor=ADMIN,
        )
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert digests == ["projects.json"] * 2


def test_an_unchanged_registry_answers_304_and_a_change_gives_a_new_etag(
    client: TestClient, registry: dict[str, int], database: Database
) -> None:
    for path in ("/public/api/projects.json", "/public/api/projects.csv", "/public/api/iati.xml"):
        first = client.get(path)
        etag = first.headers["etag"]
        assert first.headers["cache-control"] == "public, max-age=300"
        assert etag.startswith('"') and etag.endswith('"')
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        weak = client.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
        assert weak.status_code == 304
    json_etag = client.get("/public/api/projects.json").headers["etag"]
    assert client.get("/public/api/projects.json?lang=sv").headers["etag"] != json_etag
    with database.session() as session:
        projects.update_project(
            session,
            registry["bare"],
            {"summary": "Uusi tiivistelmä."},
            expected_version=None,
            actor=ADMIN,
        )
    changed = client.get("/public/api/projects.json", headers={"If-None-Match": json_etag})
    assert changed.status_code == 200 and "Uusi tiivistelmä." in changed.text
    # Publishing the private project changes the version too.
    etag = changed.headers["etag"]
    with database.session() as session:
        projects.update_project(
            session, registry["private"], {"public": True}, expected_version=None, actor=ADMIN
        )
    published = client.get("/public/api/projects.json", headers={"If-None-Match": etag})
    assert published.status_code == 200 and "Salainen hanke" in published.text


def test_large_registries_are_written_a_batch_at_a_time(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(open_data, "BATCH", 2)
    with database.session() as session:
        made = [
            projects.create_project(
                session, _doc(f"Hanke {n}", public=n % 3 != 0, summary=f"Hanke {n}."), actor=ADMIN
            ).id
            for n in range(1, 8)
        ]
    public_ids = [pid for n, pid in enumerate(made, start=1) if n % 3 != 0]
    assert [p["id"] for p in _json(client)["projects"]] == public_ids
    rows = list(csv.reader(io.StringIO(client.get("/public/api/projects.csv").text), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [str(pid) for pid in public_ids]
    batches = list(open_data.records(database, "http://x", "/public/projects", "fi"))
    assert [len(b) for b in batches] == [2, 2, 1]


# --- the files kept under the data folder -----------------------------------------------------

OPEN_DATA = ("/public/api/projects.json", "/public/api/projects.csv", "/public/api/iati.xml")


def _kept(database: Database) -> dict[str, bytes]:
    """The open-data files kept for the database (temporary files too), by name."""
    folder = open_data.cache_folder(database)
    assert folder.is_relative_to(get_settings().data_dir)
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


def test_each_file_is_built_once_per_version_and_served_from_the_data_folder(
    client: TestClient, registry: dict[str, int], database: Database
) -> None:
    for path in OPEN_DATA:
        first = client.get(path)
        [name] = [n for n in _kept(database) if n.endswith(path.rpartition(".")[2])]
        kept = open_data.cache_folder(database) / name
        built = kept.stat()
        assert first.content == kept.read_bytes() and open_data.built[name] == 1
        again = client.get(path)
        assert again.status_code == 200 and again.content == first.content
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["cache-control"] == "public, max-age=300"
        # Not built again: the same file, untouched.
        assert open_data.built[name] == 1
        assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == (built.st_ino, built.st_mtime_ns)
    assert len(_kept(database)) == 3
    # Another language is another file.
    client.get("/public/api/projects.json?lang=sv")
    assert len(_kept(database)) == 4


def test_the_kept_file_follows_every_change_and_old_versions_go(
    client: TestClient,
    registry: dict[str, int],
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(open_data, "STALE_AFTER", 0.0)

    def current() -> tuple[str, bytes]:
        response = client.get("/public/api/projects.json")
        assert response.status_code == 200
        client.get("/public/api/projects.json")  # an older version's file goes
        [(name, content)] = _kept(database).items()
        assert content == response.content
        return name, content

    first, content = current()
    assert "Uusi tiivistelmä".encode() not in content
    with database.session() as session:  # an edit of a public project
        projects.update_project(
            session,
            registry["bare"],
            {"summary": "Uusi tiivistelmä."},
            expected_version=None,
            actor=ADMIN,
        )
    edited, content = current()
    assert edited != first and "Uusi tiivistelmä".encode() in content
    with database.session() as session:  # unpublished: out of the file at once
        projects.update_project(
            session, registry["rich"], {"public": False}, expected_version=None, actor=ADMIN
        )
    unpublished, content = current()
    assert unpublished != edited
    assert b"Sosiaalisen kuntoutuksen" not in content
    assert b"julkinen@example.fi" not in content
    with database.session() as session:  # published: in the file at once
        projects.update_project(
            session, registry["private"], {"public": True}, expected_version=None, actor=ADMIN
        )
    published, content = current()
    assert published != unpublished and b"Salainen hanke" in content


def test_private_data_never_enters_the_kept_files(
    client: TestClient, registry: dict[str, int], database: Database
) -> None:
    for path in OPEN_DATA:
        for lang in ("fi", "sv", "en"):
            assert client.get(f"{path}?lang={lang}").status_code == 200
    kept = _kept(database)
    assert len(kept) == 7  # JSON and CSV in three languages, IATI in the registry's
    for name, content in kept.items():
        text = content.decode("utf-8")
        assert "Sosiaalisen kuntoutuksen kokeilu" in text, name
        for hidden in ("Salainen", "salainen@example.fi", "piilo@example.fi", "7654321"):
            assert hidden not in text, (name, hidden)
        assert "muistiinpano" not in text and "SISÄINEN" not in text, name


def test_a_data_folder_that_cannot_keep_the_files_still_serves_them(
    client: TestClient,
    registry: dict[str, int],
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("EVAUS_DATA_DIR", str(blocked))
    get_settings.cache_clear()
    response = client.get("/public/api/projects.csv")
    assert response.status_code == 200 and "Sosiaalisen kuntoutuksen" in response.text
    assert response.headers["etag"] and blocked.is_file()


def test_requests_for_a_file_being_built_share_the_one_build(tmp_path: Path) -> None:
    started, release = threading.Event(), threading.Event()
    calls = []

    def write(out: Any) -> None:
        calls.append(1)
        out.write(b"half ")
        out.flush()
        started.set()
        assert release.wait(60)
        out.write(b"and whole")

    path = open_data.cached_path(tmp_path / "kept", "projects.json", "fi", "v2")
    first = open_data.build_once(path, write)
    assert started.wait(60)
    second = open_data.build_once(path, write)
    assert second is first
    # Half a file is never under the file's name.
    assert not path.exists()
    [temporary] = path.parent.iterdir()
    assert temporary.name.startswith(".") and temporary.name.endswith(".tmp")
    release.set()
    assert first.result(60) == path and second.result(60) == path
    assert path.read_bytes() == b"half and whole" and calls == [1]
    assert open_data.build_once(path, write).result(60) == path and calls == [1]
    assert list(path.parent.iterdir()) == [path]
    assert open_data.built[path.name] == 1

    # An older version's file stays a while after the new one is complete (a request that
    # read the older version a moment ago may be about to open it), then goes; a temporary
    # file left by a stopped build goes once it has been untouched long enough.
    older = open_data.cached_path(path.parent, "projects.json", "fi", "v1")
    other_language = open_data.cached_path(path.parent, "projects.json", "sv", "v1")
    left = path.parent / f".{older.name}.0123.tmp"
    for made in (older, other_language, left):
        made.write_bytes(b"old")
    complete = path.stat().st_mtime
    open_data.remove_stale(path, now=complete + open_data.STALE_AFTER / 2)
    assert older.exists() and left.exists()
    open_data.remove_stale(path, now=complete + open_data.STALE_AFTER)
    assert not older.exists() and left.exists() and other_language.exists()
    os.utime(left, (complete, complete))
    open_data.remove_stale(path, now=complete + open_data.ABANDONED_AFTER)
    assert sorted(path.parent.iterdir()) == sorted([path, other_language])


# --- IATI --------------------------------------------------------------------------------------


def _schema() -> etree.XMLSchema:
    folder = resources.files(public).joinpath("iati_schema")
    with resources.as_file(folder.joinpath("iati-activities-schema.xsd")) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def test_the_iati_file_is_valid_iati_2_03_and_tells_only_what_the_registry_has(
    client: TestClient, registry: dict[str, int], database: Database
) -> None:
    with database.session() as session:  # a short project: its budget is one IATI budget
        projects.create_project(
            session,
            _doc(
                "Lyhyt hanke",
                summary="Vuoden mittainen.",
                public=True,
                status="paattynyt",
                start_date="2020-01-01",
                end_date="2020-12-31",
                budget_amount="50000",
                website="https://lyhyt.example.fi",
                funding=[{"funder": {"name": "STEA"}}],
            ),
            actor=ADMIN,
        )
    response = client.get("/public/api/iati.xml")
    assert response.status_code == 200 and response.headers["content-type"] == "application/xml"
    document = etree.fromstring(response.content)
    schema = _schema()
    assert schema.validate(document), schema.error_log
    assert document.get("version") == "2.03"
    rich, short = document.findall("iati-activity")
    key = _json(client)["projects"][0]["key"]
    assert rich.findtext("iati-identifier") == f"{IATI_REF}-{key}"
    reporting = rich.find("reporting-org")
    assert reporting is not None and reporting.get("ref") == IATI_REF
    assert reporting.findtext("narrative") == "Esimerkin hyvinvointialue"
    assert rich.findtext("title/narrative") == "Sosiaalisen kuntoutuksen kokeilu"
    assert rich.findtext("description/narrative").endswith("& <merkit>.")  # escaped, read back
    assert [
        (o.get("role"), o.findtext("narrative")) for o in rich.findall("participating-org")
    ] == [
        ("1", "Keski-Suomen ELY-keskus"),
        ("1", "Valkeakosken kaupunki"),
        ("4", "Valkeakosken kaupunki"),
        ("4", "Pirkkalan kunta"),
    ]
    assert rich.find("activity-status").get("code") == "2"
    assert [(d.get("type"), d.get("iso-date")) for d in rich.findall("activity-date")] == [
        ("2", "2015-09-01"),
        ("3", "2018-11-30"),
    ]
    assert rich.findtext("contact-info/email") == "julkinen@example.fi"
    assert rich.find("budget") is None  # three years: not one IATI budget period
    [result] = rich.findall("result")  # the goal with indicators; the loose indicator is not
    assert result.get("type") == "2"
    assert result.findtext("title/narrative") == "Asiakkaat osallistuvat"
    [indicator] = result.findall("indicator")
    assert indicator.get("measure") == "1" and indicator.get("ascending") == "true"
    assert indicator.find("baseline").attrib == {"year": "2015", "value": "0"}
    periods = [
        (
            p.find("period-start").get("iso-date"),
            p.find("period-end").get("iso-date"),
            p.find("target").get("value") if p.find("target") is not None else None,
            p.find("actual").get("value") if p.find("actual") is not None else None,
        )
        for p in indicator.findall("period")
    ]
    assert periods == [
        ("2015-09-01", "2018-06-30", "350", None),
        ("2015-09-01", "2015-12-31", None, "120"),
        ("2016-01-01", "2016-06-30", None, "180.5"),
    ]
    assert short.find("activity-status").get("code") == "4"
    assert [(d.get("type"), d.get("iso-date")) for d in short.findall("activity-date")] == [
        ("2", "2020-01-01"),
        ("4", "2020-12-31"),
    ]
    budget = short.find("budget")
    assert budget is not None and budget.findtext("value") == "50000"
    assert budget.find("value").get("value-date") == "2020-01-01"
    assert short.find("document-link").get("url") == "https://lyhyt.example.fi"
    # The bare project has no summary, organisation, known status or date: left out, counted.
    assert b"1 public projects lack data IATI requires" in response.content
    assert b"Kaava" not in response.content and b"Salainen" not in response.content
    assert b"piilo@example.fi" not in response.content


def test_the_schema_check_catches_an_activity_without_what_iati_requires() -> None:
    """The vendored schema really checks: an activity without its status is not valid."""
    document = etree.fromstring(
        b'<iati-activities version="2.03"><iati-activity><iati-identifier>X-1</iati-identifier>'
        b'<reporting-org ref="X" type="15"><narrative>X</narrative></reporting-org>'
        b"<title><narrative>T</narrative></title><description><narrative>D</narrative>"
        b'</description><participating-org role="1"><narrative>F</narrative></participating-org>'
        b'<activity-date type="1" iso-date="2020-01-01"/></iati-activity></iati-activities>'
    )
    assert not _schema().validate(document)


def test_without_a_reporting_organisation_there_is_no_iati_file(
    client: TestClient, registry: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVAUS_IATI_REPORTING_ORG_REF")
    get_settings.cache_clear()
    response = client.get("/public/api/iati.xml?lang=sv")
    assert response.status_code == 404
    assert response.text == "Registret publicerar inga IATI-uppgifter.\n"


def test_iati_status_codes_are_iati_codes() -> None:
    assert set(iati.STATUS.values()) <= {"1", "2", "3", "4", "5", "6"}


# --- OpenAPI, the limit per address -----------------------------------------------------------


def test_the_open_data_is_in_the_openapi_description_and_the_pages_are_not(
    database: Database,
) -> None:
    app = FastAPI()
    app.include_router(public.router)
    paths = app.openapi()["paths"]
    assert set(paths) == {
        "/public/api/projects.json",
        "/public/api/projects.csv",
        "/public/api/iati.xml",
    }
    # The API's own description (/api/openapi.json) has them beside the registry's API.
    documented = set(api_app(database).openapi()["paths"])
    assert "/api/projects" in documented and set(paths) <= documented
    assert not any(path.startswith("/public/projects") for path in documented)
    documented = paths["/public/api/projects.csv"]["get"]
    assert documented["summary"] == "The public projects as CSV"
    assert "byte-order mark" in documented["description"]
    assert documented["tags"] == ["open data"]
    assert [p["name"] for p in documented["parameters"]] == ["lang"]
    assert set(documented["responses"]) == {"200", "304", "429"}
    assert "text/csv" in documented["responses"]["200"]["content"]


def test_an_address_that_asks_too_much_waits(
    client: TestClient, registry: dict[str, int], database: Database
) -> None:
    guard.reset_page_limit(guard.RateLimit(limit=3, window=60))
    statuses = [
        client.get(path).status_code
        for path in (
            "/public/projects",
            "/public/api/projects.json",
            f"/public/projects/{registry['rich']}",
        )
    ]
    assert statuses == [200, 200, 200]
    refused = client.get("/public/api/projects.csv")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "Liian monta pyyntöä" in refused.text and '<html lang="fi">' in refused.text
    swedish = client.get("/public/projects?lang=sv")
    assert swedish.status_code == 429 and "För många förfrågningar" in swedish.text
    # Another address (as uvicorn gives it, from a trusted proxy's X-Forwarded-For) is not
    # held back by this one.
    app = client.app
    with TestClient(app, client=("192.0.2.7", 40000)) as other:
        assert other.get("/public/api/projects.json").status_code == 200
