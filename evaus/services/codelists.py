"""Code lists: defaults, labels in the user's language, and checking codes in documents."""

from __future__ import annotations

from sqlalchemy.orm import Session

from project_db.code_queries import all_code_items, code_items
from project_db.codes import (
    COST_CATEGORY_LISTS,
    DEFAULT_CODE_LISTS,
    OPEN_LISTS,
    PROJECT_CODE_FIELDS,
)
from project_db.errors import N_, Problem
from project_db.importers import ImportWarning
from project_db.indicator_catalogue import catalogue_problems
from project_db.models import CodeItem
from project_db.schemas import ProjectDoc

from ..i18n import normalise_language
from .access import Actor, require_admin, require_read


def ensure_default_codes(session: Session) -> int:
    """Add default codes that are missing (never changes what an administrator edited)."""
    existing = {(c.list_name, c.code) for c in all_code_items(session)}
    added = 0
    for list_name, entries in DEFAULT_CODE_LISTS.items():
        for order, (code, fi, sv, en) in enumerate(entries):
            if (list_name, code) not in existing:
                session.add(
                    CodeItem(
                        list_name=list_name,
                        code=code,
                        label_fi=fi,
                        label_sv=sv,
                        label_en=en,
                        sort_order=order,
                    )
                )
                added += 1
    return added


def _codes(session: Session, list_name: str, *, active_only: bool = False) -> list[CodeItem]:
    """A code list's items, for a service that has checked the Actor already."""
    return code_items(session, list_name, active_only=active_only)


def label(item: CodeItem, lang: str) -> str:
    lang = normalise_language(lang)
    return getattr(item, f"label_{lang}") or item.label_fi


def labels(session: Session, list_name: str, lang: str, *, actor: Actor) -> dict[str, str]:
    """A code list as {code: label} in the language."""
    require_read(actor)
    return _labels(session, list_name, lang)


def _labels(session: Session, list_name: str, lang: str) -> dict[str, str]:
    return {c.code: label(c, lang) for c in _codes(session, list_name)}


def _known(session: Session) -> dict[str, set[str]]:
    known: dict[str, set[str]] = {}
    for item in all_code_items(session):
        known.setdefault(item.list_name, set()).add(item.code)
    return known


UNKNOWN_CODE = N_("unknown value {value}; allowed values: {allowed}")
NEW_CODE_ADDED = N_("New {field} {value} was added to the code list.")


def check_codes(
    session: Session,
    doc: ProjectDoc,
    *,
    extend_open_lists: bool,
    prefix: str = "",
    known: dict[str, set[str]] | None = None,
    actor: Actor,
) -> tuple[list[Problem], list[ImportWarning]]:
    """Codes the document uses that the code lists do not know.

    Open lists (portfolios) are extended when ``extend_open_lists`` is set, with a warning.
    ``known`` (from ``_known``) saves reading the lists again for every document; codes
    added to open lists are added to it. Extending a list is an administrator's import.
    """
    if extend_open_lists:
        require_admin(actor)
    else:
        require_read(actor)
    known = _known(session) if known is None else known
    problems: list[Problem] = []
    warnings: list[ImportWarning] = []
    pre = f"{prefix}." if prefix else ""

    def check(list_name: str, value: str | None, path: str) -> None:
        if value is None or value in known.get(list_name, set()):
            return
        if list_name in OPEN_LISTS and extend_open_lists:
            session.add(
                CodeItem(
                    list_name=list_name,
                    code=value,
                    label_fi=value,
                    label_sv="",
                    label_en="",
                    sort_order=len(known.get(list_name, ())),
                )
            )
            known.setdefault(list_name, set()).add(value)
            warnings.append(ImportWarning(NEW_CODE_ADDED, {"field": list_name, "value": value}))
            return
        allowed = ", ".join(sorted(known.get(list_name, set())))
        problems.append(Problem(pre + path, UNKNOWN_CODE, {"value": value, "allowed": allowed}))

    for field, list_name in PROJECT_CODE_FIELDS.items():
        check(list_name, getattr(doc, field), field)
    for i, org in enumerate(doc.organisations):
        check("organisation_role", org.role, f"organisations.{i}.role")
        check(
            "organisation_type",
            org.organisation.org_type,
            f"organisations.{i}.organisation.org_type",
        )
    for i, funding in enumerate(doc.funding):
        check("funder", funding.funder_code, f"funding.{i}.funder_code")
        check("organisation_type", funding.funder.org_type, f"funding.{i}.funder.org_type")
    for i, section in enumerate(doc.sections):
        check("section", section.kind, f"sections.{i}.kind")
    for i, stat in enumerate(doc.participant_stats):
        check("gender", stat.gender, f"participant_stats.{i}.gender")
        check("age_class", stat.age_class, f"participant_stats.{i}.age_class")
        check("labour_status", stat.labour_status, f"participant_stats.{i}.labour_status")
        check("education", stat.education, f"participant_stats.{i}.education")
    for i, line in enumerate(doc.budget_lines):
        check(COST_CATEGORY_LISTS[line.scheme], line.category, f"budget_lines.{i}.category")
    for i, cost in enumerate(doc.cost_actuals):
        check(COST_CATEGORY_LISTS[cost.scheme], cost.category, f"cost_actuals.{i}.category")
    problems += catalogue_problems(session, doc, prefix)  # links name a catalogue entry's key
    return problems, warnings
