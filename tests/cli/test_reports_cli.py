"""`evaus report` as a person or a script uses it (a real subprocess, its own data dir)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.cli.test_cli import evaus
from tests.reports_support import docx_text


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


def test_report_of_one_project(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "kortti.docx"
    result = evaus(data_dir, "report", "S20397", "--kind", "card", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "Kirjoitettiin" in result.stdout
    assert "Varoitus: Hankkeelle ei ole kirjattu tavoitteita" in result.stderr
    text = docx_text(target.read_bytes())
    assert "S20397" in text and "1.9.2015–30.11.2018" in text

    by_name = evaus(
        data_dir, "report", "Asunnottomien sosiaali", "--kind", "stm", "-o", str(target)
    )
    assert by_name.returncode == 0, by_name.stderr
    assert "Selvitys valtionavustuksen käytöstä" in docx_text(target.read_bytes())


def test_a_pdf_named_output_gets_the_docx_beside_it(data_dir: Path, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    target = tmp_path / "kortti.pdf"
    result = evaus(data_dir, "report", "S20397", "--kind", "card", "--pdf", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF-")
    assert docx_text((tmp_path / "kortti.docx").read_bytes()).count("S20397") >= 1
    written = [line.split(" (")[0] for line in result.stdout.splitlines()]
    assert written == [f"Kirjoitettiin {tmp_path / 'kortti.docx'}", f"Kirjoitettiin {target}"]


def test_unknown_period_is_one_clear_line(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "jakso.docx"
    result = evaus(
        data_dir, "report", "SoKu", "--kind", "esr-period", "--period", "3", "-o", str(target)
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.strip() == (
        "Virhe: Hankkeella ei ole raportointijaksoa 3: sille ei ole kirjattu yhtään jaksoa."
    )
    assert not target.exists()


def test_batch_zip_with_progress(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "kortit.zip"
    result = evaus(data_dir, "report", "--all", "--kind", "card", "--lang", "sv", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "4/4" in result.stderr
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        names = archive.namelist()
    assert len(names) == 4 and all(n.endswith("_card_sv.docx") for n in names)


def test_project_or_all_and_output_are_needed(data_dir: Path) -> None:
    result = evaus(data_dir, "report", "--kind", "card", "-o", "x.docx")
    assert result.returncode == 1 and "--all" in result.stderr


def test_a_language_without_template_is_one_clear_line(data_dir: Path, tmp_path: Path) -> None:
    """The message names the language; it once ended in a TypeError traceback instead."""
    target = tmp_path / "jakso.docx"
    result = evaus(
        data_dir, "report", "S20397", "--kind", "esr-period", "--lang", "en", "-o", str(target)
    )
    # Every report has a Finnish and a Swedish template: another language is refused by the
    # argument check, in one line that names it.
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "'en'" in result.stderr.strip().splitlines()[-1]
