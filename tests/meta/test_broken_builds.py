"""Tests of the tests: break a guarantee on purpose and watch its guarding test fail.

Each case runs the guarding test in a child pytest process with tests/meta/broken_build.py
loaded and EVAUS_BREAK set; the child must fail. The same test passes in the normal run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CASES = {
    "formula-neutralisation": "tests/db/test_hostile_input.py::"
    "test_csv_and_xlsx_neutralise_formulas_and_round_trip",
    "audit-log": "tests/db/test_projects.py::test_update_is_audited_old_to_new",
    "version-check": "tests/db/test_projects.py::"
    "test_stale_write_is_a_conflict_showing_the_other_change",
    "edit-rights": "tests/db/test_editing.py::test_viewer_may_not_add_attachments",
    "report-autoescape": "tests/unit/test_reports_render.py::"
    "test_hostile_text_still_gives_a_valid_document",
    "bounded-work": "tests/db/test_bounded_work.py::test_scrubbing_contacts_is_linear_in_the_text",
    "service-rights": "tests/db/test_service_rights.py::"
    "test_services_check_the_rights_themselves[sqlite-save_project_doc-viewer]",
    "read-rights": "tests/db/test_service_rights.py::"
    "test_nobody_signed_in_reads_nothing[sqlite-get_project_doc]",
    "export-rights": "tests/db/test_service_rights.py::"
    "test_only_an_administrator_exports_the_registry[sqlite-json-viewer]",
    "audit-deletes": "tests/db/test_audit_completeness.py::"
    "test_every_change_has_its_audit_entry[sqlite-3]",
}


@pytest.mark.slow
@pytest.mark.parametrize("broken", sorted(CASES))
def test_the_guarding_test_fails_when_the_guarantee_is_broken(broken: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.pop("EVAUS_TEST_POSTGRES_URL", None)  # SQLite is enough to show the failure
    env["EVAUS_BREAK"] = broken
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.meta.broken_build",
            "-x",
            CASES[broken],
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    assert "failed" in result.stdout.splitlines()[-1]
