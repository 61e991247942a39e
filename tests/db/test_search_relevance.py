"""A small Finnish relevance test set for the full-text search (SQLite FTS5 and PostgreSQL).

Queries are typed in the base form; the projects use inflected forms. Run with ``-s`` to see the
recall per query.
"""

from __future__ import annotations

import pytest

from evaus.db import Database
from evaus.services import projects as ps
from evaus.services.access import local_admin

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

CORPUS: dict[str, tuple[str, str]] = {
    "asunto": (
        "Asunto ensin – asunnottomien tuki",
        "Asunnottomien ihmisten asumisen tuki ja asumisneuvonta Oulussa. Asunnottomille "
        "tarjotaan pysyvä asunto ja tuki asunnottomuuden katkaisemiseksi.",
    ),
    "ennalta": (
        "Nuorten asunnottomuuden ennaltaehkäisy",
        "Nuorten asunnottomuuden ehkäisy ja vuokravelkojen neuvonta.",
    ),
    "sosku": (
        "Sosiaalisen kuntoutuksen kehittäminen",
        "Sosiaalisen kuntoutuksen palvelut pitkäaikaistyöttömille; kuntoutusta ryhmissä.",
    ),
    "valmennus": (
        "Työhönvalmennus mielenterveyskuntoutujille",
        "Kuntoutuksen ja työllisyyden yhdistäminen; mielenterveyden tuki työpaikoilla.",
    ),
    "pajat": (
        "Nuorten työpajat",
        "Nuorten työpajatoiminta ja koulutuksen keskeyttäneiden nuorten ohjaus.",
    ),
    "paihde": (
        "Matalan kynnyksen terveysneuvonta",
        "Päihteiden käyttäjien terveysneuvonta ja päihdepalvelut kaupungin keskustassa.",
    ),
    "ikaantyneet": (
        "Ikääntyneiden kotona asumisen tuki",
        "Ikääntyneiden kotihoidon ja omaishoitajien tuki.",
    ),
    "perhe": (
        "Lapsiperheiden perhekeskus",
        "Perheiden varhainen tuki ja lasten hyvinvointi perhekeskuksessa.",
    ),
    "kotoutus": (
        "Maahanmuuttajien kotoutuminen",
        "Maahanmuuttajien kielikoulutus ja työllistyminen.",
    ),
    "vammaiset": (
        "Vammaisten henkilökohtainen apu",
        "Vammaisten asumisen ja henkilökohtaisen avun kehittäminen.",
    ),
    "tyollisyys": (
        "Työllisyyden kuntakokeilu",
        "Työttömien työnhakijoiden työllisyyspalvelut ja työllisyyden hoito.",
    ),
    "osallisuus": (
        "Syrjäytymisen ehkäisy",
        "Nuorten syrjäytymisen ehkäisy ja osallisuuden vahvistaminen.",
    ),
}

# Query (base form) → the projects that must be found.
EXPECTED: dict[str, set[str]] = {
    "asunnottomuus": {"asunto", "ennalta"},
    "kuntoutus": {"sosku", "valmennus"},
    "nuoret": {"ennalta", "pajat", "osallisuus"},
    "ikääntyneet": {"ikaantyneet"},
    "perhe": {"perhe"},
    "maahanmuuttajat": {"kotoutus"},
    "työllisyys": {"valmennus", "tyollisyys"},
    "osallisuus": {"osallisuus"},
    "syrjäytyminen": {"osallisuus"},
    "vammaiset": {"vammaiset"},
    "mielenterveys": {"valmennus"},
    "sosiaalinen kuntoutus": {"sosku"},
    "koulutus": {"pajat"},
    "asun": {"asunto", "vammaiset", "ikaantyneet"},  # a partly typed word: asunto, asumisen
}

# Query → the project that must rank first (it is about the subject in its name and text).
TOP: dict[str, str] = {
    "kuntoutus": "sosku",
    "työllisyys": "tyollisyys",
    "nuoret": "pajat",
}

# Consonant gradation Snowball does not undo (päihde → päihd but päihteiden → päiht, kotihoito →
# kotihoito but kotihoidon → kotihoido): printed, not asserted ("päihde" finds the project only
# through the compound "päihdepalvelut").
NOT_ASSERTED = {"päihde": {"paihde"}, "kotihoito": {"ikaantyneet"}}


@pytest.fixture
def corpus(database: Database) -> dict[int, str]:
    ids: dict[int, str] = {}
    with database.session() as session:
        for short, (name, summary) in CORPUS.items():
            project = ps.create_project(
                session,
                {"name": name, "summary": summary, "goals": [{"title": name}]},
                actor=local_admin("t"),
            )
            ids[project.id] = short
    return ids


def _found(database: Database, ids: dict[int, str], text: str) -> list[str]:
    with database.session() as session:
        page = ps.list_projects(session, ps.ProjectQuery(text=text, page_size=100), actor=READER)
    return [ids[item.id] for item in page.items]


def test_recall_and_ranking_of_inflected_finnish(
    database: Database, corpus: dict[int, str]
) -> None:
    relevant = hits = 0
    for query, expected in EXPECTED.items():
        found = set(_found(database, corpus, query))
        relevant += len(expected)
        hits += len(expected & found)
        print(f"recall {query!r}: {len(expected & found)}/{len(expected)} found={sorted(found)}")
    recall = hits / relevant
    print(f"search_recall {recall:.3f} ratio")
    for query, expected in NOT_ASSERTED.items():
        found = set(_found(database, corpus, query))
        print(f"not asserted {query!r}: {len(expected & found)}/{len(expected)}")
    assert recall >= 0.9
    for query, top in TOP.items():
        assert _found(database, corpus, query)[0] == top, query
    # Both are about homelessness in name and text; a mere mention ranks after them.
    assert set(_found(database, corpus, "asunnottomuus")[:2]) == {"asunto", "ennalta"}


def test_letters_stay_distinct_and_every_word_must_match(
    database: Database, corpus: dict[int, str]
) -> None:
    assert _found(database, corpus, "ikaantyneet") == []  # ä is not a
    assert _found(database, corpus, "IKÄÄNTYNEIDEN") == ["ikaantyneet"]
    assert _found(database, corpus, "nuoret asunnottomuus") == ["ennalta"]
    assert _found(database, corpus, "!!!") != []  # no words: no text condition


def test_index_follows_saves_and_deletes(database: Database, corpus: dict[int, str]) -> None:
    target = next(i for i, short in corpus.items() if short == "perhe")
    with database.session() as session:
        doc = ps.get_project_doc(session, target, actor=READER)
        doc.summary = "Omaishoitajien jaksaminen."
        ps.save_project_doc(session, target, doc, expected_version=None, actor=local_admin("t"))
    assert "perhe" in _found(database, corpus, "omaishoitaja")
    assert "perhe" not in _found(database, corpus, "varhainen")
    with database.session() as session:
        ps.delete_project(session, target, expected_version=None, actor=local_admin("t"))
    assert _found(database, corpus, "omaishoitaja") == ["ikaantyneet"]


def test_relevance_is_the_default_order_only_with_text(
    database: Database, corpus: dict[int, str]
) -> None:
    assert ps.effective_sort(ps.ProjectQuery(text="kuntoutus")) == "relevance"
    assert ps.effective_sort(ps.ProjectQuery()) == "name"
    with database.session() as session:
        by_name = ps.list_projects(
            session, ps.ProjectQuery(text="kuntoutus", sort="name"), actor=READER
        )
        no_text = ps.list_projects(
            session, ps.ProjectQuery(sort="relevance", page_size=100), actor=READER
        )
    assert [i.name for i in by_name.items] == [
        "Sosiaalisen kuntoutuksen kehittäminen",
        "Työhönvalmennus mielenterveyskuntoutujille",
    ]
    assert no_text.total == len(CORPUS)
