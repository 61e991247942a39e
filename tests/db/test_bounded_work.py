"""Bounded work: every importer and every report kind on huge and pathological input.

Each case runs in a forked child process with caps on its address space (``RLIMIT_AS``) and CPU
time (``RLIMIT_CPU``), two children at a time; the parent measures the child's CPU time and peak
memory (``wait4``). A case passes when it finishes, without a traceback, within a few seconds
and a bounded amount of memory: the file is imported or refused with a clear message, the report
is made. Quadratic work shows twice: as a case that runs out of time, and as the doubling check
(twice the input must take about twice, not four times, the CPU time).

SQLite only: what is bounded here is parsing and report building, not the database.
"""

from __future__ import annotations

import gc
import io
import json
import os
import resource
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from evaus.db import open_database
from evaus.reports.finders import scrub_emails
from evaus.services import registry_io, reports
from evaus.services.access import local_admin
from evaus.services.assessments import import_assessment_doc
from evaus.services.projects import create_project
from project_db.errors import RegistryError
from project_db.importers import available_formats
from project_db.schemas import RegistryDoc, SectionIn
from tests.assessment_docs import complete_doc
from tests.reports_support import rich_doc
from tests.unit.test_importers_cards import EURA_PAGE

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "evaus" / "demo" / "seeds"
MB = 1_000_000
CHILD_MEMORY = 1_500 * 1024 * 1024  # address space a case may add to what the parent maps
CHILD_CPU_SECONDS = 60
WALL_SECONDS = 90  # a case still running then is killed (a sleeping child uses no CPU)
CASE_SECONDS = 5.0  # CPU time a case of 1 MB may take (a linear parse takes well under that)
HUGE_CASE_SECONDS = 40.0  # and one of 20 MB (about 15 s for the slowest card format)
CASE_MEMORY_MB = 700  # peak resident memory a case may add
PARALLEL = 2
TOTAL_SECONDS = 200  # for all the cases of one test, below pytest's timeout of 300 s

# The plain-text cards: each format's real sample, which the test grows in its free text.
CARDS = {
    "oulu-card": (SEEDS / "001_oulu_asunnottomat.txt").read_text("utf-8"),
    "esr-card": (SEEDS / "004_esr_soku.txt").read_text("utf-8"),
    "eura2014": EURA_PAGE,
    "innokyla": (SEEDS / "000_innokyla_hanska.txt").read_text("utf-8"),
    "sokra-evaluation": (SEEDS / "003_sokra_arvio_kuopio.txt").read_text("utf-8"),
}
SENTENCE = "Hanke kehittää sosiaalista kuntoutusta ja ohjaa asiakkaita palveluihin (puh. 040 123). "
WORD = "ä" * 100_000
# Section kinds of the default code list, each holding a piece of the text.
SECTION_KINDS = ("lahtotilanne", "tarpeet", "kohderyhma", "toimintatavat", "jatkuvuus", "muu")


def prose(size: int) -> str:
    """About ``size`` bytes of ordinary text in lines of ten sentences."""
    line = (SENTENCE * 10 + "\n").encode()
    return (line * (size // len(line) + 1))[:size].decode(errors="ignore")


# --- running a case in a child ---------------------------------------------------------------


@dataclass
class Outcome:
    name: str
    finished: bool  # the child ended by itself (not killed for time or by a signal)
    ended_by: str  # how it ended: "exit 0", or the signal (SIGXCPU: the CPU limit)
    result: dict[str, Any] | None  # what the case returned, or {"error": ...}
    cpu_seconds: float
    peak_mb: float  # peak resident memory above the parent's at the fork

    def describe(self) -> str:
        return (
            f"{self.name}: ended by {self.ended_by}, cpu={self.cpu_seconds:.2f}s "
            f"peak=+{self.peak_mb:.0f} MB result={json.dumps(self.result)[:400]}"
        )


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1024 / 1024


def _reset_peak_memory() -> None:
    """Start the process's peak resident memory afresh (a forked child inherits the parent's)."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def _child(case: Callable[[], dict[str, Any]], write_end: int, cpu_limit: int) -> None:
    # The test process's objects are left out of the child's collections: a full collection
    # would walk the whole inherited heap (the size of the test process, not of the input),
    # which made a larger input's CPU time look superlinear now and then.
    gc.freeze()
    _reset_peak_memory()
    limit = _address_space() + CHILD_MEMORY
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit, cpu_limit + 5))
    try:
        payload = case()
    except RegistryError as exc:  # a clear refusal is a finished case too
        payload = {"refused": type(exc).__name__, "message": str(exc)[:500]}
    except BaseException as exc:
        payload = {"error": f"{type(exc).__name__}: {str(exc)[:500]}"}
    os.write(write_end, json.dumps(payload).encode()[:60_000])  # below the pipe's buffer


def run_cases(
    cases: dict[str, Callable[[], dict[str, Any]]], cpu_limit: int = CHILD_CPU_SECONDS
) -> dict[str, Outcome]:
    """Every case in its own forked child, ``PARALLEL`` at a time; a child that uses more
    than ``cpu_limit`` seconds of CPU is stopped."""
    waiting = list(cases.items())
    running: dict[int, tuple[str, int, float, float]] = {}
    outcomes: dict[str, Outcome] = {}
    deadline = time.monotonic() + TOTAL_SECONDS
    while waiting or running:
        if time.monotonic() > deadline:  # fail with the list below, not pytest's timeout
            for name, _case in waiting:
                outcomes[name] = Outcome(
                    name, False, "never starting: time ran out", None, 0.0, 0.0
                )
            waiting = []
        while waiting and len(running) < PARALLEL:
            name, case = waiting.pop(0)
            read_end, write_end = os.pipe()
            base_mb = _resident_mb()
            pid = os.fork()
            if pid == 0:  # the child: run the case and leave without pytest's clean-up
                os.close(read_end)
                status = 0
                try:
                    _child(case, write_end, cpu_limit)
                except BaseException:
                    status = 70
                os._exit(status)
            os.close(write_end)
            running[pid] = (name, read_end, time.monotonic(), base_mb)
        time.sleep(0.02)
        for pid, (name, read_end, started, base_mb) in list(running.items()):
            done, status, usage = os.wait4(pid, os.WNOHANG)
            now = time.monotonic()
            if done == 0 and now - started < WALL_SECONDS and now < deadline:
                continue
            if done == 0:
                os.kill(pid, signal.SIGKILL)
                done, status, usage = os.wait4(pid, 0)
                status = -1  # killed for running too long
            with os.fdopen(read_end, "rb") as pipe:
                raw = pipe.read()
            del running[pid]
            outcomes[name] = Outcome(
                name=name,
                finished=status == 0,
                ended_by=(
                    f"being killed after {time.monotonic() - started:.0f} s"
                    if status == -1
                    else f"exit {os.WEXITSTATUS(status)}"
                    if os.WIFEXITED(status)
                    else signal.Signals(os.WTERMSIG(status)).name
                ),
                result=json.loads(raw) if raw else None,
                cpu_seconds=usage.ru_utime + usage.ru_stime,
                peak_mb=max(0.0, usage.ru_maxrss / 1024 - base_mb),
            )
    print("\n".join(outcome.describe() for outcome in outcomes.values()))  # shown on failure
    return outcomes


def assert_bounded(outcomes: dict[str, Outcome]) -> None:
    """Every case finished by itself, without an unexpected error, in time and memory."""
    failures = []
    for name, outcome in outcomes.items():
        result = outcome.result or {}
        if not outcome.finished or "error" in result or outcome.result is None:
            failures.append("did not finish cleanly: " + outcome.describe())
        elif outcome.cpu_seconds > (limit := HUGE_CASE_SECONDS if "20mb" in name else CASE_SECONDS):
            failures.append(f"took more than {limit:.0f} s of CPU: " + outcome.describe())
        elif outcome.peak_mb > CASE_MEMORY_MB:
            failures.append(f"used more than {CASE_MEMORY_MB} MB: " + outcome.describe())
    assert not failures, "Unbounded work:\n" + "\n".join(failures)


def assert_linear(outcomes: dict[str, Outcome], pairs: dict[str, tuple[str, str, int]]) -> None:
    """``factor`` times the input, at most about ``factor`` times the CPU time (quadratic work
    would take ``factor`` squared). Times below a quarter of a second are too noisy to
    compare and pass on their own."""
    failures = []
    for label, (small, large, factor) in pairs.items():
        one, more = outcomes[small].cpu_seconds, outcomes[large].cpu_seconds
        if more > 0.25 and more > 1.5 * factor * max(one, 0.05):
            failures.append(
                f"{label}: {one:.2f}s for the input, {more:.2f}s for {factor} times the input"
            )
    assert not failures, "Work grows faster than the input:\n" + "\n".join(failures)


# --- the import cases ------------------------------------------------------------------------


def import_case(
    url: str, data: bytes, filename: str, format_name: str | None
) -> Callable[[], dict[str, Any]]:
    def case() -> dict[str, Any]:
        database = open_database(url=url)
        with database.session("bounded") as session:
            report = registry_io.import_source(
                session,
                data,
                filename=filename,
                format_name=format_name,
                dry_run=True,
                actor=local_admin("bounded"),
            )
        return {"format": report.format, "projects": len(report.projects)}

    return case


def card_inputs() -> dict[str, tuple[str, str, bytes]]:
    """name → (format, file name, bytes): each card grown to 1 MB, 20 MB, 0.5 MB (for the
    doubling check), and with one 100 000-character word in its free text."""
    inputs = {}
    for format_name, text in CARDS.items():
        for label, extra in (
            ("half-mb", prose(MB // 2)),
            ("1mb", prose(MB)),
            ("2mb", prose(2 * MB)),
            ("20mb", prose(20 * MB)),
            ("word", WORD),
        ):
            data = (text + "\n" + extra + "\n").encode()
            inputs[f"{format_name}-{label}"] = (format_name, f"{format_name}.txt", data)
    return inputs


def registry_doc(text: str) -> RegistryDoc:
    """One project with the text spread over its long fields (each holds up to 200 000)."""
    doc = rich_doc()
    doc.key = None
    pieces = [text[i : i + 150_000] for i in range(0, len(text), 150_000)] or [""]
    doc.summary = pieces[0]
    used = {section.kind for section in doc.sections}
    free_kinds = [kind for kind in SECTION_KINDS if kind not in used]
    for kind, piece in zip(free_kinds, pieces[1:], strict=False):
        doc.sections.append(SectionIn(kind=kind, title=kind, body=piece))
    return RegistryDoc(projects=[doc])


def tabular_inputs() -> dict[str, tuple[str, str, bytes]]:
    from project_db.tabular import registry_to_csv_zip

    inputs = {}
    for label, text in (("1mb", prose(MB)), ("word", WORD)):
        doc = registry_doc(text)
        inputs[f"json-{label}"] = ("json", "registry.json", doc.model_dump_json().encode())
        inputs[f"csv-{label}"] = ("csv", "registry.zip", registry_to_csv_zip(doc))
        inputs[f"xlsx-{label}"] = ("xlsx", "hankkeet.xlsx", xlsx_list(text))
    return inputs


def xlsx_list(text: str) -> bytes:
    """A hand-made list of projects: a cell holds at most 32 767 characters, so the 1 MB
    is spread over many rows and the word is cut to what a cell takes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Hankkeen nimi", "Tiivistelmä"])
    cell = 32_000
    for number, start in enumerate(range(0, len(text), cell), start=1):
        sheet.append([f"Hanke {number}", text[start : start + cell]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def database_file(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("bounded") / "evaus.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def test_every_importer_on_huge_input_is_bounded(database_file: str) -> None:
    inputs = {**card_inputs(), **tabular_inputs()}
    assert set(available_formats()) == {fmt for fmt, _, _ in inputs.values()}, (
        "a format without bounded-work inputs"
    )
    cases: dict[str, Callable[[], dict[str, Any]]] = {}
    for name, (format_name, filename, data) in inputs.items():
        # 20 MB only detected (detection reads the whole file too), to keep the test short
        if not name.endswith("20mb"):
            cases[f"{name} forced"] = import_case(database_file, data, filename, format_name)
        if not name.endswith(("half-mb", "2mb")):
            cases[f"{name} detected"] = import_case(database_file, data, filename, None)
    outcomes = run_cases(cases)
    assert_bounded(outcomes)
    for name, outcome in outcomes.items():
        assert outcome.result is not None
        if "20mb" in name and "refused" in outcome.result:
            assert outcome.result["message"], outcome.describe()
    assert_linear(
        outcomes,
        {f"{fmt} 1 MB": (f"{fmt}-half-mb forced", f"{fmt}-1mb forced", 2) for fmt in CARDS}
        | {f"{fmt} 2 MB": (f"{fmt}-1mb forced", f"{fmt}-2mb forced", 2) for fmt in CARDS}
        | {f"{fmt} 20 MB": (f"{fmt}-1mb detected", f"{fmt}-20mb detected", 20) for fmt in CARDS},
    )


# --- the report cases ------------------------------------------------------------------------


def report_database(url: str, text: str) -> tuple[int, int]:
    """A project and an assessment of it whose texts hold ``text``: (project, assessment)."""
    database = open_database(url=url)
    doc = registry_doc(text).projects[0]
    doc.key = f"bounded-{len(text)}-{text.count('@')}"
    doc.source_key = doc.eura_code = doc.key
    pieces = [text[i : i + 150_000] for i in range(0, len(text), 150_000)] or [""]
    for period in doc.periods:
        period.done = pieces[-1]
    doc.goals[0].title = pieces[0][:10_000]  # a title holds at most 10 000 characters
    for code in ("STEA", "STM"):  # so that every funder's report is made
        doc.funding.append(doc.funding[0].model_copy(update={"funder_code": code}))
    with database.session("bounded") as session:
        project = create_project(session, doc.model_dump(), actor=local_admin("bounded"))
        assessment = complete_doc(
            project_key=project.key,
            crossing_impacts=pieces[0],
            ex_post_summary=pieces[-1],
        )
        row, _ = import_assessment_doc(session, assessment, actor=local_admin("bounded"))
        session.commit()
        ids = (project.id, row.id)
    database.engine.dispose()
    return ids


def report_case(url: str, project_id: int, assessment_id: int, kind: str) -> Callable[[], Any]:
    def case() -> dict[str, Any]:
        database = open_database(url=url)
        with database.session("bounded") as session:
            made = reports.generate_report(
                session,
                project_id,
                kind,
                assessment=assessment_id if kind == "evaus" else None,
                actor=local_admin("bounded"),
                archive=False,
            )
        return {"bytes": len(made.content)}

    return case


@pytest.fixture(scope="module")
def report_projects(database_file: str) -> dict[str, tuple[int, int]]:
    return {
        "1mb": report_database(database_file, prose(MB)),
        "word": report_database(database_file, WORD),
        "word-with-at": report_database(database_file, "ä" * 50_000 + "@" + "ä" * 50_000),
    }


def test_every_report_kind_on_huge_texts_is_bounded(
    database_file: str, report_projects: dict[str, tuple[int, int]]
) -> None:
    cases: dict[str, Callable[[], Any]] = {}
    for label, (project_id, assessment_id) in report_projects.items():
        for kind in ("card", "esr-period", "esr-final", "stea", "stm", "evaus"):
            cases[f"{kind} {label}"] = report_case(database_file, project_id, assessment_id, kind)
    outcomes = run_cases(cases)
    assert_bounded(outcomes)
    not_made = [o.describe() for o in outcomes.values() if "bytes" not in (o.result or {})]
    assert not not_made, "Reports not made:\n" + "\n".join(not_made)


# --- the e-mail scrub of public reports, fast and focused -----------------------------------


def scrub_case(text: str) -> Callable[[], dict[str, Any]]:
    def case() -> dict[str, Any]:
        return {"length": len(scrub_emails(text, "[x]"))}

    return case


def test_scrubbing_contacts_is_linear_in_the_text() -> None:
    """A long word (with or without an ``@`` in it) is scanned once, not once per letter."""
    cases = {}
    for size in (100_000, 200_000):
        cases[f"word {size}"] = scrub_case("ä" * size)
        cases[f"word with @ {size}"] = scrub_case("a." * (size // 4) + " @ " + "b" * (size // 2))
    outcomes = run_cases(cases, cpu_limit=3)
    assert_bounded(outcomes)
    for outcome in outcomes.values():
        assert outcome.cpu_seconds < 2, "Scrubbing is not linear: " + outcome.describe()
    assert_linear(
        outcomes,
        {label: (f"{label} 100000", f"{label} 200000", 2) for label in ("word", "word with @")},
    )


def test_scrubbing_finds_what_the_address_pattern_describes() -> None:
    text = (
        "Yhteys: matti.meikalainen@oulu.fi tai liisa (at) hel.fi, "
        "kalle.k [at] kela.fi. Ei osoite: @x.fi, a@b, 5 @ 6."
    )
    assert scrub_emails(text, "[x]") == ("Yhteys: [x] tai [x], [x]. Ei osoite: @x.fi, a@b, 5 @ 6.")
    assert scrub_emails("a@b.c.@d.e", "[x]") == "[x][x]"  # the rest after a match is an address
    assert scrub_emails("x@b..c@d.e", "[x]") == "x@[x]"
    assert scrub_emails("ä" * 1000, "[x]") == "ä" * 1000
