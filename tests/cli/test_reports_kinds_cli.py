"""`evaus report`: funder refusal, batch skips, --status by name, ambiguous references."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.cli.test_cli import evaus


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo registry, loaded once for the module (`evaus demo` takes seconds)."""
    data = tmp_path_factory.mktemp("demo") / "data"
    demo = evaus(data, "demo")
    assert demo.returncode == 0, demo.stderr
    return data


@pytest.fixture
def data_dir(demo_dir: Path, tmp_path: Path) -> Path:
    """A copy of the demo data directory of the test's own: no test sees another's changes."""
    return Path(shutil.copytree(demo_dir, tmp_path / "data"))


def test_a_report_for_a_funder_the_project_lacks_is_one_line(
    data_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "stea.docx"
    result = evaus(data_dir, "report", "S20397", "--kind", "stea", "-o", str(target))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Virhe: Hankkeella Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke – SoKu ei ole "
        "STEA-rahoitusta: STEA-raporttia ei tehdä."
    )
    assert not target.exists()


def test_a_batch_makes_only_the_funders_reports_and_lists_the_skipped(
    data_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "stea.zip"
    result = evaus(data_dir, "report", "--all", "--kind", "stea", "-o", str(target))
    assert result.returncode == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("Ohitettu: ")]
    assert len(skipped) == 3
    assert all(
        line.endswith("ei ole STEA-rahoitusta: STEA-raporttia ei tehdä.") for line in skipped
    )
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        assert (
            len([n for n in archive.namelist() if n.endswith("_stea_fi.docx") or "_stea_" in n])
            == 1
        )


@pytest.mark.parametrize("status", ["kaynnissa", "käynnissä", "Pågår", "running"])
def test_status_by_code_or_by_name(data_dir: Path, tmp_path: Path, status: str) -> None:
    target = tmp_path / "kortit.zip"
    result = evaus(
        data_dir, "report", "--all", "--status", status, "--kind", "card", "-o", str(target)
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        assert len(archive.namelist()) == 1  # the one running demo project


def test_an_unknown_status_names_the_statuses(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "kortit.zip"
    result = evaus(
        data_dir, "report", "--all", "--status", "kesken", "--kind", "card", "-o", str(target)
    )
    assert result.returncode == 1
    line = result.stderr.strip()
    assert line.startswith("Virhe: Tuntematon tila ”kesken”; tilat ovat: ") and "kaynnissa" in line


def test_a_reference_matching_several_projects_lists_them(data_dir: Path, tmp_path: Path) -> None:
    result = evaus(
        data_dir, "report", "sosiaalisen kuntoutuksen", "--kind", "card", "-o", str(tmp_path / "x")
    )
    assert result.returncode == 1
    line = result.stderr.strip()
    assert line.startswith("Virhe: ”sosiaalisen kuntoutuksen” vastaa 3 hanketta: ")
    assert "1 Sosiaalisen kuntoutuksen yhteistyöprosessi" in line
    assert "4 Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke – SoKu" in line
