"""who was heard as a record: the way as a code, when, how many, children heard, what changed

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08

A hearing (kuuleminen) had its way as free text in ``method``. From this revision ``method``
holds a code (workshop, survey, interview, statement, other; "" = not given) and the way in
words is ``method_note``; new columns say when (``held_on``), how many people
(``participants``), whether children or young people were heard and how (``children_heard``,
``children_how``, LAVA) and what changed because of it (``outcome``).

Upgrade: each old text becomes the code it names when it names exactly one way, and the text is
kept whole as the note unless it is nothing but the way's name ("Kysely"). Downgrade writes the
way back as text (an upgraded text as it was; else the way's Finnish name and the note) and
drops the new columns in place; what the old columns cannot hold (the date, the count, children
heard and how, what changed, a way the text would not give back) is written as the summary's
last paragraph, "Kuulemisen tiedot (EVAUS): {json}", readable in the old version and read back
by the upgrade, so a downgrade and an upgrade lose nothing. The word lists are copied here on
purpose: a migration stays as it was written when the product's lists change.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_WORDS = {
    "workshop": ("työpaj", "workshop", "verkstad"),
    "survey": ("kysely", "survey", "questionnaire", "enkät"),
    "interview": ("haastat", "interview", "intervju"),
    "statement": ("lausun", "statement", "yttrande", "utlåtande", "remiss"),
}
_NAMES = {
    "workshop": ("työpaja", "työpajat", "workshop", "workshops", "verkstad"),
    "survey": ("kysely", "kyselyt", "survey", "enkät"),
    "interview": ("haastattelu", "haastattelut", "interview", "interviews", "intervju"),
    "statement": (
        "lausunto",
        "lausunnot",
        "kirjallinen lausunto",
        "written statement",
        "statement",
        "skriftligt yttrande",
        "yttrande",
    ),
}
# The way's name in Finnish, for the text a downgrade writes back.
_FINNISH = {
    "workshop": "Työpaja",
    "survey": "Kysely",
    "interview": "Haastattelu",
    "statement": "Kirjallinen lausunto",
    "other": "Muu tapa",
}
_LIMIT = 500  # the length of the method column


def _from_text(text: str) -> tuple[str, str]:
    """(code or "", note) of a way written as text."""
    stripped = " ".join(text.split())
    folded = stripped.casefold().rstrip(".")
    if not folded:
        return "", ""
    for code, names in _NAMES.items():
        if folded in names:
            return code, ""
    found = [code for code, words in _WORDS.items() if any(w in folded for w in words)]
    return (found[0] if len(found) == 1 else ""), stripped


def _as_text(code: str, note: str) -> str:
    """The way as one text: the note when it names the way itself (an upgraded text comes back
    as it was), else the way's Finnish name, with the note after it."""
    name = _FINNISH.get(code, code)
    if not note:
        return name
    if not name or _from_text(note)[0] == code:
        return note
    return f"{name}: {note}"[:_LIMIT]


_FACTS = "Kuulemisen tiedot (EVAUS): "  # starts the last paragraph of a downgraded summary


def _split_facts(summary: str) -> tuple[str, dict[str, Any] | None]:
    """A downgraded summary → (the summary itself, the record's facts); (summary, None) when it
    holds none or they were edited out of shape."""
    head, found, tail = summary.rpartition(_FACTS)
    if not found or "\n" in tail or (head and not head.endswith("\n\n")):
        return summary, None
    try:
        facts = json.loads(tail)
    except ValueError:
        return summary, None
    if not isinstance(facts, dict):
        return summary, None
    return head[:-2], facts


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _upgraded(method: str, summary: str) -> dict[str, Any]:
    """The new columns of one old row."""
    summary, facts = _split_facts(summary)
    if facts is None:
        code, note = _from_text(method)
        return {"method": code, "method_note": note, "summary": summary}
    code = facts.get("method")
    participants = facts.get("participants")
    return {
        "method": code if code in _FINNISH else "",
        "method_note": str(facts.get("method_note") or ""),
        "held_on": _day(facts.get("held_on")),
        "participants": participants if isinstance(participants, int) else None,
        "children_heard": facts.get("children_heard") is True,
        "children_how": str(facts.get("children_how") or ""),
        "summary": summary,
        "outcome": str(facts.get("outcome") or ""),
    }


def upgrade() -> None:
    with op.batch_alter_table("assessment_hearing", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("method_note", sa.String(length=500), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("held_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("participants", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "children_heard", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(
            sa.Column("children_how", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("outcome", sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    table = sa.table(
        "assessment_hearing",
        sa.column("id", sa.Integer()),
        sa.column("method", sa.String()),
        sa.column("method_note", sa.String()),
        sa.column("held_on", sa.Date()),
        sa.column("participants", sa.Integer()),
        sa.column("children_heard", sa.Boolean()),
        sa.column("children_how", sa.Text()),
        sa.column("summary", sa.Text()),
        sa.column("outcome", sa.Text()),
    )
    rows = connection.execute(sa.select(table.c.id, table.c.method, table.c.summary)).all()
    for ident, method, summary in rows:
        values = _upgraded(method or "", summary or "")
        if values["method"] != (method or "") or values["method_note"] or len(values) > 3:
            connection.execute(table.update().where(table.c.id == ident).values(**values))


def downgrade() -> None:
    connection = op.get_bind()
    table = sa.table(
        "assessment_hearing",
        sa.column("id", sa.Integer()),
        sa.column("method", sa.String()),
        sa.column("method_note", sa.String()),
        sa.column("held_on", sa.Date()),
        sa.column("participants", sa.Integer()),
        sa.column("children_heard", sa.Boolean()),
        sa.column("children_how", sa.Text()),
        sa.column("summary", sa.Text()),
        sa.column("outcome", sa.Text()),
    )
    for row in connection.execute(sa.select(table)).mappings().all():
        code, note = row["method"] or "", row["method_note"] or ""
        text = _as_text(code, note)
        summary = row["summary"] or ""
        facts = {
            "method": code or None,
            "method_note": note,
            "held_on": _day(row["held_on"]).isoformat() if row["held_on"] else None,
            "participants": row["participants"],
            "children_heard": bool(row["children_heard"]),
            "children_how": row["children_how"] or "",
            "outcome": row["outcome"] or "",
        }
        # What the old columns cannot hold goes to the end of the summary, readable and
        # read back by the upgrade: a downgrade and an upgrade lose nothing.
        if _from_text(text) != (code, note) or any(
            facts[name] for name in ("held_on", "children_heard", "children_how", "outcome")
        ) or facts["participants"] is not None:
            block = _FACTS + json.dumps(facts, ensure_ascii=False)
            summary = f"{summary}\n\n{block}" if summary else block
        if text != code or summary != (row["summary"] or ""):
            connection.execute(
                table.update()
                .where(table.c.id == row["id"])
                .values(method=text, summary=summary)
            )
    # recreate="never": SQLite drops the columns in place (3.35+), as in 0014; copying the
    # table would drop the old one under the foreign keys.
    with op.batch_alter_table("assessment_hearing", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("outcome")
        batch_op.drop_column("children_how")
        batch_op.drop_column("children_heard")
        batch_op.drop_column("participants")
        batch_op.drop_column("held_on")
        batch_op.drop_column("method_note")
