"""Translations (gettext catalogs in evaus/locales/) and Finnish/Swedish/English formatting (Babel).

The language is always passed explicitly: a web server serves many users at once.
"""

from __future__ import annotations

import gettext
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal

from project_db.errors import N_, Problem

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
# Package data: the .po files are the source, the .mo files are compiled from them (make locales).
LOCALES_DIR: Traversable = resources.files(__package__) / "locales"
DOMAIN = "messages"
# Every moment is stored in UTC and shown in Finnish time, whoever looks at it and from where.
HELSINKI = ZoneInfo("Europe/Helsinki")


def normalise_language(lang: str | None) -> str:
    lang = (lang or DEFAULT_LANGUAGE).lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog for a language: the compiled .mo when current, else compiled from the .po."""
    lang = normalise_language(lang)
    folder = LOCALES_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.is_file() and not _newer(po, mo):
        return gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    if po.is_file():
        # Only in a checkout whose .po is newer: the usual start loads no catalogue tools.
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        catalog = read_po(io.BytesIO(po.read_bytes()), locale=LOCALES[lang])
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


def _newer(source: Traversable, built: Traversable) -> bool:
    """Whether the .po was edited after the .mo was compiled (in a checkout; an installed package
    ships only the .mo)."""
    if not (isinstance(source, Path) and isinstance(built, Path) and source.is_file()):
        return False
    return source.stat().st_mtime > built.stat().st_mtime


def gettext_for(lang: str) -> gettext.NullTranslations:
    return translations(normalise_language(lang))


def _(message: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return translations(normalise_language(lang)).gettext(message)


def format_message(message: str, lang: str, /, **params: object) -> str:
    # Positional-only: a message may itself have a {lang} placeholder.
    text = _(message, lang)
    return text.format(**params) if params else text


# --- formatting ---------------------------------------------------------------------------


def pvm(value: date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """1.11.2020 in Finnish and Swedish (Finland), 1 Nov 2020 in English."""
    if value is None:
        return ""
    if normalise_language(lang) == "en":
        return format_date(value, "d MMM yyyy", locale="en_GB")
    return format_date(value, "d.M.yyyy", locale=LOCALES[normalise_language(lang)])


def local_time(value: datetime) -> datetime:
    """A moment in Helsinki time; a naive value is taken to be UTC (how it is stored)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(HELSINKI)


def today_in_helsinki(now: datetime | None = None) -> date:
    """Today's date in Finland (not the server's or UTC's date, which lag after midnight)."""
    return local_time(now or datetime.now(UTC)).date()


def clock(value: datetime, lang: str = DEFAULT_LANGUAGE) -> str:
    """The time of day in Helsinki: 1.03 in Finnish and Swedish, 01:03 in English."""
    lang = normalise_language(lang)
    return format_time(local_time(value), "short", locale=LOCALES[lang])


# How a date and a time of day are joined (the CLDR data has no "klo" for Finnish).
_DATE_AT_TIME = {"fi": "{date} klo {time}", "sv": "{date} kl. {time}", "en": "{date}, {time}"}


def moment(value: datetime | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A stored moment in Helsinki time: '7.12.2026 klo 1.03', '7.12.2026 kl. 1.03'."""
    if value is None:
        return ""
    lang = normalise_language(lang)
    local = local_time(value)
    return _DATE_AT_TIME[lang].format(date=pvm(local.date(), lang), time=clock(local, lang))


def date_range(start: date | None, end: date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """1.9.2015–30.11.2018 (en dash, no spaces)."""
    if start is None and end is None:
        return ""
    return f"{pvm(start, lang)}–{pvm(end, lang)}"


def eur(value: Decimal | int | None, lang: str = DEFAULT_LANGUAGE, cents: bool = False) -> str:
    """1 000 000 € (no cents for whole euros unless asked), 23,35 €."""
    if value is None:
        return ""
    amount = Decimal(value)
    fmt = "#,##0.00 ¤" if cents or amount != amount.to_integral() else "#,##0 ¤"
    locale = LOCALES[normalise_language(lang)]
    if normalise_language(lang) == "en":
        fmt = "¤#,##0.00" if cents or amount != amount.to_integral() else "¤#,##0"
    return format_currency(amount, "EUR", format=fmt, locale=locale, currency_digits=False)


def number(value: Decimal | int | None, lang: str = DEFAULT_LANGUAGE) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale=LOCALES[normalise_language(lang)])


# --- user-facing errors -------------------------------------------------------------------

# Field names users see. Keys are the last part of a field path.
FIELD_LABELS = {
    "name": N_("Name"),
    "short_name": N_("Short name"),
    "project_type": N_("Project type"),
    "portfolio": N_("Portfolio"),
    "status": N_("Status"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "summary": N_("Summary"),
    "region": N_("Region"),
    "municipality": N_("Municipality"),
    "budget_amount": N_("Budget"),
    "budget_class": N_("Budget class"),
    "eura_code": N_("EURA code"),
    "action_line": N_("Priority axis"),
    "specific_objective": N_("Specific objective"),
    "decision_number": N_("Decision number"),
    "decision_date": N_("Decision date"),
    "responsible_authority": N_("Responsible authority"),
    "programme": N_("Programme"),
    "period_start": N_("Start of the funding's period of use"),
    "period_end": N_("End of the funding's period of use"),
    "website": N_("Website"),
    "public": N_("Public"),
    "notes": N_("Notes"),
    "y_tunnus": N_("Y-tunnus"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "org_type": N_("Organisation type"),
    "role": N_("Role"),
    "amount": N_("Amount"),
    "share_percent": N_("Share"),
    "own_contribution": N_("Own contribution"),
    "funder_code": N_("Funder"),
    "title": N_("Title"),
    "body": N_("Text"),
    "kind": N_("Kind"),
    "unit": N_("Unit"),
    "baseline": N_("Baseline"),
    "target": N_("Target"),
    "value": N_("Value"),
    "basis": N_("Basis of the figure"),
    "reason": N_("Reason"),
    "revised_on": N_("Date of revision"),
    "number": N_("Number"),
    "periods": N_("Reporting period"),
    "count": N_("Count"),
    "gender": N_("Gender"),
    "age_class": N_("Age class"),
    "username": N_("User name"),
    "password": N_("Password"),
    "themes": N_("Themes"),
    "url": N_("Address"),
    "text": N_("Text"),
    "period": N_("Reporting period"),
    "filename": N_("File name"),
    "projects": N_("Project"),
    "people": N_("Person"),
    "organisations": N_("Organisation"),
    "funding": N_("Funding"),
    "goals": N_("Goal"),
    "measures": N_("Measure"),
    "results": N_("Result"),
    "indicators": N_("Indicator"),
    "sections": N_("Section"),
    "values": N_("Value"),
    "revisions": N_("Target revision"),
    "participant_stats": N_("Participants"),
    "links": N_("Link"),
    "attachments": N_("Attachment"),
    # the other fields of the items, and the columns of the CSV and XLSX tables
    "responsible": N_("Responsible"),
    "description": N_("Description"),
    "source": N_("Source"),
    "target_date": N_("Target date"),
    "new_target": N_("New target"),
    "old_target": N_("Old target"),
    "note": N_("Note"),
    "changes": N_("Changes"),
    "next_steps": N_("Next steps"),
    "deviations": N_("Deviations"),
    "done": N_("Done"),
    "key": N_("Key"),
    "source_key": N_("Key"),
    "project_key": N_("Project"),
    "indicator_key": N_("Indicator"),
    "goal_key": N_("Goal"),
    "measure_key": N_("Measure"),
    "parent_key": N_("Parent goal"),
    "organisation": N_("Organisation"),
    "organisation_name": N_("Organisation"),
    "funder": N_("Funder"),
    "funder_name": N_("Funder"),
    "person": N_("Person"),
    "person_name": N_("Person"),
    "is_contact": N_("Contact person"),
    "is_team": N_("Team member"),
    "public_contact": N_("Public contact"),
    "content_type": N_("File type"),
    "size": N_("File size"),
    "sha256": N_("Checksum (SHA-256)"),
    "baseline_basis": N_("Basis of the figure"),
    "funder_type": N_("Organisation type"),
    "funder_y_tunnus": N_("Y-tunnus"),
    "funder_municipality": N_("Municipality"),
    "person_organisation": N_("Organisation"),
    "budget_lines": N_("Budget row"),
    "cost_actuals": N_("Actual cost"),
    "scheme": N_("Cost scheme"),
    "category": N_("Cost category"),
    "labour_status": N_("Labour-market status"),
    "education": N_("Education"),
    "volunteers": N_("Volunteers"),
    "volunteer_hours": N_("Volunteer hours"),
    "volunteers_basis": N_("Basis of the volunteer figures"),
    "feedback_methods": N_("How feedback was collected"),
    "direction": N_("Direction"),
    # who was heard in an assessment (kuuleminen), and a project's hand-added deadlines
    "hearings": N_("Who was heard"),
    "group": N_("Group or organisation heard"),
    "method": N_("How they were heard"),
    "method_note": N_("How they were heard, in words"),
    "held_on": N_("When"),
    "participants": N_("Number of people heard"),
    "children_heard": N_("Children or young people heard"),
    "children_how": N_("How children or young people were heard"),
    "outcome": N_("What changed because of it"),
    "deadlines": N_("Deadlines"),
    "due_on": N_("Due date"),
    "report_kind": N_("Report"),
    # the indicator catalogue's entries, and an indicator's link to one
    "catalogue_key": N_("Catalogue indicator"),
    "name_fi": N_("Name in Finnish"),
    "name_sv": N_("Name in Swedish"),
    "name_en": N_("Name in English"),
    "definition": N_("Definition"),
    "source_id": N_("Identifier in the source"),
    "producer": N_("Producer"),
    "measure_type": N_("Type of measure"),
}

# Names of the tables (CSV files, XLSX sheets) in import problems: "Hankkeet, rivi 2: Kunta".
TABLE_LABELS = {
    "projects": N_("Projects"),
    "sections": N_("Sections"),
    "organisations": N_("Organisations"),
    "funding": N_("Funding"),
    "people": N_("People"),
    "goals": N_("Goals"),
    "measures": N_("Measures"),
    "results": N_("Results"),
    "indicators": N_("Indicators"),
    "target_revisions": N_("Target revisions"),
    "indicator_values": N_("Indicator values"),
    "periods": N_("Reporting periods"),
    "participant_stats": N_("Participants"),
    "budget_lines": N_("Budget"),
    "cost_actuals": N_("Actual costs"),
    "links": N_("Links"),
    "attachments": N_("Attachments"),
}
# A cell of a table: ``projects[2].municipality`` (see ``project_db.tabular.cell_location``).
_CELL_PATH = re.compile(r"([^\[\]]+)\[(\d+)\](?:\.(.+))?")


def field_label(path: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A readable name for a field path such as 'people.0.person.email' → 'E-mail (people 1)'."""
    if not path:
        return ""
    if cell := _CELL_PATH.fullmatch(path):
        table, row, column = cell.groups()
        place = format_message(
            N_("{table}, row {row}"), lang, table=_(TABLE_LABELS.get(table, table), lang), row=row
        )
        return f"{place}: {field_label(column, lang)}" if column else place
    parts = path.split(".")
    last = next((p for p in reversed(parts) if not p.isdigit()), path)
    label = _(FIELD_LABELS.get(last, last), lang)
    positions = [
        f"{_(FIELD_LABELS.get(parts[i - 1], parts[i - 1]), lang).lower()} {int(p) + 1}"
        for i, p in enumerate(parts)
        if p.isdigit() and i > 0
    ]
    return f"{label} ({', '.join(positions)})" if positions else label


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def describe_problem(problem: Problem, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Päättymispäivä: päättymispäivä 2020-01-01 on ennen aloituspäivää 2020-02-01.'"""
    params = {
        name: pvm(date.fromisoformat(value), lang)
        if isinstance(value, str) and _ISO_DATE.fullmatch(value)
        else value
        for name, value in problem.params.items()
    }
    text = format_message(problem.message, lang, **params)
    label = field_label(problem.field, lang)
    return f"{label}: {text}" if label else text
