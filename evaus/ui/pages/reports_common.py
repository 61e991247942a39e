"""What the report pages share: kind and language labels, download names, archive scope texts."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from project_db.errors import N_, NotFound, RegistryError

from ...i18n import format_message
from ...reports.contexts import REPORT_KINDS
from ...reports.errors import ReportFailed
from ...reports.pdf import soffice_path
from ..context import Translator

KIND_LABELS = {
    "card": N_("Project card"),
    "evaus": N_("EVAUS decision report"),
    "esr-period": N_("ESR monitoring report"),
    "esr-final": N_("ESR final report"),
    "stea": N_("STEA results report"),
    "stm": N_("STM report on the use of a state grant"),
}
LANGUAGE_LABELS = {"fi": N_("Finnish"), "sv": N_("Swedish"), "en": N_("English")}

# Download names: SoKu-hankekortti-2026-11-23.docx (in the report's language).
FILE_WORDS = {
    "card": {"fi": "hankekortti", "sv": "projektkort"},
    "evaus": {"fi": "evaus-raportti", "sv": "evaus-rapport"},
    "esr-period": {"fi": "esr-seurantaraportti"},
    "esr-final": {"fi": "esr-loppuraportti"},
    "stea": {"fi": "stea-tuloksellisuusraportti"},
    "stm": {"fi": "stm-selvitys"},
}
PERIOD_WORDS = {"fi": "jakso", "sv": "period"}


def kind_options(tr: Translator) -> dict[str, str]:
    return {kind: tr(KIND_LABELS[kind]) for kind in REPORT_KINDS}


def kind_label(tr: Translator, kind: str) -> str:
    return tr(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def language_label(tr: Translator, lang: str) -> str:
    return tr(LANGUAGE_LABELS[lang]) if lang in LANGUAGE_LABELS else lang


def language_options(tr: Translator, kind: str) -> dict[str, str]:
    """The languages a template exists in for this kind."""
    from ...reports.templating import shipped_languages  # imports docxtpl: only when needed

    return {lang: language_label(tr, lang) for lang in shipped_languages(kind)}


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-")[:50]


def download_name(
    project: str,
    kind: str,
    lang: str,
    when: date,
    *,
    period: int | None = None,
    year: int | None = None,
    suffix: str = ".docx",
) -> str:
    """SoKu-hankekortti-2026-11-23.docx; a period or year when the report has one."""
    words = FILE_WORDS.get(kind, {})
    parts = [_ascii(project) or "hanke", words.get(lang) or words.get("fi") or kind]
    if kind == "esr-period" and period:
        parts.append(f"{PERIOD_WORDS.get(lang, 'jakso')}{period}")
    if kind == "stea" and year:
        parts.append(str(year))
    parts.append(when.isoformat())
    return "-".join(parts) + suffix


def scope_text(tr: Translator, kind: str, period: int | None, year: int | None) -> str:
    """What part of the data an archived report covers, for the archive table."""
    if kind == "evaus" and period is not None:
        return tr("assessment {number}", number=period)
    if period is not None:
        return tr("period {number}", number=period)
    if year is not None:
        return str(year)
    return "–"


def pdf_available() -> bool:
    return soffice_path() is not None


def error_text(tr: Translator, exc: RegistryError) -> str:
    if isinstance(exc, ReportFailed):
        return format_message(exc.message, tr.lang, **exc.params)
    if isinstance(exc, NotFound):
        return tr("The item was not found. It may have been removed; reload the page.")
    return str(exc)
