"""Generated, realistic projects for trying the application at scale (``evaus dev generate``),
and accounts to try the reporting cycle with on them (``--accounts``).

The accounts: ``MANAGERS`` project managers, each linked to the team person of one of the first
generated projects (``dev:1``, ``dev:2`` …) and also in the team of a few more of them
(``PROJECTS_EACH`` in all), so each has projects whose reports fall due; and one reviewer. Their
names are the generated people's, their addresses under the top-level domain ``.example``, which
RFC 2606 reserves (mail to them goes nowhere; ``.invalid`` and ``.test`` are reserved too, but
the address check refuses them as special-use names). The same registry gives the same
accounts, so a second run makes none again; an account that exists is left as it is (its
password too). The password is the caller's: asked only when an account is made, never built
in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from project_db import accounts
from project_db import deadlines as deadline_data
from project_db import generated as generated_data
from project_db.audit import set_actor

from .access import Actor, require_admin
from .projects import count_from_source
from .users import create_user, update_user

SOURCE_PREFIX = "dev:"
MANAGERS = 3
PROJECTS_EACH = 4  # generated projects in each manager's team (the first 12 between them)
ACCOUNT_DOMAIN = "kokeilu.example"  # RFC 2606 reserves .example: never a real address
MANAGER_TEAM_ROLE = "Projektipäällikkö"


def generate_projects(
    session: Session,
    count: int,
    seed: int = 1,
    *,
    actor: Actor,
    batch: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Store ``count`` generated projects, one commit per ``batch`` (administrators only).
    Numbers go on from earlier runs, so names and source keys stay unique."""
    require_admin(actor)
    from ..dev.generate import generate  # the generator's data tables only when used

    earlier = count_from_source(session, SOURCE_PREFIX, actor=actor)
    return generate(session, count, seed, first=earlier + 1, batch=batch, progress=progress)


@dataclass(frozen=True)
class GeneratedAccount:
    """An account to try the reporting cycle with, as the command lists it."""

    username: str
    role: str
    name: str
    email: str | None
    projects: int  # the projects in whose team the user is (a reviewer: 0)
    created: bool  # False: it was there already (from an earlier run)


@dataclass(frozen=True)
class _Planned:
    username: str
    role: str
    name: str
    person_id: int | None = None
    project_ids: tuple[int, ...] = ()


_TRANSLITERATION = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u"})


def _username(name: str) -> str:
    """'Päivi Mäkelä' → 'paivi.makela'."""
    ascii_name = name.lower().translate(_TRANSLITERATION)
    return re.sub(r"[^a-z0-9]+", ".", ascii_name).strip(".")[:60] or "user"


def _plan(session: Session) -> list[_Planned]:
    """The accounts this registry's generated projects call for (none without them)."""
    from ..dev.generate import FIRST, LAST  # the generated people's names

    planned: list[_Planned] = []
    for number in range(1, MANAGERS + 1):
        person = generated_data.first_team_person(session, f"{SOURCE_PREFIX}{number}")
        if person is None:
            continue
        others = (
            generated_data.project_id_by_source(session, f"{SOURCE_PREFIX}{number + k * MANAGERS}")
            for k in range(1, PROJECTS_EACH)
        )
        planned.append(
            _Planned(
                username=_username(person.name),
                role="manager",
                name=person.name,
                person_id=person.person_id,
                project_ids=(person.project_id, *(p for p in others if p is not None)),
            )
        )
    if not planned:
        return []
    # The reviewer is nobody's team member: a name of the generated people's that no manager has.
    taken = {p.name for p in planned}
    name = next(
        f"{first} {last}"
        for first in reversed(FIRST)
        for last in reversed(LAST)
        if f"{first} {last}" not in taken
    )
    planned.append(_Planned(username=_username(name), role="reviewer", name=name))
    # Two managers of the same name (in different towns) get different user names.
    seen: dict[str, int] = {}
    unique = []
    for item in planned:
        seen[item.username] = times = seen.get(item.username, 0) + 1
        unique.append(item if times == 1 else replace(item, username=f"{item.username}{times}"))
    return unique


def generate_accounts(
    session: Session,
    *,
    password: Callable[[], str],
    actor: Actor,
    language: str = "fi",
) -> list[GeneratedAccount]:
    """Make the managers and the reviewer to try the reporting cycle with on the generated
    projects (administrators only). ``password`` gives the new accounts' password; it is asked
    only when an account is made. Accounts that exist are listed as they are; the managers join
    the teams of their projects when they are not in them (the project's history shows it)."""
    require_admin(actor)
    chosen: list[str] = []

    def the_password() -> str:
        if not chosen:
            chosen.append(password())
        return chosen[0]

    result = []
    for planned in _plan(session):
        user = accounts.user_by_username(session, planned.username)
        created = user is None
        if user is None:
            user = create_user(
                session,
                planned.username,
                role=planned.role,
                password=the_password(),
                display_name=planned.name,
                email=f"{planned.username}@{ACCOUNT_DOMAIN}",
                language=language,
                actor=actor,
            )
            if planned.person_id is not None:
                user = update_user(session, user.id, person_id=planned.person_id, actor=actor)
        projects = 0
        if user.role == "manager" and user.person_id is not None:
            set_actor(session, actor.username)
            for project_id in planned.project_ids:
                generated_data.join_team(session, project_id, user.person_id, MANAGER_TEAM_ROLE)
            session.commit()
            projects = len(deadline_data.team_project_ids(session, user.person_id))
        result.append(
            GeneratedAccount(
                username=user.username,
                role=user.role,
                name=user.display_name,
                email=user.email,
                projects=projects,
                created=created,
            )
        )
    return result


__all__ = [
    "ACCOUNT_DOMAIN",
    "SOURCE_PREFIX",
    "GeneratedAccount",
    "generate_accounts",
    "generate_projects",
]
