"""A pytest plugin that breaks one guarantee on purpose (EVAUS_BREAK=name).

Only tests/meta/test_broken_builds.py loads it, in a child pytest process, to show that the
test guarding that guarantee then fails. Never loaded in a normal run.
"""

from __future__ import annotations

import os
from typing import Any


def _identity(text: str) -> str:
    return text


def _nothing(*_args: Any, **_kwargs: Any) -> None:
    return None


def _always(*_args: Any, **_kwargs: Any) -> bool:
    return True


def _quadratic_scrub(text: str, marker: str) -> str:
    """The e-mail scrub as one regex, which tries every position of a long word."""
    import re

    pattern = r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\.[\w-]+)+"
    return re.sub(pattern, marker, text, flags=re.IGNORECASE)


def pytest_configure(config: Any) -> None:
    broken = os.environ.get("EVAUS_BREAK", "")
    if broken == "formula-neutralisation":
        import project_db.tabular

        project_db.tabular.neutralise_cell = _identity
    elif broken == "audit-log":
        import project_db.audit

        project_db.audit.install = _nothing
    elif broken == "version-check":
        import evaus.services.projects

        evaus.services.projects._ensure_version = _nothing
    elif broken == "edit-rights":
        import evaus.services.access

        evaus.services.access.can_edit_project = _always
    elif broken == "report-autoescape":
        from docxtpl import DocxTemplate

        original = DocxTemplate.render

        def unescaped(
            self: Any, context: Any, jinja_env: Any = None, autoescape: bool = False
        ) -> Any:
            if jinja_env is not None:
                jinja_env.autoescape = False
            return original(self, context, jinja_env, autoescape=False)

        DocxTemplate.render = unescaped  # type: ignore[method-assign]
    elif broken == "audit-deletes":
        import project_db.audit

        project_db.audit._record_delete = _nothing
    elif broken == "service-rights":
        import evaus.services.projects

        # The check inside the service only: a page that checked first would not notice.
        evaus.services.projects.require_edit = _nothing
    elif broken == "read-rights":
        import evaus.services.projects

        # The read check inside the service: no Actor at all would then read the project.
        evaus.services.projects.require_read = _nothing
    elif broken == "export-rights":
        import evaus.services.registry_io

        # The administrator check inside the export service (the page no longer checks).
        evaus.services.registry_io.require_admin = _nothing
    elif broken == "bounded-work":
        import evaus.reports.finders

        evaus.reports.finders.scrub_emails = _quadratic_scrub
