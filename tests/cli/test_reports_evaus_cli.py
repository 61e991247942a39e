"""`evaus report … --kind evaus`: the project's latest assessment, or --assessment ID."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import evaus
from tests.cli.test_reports_cli import data_dir  # noqa: F401  (the fixture)
from tests.reports_support import docx_text


def test_evaus_report_of_a_project_and_of_a_chosen_assessment(
    data_dir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    target = tmp_path / "evaus.docx"
    result = evaus(
        data_dir,
        "report",
        "Sosiaalisen kuntoutuksen yhteistyö",
        "--kind",
        "evaus",
        "-o",
        str(target),
    )
    assert result.returncode == 0, result.stderr
    assert "Toiminta osoittautui arviointia vastaavaksi" in docx_text(target.read_bytes())

    draft = tmp_path / "luonnos.docx"
    result = evaus(data_dir, "report", "--kind", "evaus", "--assessment", "2", "-o", str(draft))
    assert result.returncode == 0, result.stderr
    assert "Varoitus: Kuultuja tahoja ei ole kirjattu" in result.stderr
    assert "417" in docx_text(draft.read_bytes())

    none = evaus(data_dir, "report", "SoKu", "--kind", "evaus", "-o", str(tmp_path / "x.docx"))
    assert none.returncode == 1
    assert none.stderr.strip().endswith(
        "Hankkeella ei ole vaikutusten arviointia: EVAUS-raporttia ei voi tehdä."
    )
