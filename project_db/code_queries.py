"""Reading the code lists and the organisations: a list's items, whether a code is taken,
how many rows use a code, and the organisations by name or Y-tunnus.

The default lists and which fields use which list are in ``codes``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from .codes import COST_CATEGORY_LISTS, PROJECT_CODE_FIELDS
from .models import (
    BudgetLine,
    CodeItem,
    CostActual,
    Funding,
    NarrativeSection,
    Organisation,
    ParticipantStat,
    Project,
    ProjectOrganisation,
)


def code_items(session: Session, list_name: str, *, active_only: bool = False) -> list[CodeItem]:
    """A code list's items in the list's order (ties by code)."""
    query = select(CodeItem).where(CodeItem.list_name == list_name)
    if active_only:
        query = query.where(CodeItem.active.is_(True))
    return list(session.scalars(query.order_by(CodeItem.sort_order, CodeItem.code)))


def all_code_items(session: Session) -> list[CodeItem]:
    """Every item of every list."""
    return list(session.scalars(select(CodeItem)))


def code_taken(session: Session, list_name: str, code: str) -> bool:
    query = select(CodeItem.id).where(CodeItem.list_name == list_name, CodeItem.code == code)
    return bool(session.scalar(query))


def last_sort_order(session: Session, list_name: str) -> int | None:
    """The highest position in the list (None for an empty list)."""
    return session.scalar(
        select(func.max(CodeItem.sort_order)).where(CodeItem.list_name == list_name)
    )


def _usage_columns(list_name: str) -> list[Any]:
    columns: list[Any] = [
        getattr(Project, field) for field, name in PROJECT_CODE_FIELDS.items() if name == list_name
    ]
    related: dict[str, list[Any]] = {
        "organisation_role": [ProjectOrganisation.role],
        "organisation_type": [Organisation.org_type],
        "funder": [Funding.funder_code],
        "section": [NarrativeSection.kind],
        "gender": [ParticipantStat.gender],
        "age_class": [ParticipantStat.age_class],
        "labour_status": [ParticipantStat.labour_status],
        "education": [ParticipantStat.education],
        # Codes shared by two schemes' lists count in both: a code is never deleted in use.
        **{
            name: [BudgetLine.category, CostActual.category]
            for name in COST_CATEGORY_LISTS.values()
        },
    }
    return columns + related.get(list_name, [])


def code_usage(session: Session, list_name: str, code: str) -> int:
    """How many rows refer to this code (projects, organisations, funding, sections …)."""
    total = 0
    for column in _usage_columns(list_name):
        condition: ColumnElement[bool] = column == code
        total += session.scalar(select(func.count()).where(condition)) or 0
    return total


def organisations_by_name(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def organisation_with_ytunnus(
    session: Session, y_tunnus: str, *, other_than: int | None = None
) -> int | None:
    """The id of an organisation (other than ``other_than``) with this Y-tunnus."""
    query = select(Organisation.id).where(Organisation.y_tunnus == y_tunnus)
    if other_than is not None:
        query = query.where(Organisation.id != other_than)
    return session.scalar(query)


__all__ = [
    "all_code_items",
    "code_items",
    "code_taken",
    "code_usage",
    "last_sort_order",
    "organisation_with_ytunnus",
    "organisations_by_name",
]
