"""The command line and the web server load only what they use, and the lazy data layer still
knows every table when the database is opened.

Checked by what a fresh interpreter has imported, not by timing: ``evaus --help`` (and the help of
each command) builds the whole parser without the database, the web framework, pydantic or the
report libraries, which take seconds to load (``tests/bench/bench_cli.py`` times it); one
project's report loads neither the batch's worker pool nor the assessment services; the web
pages load no report rendering or office-file library until a page uses it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What --help must not load: each costs a tenth of a second or more to import.
HEAVY = (
    "sqlalchemy",
    "nicegui",
    "fastapi",
    "pydantic",
    "pydantic_settings",
    "matplotlib",
    "numpy",
    "openpyxl",
    "docx",
    "docxtpl",
    "lxml",
    "alembic",
    "snowballstemmer",
    "project_db.models",
    "evaus.settings",
    "evaus.services",
)

# What one project's card report must not load: the batch (a pool of worker processes), the
# assessment services and the live workshop behind them, password hashing, and the libraries of
# other kinds (charts) and formats (workbooks).
CARD_REPORT_NEEDS_NOT = (
    "multiprocessing",
    "concurrent.futures.process",
    "evaus.services.reports.batch",
    "evaus.services.assessments",
    "evaus.workshop",
    "argon2",
    "matplotlib",
    "openpyxl",
    "nicegui",
)

# What the server's start (every page module imported) must not load: report rendering and the
# office-file libraries are loaded by the page that makes a report or reads a workbook.
PAGES_NEED_NOT = (
    "docx",
    "docxtpl",
    "openpyxl",
    "matplotlib",
    "evaus.reports.render",
    "evaus.reports.contexts",
    "evaus.services.reports",
)


def _modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    script = (
        "import json, sys\n"
        + code
        + "\nsys.stdout.flush()\nsys.__stdout__.write('\\n' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=env,
    )
    return set(json.loads(done.stdout.rstrip().rsplit("\n", 1)[-1]))


def _loaded(names: tuple[str, ...], modules: set[str]) -> list[str]:
    return sorted(h for h in names if any(m == h or m.startswith(h + ".") for m in modules))


def _heavy(modules: set[str]) -> list[str]:
    return _loaded(HEAVY, modules)


@pytest.mark.parametrize("argv", [["--help"], ["report", "--help"], ["serve", "--help"]])
def test_help_loads_no_heavy_library(argv: list[str]) -> None:
    code = (
        "import contextlib, io\n"
        "from evaus.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        main({argv!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
    )
    assert _heavy(_modules_after(code)) == []


def test_data_layer_errors_load_no_database() -> None:
    assert _heavy(_modules_after("import project_db.errors, project_db.validators")) == []


def test_an_opened_engine_knows_every_table() -> None:
    """Whatever opens the database has every table and mapping, as if every module of the data
    layer had been imported (a module that declares tables must be in ``TABLE_MODULES``)."""
    code = (
        "import importlib, pkgutil\n"
        "import project_db\n"
        "from project_db.engine import make_engine\n"
        "from project_db.base import Base\n"
        "make_engine('sqlite://')\n"
        "opened = set(Base.metadata.tables)\n"
        "for info in pkgutil.iter_modules(project_db.__path__):\n"
        "    if info.name != 'migrations':\n"
        "        importlib.import_module('project_db.' + info.name)\n"
        "print(json.dumps(sorted(set(Base.metadata.tables) - opened)))\n"
    )
    script = "import json\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_a_card_report_loads_neither_batch_nor_assessments(tmp_path: Path) -> None:
    env = dict(os.environ, EVAUS_DATA_DIR=str(tmp_path / "data"), EVAUS_LANG="en")
    subprocess.run(
        [sys.executable, "-m", "evaus.cli", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    )
    card = tmp_path / "card.docx"
    code = (
        "import contextlib, io\n"
        "from evaus.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['report', 'SoKu', '--kind', 'card', '-o', {str(card)!r}])\n"
    )
    modules = _modules_after(code, env)
    assert card.stat().st_size > 0
    assert "evaus.reports.kinds.card" in modules  # the report was made in this interpreter
    assert _loaded(CARD_REPORT_NEEDS_NOT, modules) == []


def test_the_pages_load_no_report_rendering() -> None:
    code = "from evaus.ui.app import page_routers\npage_routers()\n"
    modules = _modules_after(code)
    assert "evaus.ui.registry.dashboard" in modules
    assert _loaded(PAGES_NEED_NOT, modules) == []
