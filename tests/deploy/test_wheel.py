"""EVAUS as an installed package, away from any source checkout.

The wheel is built from a copy of this checkout's package sources (catalogs compiled first, as
`make wheel` does), installed without its dependencies into a new virtual environment in a
temporary folder, which sees the dependencies of this checkout's environment through a .pth file
but not the checkout itself. From that folder, the installed `evaus` command upgrades a new SQLite
database, loads the demo projects, writes reports and serves the sign-in page: translations,
report templates, assessment frameworks, demo data and migrations all come from the installed
package (importlib.resources), so a lookup relative to a source checkout fails here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from project_db.engine import sqlite_url
from tests.e2e.conftest import _free_port, _stop, child_environment

ROOT = Path(__file__).resolve().parents[2]
HANSKA = "Sosiaalisen kuntoutuksen yhteistyöprosessi"  # a demo project (evaus/demo/seeds)

pytestmark = pytest.mark.slow


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, stdin: str = "") -> str:
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for package in ("evaus", "project_db"):
        shutil.copytree(ROOT / package, source / package, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    run([pybabel, "compile", "-d", "evaus/locales", "-D", "messages"], cwd=source)
    out = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), "."], source)
    (wheel,) = out.glob("evaus-*.whl")
    return wheel


def make_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new environment with the wheel and, through a .pth file, this environment's
    dependencies (whose .pth files, such as the editable install's finder, are not run)."""
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    purelib = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path
    )
    (Path(purelib.strip()) / "evaus_test_dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    run([*pip, "--no-deps", "--no-index", str(wheel)], tmp_path)
    return venv


def test_the_installed_wheel_runs_without_the_source_checkout(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("fi", "sv", "en"):
        assert f"evaus/locales/{lang}/LC_MESSAGES/messages.mo" in names
    for template in ("card_fi.docx", "card_sv.docx", "evaus_fi.docx", "stea_sv.docx"):
        assert f"evaus/reports/templates/{template}" in names
    assert "evaus/assessment/frameworks/default.json" in names
    assert "evaus/demo/assessments.json" in names
    assert "project_db/migrations/env.py" in names
    assert "project_db/migrations/script.py.mako" in names
    assert any(n.startswith("project_db/migrations/versions/0001") for n in names)

    venv = make_venv(tmp_path, wheel)
    work = tmp_path / "work"
    work.mkdir()
    data_dir = work / "data"
    env = child_environment(data_dir, EVAUS_DATABASE_URL=sqlite_url(work))
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    python, evaus = str(venv / "bin" / "python"), str(venv / "bin" / "evaus")

    where = run(
        [python, "-c", "import evaus, project_db; print(evaus.__file__, project_db.__file__)"],
        work,
        env,
    )
    for module_file in where.split():
        assert Path(module_file).is_relative_to(venv), where
        assert not Path(module_file).is_relative_to(ROOT)

    # The command's own messages are Finnish: the installed catalog is found.
    assert "Tietokanta on versiossa" in run([evaus, "db", "upgrade"], work, env)
    assert "Tietokannan ylläpito." in run([evaus, "--help"], work, env)
    run([evaus, "demo"], work, env)
    assert "EVAUS-perusrunko" in run([evaus, "framework", "list"], work, env)
    for kind in ("card", "evaus"):
        report = work / f"{kind}.docx"
        run([evaus, "report", "--kind", kind, HANSKA, "-o", str(report)], work, env)
        document = zipfile.ZipFile(report).read("word/document.xml").decode("utf-8")
        assert "Hanska" in document
    # With a user, the sign-in page is the first page.
    run([evaus, "user", "add", "--role", "admin", "admin"], work, env, stdin="a long password\n")

    port = _free_port()
    log = (work / "server.log").open("w")
    server = subprocess.Popen(
        [evaus, "serve", "--port", str(port)], cwd=work, env=env, stdout=log, stderr=log
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (work / "server.log").read_text()
            try:
                if httpx.get(f"{url}/status", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (work / "server.log").read_text()
            time.sleep(0.3)
        page = httpx.get(f"{url}/login", timeout=30).text
        assert "<title>Kirjaudu sisään – EVAUS</title>" in page, page[:2000]
        assert "Sign in" not in page
    finally:
        _stop(server)
        log.close()
