"""People (persons) and what is stored about them: looking them up, their project roles and
user accounts, the audit entries that mention them, and scrubbing values out of the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, or_, select, update
from sqlalchemy.orm import Session

from .models import AuditEntry, Person, Project, ProjectPerson, User


def person_by_email(session: Session, email: str) -> Person | None:
    """The first person with this e-mail, in any case."""
    return session.scalar(
        select(Person).where(func.lower(Person.email) == email.lower()).order_by(Person.id).limit(1)
    )


def _contains(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def people_matching(session: Session, text: str, *, limit: int) -> list[Person]:
    """People whose name or e-mail contains the text (all of them when it is blank), by name."""
    stmt = select(Person).order_by(Person.name, Person.id).limit(limit)
    if text.strip():
        pattern = _contains(text.strip())
        stmt = stmt.where(
            or_(Person.name.ilike(pattern, escape="\\"), Person.email.ilike(pattern, escape="\\"))
        )
    return list(session.scalars(stmt))


def project_roles(session: Session, person_id: int) -> Sequence[Row[ProjectPerson, str]]:
    """(project role, project name) of every role of the person, by project name."""
    return session.execute(
        select(ProjectPerson, Project.name)
        .join(Project, ProjectPerson.project_id == Project.id)
        .where(ProjectPerson.person_id == person_id)
        .order_by(Project.name, ProjectPerson.id)
    ).all()


def role_rows(session: Session, person_id: int) -> list[ProjectPerson]:
    """The person's project roles (rows to change or delete)."""
    return list(session.scalars(select(ProjectPerson).where(ProjectPerson.person_id == person_id)))


def users_of(session: Session, person_id: int) -> list[User]:
    """The user accounts linked to the person, oldest first."""
    return list(session.scalars(select(User).where(User.person_id == person_id).order_by(User.id)))


def audit_mentions(session: Session, person_id: int, values: Sequence[str]) -> list[AuditEntry]:
    """Entries about the person or their project roles, and entries whose old or new value
    contains any of ``values``, oldest first."""
    role_ids = select(ProjectPerson.id).where(ProjectPerson.person_id == person_id)
    conditions: list[Any] = [
        (AuditEntry.entity == "person") & (AuditEntry.entity_id == person_id),
        (AuditEntry.entity == "project_person") & AuditEntry.entity_id.in_(role_ids),
    ]
    for value in values:
        conditions += [
            AuditEntry.old_value.contains(value, autoescape=True),
            AuditEntry.new_value.contains(value, autoescape=True),
        ]
    return list(session.scalars(select(AuditEntry).where(or_(*conditions)).order_by(AuditEntry.id)))


def scrub_audit_values(session: Session, replacements: dict[str, str]) -> int:
    """Replace each key of ``replacements`` (in its order) by its value in every entry's old and
    new value; returns how many entries changed. The log is rewritten in place, not audited:
    this is how personal data leaves it."""
    values = list(replacements)
    if not values:
        return 0
    conditions = [
        column.contains(value, autoescape=True)
        for value in values
        for column in (AuditEntry.old_value, AuditEntry.new_value)
    ]
    changed = 0
    for entry in session.scalars(select(AuditEntry).where(or_(*conditions))):
        new_values = {}
        for column in ("old_value", "new_value"):
            value = original = getattr(entry, column)
            if not value:
                continue
            for old in values:
                value = value.replace(old, replacements[old])
            if value != original:
                new_values[column] = value
        if new_values:
            session.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values(new_values))
            changed += 1
    return changed


__all__ = [
    "audit_mentions",
    "people_matching",
    "person_by_email",
    "project_roles",
    "role_rows",
    "scrub_audit_values",
    "users_of",
]
