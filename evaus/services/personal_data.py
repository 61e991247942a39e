"""Personal data (GDPR): what is stored about a person, and erasing it. Administrators only.

``person_report`` gathers everything about one person: the person record, their roles in
projects (with the project names), the users linked to them and the audit entries that mention
them (entries about the person or their project roles, and entries whose old or new value holds
their e-mail, phone or name), their users' in-app notices and the e-mails addressed to them.
``erase_person`` deletes those notices and e-mails and either pseudonymises the person (the name
becomes "Poistettu henkilö N", e-mail and phone are cleared, and the same values are replaced in
the audit log's old and new values) or deletes their project roles and the person record. Both
are audited: who erased whom and when.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from project_db import notifications as notice_data
from project_db import people
from project_db.audit import set_actor
from project_db.errors import N_, NotFound, Problem, ValidationFailed
from project_db.listing import projects_in_id_order
from project_db.models import AuditEntry, Person, User
from project_db.outbox import MailMessage
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
        person = people.person_by_email(session, reference)
    if person is None:
        raise NotFound("person", reference)
    return person


def search_people(session: Session, text: str, *, actor: Actor, limit: int = 50) -> list[Person]:
    """People whose name or e-mail contains the text (all of them when it is blank)."""
    require_admin(actor)
    return people.people_matching(session, text, limit=limit)


def _identifiers(person: Person) -> list[str]:
    """The values that identify the person in free text, longest first."""
    values = {v for v in (person.email, person.phone, person.name) if v and len(v) >= 3}
    return sorted(values, key=len, reverse=True)


def _mentions(session: Session, person: Person) -> list[AuditEntry]:
    return people.audit_mentions(session, person.id, _identifiers(person))


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _mail_of(session: Session, person: Person, users: list[User]) -> list[MailMessage]:
    """The outbox messages to the person's users or to their addresses."""
    addresses = [a for a in [person.email, *(u.email for u in users)] if a]
    return notice_data.mail_to(session, [u.id for u in users], addresses)


def person_report(session: Session, person_id: int, *, actor: Actor) -> dict[str, Any]:
    """Everything stored about the person, as JSON-ready data (the right of access)."""
    require_admin(actor)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person", person_id)
    roles = people.project_roles(session, person.id)
    users = people.users_of(session, person.id)
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
        "notices": [
            {
                "id": notice.id,
                "user_id": notice.user_id,
                "kind": notice.kind,
                "text_fi": notice.text_fi,
                "text_sv": notice.text_sv,
                "text_en": notice.text_en,
                "link": notice.link,
                "created_at": _stamp(notice.created_at),
                "read_at": _stamp(notice.read_at),
            }
            for notice in notice_data.notices_of(session, [u.id for u in users])
        ],
        "mail_messages": [
            {
                "id": mail.id,
                "user_id": mail.user_id,
                "recipient": mail.recipient,
                "language": mail.language,
                "subject": mail.subject,
                "body_text": mail.body_text,
                "link": mail.link,
                "state": mail.state,
                "last_error": mail.last_error,
                "created_at": _stamp(mail.created_at),
                "sent_at": _stamp(mail.sent_at),
            }
            for mail in _mail_of(session, person, users)
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
    return people.scrub_audit_values(session, {value: replacements[value] for value in values})


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
    for project in projects_in_id_order(session):
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
    users = people.users_of(session, person.id)
    counts["users"] = len(users)
    # Their notices and the e-mails to them go (a queued one is not sent any more).
    notices = notice_data.notices_of(session, [u.id for u in users])
    mails = _mail_of(session, person, users)
    counts["notices"], counts["mail_messages"] = len(notices), len(mails)
    for row in [*notices, *mails]:
        session.delete(row)
    for user in users:
        if user.email and person.email and user.email.casefold() == person.email.casefold():
            user.email = None
    if mode == "pseudonymise":
        person.name = pseudonym
        person.email = None
        person.phone = None
    else:
        roles = people.role_rows(session, person.id)
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
