"""What the report pages share: kind and language labels, download names, archive scope texts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from project_db.errors import N_, NotFound, RegistryError

from ...i18n import format_message
from ...reports import kinds
from ...reports.errors import ReportFailed
from ...reports.kinds import ReportScope
from ...reports.pdf import soffice_path
from ..context import Translator

LANGUAGE_LABELS = {"fi": N_("Finnish"), "sv": N_("Swedish"), "en": N_("English")}


def kind_options(tr: Translator, funders: Iterable[str] | None = None) -> dict[str, str]:
    """Every report kind, or those a project with these funder codes gets."""
    return {
        kind.name: tr(kind.label)
        for kind in kinds.all_kinds()
        if funders is None or kind.serves(funders)
    }


def refused_kinds(tr: Translator, project: str, funders: Iterable[str]) -> list[str]:
    """Why the kinds a project does not get are not offered, one line per reason (both ESR
    reports are refused for the same reason: it is said once)."""
    lines: dict[str, None] = {}
    for kind in kinds.all_kinds():
        refusal = kind.refusal(project, funders)
        if refusal is not None:
            lines[format_message(refusal.message, tr.lang, **refusal.params)] = None
    return list(lines)


def kind_label(tr: Translator, kind: str) -> str:
    try:
        return tr(kinds.get(kind).label)
    except ReportFailed:
        return kind


def language_label(tr: Translator, lang: str) -> str:
    return tr(LANGUAGE_LABELS[lang]) if lang in LANGUAGE_LABELS else lang


def language_options(tr: Translator, kind: str) -> dict[str, str]:
    """The languages a template exists in for this kind."""
    from ...reports.templating import shipped_languages  # imports docxtpl: only when needed

    return {lang: language_label(tr, lang) for lang in shipped_languages(kind)}


def download_name(
    project: str, kind: str, lang: str, when: date, scope: ReportScope, *, suffix: str = ".docx"
) -> str:
    """SoKu-hankekortti-2026-11-23.docx; a period or year when the report has one."""
    return kinds.get(kind).file_name(project, lang, scope, made_on=when, suffix=suffix)


def scope_text(tr: Translator, scope: ReportScope) -> str:
    """What part of the data an archived report covers, for the archive table."""
    if scope.assessment_id is not None:
        return tr("assessment {number}", number=scope.assessment_id)
    if scope.period is not None:
        return tr("period {number}", number=scope.period)
    if scope.year is not None:
        return str(scope.year)
    return "–"


def pdf_available() -> bool:
    return soffice_path() is not None


def error_text(tr: Translator, exc: RegistryError) -> str:
    if isinstance(exc, ReportFailed):
        return format_message(exc.message, tr.lang, **exc.params)
    if isinstance(exc, NotFound):
        return tr("The item was not found. It may have been removed; reload the page.")
    return str(exc)
