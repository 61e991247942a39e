"""Editing the code lists and the organisation register (administrators only).

Projects refer to a code (``kaynnissa``), never to its label, so labels can be renamed freely.
A code that projects use is never deleted — it can only be deactivated, which keeps old projects
readable while the code disappears from new choices. Every change goes through the audited
session (``set_actor``) and every function starts with ``require_admin``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from project_db import code_queries
from project_db.audit import set_actor
from project_db.codes import DEFAULT_CODE_LISTS
from project_db.errors import N_, NotFound, Problem, ValidationFailed
from project_db.models import (
    CodeItem,
    Organisation,
)
from project_db.validators import clean_line, normalise_ytunnus

from .access import Actor, require_admin, require_read
from .codelists import _codes as codes

# The lists an administrator may edit, in the order the page offers them.
CODE_LIST_NAMES: tuple[str, ...] = tuple(DEFAULT_CODE_LISTS)

MAX_CODE = 80
MAX_LABEL = 300
MAX_ORG_NAME = 300

UNKNOWN_LIST = N_("Unknown code list {name}.")
CODE_LENGTH = N_("The code must be 1–80 characters long.")
CODE_TAKEN = N_("The code {code} is already in this list.")
LABEL_REQUIRED = N_("The Finnish label is required (at most 300 characters).")
LABEL_TOO_LONG = N_("A label may have at most 300 characters.")
CODE_IN_USE = N_(
    "The code {code} is used {count} times, so it cannot be deleted. Deactivate it instead."
)
BAD_YTUNNUS = N_("is not valid (the form is 1234567-8 and the check digit must match)")
ORG_NAME_LENGTH = N_("must be 1–300 characters long")
ALREADY_IN_USE = N_("is already in use: {value}")
UNKNOWN_ORG_TYPE = N_("unknown value {value}; allowed values: {allowed}")


def _check_list(list_name: str) -> None:
    if list_name not in CODE_LIST_NAMES:
        raise ValidationFailed([Problem("", UNKNOWN_LIST, {"name": list_name})])


def _item(session: Session, item_id: int) -> CodeItem:
    item = session.get(CodeItem, item_id)
    if item is None:
        raise NotFound("code item", item_id)
    return item


def _label_problems(fi: str | None, sv: str | None, en: str | None) -> list[Problem]:
    problems = []
    if fi is not None and not (0 < len(fi) <= MAX_LABEL):
        problems.append(Problem("", LABEL_REQUIRED))
    if any(value is not None and len(value) > MAX_LABEL for value in (sv, en)):
        problems.append(Problem("", LABEL_TOO_LONG))
    return problems


def list_codes(session: Session, list_name: str, *, actor: Actor) -> list[CodeItem]:
    """Every code of a list, inactive ones included, in the list's order."""
    require_admin(actor)
    _check_list(list_name)
    return codes(session, list_name)


def add_code(
    session: Session,
    list_name: str,
    code: str,
    *,
    label_fi: str,
    label_sv: str = "",
    label_en: str = "",
    actor: Actor,
) -> CodeItem:
    """A new code at the end of the list."""
    require_admin(actor)
    _check_list(list_name)
    code = clean_line(code)
    fi, sv, en = clean_line(label_fi), clean_line(label_sv), clean_line(label_en)
    problems = _label_problems(fi, sv, en)
    if not (0 < len(code) <= MAX_CODE):
        problems.insert(0, Problem("", CODE_LENGTH))
    elif code_queries.code_taken(session, list_name, code):
        problems.insert(0, Problem("", CODE_TAKEN, {"code": code}))
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor.username)
    last = code_queries.last_sort_order(session, list_name)
    item = CodeItem(
        list_name=list_name,
        code=code,
        label_fi=fi,
        label_sv=sv,
        label_en=en,
        sort_order=(last + 1) if last is not None else 0,
        active=True,
    )
    session.add(item)
    session.commit()
    return item


def update_code(
    session: Session,
    item_id: int,
    *,
    actor: Actor,
    label_fi: str | None = None,
    label_sv: str | None = None,
    label_en: str | None = None,
) -> CodeItem:
    """Rename a code's labels (the code itself stays: projects refer to it)."""
    require_admin(actor)
    item = _item(session, item_id)
    fi, sv, en = (clean_line(v) if v is not None else None for v in (label_fi, label_sv, label_en))
    problems = _label_problems(fi, sv, en)
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor.username)
    if fi is not None:
        item.label_fi = fi
    if sv is not None:
        item.label_sv = sv
    if en is not None:
        item.label_en = en
    session.commit()
    return item


def set_code_active(session: Session, item_id: int, active: bool, *, actor: Actor) -> CodeItem:
    """Deactivate (hide from new choices) or reactivate a code."""
    require_admin(actor)
    item = _item(session, item_id)
    set_actor(session, actor.username)
    item.active = active
    session.commit()
    return item


def reorder_codes(
    session: Session, list_name: str, ordered_ids: list[int], *, actor: Actor
) -> list[CodeItem]:
    """Put a list in the given order; codes not named keep their order after the named ones."""
    require_admin(actor)
    _check_list(list_name)
    items = codes(session, list_name)
    by_id = {item.id: item for item in items}
    named = [by_id[i] for i in dict.fromkeys(ordered_ids) if i in by_id]
    rest = [item for item in items if item.id not in {n.id for n in named}]
    set_actor(session, actor.username)
    for order, item in enumerate(named + rest):
        if item.sort_order != order:
            item.sort_order = order
    session.commit()
    return named + rest


def move_code(session: Session, item_id: int, offset: int, *, actor: Actor) -> list[CodeItem]:
    """Move a code up (offset -1) or down (+1) in its list."""
    require_admin(actor)
    item = _item(session, item_id)
    ids = [c.id for c in codes(session, item.list_name)]
    index = ids.index(item.id)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    return reorder_codes(session, item.list_name, ids, actor=actor)


def code_usage(session: Session, list_name: str, code: str, *, actor: Actor) -> int:
    """How many rows refer to this code (projects, organisations, funding, sections …)."""
    require_read(actor)
    return code_queries.code_usage(session, list_name, code)


def delete_code(session: Session, item_id: int, *, actor: Actor) -> None:
    """Delete a code nobody uses; a code in use is refused (deactivate it instead)."""
    require_admin(actor)
    item = _item(session, item_id)
    used = code_usage(session, item.list_name, item.code, actor=actor)
    if used:
        raise ValidationFailed([Problem("", CODE_IN_USE, {"code": item.code, "count": used})])
    set_actor(session, actor.username)
    session.delete(item)
    session.commit()


# --- organisations ---------------------------------------------------------------------------


def list_organisations(session: Session, *, actor: Actor) -> list[Organisation]:
    require_admin(actor)
    return code_queries.organisations_by_name(session)


def update_organisation(
    session: Session,
    organisation_id: int,
    *,
    actor: Actor,
    name: str | None = None,
    org_type: str | None = None,
    y_tunnus: str | None = None,
) -> Organisation:
    """Change an organisation's name, type (a code of ``organisation_type``) or Y-tunnus.

    ``org_type=""`` and ``y_tunnus=""`` clear the value; the Y-tunnus check digit is verified.
    """
    require_admin(actor)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("organisation", organisation_id)
    problems: list[Problem] = []
    clean_name = clean_line(name) if name is not None else None
    if clean_name is not None and not (0 < len(clean_name) <= MAX_ORG_NAME):
        problems.append(Problem("name", ORG_NAME_LENGTH))
    if org_type:
        allowed = [c.code for c in codes(session, "organisation_type")]
        if org_type not in allowed:
            problems.append(
                Problem(
                    "org_type", UNKNOWN_ORG_TYPE, {"value": org_type, "allowed": ", ".join(allowed)}
                )
            )
    normalised: str | None = None
    if y_tunnus and y_tunnus.strip():
        try:
            normalised = normalise_ytunnus(y_tunnus)
        except ValueError:
            problems.append(Problem("y_tunnus", BAD_YTUNNUS))
        else:
            other = code_queries.organisation_with_ytunnus(
                session, normalised, other_than=organisation.id
            )
            if other is not None:
                problems.append(Problem("y_tunnus", ALREADY_IN_USE, {"value": normalised}))
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor.username)
    if clean_name is not None:
        organisation.name = clean_name
    if org_type is not None:
        organisation.org_type = org_type or None
    if y_tunnus is not None:
        organisation.y_tunnus = normalised
    session.commit()
    return organisation
