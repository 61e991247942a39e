"""Personal data (GDPR): what is stored about a person, and erasing it. Administrators only.

``person_report`` gathers everything about one person: the person record, their roles in
projects (with the project names), the users linked to them and the audit entries that mention
them (entries about the person or their project roles, and entries whose old or new value holds
their e-mail, phone or name). ``erase_person`` either pseudonymises the person (the name becomes
"Poistettu henkilö N", e-mail and phone are cleared, and the same values are replaced in the
audit log's old and new values) or deletes their project roles and the person record. Both are
audited: who erased whom and when.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from project_db.audit import set_actor
from project_db.errors import N_, NotFound, Problem, ValidationFailed
from project_db.models import AuditEntry, Person, Project, ProjectPerson, User
from project_db.schemas import ProjectDoc
from project_db.store import apply_doc, to_doc

from .access import Actor, require_admin

PSEUDONYM = "Poistettu henkilö {id}"
REMOVED = "[yhteystieto poistettu]"  # an e-mail or phone number typed into free text
_PERSON_ENTITIES = ("person", "project_person")


def find_person(session: Session, reference: str, *, actor: Actor) -> Person:
    """A person by id or by e-mail (case-insensitive)."""
    require_admin(actor)
    reference = reference.strip()
    person = session.get(Person, int(reference)) if reference.isdigit() else None
    if person is None and reference:
        person = session.scalar(
            select(Person)
            .where(func.lower(Person.email) == reference.lower())
            .order_by(Person.id)
            .limit(1)
        )
    if person is None:
        raise NotFound("person", reference)
    return person


def search_people(session: Session, text: str, *, actor: Actor, limit: int = 50) -> list[Person]:
    """People whose name or e-mail contains the text (all of them when it is blank)."""
    require_admin(actor)
    stmt = select(Person).order_by(Person.name, Person.id).limit(limit)
    if text.strip():
        pattern = (
            "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        stmt = stmt.where(
            or_(Person.name.ilike(pattern, escape="\\"), Person.email.ilike(pattern, escape="\\"))
        )
    return list(session.scalars(stmt))


def _identifiers(person: Person) -> list[str]:
    """The values that identify the person in free text, longest first."""
    values = {v for v in (person.email, person.phone, person.name) if v and len(v) >= 3}
    return sorted(values, key=len, reverse=True)


def _mentions(session: Session, person: Person) -> list[AuditEntry]:
    role_ids = select(ProjectPerson.id).where(ProjectPerson.person_id == person.id)
    conditions: list[Any] = [
        (AuditEntry.entity == "person") & (AuditEntry.entity_id == person.id),
        (AuditEntry.entity == "project_person") & AuditEntry.entity_id.in_(role_ids),
    ]
    for value in _identifiers(person):
        conditions += [
            AuditEntry.old_value.contains(value, autoescape=True),
            AuditEntry.new_value.contains(value, autoescape=True),
        ]
    return list(session.scalars(select(AuditEntry).where(or_(*conditions)).order_by(AuditEntry.id)))


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def person_report(session: Session, person_id: int, *, actor: Actor) -> dict[str, Any]:
    """Everything stored about the person, as JSON-ready data (the right of access)."""
    require_admin(actor)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person", person_id)
    roles = session.execute(
        select(ProjectPerson, Project.name)
        .join(Project, ProjectPerson.project_id == Project.id)
        .where(ProjectPerson.person_id == person.id)
        .order_by(Project.name, ProjectPerson.id)
    ).all()
    users = session.scalars(select(User).where(User.person_id == person.id).order_by(User.id))
    return {
        "format": "evaus-personal-data",
        "generated_at": datetime.now(UTC).isoformat(),
        "generated_by": actor.username,
        "person": {
            "id": person.id,
            "key": person.key,
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "organisation": person.organisation.name if person.organisation else None,
            "created_at": _stamp(person.created_at),
            "updated_at": _stamp(person.updated_at),
        },
        "project_roles": [
            {
                "project_id": role.project_id,
                "project_name": project_name,
                "role": role.role,
                "is_contact": role.is_contact,
                "is_team": role.is_team,
            }
            for role, project_name in roles
        ],
        "users": [
            {
                "id": user.id,
                "username": user.username,
                "display_name": user.display_name,
                "email": user.email,
                "role": user.role,
                "active": user.active,
                "language": user.language,
                "last_login_at": _stamp(user.last_login_at),
            }
            for user in users
        ],
        "audit_entries": [
            {
                "id": entry.id,
                "at": _stamp(entry.at),
                "actor": entry.actor,
                "action": entry.action,
                "entity": entry.entity,
                "entity_id": entry.entity_id,
                "project_id": entry.project_id,
                "field": entry.field,
                "old_value": entry.old_value,
                "new_value": entry.new_value,
            }
            for entry in _mentions(session, person)
        ],
    }


def _scrub_audit(session: Session, values: list[str], replacements: dict[str, str]) -> int:
    """Replace the values in every audit entry's old and new value; returns how many changed."""
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


def _replaced(value: Any, values: list[str], replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        for old in values:
            value = value.replace(old, replacements[old])
        return value
    if isinstance(value, list):
        return [_replaced(item, values, replacements) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, values, replacements) for key, item in value.items()}
    return value


def _scrub_projects(session: Session, values: list[str], replacements: dict[str, str]) -> int:
    """The values typed into the projects' free texts (notes, narratives …) replaced too.

    Every project is looked through: an erasure is rare, and free text is not indexed.
    """
    changed = 0
    for project in session.scalars(select(Project).order_by(Project.id)):
        data = to_doc(project).model_dump(mode="json")
        new = _replaced(data, values, replacements)
        if new != data:
            apply_doc(session, project, ProjectDoc.model_validate(new))
            changed += 1
    return changed


def erase_person(
    session: Session, person_id: int, *, mode: str = "pseudonymise", actor: Actor
) -> dict[str, int]:
    """Pseudonymise or delete a person; returns what was changed (counts)."""
    require_admin(actor)
    if mode not in ("pseudonymise", "delete"):
        raise ValidationFailed(
            [
                Problem(
                    "mode", N_("must be one of: {expected}"), {"expected": "pseudonymise, delete"}
                )
            ]
        )
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person", person_id)
    pseudonym = PSEUDONYM.format(id=person.id)
    values = _identifiers(person)
    replacements = {v: (pseudonym if v == person.name else REMOVED) for v in values}
    set_actor(session, actor.username)
    counts = {"audit_entries": 0, "project_roles": 0, "users": 0, "projects": 0}
    users = list(session.scalars(select(User).where(User.person_id == person.id)))
    counts["users"] = len(users)
    for user in users:
        if user.email and person.email and user.email.casefold() == person.email.casefold():
            user.email = None
    if mode == "pseudonymise":
        person.name = pseudonym
        person.email = None
        person.phone = None
    else:
        roles = list(
            session.scalars(select(ProjectPerson).where(ProjectPerson.person_id == person.id))
        )
        counts["project_roles"] = len(roles)
        for role in roles:
            session.delete(role)
        for user in users:
            user.person_id = None
        session.flush()
        session.delete(person)
    session.flush()
    counts["projects"] = _scrub_projects(session, values, replacements)
    # The audit hook has just logged the old values too: scrub after the flush.
    session.flush()
    counts["audit_entries"] = _scrub_audit(session, values, replacements)
    session.add(
        AuditEntry(
            at=datetime.now(UTC),
            actor=actor.username,
            action="update" if mode == "pseudonymise" else "delete",
            entity="person",
            entity_id=person_id,
            field="gdpr",
            old_value=None,
            new_value="pseudonymised" if mode == "pseudonymise" else "deleted",
        )
    )
    session.commit()
    return counts
