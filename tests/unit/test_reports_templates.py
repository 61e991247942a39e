"""Template checks: every shipped template's variables exist in its context model; typos and
syntax errors in an uploaded template are found with the place they are in."""

from __future__ import annotations

import io
import zipfile

import pytest

from evaus.i18n import format_message
from evaus.reports.errors import ReportFailed, TemplateRejected
from evaus.reports.render import jinja_env
from evaus.reports.templating import (
    check_template,
    shipped_template,
    shipped_templates,
    validate_template,
)

SHIPPED = shipped_templates()


def edit_docx(content: bytes, old: str, new: str) -> bytes:
    """A copy of a DOCX with text replaced in its body XML (as an admin's edit in Word would)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new, 1).encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(("kind", "lang"), SHIPPED, ids=lambda v: v)
def test_every_variable_of_every_shipped_template_is_in_its_context(kind: str, lang: str) -> None:
    assert check_template(shipped_template(kind, lang), kind, lang) == []


@pytest.mark.parametrize(("kind", "lang"), SHIPPED, ids=lambda v: v)
def test_docxtpl_sees_only_known_top_level_names(kind: str, lang: str) -> None:
    from docxtpl import DocxTemplate

    from evaus.reports.contexts import CONTEXT_MODELS

    template = DocxTemplate(io.BytesIO(shipped_template(kind, lang)))
    names = template.get_undeclared_template_variables(jinja_env(lang))
    assert names <= set(CONTEXT_MODELS[kind].model_fields) | set(jinja_env(lang).globals)


def test_a_typo_in_a_variable_is_refused_with_its_name_and_place() -> None:
    template = edit_docx(shipped_template("card", "fi"), "project.summary", "project.sumary")
    with pytest.raises(TemplateRejected) as caught:
        validate_template(template, "card", "fi")
    (problem,) = caught.value.problems
    assert problem.params == {"name": "project.sumary"}
    where = format_message(problem.where, "fi", **problem.where_params)
    assert where.startswith("kappale ") and "{{ project.sumary }}" in where
    assert format_message(problem.message, "fi", **problem.params) == (
        "tuntematon muuttuja project.sumary"
    )


def test_a_typo_in_a_loop_variable_is_found_in_its_table() -> None:
    template = edit_docx(
        shipped_template("esr-period", "fi"), "{{ m.responsible }}", "{{ m.vastuu }}"
    )
    (problem,) = check_template(template, "esr-period")
    assert problem.params == {"name": "m.vastuu"}
    assert format_message(problem.where, "fi", **problem.where_params).startswith("taulukko ")


def test_an_unknown_top_level_name_and_a_syntax_error() -> None:
    unknown = edit_docx(shipped_template("stea", "fi"), "{{ year }}", "{{ vuosi }}")
    assert [p.params["name"] for p in check_template(unknown, "stea")] == ["vuosi"]
    broken = edit_docx(shipped_template("stm", "fi"), "{{ embedding }}", "{% if embedding %}")
    (problem,) = check_template(broken, "stm")
    assert problem.message == "template syntax error: {detail}"
    assert "endif" in problem.params["detail"] or "end of template" in problem.params["detail"]


def test_a_file_that_is_not_a_docx_is_refused() -> None:
    with pytest.raises(ReportFailed):
        check_template(b"not a zip", "card")
