"""`evaus indicators import FILE [--dry-run]` and `evaus indicators list` as a real subprocess
with its own data dir: the dry run saves nothing, the import creates the entries and a second one
changes nothing, the list prints them (in Swedish with EVAUS_LANG=sv, or as JSON), and a bad
row is refused on one line naming the row and the field. The sample files in tests/data are
hand-written in the shape of THL Sotkanet's indicator metadata, not data from Sotkanet."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import evaus
from tests.conftest import DATA_DIR

SAMPLE_JSON = DATA_DIR / "sotkanet_indicators_sample.json"
SAMPLE_CSV = DATA_DIR / "sotkanet_indicators_sample.csv"


def test_import_with_a_dry_run_first_then_list(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    dry = evaus(data_dir, "indicators", "import", str(SAMPLE_JSON), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Kokeiluajo: mitään ei tallennettu." in dry.stdout
    assert "Luotu 6, päivitetty 0, ennallaan 0." in dry.stdout
    empty = evaus(data_dir, "indicators", "list")
    assert empty.returncode == 0, empty.stderr
    assert "Mittaristossa ei ole mittareita." in empty.stdout

    done = evaus(data_dir, "indicators", "import", str(SAMPLE_JSON))
    assert done.returncode == 0, done.stderr
    assert "Luotu: Asunnottomat yksinäiset  [sotkanet:90003]" in done.stdout
    again = evaus(data_dir, "indicators", "import", str(SAMPLE_JSON))
    assert "Luotu 0, päivitetty 0, ennallaan 6." in again.stdout
    csv = evaus(data_dir, "indicators", "import", str(SAMPLE_CSV))
    assert csv.returncode == 0, csv.stderr
    assert "Päivitetty: Asunnottomat yksinäiset (Määritelmä)  [sotkanet:90003]" in csv.stdout
    assert "Luotu 1, päivitetty 2, ennallaan 0." in csv.stdout

    listed = evaus(data_dir, "indicators", "list", "asunnottomat")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0].split() == [
        "Tunniste",
        "Yksikkö",
        "Suunta",
        "Käytössä",
        "Nimi",
    ]
    assert "sotkanet:90003  lukumäärä" in listed.stdout
    assert "Asunnottomat yksinäiset" in listed.stdout
    swedish = evaus(data_dir, "indicators", "list", "bostadslösa", lang="sv")
    assert "Ensamstående bostadslösa" in swedish.stdout
    as_json = evaus(data_dir, "indicators", "list", "--json")
    entries = json.loads(as_json.stdout)
    assert len(entries) == 7
    assert {e["source_id"] for e in entries} >= {"90001", "90007"}


def test_a_bad_row_is_refused_naming_the_row_and_the_field(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    bad = tmp_path / "mittarit.csv"
    bad.write_text("id;title_fi;unit\n101;Asiakasmäärä;henkilöä\n102;;%\n", encoding="utf-8")
    refused = evaus(data_dir, "indicators", "import", str(bad))
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "Virhe: Tietoja ei tallennettu: Mittarit, rivi 3: title_fi: on pakollinen"
    )
    assert "Traceback" not in refused.stderr
    listed = evaus(data_dir, "indicators", "list")
    assert "Mittaristossa ei ole mittareita." in listed.stdout  # nothing of the file was saved
    swedish = evaus(data_dir, "indicators", "import", str(bad), lang="sv")
    assert "Indikatorer, rad 3: title_fi" in swedish.stderr
    missing = evaus(data_dir, "indicators", "import", str(tmp_path / "ei-ole.json"))
    assert missing.returncode == 1 and "Virhe:" in missing.stderr
