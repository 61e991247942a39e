"""Bulk creation finds the stored people and organisations in a few queries for the whole batch
(``store.stored_shared``) by the same rules and order of preference as one query per input
(``find_or_create_person`` / ``find_or_create_organisation`` on their own), on SQLite and
PostgreSQL: the same stored record, or a new one in the same cases, with the same details.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from evaus.db import Database
from project_db.audit import set_actor
from project_db.bulk import create_projects
from project_db.models import Funding, Organisation, Person, ProjectOrganisation, ProjectPerson
from project_db.schemas import (
    FundingIn,
    OrganisationIn,
    PersonIn,
    ProjectDoc,
    ProjectOrganisationIn,
    ProjectPersonIn,
)
from project_db.store import find_or_create_organisation, find_or_create_person

KUOPIO = "Kuopion kaupunki"
SYDAN = "Savon Sydän ry"


def _stored(session: Session) -> dict[tuple[str, int], str]:
    """What the registry holds before the import, by a name for each record."""
    kuopio = Organisation(name=KUOPIO)
    kuopio_too = Organisation(name=KUOPIO, y_tunnus="0171519-8")  # same name, another record
    sydan = Organisation(name=SYDAN, y_tunnus="1234567-1")
    session.add_all([kuopio, kuopio_too, sydan])
    session.flush()
    people = {
        # Same name, different e-mail, same organisation: the first saved is the one.
        "maija": Person(name="Maija Mallikas", email="maija@kuopio.fi", organisation=kuopio),
        "maija_too": Person(
            name="Maija Mallikas", email="maija.m@kuopio.fi", organisation=kuopio_too
        ),
        # Known without e-mail, twice: the first saved is the one.
        "ville": Person(name="Ville Virta"),
        "ville_too": Person(name="Ville Virta"),
        "anna": Person(name="Anna Aalto", email="anna@sydan.fi", organisation=sydan),
        "kalle": Person(name="Kalle Kivi", email="kalle@example.fi"),
    }
    for person in people.values():
        session.add(person)
        session.flush()
    records = {("person", person.id): name for name, person in people.items()}
    orgs = {"kuopio": kuopio, "kuopio_too": kuopio_too, "sydan": sydan}
    return records | {("org", org.id): name for name, org in orgs.items()}


def _person(name: str, **details: Any) -> ProjectPersonIn:
    return ProjectPersonIn(person=PersonIn(name=name, **details))


def _docs() -> list[ProjectDoc]:
    people = [
        # A new e-mail, same name in the same organisation: the stored person.
        _person("Maija Mallikas", email="maija.uusi@kuopio.fi", organisation=KUOPIO),
        # The stored person's former e-mail (the one just changed above).
        _person("Maija Mallikas", email="maija@kuopio.fi"),
        # By name without e-mail, twice (the second input differs by its phone).
        _person("Ville Virta"),
        _person("Ville Virta", phone="040 123 4567"),
        # New, then the same e-mail again: the person created earlier in this import.
        _person("Uusi Ihminen", email="uusi@example.fi", organisation="Uusi Oy"),
        _person("Uusi Ihminen", email="uusi@example.fi", phone="050 765 4321"),
        # Same name and organisation as the one created earlier in this import, another
        # e-mail: the organisation's stored people are looked for, and it is not stored yet.
        _person("Uusi Ihminen", email="toinen@example.fi", organisation="Uusi Oy"),
        # New without e-mail, then again with an organisation.
        _person("Ilman Sähköpostia"),
        _person("Ilman Sähköpostia", organisation=KUOPIO),
        # A new e-mail in the stored organisation.
        _person("Anna Aalto", email="anna.uusi@sydan.fi", organisation=SYDAN),
        # The stored person has an e-mail, this input has none: a new person.
        _person("Kalle Kivi"),
        # Only the e-mail matches (another name): the stored person, renamed.
        _person("K. Kivi", email="kalle@example.fi"),
    ]
    organisations = [
        ProjectOrganisationIn(organisation=OrganisationIn(name=KUOPIO), role="toteuttaja"),
        ProjectOrganisationIn(
            organisation=OrganisationIn(name="Savon Sydän", y_tunnus="1234567-1"), role="partneri"
        ),
        ProjectOrganisationIn(
            organisation=OrganisationIn(name=KUOPIO, y_tunnus="2345678-0"), role="partneri"
        ),
        ProjectOrganisationIn(organisation=OrganisationIn(name="Uusi Oy"), role="partneri"),
    ]
    funding = [FundingIn(funder=OrganisationIn(name="Uusi Säätiö", y_tunnus="3456780-6"))]
    half = len(people) // 2
    return [
        ProjectDoc(
            name="Ensimmäinen",
            people=people[:half],
            organisations=organisations[:2],
            funding=funding,
        ),
        ProjectDoc(
            name="Toinen",
            people=people[half:],
            organisations=organisations[2:],
            funding=funding,
        ),
    ]


def _one_query_each(session: Session, docs: list[ProjectDoc]) -> tuple[list[Any], list[Any]]:
    """The organisations and people as found or made one input at a time, in the order
    ``create_projects`` takes them (organisations, funders, people), each distinct input once."""
    unsaved: dict[Hashable, Any] = {}
    shared: dict[str, Any] = {}

    def once(marker: str, make: Any) -> Any:
        if marker not in shared:
            shared[marker] = make()
        return shared[marker]

    def organisation(data: OrganisationIn) -> Any:
        return once(
            "org:" + data.model_dump_json(),
            lambda: find_or_create_organisation(session, data, unsaved),
        )

    def person(data: PersonIn) -> Any:
        return once(
            "person:" + data.model_dump_json(),
            lambda: find_or_create_person(session, data, unsaved),
        )

    orgs = [organisation(x.organisation) for doc in docs for x in doc.organisations]
    orgs += [organisation(x.funder) for doc in docs for x in doc.funding]
    people = [person(x.person) for doc in docs for x in doc.people]
    session.flush()
    return orgs, people


def _bulk(session: Session, docs: list[ProjectDoc]) -> tuple[list[Any], list[Any]]:
    """The organisations and people that ``create_projects`` linked to the projects."""
    ids = create_projects(session, docs)

    def linked(record: Any, link: Any) -> list[Any]:
        return [
            found
            for project_id in ids
            for found in session.scalars(
                select(record)
                .join(link)
                .where(link.project_id == project_id)
                .order_by(link.position)
            )
        ]

    orgs = linked(Organisation, ProjectOrganisation) + linked(Organisation, Funding)
    people = linked(Person, ProjectPerson)
    return orgs, people


def _outcome(records: list[Any], stored: dict[tuple[str, int], str]) -> list[tuple[Any, ...]]:
    """Each record as what it is: a stored one by its name, a new one by the order in which
    new ones first appear; with its details after the import."""
    new: dict[int, str] = {}
    result: list[tuple[Any, ...]] = []
    for record in records:
        kind = "person" if isinstance(record, Person) else "org"
        which = stored.get((kind, record.id)) or new.setdefault(record.id, f"new {len(new) + 1}")
        if isinstance(record, Person):
            org = record.organisation.name if record.organisation else None
            result.append((which, record.name, record.email, record.phone, org))
        else:
            result.append((which, record.name, record.y_tunnus))
    return result


def test_batch_finds_the_same_people_and_organisations(database: Database) -> None:
    docs = _docs()
    with database.session() as session:
        stored = _stored(session)
        session.commit()
    outcomes = []
    for resolve in (_one_query_each, _bulk):
        with database.session() as session:
            set_actor(session, "tester")
            orgs, people = resolve(session, docs)
            outcomes.append((_outcome(orgs, stored), _outcome(people, stored)))
            session.rollback()
    (orgs_each, people_each), (orgs_bulk, people_bulk) = outcomes
    assert people_bulk == people_each
    assert orgs_bulk == orgs_each
    # What the rules give, written out (so that both ways are checked, not only alike).
    by_input = [which for which, *_details in people_bulk]
    assert by_input == [
        "maija",  # same name in the same organisation, the first saved
        "maija",  # by its former e-mail
        "ville",
        "ville",
        "new 1",
        "new 1",  # the same e-mail as the person created earlier in this import
        "new 2",  # not stored yet, so not found by name in the organisation
        "new 3",
        "new 3",  # by name without e-mail, created earlier in this import
        "anna",
        "new 4",
        "kalle",
    ]
    assert people_bulk[1][2] == "maija@kuopio.fi"  # the last e-mail given wins
    assert people_bulk[8][4] == KUOPIO
    assert [which for which, *_details in orgs_bulk] == [
        "kuopio",  # by name: the first saved
        "sydan",  # by Y-tunnus, though named otherwise
        "kuopio",  # a new Y-tunnus: the one of that name without one (which gets it)
        "new 1",
        "new 2",
        "new 2",
    ]
    assert orgs_bulk[2][2] == "2345678-0"


def test_batch_reads_people_and_organisations_in_a_few_queries(database: Database) -> None:
    """However many people and organisations a batch names: at most six reads of them (by
    Y-tunnus, by name, by e-mail, by name without e-mail, by name in an organisation, the found
    people's organisations), not one to three for each."""
    docs = _docs()
    with database.session() as session:
        _stored(session)
        session.commit()
    reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        text = " ".join(statement.split()).lower()
        if text.startswith("select") and (" from person" in text or " from organisation" in text):
            reads.append(text)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        with database.session() as session:
            set_actor(session, "tester")
            create_projects(session, docs)
            session.rollback()
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert 0 < len(reads) <= 6, reads
