"""Report kinds are plug-ins: one registry, one protocol, no kind names tested elsewhere."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from evaus.i18n import _
from evaus.reports import kinds
from evaus.reports.contexts import CONTEXT_MODELS, SteaContext
from evaus.reports.errors import NotFunded, ReportFailed
from evaus.reports.kinds import ReportInput, ReportKind, ReportScope
from evaus.reports.templating import shipped_templates
from project_db.schemas import ProjectDoc
from tests.reports_support import labels

EVAUS_DIR = Path(__file__).resolve().parents[2] / "evaus"
# A comparison with a report kind's name, either way round ("evaus" also names the package).
_NAMES = "|".join(re.escape(name) for name in kinds.names())
KIND_TESTS = re.compile(rf"""[!=]=\s*["']({_NAMES})["']|["']({_NAMES})["']\s*[!=]=""")


def test_every_kind_is_registered_with_its_template_and_model() -> None:
    assert set(kinds.names()) == {"card", "evaus", "esr-period", "esr-final", "stea", "stm"}
    assert [k.name for k in kinds.all_kinds()][:2] == ["card", "evaus"]
    for kind in kinds.all_kinds():
        assert isinstance(kind, ReportKind) and kinds.get(kind.name) is kind
        assert (kind.name, "fi") in shipped_templates()
        assert CONTEXT_MODELS[kind.name] is kind.context_model
        assert kind.scope in {"project", "period", "year", "assessment"}
        assert _(kind.label, "fi") != kind.label  # translated
        assert kind.file_words["fi"]


def test_an_unknown_kind_is_refused() -> None:
    for name in ("stea2", "esr_period", ""):
        with pytest.raises(ReportFailed) as caught:
            kinds.get(name)
        assert caught.value.params == {"kind": name}


def test_no_kind_is_named_outside_the_kinds() -> None:
    """The CLI, the services, the pages and the archive ask the registry instead."""
    offenders = [
        f"{path.relative_to(EVAUS_DIR)}:{number}: {line.strip()}"
        for path in EVAUS_DIR.rglob("*.py")
        if "kinds" not in path.relative_to(EVAUS_DIR).parts
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if KIND_TESTS.search(line)
    ]
    assert offenders == []


def test_funders_decide_who_gets_a_funder_report() -> None:
    stea = kinds.get("stea")
    assert stea.serves(["KUNTA", "STEA"]) and not stea.serves(["ESR"])
    assert kinds.get("card").serves([]) and kinds.get("evaus").serves([])
    refusal = stea.refusal("SoKu", ["ESR"])
    assert isinstance(refusal, NotFunded)
    assert (
        _(refusal.message, "fi").format(**refusal.params)
        == "Hankkeella SoKu ei ole STEA-rahoitusta: STEA-raporttia ei tehdä."
    )
    assert stea.refusal("Hanska", ["STEA"]) is None


def test_one_file_name_function() -> None:
    period = kinds.get("esr-period")
    assert period.file_name("S20397", "fi", ReportScope(period=2)) == (
        "S20397_esr-period_jakso2_fi.docx"
    )
    assert (
        period.file_name(
            "Sosiaalinen kuntoutus", "sv", ReportScope(period=2), made_on=date(2026, 1, 2)
        )
        == "Sosiaalinen-kuntoutus-esf-uppfoljningsrapport-period2-2026-01-02.docx"
    )
    card = kinds.get("card")
    assert card.file_name("SoKu", "sv", ReportScope(), made_on=date(2026, 1, 2)) == (
        "SoKu-projektkort-2026-01-02.docx"
    )
    assert kinds.get("evaus").file_name("Hanska", "fi", ReportScope(assessment_id=7)) == (
        "Hanska_evaus_7_fi.docx"
    )


def _doc(start: date, end: date, periods: list[tuple[date, date]]) -> ProjectDoc:
    return ProjectDoc.model_validate(
        {
            "name": "Vuosihanke",
            "start_date": start,
            "end_date": end,
            "periods": [
                {"number": i, "start_date": a, "end_date": b}
                for i, (a, b) in enumerate(periods, start=1)
            ],
        }
    )


def _stea_year(doc: ProjectDoc, today: date, year: int | None = None) -> int:
    source = ReportInput(lang="fi", today=today, project=doc, labels=labels(), year=year)
    context = kinds.get("stea").build(source)
    assert isinstance(context, SteaContext)
    missing_year = [p.params.get("year") for p in kinds.get("stea").missing(source)]
    assert all(y in (None, context.year) for y in missing_year)
    return context.year


def test_the_stea_default_year_is_the_last_finished_one() -> None:
    today = date(2026, 6, 15)
    running = _doc(
        date(2024, 1, 1),
        date(2027, 12, 31),
        [
            (date(2024, 1, 1), date(2024, 12, 31)),
            (date(2025, 1, 1), date(2025, 12, 31)),
            (date(2026, 1, 1), date(2026, 12, 31)),
        ],
    )
    assert _stea_year(running, today) == 2025  # not the running 2026
    assert _stea_year(running, today, year=2026) == 2026  # asked for: allowed
    no_periods = _doc(date(2023, 3, 1), date(2028, 2, 28), [])
    assert _stea_year(no_periods, today) == 2025
    ended = _doc(date(2019, 1, 1), date(2021, 5, 31), [])
    assert _stea_year(ended, today) == 2021
    old_periods = _doc(
        date(2020, 1, 1), date(2027, 12, 31), [(date(2020, 1, 1), date(2022, 6, 30))]
    )
    assert _stea_year(old_periods, today) == 2020  # the year with most of the period's days


def test_a_project_that_started_this_year_has_no_default_year() -> None:
    new = _doc(date(2026, 2, 1), date(2028, 1, 31), [(date(2026, 2, 1), date(2026, 12, 31))])
    with pytest.raises(ReportFailed) as caught:
        _stea_year(new, date(2026, 6, 15))
    assert "ended yet" in caught.value.message and caught.value.params["start"] == "1.2.2026"


def test_the_reports_page_says_each_reason_for_a_kind_not_offered_once() -> None:
    from evaus.ui.context import Translator
    from evaus.ui.reports.common import refused_kinds

    lines = refused_kinds(Translator("fi"), "Hanke", ["STEA"])
    esr = [line for line in lines if "ESR-rahoitusta" in line]
    assert esr == ["Hankkeella Hanke ei ole ESR-rahoitusta: ESR-raporttia ei tehdä."]
