"""The indicator catalogue on SQLite and PostgreSQL: entries an administrator maintains (audited,
errors naming the field in Finnish, Swedish and English), a linked entry deactivated but never
deleted, project indicators and follow-up indicators linked by the entry's key through their own
save paths (and carried by the JSON, CSV and XLSX files), the import of a file in THL Sotkanet's
shape (preview, idempotent by the source id, bad rows refused by row and field, bounded work),
match suggestions that never link by themselves, and the 0017 migration down and up.

The files in tests/data (sotkanet_indicators_sample.json and .csv) are written by hand in the
shape of the public Sotkanet API's /rest/1.1/indicators JSON and of a CSV export; their ids and
texts are illustrative, not data from Sotkanet.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, inspect, select

from evaus.db import Database, open_database
from evaus.i18n import describe_problem
from evaus.services import indicator_catalogue as ic
from evaus.services import projects as ps
from evaus.services import registry_io
from evaus.services.access import Forbidden, local_admin
from evaus.services.assessments import get_assessment, import_assessment_doc, upsert_follow_up
from project_db.errors import ValidationFailed
from project_db.indicator_catalogue import CatalogueEntry
from project_db.migrate import alembic_config, current_revision, upgrade
from project_db.models import AuditEntry, Indicator, IndicatorValue
from project_db.tabular_columns import INDICATOR_COLUMNS
from tests.assessment_docs import complete_doc
from tests.conftest import DATA_DIR, SEEDS_DIR
from tests.db.conftest import join_project, new_user
from tests.db.test_bounded_work import MB, WORD, assert_bounded, assert_linear, run_cases

ADMIN = local_admin("tests")
SAMPLE_JSON = (DATA_DIR / "sotkanet_indicators_sample.json").read_bytes()
SAMPLE_CSV = (DATA_DIR / "sotkanet_indicators_sample.csv").read_bytes()
UNEMPLOYED = "sotkanet:90002"


def _project(database: Database) -> int:
    """A project with two indicators and a reporting period with a value of each."""
    with database.session("tests") as session:
        return ps.create_project(
            session,
            {
                "name": "Työllisyyspolku",
                "periods": [{"number": 1, "start_date": "1.1.2024", "end_date": "31.12.2024"}],
                "indicators": [
                    {
                        "key": "ind-1",
                        "name": "Pitkäaikaistyöttömien osuus",
                        "unit": "%",
                        "baseline": "4,5",
                        "values": [{"period": 1, "value": "4,1", "basis": "collected"}],
                    },
                    {
                        "key": "ind-2",
                        "name": "Asiakasmäärä",
                        "values": [{"period": 1, "value": "120", "basis": "estimate"}],
                    },
                ],
            },
            actor=ADMIN,
        ).id


def _imported(database: Database) -> None:
    with database.session("tests") as session:
        ic.import_catalogue(session, SAMPLE_JSON, filename="sotkanet.json", actor=ADMIN)


def _problems(exc: pytest.ExceptionInfo[ValidationFailed], lang: str) -> list[str]:
    return [describe_problem(p, lang) for p in exc.value.problems]


def _audit(database: Database, entity: str) -> list[tuple[str, str | None]]:
    with database.session("tests") as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.field)
            .where(AuditEntry.entity == entity)
            .order_by(AuditEntry.id)
        )
        return [(action, field) for action, field in rows]


# --- maintaining the entries -----------------------------------------------------------------


def test_an_administrator_maintains_entries_and_every_write_is_audited(
    database: Database,
) -> None:
    with database.session("tests") as session:
        maija = new_user(session, "maija", "manager")
        with pytest.raises(Forbidden):
            ic.create_entry(session, {"name_fi": "Asiakasmäärä"}, actor=maija)
        entry = ic.create_entry(
            session,
            {
                "key": "oma:asiakasmaara",
                "name_fi": "  Asiakasmäärä  ",
                "name_sv": "Antal klienter",
                "unit": "henkilöä",
                "direction": "more",
                "source": "Hankkeen oma tieto",
                "definition": "Hankkeen palveluihin vuoden aikana osallistuneet henkilöt.",
            },
            actor=ADMIN,
        )
        assert (entry.key, entry.name_fi, entry.active) == (
            "oma:asiakasmaara",
            "Asiakasmäärä",
            True,
        )
        # Everyone signed in reads the catalogue; the search folds case and looks at every name.
        page = ic.list_catalogue(session, search="ANTAL", actor=maija)
        assert [e.key for e in page.entries] == ["oma:asiakasmaara"]
        ic.update_entry(
            session,
            "oma:asiakasmaara",
            {"name_fi": "Asiakasmäärä", "unit": "henkilöä", "direction": "less"},
            expected_version=entry.version,
            actor=ADMIN,
        )
        ic.set_active(session, "oma:asiakasmaara", False, actor=ADMIN)
        assert ic.list_catalogue(session, active_only=True, actor=maija).total == 0
        ic.delete_entry(session, "oma:asiakasmaara", actor=ADMIN)
        assert ic.list_catalogue(session, actor=ADMIN).total == 0
    audit = _audit(database, "indicator_catalogue")
    actions = [action for action, _field in audit]
    assert actions.count("create") >= 5 and "update" in actions and "delete" in actions
    updated = {field for action, field in audit if action == "update"}
    # The edit changed the direction and emptied the texts it did not give; the state in use.
    assert {"direction", "name_sv", "source", "definition", "active"} <= updated
    assert "name_fi" not in updated  # an unchanged field is neither written nor audited


def test_errors_name_the_field_in_every_language(database: Database) -> None:
    with database.session("tests") as session:
        ic.create_entry(session, {"key": "oma:1", "name_fi": "Mittari"}, actor=ADMIN)
        with pytest.raises(ValidationFailed) as refused:
            ic.create_entry(
                session,
                {"name_fi": " ", "unit": "x" * 81, "direction": "up", "measure_type": "numbers"},
                actor=ADMIN,
            )
        fi = _problems(refused, "fi")
        assert "Nimi suomeksi: on pakollinen" in fi
        assert "Yksikkö: on liian pitkä (81 merkkiä, enintään 80)" in fi
        assert any(p.startswith("Suunta: ") for p in fi)
        assert any(p.startswith("Mittarin laji: ") for p in fi)
        sv = _problems(refused, "sv")
        assert any(p.startswith("Namn på finska: ") for p in sv)
        assert "Name in Finnish: is required" in _problems(refused, "en")
        with pytest.raises(ValidationFailed) as taken:
            ic.create_entry(session, {"key": "oma:1", "name_fi": "Toinen"}, actor=ADMIN)
        assert _problems(taken, "fi") == ["Tunniste: on jo toisen mittarin tunniste: oma:1"]


# --- links -------------------------------------------------------------------------------------


def test_a_manager_links_an_indicator_through_the_project_save_path(database: Database) -> None:
    _imported(database)
    project_id = _project(database)
    with database.session("tests") as session:
        maija = new_user(session, "maija", "manager")
        ville = new_user(session, "ville", "manager")  # not in the project's team
        maija = join_project(session, maija, project_id)
        with pytest.raises(Forbidden):
            ic.link_indicator(session, project_id, "ind-1", UNEMPLOYED, actor=ville)
        ic.link_indicator(session, project_id, "ind-1", UNEMPLOYED, actor=maija)
        doc = ps.get_project_doc(session, project_id, actor=maija)
        assert [i.catalogue_key for i in doc.indicators] == [UNEMPLOYED, None]
        # The link is a field of the project's history, written by the manager.
        changed = session.execute(
            select(AuditEntry.actor, AuditEntry.new_value).where(
                AuditEntry.entity == "indicator", AuditEntry.field == "catalogue_key"
            )
        ).all()
        assert changed == [("maija", UNEMPLOYED)]
        # A key the catalogue does not have is refused with the indicator named.
        data = doc.model_dump()
        data["indicators"][1]["catalogue_key"] = "sotkanet:1"
        with pytest.raises(ValidationFailed) as refused:
            ps.save_project_doc(session, project_id, data, expected_version=None, actor=maija)
        assert _problems(refused, "fi") == [
            "Yhteinen mittari (mittari 2): mittaristossa ei ole mittaria tunnisteella sotkanet:1"
        ]
        # A linked entry cannot be deleted; deactivated, the link stays.
        with pytest.raises(ValidationFailed) as in_use:
            ic.delete_entry(session, UNEMPLOYED, actor=ADMIN)
        assert "Poista se käytöstä" in _problems(in_use, "fi")[0]
        ic.set_active(session, UNEMPLOYED, False, actor=ADMIN)
        assert ic.usage(session, [UNEMPLOYED], actor=ADMIN) == {UNEMPLOYED: 1}
        doc = ps.get_project_doc(session, project_id, actor=maija)
        assert doc.indicators[0].catalogue_key == UNEMPLOYED
        # Unlinked, the same way; values and everything else of the indicator stay.
        ic.link_indicator(session, project_id, "ind-1", None, actor=maija)
        assert session.scalar(select(func.count()).select_from(IndicatorValue)) == 2


def test_the_link_travels_as_the_key_in_json_csv_and_xlsx(database: Database) -> None:
    _imported(database)
    project_id = _project(database)
    with database.session("tests") as session:
        ic.link_indicator(session, project_id, "ind-1", UNEMPLOYED, actor=ADMIN)
        exported = registry_io.EXPORTERS["json"](session, actor=ADMIN)
        data = json.loads(exported)
        [indicator, free] = data["projects"][0]["indicators"]
        assert (indicator["catalogue_key"], free["catalogue_key"]) == (UNEMPLOYED, None)
        assert "catalogue_key" in INDICATOR_COLUMNS
        for kind, name in (("csv", "rekisteri.zip"), ("xlsx", "rekisteri.xlsx")):
            table = registry_io.EXPORTERS[kind](session, actor=ADMIN)
            report = registry_io.import_source(
                session, table, filename=name, dry_run=True, actor=ADMIN
            )
            assert [p.action for p in report.projects] == ["unchanged"], kind
        # Into a database whose catalogue lacks the entry: refused with the field named.
        session.execute(Indicator.__table__.update().values(catalogue_key=None))
        session.commit()
        ic.delete_entry(session, UNEMPLOYED, actor=ADMIN)
        with pytest.raises(ValidationFailed) as refused:
            registry_io.import_source(session, exported, filename="r.json", actor=ADMIN)
        assert any("sotkanet:90002" in p for p in _problems(refused, "sv"))


def test_a_follow_up_indicator_links_to_the_catalogue(database: Database) -> None:
    _imported(database)
    with database.session("tests") as session:
        doc = complete_doc()
        doc.follow_ups[0].catalogue_key = UNEMPLOYED
        assessment, _action = import_assessment_doc(session, doc, actor=ADMIN)
        session.commit()
        view = get_assessment(session, assessment.id, actor=ADMIN)
        assert view.doc.follow_ups[0].catalogue_key == UNEMPLOYED
        follow_up = view.doc.follow_ups[0].model_dump() | {"catalogue_key": "sotkanet:1"}
        with pytest.raises(ValidationFailed) as refused:
            upsert_follow_up(
                session, assessment.id, follow_up, expected_version=view.version, actor=ADMIN
            )
        assert any("sotkanet:1" in p for p in _problems(refused, "fi"))
        assert ic.usage(session, [UNEMPLOYED], actor=ADMIN) == {UNEMPLOYED: 1}


# --- the import --------------------------------------------------------------------------------


def test_the_import_previews_then_creates_and_a_second_import_changes_nothing(
    database: Database,
) -> None:
    with database.session("tests") as session:
        maija = new_user(session, "maija", "manager")
        with pytest.raises(Forbidden):
            ic.import_catalogue(session, SAMPLE_JSON, filename="s.json", actor=maija)
        preview = ic.import_catalogue(
            session, SAMPLE_JSON, filename="s.json", dry_run=True, actor=ADMIN
        )
        assert preview.counts == {"created": 6, "updated": 0, "unchanged": 0}
        assert ic.list_catalogue(session, actor=ADMIN).total == 0  # the preview wrote nothing
        done = ic.import_catalogue(session, SAMPLE_JSON, filename="s.json", actor=ADMIN)
        assert [e.action for e in done.entries] == [e.action for e in preview.entries]
        entry = ic.get_entry(session, "sotkanet:90001", actor=ADMIN)
        assert entry.name_sv.startswith("Personer i åldern 25 - 64 år")
        assert (entry.unit, entry.source, entry.source_id) == ("%", "THL Sotkanet", "90001")
        assert entry.producer == "Terveyden ja hyvinvoinnin laitos (THL)"
        assert entry.definition.startswith("Indikaattori ilmaisee")
        # What an administrator set that the file does not give stays.
        ic.update_entry(
            session,
            UNEMPLOYED,
            {"name_fi": "Pitkäaikaistyöttömät, % työvoimasta", "unit": "%", "direction": "less"}
            | {"source": "THL Sotkanet", "source_id": "90002"},
            actor=ADMIN,
        )
        ic.set_active(session, "sotkanet:90003", False, actor=ADMIN)
    before = len(_audit(database, "indicator_catalogue"))
    with database.session("tests") as session:
        again = ic.import_catalogue(session, SAMPLE_JSON, filename="s.json", actor=ADMIN)
        assert again.counts == {"created": 0, "updated": 1, "unchanged": 5}
        [changed] = [e for e in again.entries if e.action == "updated"]
        # The file gives back what the edit emptied; the direction it does not give stays.
        assert (changed.key, set(changed.changed)) == (
            UNEMPLOYED,
            {"producer", "name_sv", "name_en"},
        )
        assert ic.get_entry(session, UNEMPLOYED, actor=ADMIN).direction == "less"
        assert ic.get_entry(session, "sotkanet:90003", actor=ADMIN).active is False
        third = ic.import_catalogue(session, SAMPLE_JSON, filename="s.json", actor=ADMIN)
        assert third.counts == {"created": 0, "updated": 0, "unchanged": 6}
    assert len(_audit(database, "indicator_catalogue")) == before + 3  # the three fields
    with database.session("tests") as session:
        # The CSV export of the same source: matched by the id, descriptions added, one new.
        csv_import = ic.import_catalogue(session, SAMPLE_CSV, filename="s.csv", actor=ADMIN)
        assert [(e.key, e.action, e.changed) for e in csv_import.entries] == [
            (UNEMPLOYED, "updated", ("definition",)),
            ("sotkanet:90003", "updated", ("definition",)),
            ("sotkanet:90007", "created", ()),
        ]
        assert ic.list_catalogue(session, actor=ADMIN).total == 7


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (
            b'[{"id": 1, "title": {"sv": "Bara svenska"}}, {"id": 2, "title": {"fi": "Ok"},'
            b' "direction": "up"}, 5, {"title": {"fi": "Ei tunnistetta"}},'
            b' {"id": 3, "title": "A"}, {"id": "3", "title": "B"}]',
            "s.json",
            [
                "Mittarit, rivi 1: title_fi: on pakollinen",
                "Mittarit, rivi 2: Suunta: on oltava jokin seuraavista: 'more', 'less' or 'target'",
                "Mittarit, rivi 3: pitää olla objekti, jossa on kentät id ja title",
                "Mittarit, rivi 4: id: on pakollinen",
                "Mittarit, rivi 6: id: sama tunniste 3 on jo rivillä 5",
            ],
        ),
        (
            "id;title_fi;unit\n1;;%\n2;Ok;" + "u" * 81 + "\n",
            "s.csv",
            [
                "Mittarit, rivi 2: title_fi: on pakollinen",
                "Mittarit, rivi 3: Yksikkö: on liian pitkä (81 merkkiä, enintään 80)",
            ],
        ),
    ],
)
def test_bad_rows_are_refused_by_row_and_field(
    database: Database, data: bytes | str, filename: str, expected: list[str]
) -> None:
    raw = data.encode() if isinstance(data, str) else data
    with database.session("tests") as session:
        with pytest.raises(ValidationFailed) as refused:
            ic.import_catalogue(session, raw, filename=filename, actor=ADMIN)
        assert _problems(refused, "fi") == expected
        assert _problems(refused, "sv")[0].startswith("Indikatorer, rad ")
        assert ic.list_catalogue(session, actor=ADMIN).total == 0


# --- suggestions -------------------------------------------------------------------------------


def test_suggestions_rank_the_same_and_similar_names_and_never_link(database: Database) -> None:
    _imported(database)
    project_id = _project(database)
    with database.session("tests") as session:
        viewer = new_user(session, "lasse", "viewer")
        [same] = ic.suggest_matches(
            session, "Pitkäaikaistyöttömät, % työvoimasta", "%", actor=viewer
        )
        assert same.key == UNEMPLOYED and same.score > 1
        assert [(r.message, r.params) for r in same.reasons] == [
            ("same name in Finnish", {}),
            ("same unit ({unit})", {"unit": "%"}),
        ]
        [swedish] = ic.suggest_matches(session, "Ensamstående bostadslösa", "", actor=viewer)
        assert (swedish.key, swedish.reasons[0].message) == (
            "sotkanet:90003",
            "same name in Swedish",
        )
        similar = ic.suggest_matches(session, "Asunnottomat yksinäiset henkilöt", "%", actor=viewer)
        assert [s.key for s in similar] == ["sotkanet:90003"]
        assert similar[0].reasons[0].message == "similar name in Finnish ({percent} %)"
        assert similar[0].reasons[1].message == "another unit ({unit})"
        assert ic.suggest_matches(session, "Asiakastyytyväisyys", "", actor=viewer) == []
        # A deactivated entry is not suggested.
        ic.set_active(session, "sotkanet:90003", False, actor=ADMIN)
        assert ic.suggest_matches(session, "Ensamstående bostadslösa", "", actor=viewer) == []
        # Suggestions for a document's indicators: only the free ones; nothing is linked.
        doc = ps.get_project_doc(session, project_id, actor=viewer)
        doc.indicators[0].name = "Pitkäaikaistyöttömät, % työvoimasta"
        [found] = ic.suggest_for_docs(session, [doc], actor=viewer)
        assert (found.project, found.indicator, found.suggestions[0].key) == (0, 0, UNEMPLOYED)
        stored = ps.get_project_doc(session, project_id, actor=viewer)
        assert [i.catalogue_key for i in stored.indicators] == [None, None]


def test_a_card_import_suggests_and_links_only_what_is_chosen(database: Database) -> None:
    card = (SEEDS_DIR / "004_esr_soku.txt").read_bytes()
    with database.session("tests") as session:
        ic.create_entry(
            session,
            {"key": "oma:asiakasmaara", "name_fi": "Asiakasmäärä", "source": "Hankkeen oma tieto"},
            actor=ADMIN,
        )
        found = ic.suggest_for_source(session, card, filename="soku.txt", actor=ADMIN)
        [item] = [i for i in found.items if i.name.startswith("Asiakasmäärä")]
        assert item.suggestions[0].key == "oma:asiakasmaara"
        report = registry_io.import_source(session, card, filename="soku.txt", actor=ADMIN)
        project_id = report.projects[item.project].project_id
        assert project_id is not None
        doc = ps.get_project_doc(session, project_id, actor=ADMIN)
        assert all(i.catalogue_key is None for i in doc.indicators)  # not linked by itself
        assert ic.link_imported(session, project_id, item.name, "oma:asiakasmaara", actor=ADMIN)
        doc = ps.get_project_doc(session, project_id, actor=ADMIN)
        linked = [i.name for i in doc.indicators if i.catalogue_key == "oma:asiakasmaara"]
        assert linked == [item.name]
        # Imported again, the card keeps the link it cannot give (and says so).
        again = registry_io.import_source(session, card, filename="soku.txt", actor=ADMIN)
        assert any(k.field == "indicators" for k in again.projects[item.project].kept)
        doc = ps.get_project_doc(session, project_id, actor=ADMIN)
        linked = [i.name for i in doc.indicators if i.catalogue_key == "oma:asiakasmaara"]
        assert linked == [item.name]


# --- the migration -------------------------------------------------------------------------------


def test_migration_0017_down_and_up_keeps_the_indicators(database: Database) -> None:
    _imported(database)
    project_id = _project(database)
    with database.session("tests") as session:
        ic.link_indicator(session, project_id, "ind-1", UNEMPLOYED, actor=ADMIN)
    engine = database.engine
    command.downgrade(alembic_config(engine), "0016")
    assert current_revision(engine) == "0016"
    names = inspect(engine).get_table_names()
    assert "indicator_catalogue" not in names
    for table in ("indicator", "assessment_follow_up"):
        assert "catalogue_key" not in {c["name"] for c in inspect(engine).get_columns(table)}
    with engine.connect() as conn:  # dropped in place: the indicators and values stay
        assert conn.exec_driver_sql("SELECT count(*) FROM indicator").scalar() == 2
        assert conn.exec_driver_sql("SELECT count(*) FROM indicator_value").scalar() == 2
    upgrade(engine)
    _imported(database)
    with database.session("tests") as session:
        doc = ps.get_project_doc(session, project_id, actor=ADMIN)
        assert [i.catalogue_key for i in doc.indicators] == [None, None]
        ic.link_indicator(session, project_id, "ind-2", UNEMPLOYED, actor=ADMIN)
        # The reference holds after the upgrade: deleting the entry frees the indicator.
        session.execute(CatalogueEntry.__table__.delete())
        session.commit()
        doc = ps.get_project_doc(session, project_id, actor=ADMIN)
        assert [i.catalogue_key for i in doc.indicators] == [None, None]


# --- bounded work (SQLite) -------------------------------------------------------------------


def _case(url: str, work: Callable[[Any], Any]) -> Callable[[], dict[str, Any]]:
    def case() -> dict[str, Any]:
        database = open_database(url=url)
        with database.session("bounded") as session:
            return {"result": work(session)}

    return case


def _rows_json(count: int) -> bytes:
    rows = [
        {"id": n, "title": {"fi": f"Mittari {n} vastaavanikäisestä väestöstä"}, "unit": "%"}
        for n in range(count)
    ]
    return json.dumps(rows).encode()


def _suggest_from_a_big_catalogue(session: Any) -> int:
    """3 000 entries whose names share most of their words, and 50 indicators like them."""
    ic.import_catalogue(session, _rows_json(3000), filename="s.json", actor=ADMIN)
    names = [(f"Mittari {n} vastaavanikäisestä", "%") for n in range(50)]
    found = ic.suggest_for_indicators(session, names, actor=ADMIN)
    return sum(1 for suggestions in found if suggestions)


def test_imports_and_suggestions_on_huge_input_are_bounded(
    database_url: str, sqlite_template: Path, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("bounded work is measured on SQLite")
    path = tmp_path / "bounded.sqlite3"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    _imported(open_database(url=url))

    def importing(data: bytes, filename: str) -> Callable[[Any], Any]:
        def work(session: Any) -> Any:
            report = ic.import_catalogue(
                session, data, filename=filename, dry_run=True, actor=ADMIN
            )
            return report.counts

        return work

    huge_field = json.dumps([{"id": 1, "title": {"fi": "Mittari"}, "description": "a " * MB}])
    huge_word = json.dumps([{"id": 1, "title": {"fi": WORD}, "description": {"fi": WORD}}])
    huge_csv = "id;title_fi;description_fi\n1;Mittari;" + "b" * MB + "\n"
    one_mb_rows = _rows_json(MB // 70)
    cases = {
        "1mb-field-json": importing(huge_field.encode(), "s.json"),
        "word-json": importing(huge_word.encode(), "s.json"),
        "1mb-field-csv": importing(huge_csv.encode(), "s.csv"),
        "1mb-rows": importing(one_mb_rows, "s.json"),
        "2mb-rows": importing(_rows_json(2 * MB // 70), "s.json"),
        "suggest-word": lambda s: len(ic.suggest_matches(s, WORD, WORD, actor=ADMIN)),
        "suggest-1mb-name": lambda s: len(ic.suggest_matches(s, "ä ö " * MB, "", actor=ADMIN)),
        "suggest-big-catalogue": _suggest_from_a_big_catalogue,
    }
    outcomes = run_cases({name: _case(url, work) for name, work in cases.items()})
    assert_bounded(outcomes)
    for name in ("1mb-field-json", "word-json", "1mb-field-csv"):
        assert outcomes[name].result == {
            "refused": "ValidationFailed",
            "message": outcomes[name].result["message"],  # type: ignore[index]
        }, outcomes[name].describe()
    assert outcomes["1mb-rows"].result == {
        "result": {"created": MB // 70, "updated": 0, "unchanged": 0}
    }
    assert outcomes["suggest-big-catalogue"].result == {"result": 50}
    assert_linear(outcomes, {"rows": ("1mb-rows", "2mb-rows", 2)})
