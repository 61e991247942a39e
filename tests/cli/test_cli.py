"""The `evaus` command as a person or a script uses it (a real subprocess, its own data dir)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS_DIR


def evaus(
    data_dir: Path,
    *args: str,
    stdin: str | None = None,
    lang: str | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EVAUS_"))}
    env["EVAUS_DATA_DIR"] = str(data_dir)
    if lang:
        env["EVAUS_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "evaus.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_demo_then_export_json(data_dir: Path) -> None:
    assert evaus(data_dir, "db", "upgrade").returncode == 0
    demo = evaus(data_dir, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "Luotu" in demo.stdout
    again = evaus(data_dir, "demo")
    assert "Luotu" not in again.stdout and "Ennallaan" in again.stdout
    export = evaus(data_dir, "export", "--format", "json")
    assert export.returncode == 0
    projects = json.loads(export.stdout)["projects"]
    assert any(p["eura_code"] == "S20397" for p in projects)


def test_import_dry_run_and_real(data_dir: Path) -> None:
    card = str(SEEDS_DIR / "004_esr_soku.txt")
    dry = evaus(data_dir, "import", card, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Kokeiluajo" in dry.stdout and "esr-card" in dry.stdout
    export = json.loads(evaus(data_dir, "export").stdout)
    assert export["projects"] == []
    real = evaus(data_dir, "import", card)
    assert real.returncode == 0
    assert len(json.loads(evaus(data_dir, "export").stdout)["projects"]) == 1


def test_errors_are_one_clear_line_with_nonzero_status(data_dir: Path, tmp_path: Path) -> None:
    missing = evaus(data_dir, "import", str(tmp_path / "ei-ole.txt"))
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0
    assert "Virhe: Tiedostoa ei löydy" in missing.stderr

    empty = tmp_path / "tyhja.txt"
    empty.write_bytes(b"")
    result = evaus(data_dir, "import", str(empty))
    assert result.returncode == 1 and "tyhjä" in result.stderr

    bad = tmp_path / "bad.json"
    bad.write_text('{"projects": [{"name": "A", "start_date": "31.2.2020"}]}', encoding="utf-8")
    result = evaus(data_dir, "import", str(bad))
    assert result.returncode == 1
    assert "Aloituspäivä" in result.stderr and "31.2.2020" in result.stderr

    english = evaus(data_dir, "import", str(empty), lang="en")
    assert "Error: The file is empty." in english.stderr

    no_output = evaus(data_dir, "export", "--format", "xlsx")
    assert no_output.returncode == 1


def test_csv_and_xlsx_export_to_files(data_dir: Path, tmp_path: Path) -> None:
    evaus(data_dir, "demo")
    for fmt, name in (("csv", "out.zip"), ("xlsx", "out.xlsx")):
        target = tmp_path / name
        result = evaus(data_dir, "export", "--format", fmt, "-o", str(target))
        assert result.returncode == 0, result.stderr
        assert target.stat().st_size > 1000


def test_user_add_reads_password_from_stdin(data_dir: Path) -> None:
    ok = evaus(data_dir, "user", "add", "paivi", "--role", "manager", stdin="pitka-salasana-1\n")
    assert ok.returncode == 0, ok.stderr
    duplicate = evaus(
        data_dir, "user", "add", "paivi", "--role", "viewer", stdin="pitka-salasana-2\n"
    )
    assert duplicate.returncode == 1 and "paivi" in duplicate.stderr
    short = evaus(data_dir, "user", "add", "olli", "--role", "viewer", stdin="lyhyt\n")
    assert short.returncode == 1 and "Salasana" in short.stderr
    args = ("user", "add", "rita", "--role", "reviewer", "--email")
    bad = evaus(data_dir, *args, "rita(at)", stdin="pitka-salasana-3\n")
    assert bad.returncode == 1 and "rita(at)" in bad.stderr and "Traceback" not in bad.stderr
    good = evaus(data_dir, *args, "Rita@Example.FI", stdin="pitka-salasana-3\n")
    assert good.returncode == 0, good.stderr


def test_backup_and_restore(data_dir: Path, tmp_path: Path) -> None:
    evaus(data_dir, "demo")
    before = evaus(data_dir, "export").stdout
    backup = tmp_path / "varmuuskopio.zip"
    assert evaus(data_dir, "backup", str(backup)).returncode == 0
    new_project = tmp_path / "uusi.json"
    new_project.write_text('{"projects": [{"name": "Uusi"}]}', encoding="utf-8")
    evaus(data_dir, "import", str(new_project))
    assert evaus(data_dir, "export").stdout != before
    restored = evaus(data_dir, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert evaus(data_dir, "export").stdout == before


def test_dev_generate_adds_more_projects_on_each_run(data_dir: Path) -> None:
    for _run in range(2):
        made = evaus(data_dir, "dev", "generate", "--projects", "30", "--batch", "20")
        assert made.returncode == 0, made.stderr
        assert "30/30" in made.stdout
    projects = json.loads(evaus(data_dir, "export", "--format", "json").stdout)["projects"]
    assert len(projects) == 60
    assert len({p["source_key"] for p in projects}) == 60
    assert len({p["name"] for p in projects}) == 60
