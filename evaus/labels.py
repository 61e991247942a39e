"""Names and values of stored fields as people read them, for the change history and the
comparison of assessment versions.

A stored change is (table, column, value as text) — the audit log's form (see
``project_db.audit``): decimals without trailing zeros, ISO dates, ``true``/``false``, lists as
JSON. ``field_name`` gives the column's label in the user's language, ``value_text`` the value
as the pages show it: code-list labels instead of codes, euros, Finnish dates, Helsinki times,
yes/no, the names of referenced records instead of their ids. Columns that are bookkeeping
(keys, ids, positions) are in ``HIDDEN`` and never shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric

from project_db.assessment_schemas import (
    HEARING_METHOD_LABELS,
    AssessmentDoc,
    HearingIn,
    hearing_method_from_text,
)
from project_db.base import Base
from project_db.errors import N_
from project_db.schemas import BASIS_LABELS

from .assessment.diff import Change
from .assessment.framework import Framework
from .i18n import FIELD_LABELS, TABLE_LABELS, _, eur, format_message, moment, number, pvm

# What a table's records are called, one of them.
ENTITY_LABELS = {
    "project": N_("Project"),
    "project_theme": N_("Theme"),
    "project_link": N_("Link"),
    "narrative_section": N_("Section"),
    "project_organisation": N_("Organisation"),
    "organisation": N_("Organisation"),
    "funding": N_("Funding"),
    "project_person": N_("Person"),
    "person": N_("Person"),
    "goal": N_("Goal"),
    "measure": N_("Measure"),
    "result": N_("Result"),
    "indicator": N_("Indicator"),
    "target_revision": N_("Target revision"),
    "reporting_period": N_("Reporting period"),
    "indicator_value": N_("Value"),
    "participant_stat": N_("Participants"),
    "budget_line": N_("Budget row"),
    "cost_actual": N_("Actual cost"),
    "attachment": N_("Attachment"),
    "code_item": N_("Code list entry"),
    "app_user": N_("User"),
    "api_token": N_("API token"),
    "report_archive": N_("Report"),
    "report_template": N_("Report template"),
    "assessment": N_("Assessment"),
    "assessment_answer": N_("Answer"),
    "assessment_alternative": N_("Alternative"),
    "assessment_area": N_("Impact area"),
    "assessment_impact": N_("Impact"),
    "assessment_risk": N_("Risk"),
    "assessment_hearing": N_("Consultation"),
    "assessment_follow_up": N_("Follow-up indicator"),
    "assessment_framework": N_("Assessment framework"),
}

# Bookkeeping: identifiers, order, links to the parent record. Never shown as a change.
HIDDEN = frozenset(
    {
        "key",
        "position",
        "project_id",
        "assessment_id",
        "source_key",
        "series_key",
        "previous_id",
        "framework_id",
        "framework_version",
        "created_by",
        "ex_post_recorded",
        "content",
        "sha256",
        "template_sha256",
        "data_sha256",
        "token_hash",
        "password_hash",
        "user_id",
        "list_name",
        "uploaded_by",
        "installed_by",
        "installed_at",
    }
)

# Labels of columns whose name means something else in another table, or is not in
# ``i18n.FIELD_LABELS``. Keys: (table, column); (None, column) for every table.
_COLUMN_LABELS: dict[tuple[str | None, str], str] = {
    (None, "organisation_id"): N_("Organisation"),
    (None, "person_id"): N_("Person"),
    (None, "period_id"): N_("Reporting period"),
    (None, "indicator_id"): N_("Indicator"),
    (None, "goal_id"): N_("Goal"),
    (None, "measure_id"): N_("Measure"),
    (None, "parent_id"): N_("Parent goal"),
    (None, "alternative_id"): N_("Alternative"),
    (None, "alternative_key"): N_("Alternative"),
    (None, "indicator_key"): N_("Indicator"),
    (None, "area_code"): N_("Impact area"),
    (None, "display_name"): N_("Display name"),
    (None, "language"): N_("Language"),
    (None, "active"): N_("Active"),
    (None, "theme"): N_("Theme"),
    (None, "version_number"): N_("Version"),
    ("project", "document"): N_("Whole project"),
    ("project_person", "role"): N_("Role"),
    ("project_organisation", "role"): N_("Role"),
    ("assessment", "decision"): N_("Decision"),
    ("assessment", "preparers"): N_("Preparers"),
    ("assessment", "organisation"): N_("Organisation"),
    ("assessment", "ex_post_date"): N_("Date of the ex-post evaluation"),
    ("assessment", "screening_needed"): N_("Assessment needed"),
    ("assessment", "screening_criteria"): N_("Screening criteria"),
    ("assessment", "screening_reason"): N_("Screening reasoning"),
    ("assessment", "crossing_impacts"): N_("Impacts across areas"),
    ("assessment", "recommended_key"): N_("Recommended alternative"),
    ("assessment", "recommendation_reasoning"): N_("Reasoning of the recommendation"),
    ("assessment", "trade_offs"): N_("Trade-offs"),
    ("assessment", "uncertainties"): N_("Uncertainties"),
    ("assessment", "chosen_key"): N_("Chosen alternative"),
    ("assessment", "ex_post_summary"): N_("Summary of the ex-post evaluation"),
    ("assessment_answer", "question_key"): N_("Question"),
    ("assessment_answer", "text"): N_("Answer"),
    ("assessment_alternative", "is_zero"): N_("0-alternative"),
    ("assessment_alternative", "cost_per_year"): N_("Cost per year"),
    ("assessment_alternative", "staff_fte"): N_("Staff (person-years)"),
    ("assessment_alternative", "premises"): N_("Premises"),
    ("assessment_alternative", "key_figures"): N_("Key figures"),
    ("assessment_area", "relevant"): N_("Relevant"),
    ("assessment_impact", "assessed"): N_("Assessed"),
    ("assessment_impact", "not_assessed_reason"): N_("Why not assessed"),
    ("assessment_impact", "direction"): N_("Direction"),
    ("assessment_impact", "size"): N_("Size"),
    ("assessment_impact", "time_span"): N_("Time span"),
    ("assessment_impact", "certainty"): N_("Certainty"),
    ("assessment_impact", "groups"): N_("Population groups"),
    ("assessment_impact", "falls_on"): N_("Whom it falls on"),
    ("assessment_impact", "justification"): N_("Justification"),
    ("assessment_impact", "evidence"): N_("Evidence"),
    ("assessment_impact", "mitigation"): N_("Mitigation"),
    ("assessment_impact", "realised_direction"): N_("Realised direction"),
    ("assessment_impact", "realised_size"): N_("Realised size"),
    ("assessment_impact", "ex_post_evidence"): N_("Evidence of the realised impact"),
    ("assessment_impact", "ex_post_values"): N_("Indicator values"),
    ("assessment_impact", "ex_post_note"): N_("Note"),
    ("assessment_risk", "description"): N_("Description"),
    ("assessment_risk", "likelihood"): N_("Likelihood"),
    ("assessment_risk", "consequence"): N_("Consequence"),
    ("assessment_risk", "mitigation"): N_("Mitigation"),
    ("assessment_hearing", "group_name"): N_("Consulted group"),
    ("assessment_hearing", "method"): N_("How they were heard"),
    ("assessment_hearing", "method_note"): N_("How they were heard, in words"),
    ("assessment_hearing", "held_on"): N_("When they were heard"),
    ("assessment_hearing", "participants"): N_("Number of people heard"),
    ("assessment_hearing", "children_heard"): N_("Children or young people heard"),
    ("assessment_hearing", "children_how"): N_("How children or young people were heard"),
    ("assessment_hearing", "summary"): N_("What they said"),
    ("assessment_hearing", "outcome"): N_("What changed because of it"),
    ("assessment_follow_up", "schedule"): N_("Schedule"),
    ("report_archive", "project_name"): N_("Project"),
    ("report_archive", "year"): N_("Year"),
    ("report_archive", "report_date"): N_("Report date"),
    ("report_archive", "lang"): N_("Language"),
    ("report_archive", "kind"): N_("Report"),
    ("report_archive", "period"): N_("Reporting period"),
    ("report_archive", "size"): N_("File size"),
    ("code_item", "label_fi"): N_("Name in Finnish"),
    ("code_item", "label_sv"): N_("Name in Swedish"),
    ("code_item", "label_en"): N_("Name in English"),
    ("code_item", "sort_order"): N_("Order"),
}

# Columns holding a code of a code list (``code_item``): their label is shown.
CODE_LIST_COLUMNS = {
    ("project", "status"): "status",
    ("project", "project_type"): "project_type",
    ("project", "portfolio"): "portfolio",
    ("project", "region"): "region",
    ("project", "budget_class"): "budget_class",
    ("funding", "funder_code"): "funder",
    ("project_organisation", "role"): "organisation_role",
    ("organisation", "org_type"): "organisation_type",
    ("participant_stat", "gender"): "gender",
    ("participant_stat", "age_class"): "age_class",
    ("participant_stat", "labour_status"): "labour_status",
    ("participant_stat", "education"): "education",
}
# Columns referring to another record by its id: the record's name is shown.
REFERENCE_COLUMNS = {
    "organisation_id": "organisation",
    "person_id": "person",
    "period_id": "reporting_period",
    "indicator_id": "indicator",
    "goal_id": "goal",
    "measure_id": "measure",
    "parent_id": "goal",
    "alternative_id": "assessment_alternative",
}
# Columns of an assessment holding a code of its framework's scales.
_SCALES = {
    "direction": "direction",
    "realised_direction": "direction",
    "size": "size",
    "realised_size": "size",
    "time_span": "time_span",
    "certainty": "certainty",
    "likelihood": "risk_level",
    "consequence": "risk_level",
}
_MONEY = frozenset({"amount", "own_contribution", "budget_amount", "cost_per_year"})
_ASSESSMENT_STATUS = {
    "luonnos": N_("draft"),
    "valmis": N_("finished"),
    "paatetty": N_("decided"),
    "jalkiarvioitu": N_("evaluated ex post"),
}
_RESULT_KINDS = {"output": N_("Output"), "result": N_("Result"), "impact": N_("Impact")}
_LANGUAGE_NAMES = {"fi": N_("Finnish"), "sv": N_("Swedish"), "en": N_("English")}
_REPORT_KINDS = {"evaus": N_("Assessment"), "esr": "ESR", "stea": "STEA", "stm": "STM"}

# What identifies a record to a reader, by table: the column(s) its name is made of.
NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "project": ("name",),
    "goal": ("title",),
    "measure": ("title",),
    "result": ("text",),
    "indicator": ("name",),
    "funding": ("funder_code", "organisation_id"),
    "project_person": ("person_id",),
    "project_organisation": ("organisation_id",),
    "organisation": ("name",),
    "person": ("name",),
    "narrative_section": ("title",),
    "project_link": ("title", "url"),
    "project_theme": ("theme",),
    "attachment": ("filename",),
    "reporting_period": ("start_date", "end_date"),
    "indicator_value": ("indicator_id",),
    "target_revision": ("indicator_id",),
    "participant_stat": ("period_id",),
    "assessment": ("title",),
    "assessment_alternative": ("name",),
    "assessment_area": ("area_code",),
    "assessment_impact": ("area_code", "alternative_id"),
    "assessment_risk": ("description",),
    "assessment_hearing": ("group_name",),
    "assessment_follow_up": ("name",),
    "assessment_answer": ("question_key",),
    "report_archive": ("filename",),
    "code_item": ("label_fi",),
    "app_user": ("display_name", "username"),
}


@dataclass
class Vocabulary:
    """What the labels are looked up from, in one language."""

    lang: str
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # list → code → label
    framework: Framework | None = None
    alternatives: dict[str, str] = field(default_factory=dict)  # alternative key → name
    indicators: dict[str, str] = field(default_factory=dict)  # indicator key → name
    records: dict[tuple[str, int], str] = field(default_factory=dict)  # (table, id) → name


def entity_name(table: str, lang: str) -> str:
    label = ENTITY_LABELS.get(table)
    return _(label, lang) if label else _(N_("Record"), lang)


def field_name(table: str, column: str, lang: str) -> str:
    """The label of a stored column; a column without one gets a generic name, never its own."""
    label = _COLUMN_LABELS.get((table, column)) or _COLUMN_LABELS.get((None, column))
    label = label or FIELD_LABELS.get(column)
    return _(label, lang) if label else _(N_("Other detail"), lang)


def _column_type(table: str, column: str) -> Any:
    found = Base.metadata.tables.get(table)
    if found is None or column not in found.c:
        return None
    kind = found.c[column].type
    return getattr(kind, "impl_instance", kind)  # UtcDateTime stores a DateTime


def _list(text: str) -> list[Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, list) else None


def _yes_no(text: str, lang: str) -> str:
    return _(N_("yes"), lang) if text == "true" else _(N_("no"), lang)


def _key_figures(text: str, lang: str) -> str:
    """Tables of key figures, one line a row: 'Caption: column value, column value'."""
    tables = _list(text)
    if tables is None:
        return text
    lines: list[str] = []
    for table in tables:
        if not isinstance(table, dict):
            continue
        columns = [str(c) for c in table.get("columns") or []]
        if caption := str(table.get("caption") or ""):
            lines.append(f"{caption}:")
        for row in table.get("rows") or []:
            cells = [str(c) for c in row]
            pairs = [f"{c} {v}" if c else v for c, v in zip(columns, cells, strict=False)]
            lines.append("– " + ", ".join(p for p in pairs if p.strip()))
    return "\n".join(lines) if lines else ""


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def _framework_value(column: str, text: str, vocab: Vocabulary) -> str | None:
    framework = vocab.framework
    if framework is None:
        return None
    lang = vocab.lang
    if column in _SCALES:
        label = framework.scale_label(_SCALES[column], text, lang)
        if _SCALES[column] == "direction":
            return (
                f"{label} ({framework.symbol(text)})" if label != text else framework.symbol(text)
            )
        return label
    if column == "area_code":
        area = framework.area(text)
        return area.name.get(lang) if area else None
    if column in ("groups", "screening_criteria"):
        codes = _list(text)
        if codes is None:
            return None
        if column == "groups":
            names = {g.code: g.name.get(lang) for g in framework.population_groups}
        else:
            names = {c.key: c.label.get(lang) for c in framework.screening_criteria}
        return ", ".join(names.get(str(c), _(N_("unknown entry"), lang)) for c in codes)
    if column == "question_key":
        questions = {q.key: q.label.get(lang) for p in framework.phases for q in p.questions}
        return questions.get(text)
    return None


def value_text(table: str, column: str, text: str | None, vocab: Vocabulary) -> str:
    """A stored value as the pages show it ('' for no value)."""
    if text is None or text == "":
        return ""
    lang = vocab.lang
    if (table, column) in CODE_LIST_COLUMNS:
        labels = vocab.codes.get(CODE_LIST_COLUMNS[(table, column)], {})
        return labels.get(text, text)
    if column in REFERENCE_COLUMNS:
        if not text.isdigit():
            return text
        name = vocab.records.get((REFERENCE_COLUMNS[column], int(text)))
        return name or _(N_("(removed)"), lang)
    if column in ("chosen_key", "recommended_key", "alternative_key"):
        return vocab.alternatives.get(text) or _(N_("(removed)"), lang)
    if column == "indicator_key":
        return vocab.indicators.get(text) or _(N_("(removed)"), lang)
    if table.startswith("assessment"):
        if (shown := _framework_value(column, text, vocab)) is not None:
            return shown
        if table == "assessment" and column == "status":
            return _(_ASSESSMENT_STATUS.get(text, text), lang)
        if table == "assessment_hearing" and column == "method":
            # A code since revision 0015; older entries of the history hold the way as text.
            label = HEARING_METHOD_LABELS.get(text)
            return _(label, lang) if label else text
        if column == "key_figures":
            return _key_figures(text, lang)
    if column in ("basis", "baseline_basis"):
        return _(BASIS_LABELS.get(text, text), lang)
    if table == "result" and column == "kind":
        return _(_RESULT_KINDS.get(text, text), lang)
    if column in ("language", "lang"):
        return _(_LANGUAGE_NAMES.get(text, text), lang)
    if table == "report_archive" and column == "kind":
        return _(_REPORT_KINDS.get(text, text), lang)
    return _typed(table, column, text, lang)


def _typed(table: str, column: str, text: str, lang: str) -> str:
    kind = _column_type(table, column)
    if isinstance(kind, Boolean) or (kind is None and text in ("true", "false")):
        return _yes_no(text, lang)
    if isinstance(kind, DateTime):
        try:
            return moment(datetime.fromisoformat(text), lang)
        except ValueError:
            return text
    if isinstance(kind, Date):
        try:
            return pvm(date.fromisoformat(text), lang)
        except ValueError:
            return text
    if isinstance(kind, Numeric | Integer) and (amount := _decimal(text)) is not None:
        if column in _MONEY:
            return eur(amount, lang)
        if column == "share_percent":
            return f"{number(amount, lang)} %"
        return number(amount, lang)
    if (items := _list(text)) is not None and text.startswith("["):
        return ", ".join(str(i) for i in items)
    return text


def record_name(table: str, facts: dict[str, str | None], vocab: Vocabulary) -> str:
    """What a record is called: 'STEA', 'Maija Meikäläinen', 'Hyvinvointi / Hanska-malli'."""
    parts = [
        value_text(table, column, facts.get(column), vocab)
        for column in NAME_COLUMNS.get(table, ())
        if facts.get(column)
    ]
    if table == "reporting_period" and len(parts) == 2:
        return "–".join(parts)
    if table == "funding" and parts:
        return parts[0]
    separator = " / " if table == "assessment_impact" else ", "
    return separator.join(p for p in parts if p)


def document_summary(text: str | None, lang: str) -> str:
    """A project created in one go (its whole document stored as one change), summarised:
    its name and how many goals, people … it was given."""
    try:
        doc = json.loads(text or "")
    except ValueError:
        return ""
    if not isinstance(doc, dict):
        return ""
    counts = [
        f"{_(TABLE_LABELS[name], lang)} {len(value)}"
        for name in ("goals", "measures", "indicators", "funding", "people", "organisations")
        if isinstance(value := doc.get(name), list) and value
    ]
    name = str(doc.get("name") or "")
    if not counts:
        return name
    return format_message(N_("{name} ({counts})"), lang, name=name, counts=", ".join(counts))


# --- a hearing (kuuleminen) as people read it ---------------------------------------------------


def hearing_method_text(hearing: HearingIn, lang: str) -> str:
    """How a group was heard, in words ('' when not given): the way's label with the note
    after it, "Kysely (verkossa)"; the note alone for another way, or when the note names the
    way itself ("Asukaskysely verkossa")."""
    note = hearing.method_note.strip()
    if hearing.method is None:
        return note
    label = _(HEARING_METHOD_LABELS[hearing.method], lang)
    if not note:
        return label
    if hearing.method == "other" or hearing_method_from_text(note)[0] == hearing.method:
        return note
    return f"{label} ({note})"


def hearing_children_text(hearing: HearingIn, lang: str) -> str:
    """Were children or young people heard: "Kyllä: how" or "Ei"."""
    if not hearing.children_heard:
        return _(N_("No"), lang)
    how = hearing.children_how.strip()
    return _(N_("Yes"), lang) + (f": {how}" if how else "")


# --- the comparison of two assessment versions ------------------------------------------------

PART_LABELS = {
    "assessment": N_("Assessment"),
    "screening": N_("Screening"),
    "answer": N_("Answer"),
    "alternative": N_("Alternative"),
    "area": N_("Impact area"),
    "impact": N_("Impact"),
    "risk": N_("Risk"),
    "hearing": N_("Consultation"),
    "recommendation": N_("Recommendation"),
    "follow_up": N_("Follow-up indicator"),
    "ex_post": N_("Realised impact"),
}


@dataclass
class ComparedRow:
    realised: bool  # a value of the ex-post evaluation, not of the assessment
    part: str
    which: str
    field: str
    before: str
    after: str


def compared_rows(
    changes: list[Change], docs: list[AssessmentDoc], vocab: Vocabulary
) -> list[ComparedRow]:
    """The differences of two versions as people read them: labels, names, formatted values."""
    lang = vocab.lang
    names = {a.key: a.name for d in docs for a in d.alternatives}
    parts_named = {
        "risk": {r.key: r.description for d in docs for r in d.risks},
        "hearing": {h.key: h.group for d in docs for h in d.hearings},
        "follow_up": {f.key: f.name for d in docs for f in d.follow_ups},
        "alternative": names,
    }
    vocab = replace(vocab, alternatives={**vocab.alternatives, **names})

    def which(change: Change) -> str:
        if change.part in ("impact", "ex_post") and "/" in change.ident:
            area, key = change.ident.split("/", 1)
            area_name = value_text("assessment_impact", "area_code", area, vocab)
            return f"{area_name} / {names.get(key, '')}"
        if change.part == "answer":
            return value_text("assessment_answer", "question_key", change.ident, vocab)
        if change.part == "area":
            return value_text("assessment_area", "area_code", change.ident, vocab)
        return parts_named.get(change.part, {}).get(change.ident, "")

    rows = []
    for change in changes:
        name = which(change)
        if change.field is None:
            field, before, after = (
                _(N_("added"), lang) if change.old is None else _(N_("removed"), lang),
                name if change.old is not None else "",
                name if change.new is not None else "",
            )
        else:
            # The evaluation's own summary and date are the assessment's columns.
            table = "assessment" if change.part == "ex_post" and not change.ident else change.table
            field = field_name(table, change.field, lang)
            before = value_text(table, change.field, change.old, vocab)
            after = value_text(table, change.field, change.new, vocab)
            if before == after:  # empty text → nothing: no difference a reader can see
                continue
        rows.append(
            ComparedRow(
                realised=change.part == "ex_post",
                part=_(PART_LABELS[change.part], lang),
                which=name,
                field=field,
                before=before,
                after=after,
            )
        )
    return rows
