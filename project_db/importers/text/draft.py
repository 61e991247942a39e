"""The project being built from a source, with its warnings and notes, and the placing of
free-text blocks in it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from ... import validators as v
from ...errors import N_, ImportFailed
from ...schemas import MAX_TEXT, ProjectDoc
from .. import money
from ..base import ImportWarning, ParsedProject
from .codes import (
    FUNDERS,
    budget_class,
    budget_class_for,
    funder_code,
    money_in,
    org_type,
    region_code,
    status_code,
)
from .people import PersonFound
from .reading import excerpt, list_items
from .sections import EMPTY_UI_LABELS, Block
from .targets import parse_fi_date, quantified_targets

# --- message ids shared by the text importers ----------------------------------------------

MSG_UNPLACED = N_("Text that could not be placed was kept in the notes: {excerpt}")
MSG_INVALID = N_(
    "{field}: the value {value} is not valid; it was left empty and kept in the notes."
)
MSG_UNKNOWN = N_("{field}: the value {value} was not recognised; it was kept in the notes.")
MSG_SAME_DAY = N_("The start and end dates are the same day ({date}); please check them.")
MSG_PHONE = N_("The phone number {value} of {name} does not look valid; it was kept as written.")
MSG_INCOMPLETE = N_("The source seems incomplete: these were not found: {fields}.")
MSG_NOTES_CUT = N_(
    "The notes would be {length} characters long, more than the {limit} a project can hold; "
    "the text from “{excerpt}” on was left out of the notes."
)
MSG_OWN_FUNDING = N_(
    "Own funding is mentioned but the implementer is not known; it was not added as a "
    "funder: {excerpt}"
)
MSG_YEARLY_SUM = N_(
    "{funder}: the source gives amounts per year ({years}); their sum was used as the "
    "amount and the years were kept in the notes."
)
MSG_AMOUNT_UNPLACED = N_(
    "These amounts could not be tied to a funder or to the total ({amount}); they stay in "
    "the text: {excerpt}"
)

MAX_LISTED = 10  # amounts listed in one warning

# --- the project being built ---------------------------------------------------------------


class Draft:
    """A project dict being filled from a source, with its warnings and notes.

    ``finish`` validates it; values that do not pass are dropped with a warning and their
    raw text kept in the notes, so one bad value never fails the whole import.
    """

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.data: dict[str, Any] = {}
        self.warnings: list[ImportWarning] = []
        self.notes: list[str] = []
        self._notes_limit = MAX_TEXT
        self._notes_cut = False
        self._measured: set[tuple[Decimal, str]] = set()  # (target, unit) of the indicators
        self._funders: dict[tuple[str, str], dict[str, Any]] = {}  # funding rows by name, code

    # warnings and notes
    def warn(self, message: str, **params: Any) -> None:
        self.warnings.append(ImportWarning(message, params))

    def note(self, text: str) -> None:
        if text.strip():
            self.notes.append(text.strip())

    def unplaced(self, text: str) -> None:
        if text.strip():
            self.note(text)
            self.warn(MSG_UNPLACED, excerpt=excerpt(text))

    def invalid(self, label: str, value: str) -> None:
        self.note(f"{label}: {value}")
        self.warn(MSG_INVALID, field=label, value=excerpt(value))

    def unknown(self, label: str, value: str) -> None:
        self.note(f"{label}: {value}")
        self.warn(MSG_UNKNOWN, field=label, value=excerpt(value))

    # fields
    def set(self, key: str, value: Any) -> None:
        if value not in (None, ""):
            self.data[key] = value

    def set_date(self, key: str, raw: str, label: str) -> None:
        parsed = parse_fi_date(raw)
        if parsed is None:
            self.invalid(label, raw)
        else:
            self.data[key] = parsed.isoformat()

    def set_status(self, raw: str, label: str) -> None:
        self._set_code("status", status_code(raw), raw, label)

    def set_region(self, raw: str, label: str) -> None:
        self._set_code("region", region_code(raw), raw, label)

    def _set_code(self, key: str, code: str | None, raw: str, label: str) -> None:
        """The code the written value stands for, else the value kept as not recognised."""
        if code:
            self.data[key] = code
        else:
            self.unknown(label, raw)

    def set_budget(self, raw: str, label: str) -> None:
        amount = money_in(raw)
        code = budget_class(raw)
        if amount is not None and code is None:
            self.data["budget_amount"] = str(amount)
            self.data["budget_class"] = budget_class_for(amount)
        elif code:
            self.data["budget_class"] = code
        else:
            self.unknown(label, raw)

    def append_summary(self, text: str) -> None:
        if text.strip():
            current = self.data.get("summary", "")
            self.data["summary"] = f"{current}\n\n{text.strip()}" if current else text.strip()

    # related records
    def add_section(self, kind: str, title: str, body: str) -> None:
        self.data.setdefault("sections", []).append({"kind": kind, "title": title, "body": body})

    def add_organisation(self, name: str, role: str, **extra: Any) -> None:
        orgs = self.data.setdefault("organisations", [])
        if any(o["organisation"]["name"].casefold() == name.casefold() for o in orgs):
            return
        organisation = {"name": name, "org_type": extra.pop("org_type", None) or org_type(name)}
        organisation.update({k: val for k, val in extra.items() if val})
        orgs.append({"organisation": organisation, "role": role})

    def add_funder(self, name: str, code: str | None = None, **extra: Any) -> None:
        """A funder; named again (also by its code, for the funds and ministries that exist
        once), the row is completed with what it lacked, never duplicated or overwritten."""
        funding = self.data.setdefault("funding", [])
        code = code or funder_code(name)
        known = FUNDERS.get(code)
        existing = self._funders.get(("name", name.casefold()))
        if existing is None and known is not None:
            existing = self._funders.get(("code", code))
        if existing is not None:
            for key, value in extra.items():
                if value is not None and existing.get(key) is None:
                    existing[key] = value
            return
        canonical_type = known[1] if known and known[0] == name else None
        row: dict[str, Any] = {
            "funder": {"name": name, "org_type": org_type(name) or canonical_type},
            "funder_code": code,
        }
        row.update({k: val for k, val in extra.items() if val is not None})
        funding.append(row)
        self._funders[("name", name.casefold())] = row
        if known is not None:
            self._funders.setdefault(("code", code), row)

    def add_funding_text(self, text: str, *, own_funder: str | None = None) -> None:
        """The funders, their shares and the total stated in a costs text. The total is the
        budget; a funder's share is never taken for it. Own funding is the implementer's
        (``own_funder``); amounts that cannot be tied to a funder are reported."""
        if own_funder is None:
            own_funder = next(
                (
                    o["organisation"]["name"]
                    for o in self.data.get("organisations", [])
                    if o["role"] == "paatoteuttaja"
                ),
                None,
            )
        found = money.funding_in(text)
        if found.total is not None and "budget_amount" not in self.data:
            self.set("budget_amount", str(found.total))
            self.set("budget_class", budget_class_for(found.total))
        for share in found.funders:
            name = share.name or own_funder
            if not name:
                self.warn(MSG_OWN_FUNDING, excerpt=excerpt(text))
                continue
            amount = share.amount
            if amount is None and share.by_year:
                amount = sum(share.by_year.values(), Decimal(0))
                years = ", ".join(
                    f"{year}: {value} €" for year, value in sorted(share.by_year.items())
                )
                self.note(f"{name}: {years}")
                self.warn(MSG_YEARLY_SUM, funder=name, years=years)
            self.add_funder(
                name,
                share.code,
                amount=str(amount) if amount is not None else None,
                share_percent=str(share.share_percent) if share.share_percent is not None else None,
            )
        if found.unattributed:
            shown = [f"{amount.value} €" for amount in found.unattributed[:MAX_LISTED]]
            more = "…" if len(found.unattributed) > MAX_LISTED else ""
            self.warn(MSG_AMOUNT_UNPLACED, amount=", ".join(shown) + more, excerpt=excerpt(text))

    def add_person(
        self, person: PersonFound, *, organisation: str | None, is_contact: bool, is_team: bool
    ) -> None:
        if person.phone and not v.normalise_phone(person.phone)[1]:
            self.warn(MSG_PHONE, value=person.phone, name=person.name)
        self.data.setdefault("people", []).append(
            {
                "person": {
                    "name": person.name,
                    "email": person.email,
                    "phone": person.phone,
                    "organisation": organisation,
                },
                "role": person.role,
                "is_contact": is_contact,
                "is_team": is_team,
            }
        )

    def add_goals(self, items: list[str]) -> None:
        for item, key in self._add_keyed("goals", "g", items):
            self.add_targets(item, goal_key=key)

    def add_measures(self, items: list[str]) -> None:
        for item, key in self._add_keyed("measures", "m", items):
            self.add_targets(item, measure_key=key)

    def _add_keyed(self, list_name: str, prefix: str, items: list[str]) -> list[tuple[str, str]]:
        """Each item as a row of its own key (``g1``, ``g2`` …); (item, key) for each."""
        rows = self.data.setdefault(list_name, [])
        added = []
        for item in items:
            key = f"{prefix}{len(rows) + 1}"
            rows.append({"key": key, "title": item})
            added.append((item, key))
        return added

    def add_results(self, items: list[str], kind: str) -> None:
        results = self.data.setdefault("results", [])
        for item in items:
            results.append({"key": f"r{len(results) + 1}", "kind": kind, "text": item})
            self.add_targets(item)

    def add_targets(
        self, text: str, measure_key: str | None = None, goal_key: str | None = None
    ) -> None:
        """Indicators for the quantified targets of a text; a quantity already measured
        (the results repeating a measure's "vähintään 200 henkilöä") is not added twice."""
        indicators = self.data.setdefault("indicators", [])
        for target in quantified_targets(text):
            if (target.target, target.unit) in self._measured:
                continue
            self._measured.add((target.target, target.unit))
            indicator = {
                "key": f"i{len(indicators) + 1}",
                "name": target.name,
                "unit": target.unit,
                "target": str(target.target),
            }
            if measure_key:
                indicator["measure_key"] = measure_key
            if goal_key:
                indicator["goal_key"] = goal_key
            indicators.append(indicator)

    def require(self, labels: Mapping[str, str]) -> None:
        """Warn when fields the format always has are missing (a truncated source)."""
        missing = [label for key, label in labels.items() if not self.data.get(key)]
        if missing:
            self.warn(MSG_INCOMPLETE, fields=", ".join(missing))

    # result
    def finish(self, missing_name_message: str) -> ParsedProject:
        name = self.data.get("name", "")
        if not isinstance(name, str) or not v.clean_line(name):
            raise ImportFailed(missing_name_message)
        if "source_key" not in self.data:
            eura = self.data.get("eura_code")
            self.data["source_key"] = (
                f"eura:{eura}" if eura else f"{self.fmt}:{v.clean_line(name).casefold()}"
            )
        for key in ("sections", "organisations", "funding", "people", "goals", "measures"):
            self.data.setdefault(key, [])
        doc = self._validate(missing_name_message)
        return ParsedProject(doc=doc, warnings=self.warnings)

    def _validate(self, missing_name_message: str) -> ProjectDoc:
        """Validate; every value that fails in one round is dropped at once (kept in the
        notes), so the work is bounded: a few rounds, each linear in the size of the data."""
        for _round in range(MAX_VALIDATION_ROUNDS):
            self._fix_references()
            self.data["notes"] = self._notes_text()
            try:
                return ProjectDoc.model_validate(self.data)
            except ValidationError as exc:
                errors = exc.errors(include_url=False)
            targets: dict[tuple[int | str, ...], str] = {}
            for error in errors:
                loc = tuple(error["loc"])
                if loc == ("name",):
                    raise ImportFailed(missing_name_message) from None
                targets.setdefault(self._target(loc, str(error["type"])), str(error["type"]))
            if ("notes",) in targets:
                # Cleaning made the notes longer than counted: leave more room.
                self._notes_limit //= 2
                del targets[("notes",)]
            for path in sorted(targets, key=_path_order, reverse=True):
                self._drop(path)
        raise ImportFailed(missing_name_message)

    def _notes_text(self) -> str:
        """The notes joined, at most the length the notes field holds; a note that does not
        fit is cut with a warning (it is never put back into the notes)."""
        parts: list[str] = []
        used = 0
        for note in self.notes:
            cleaned = v.clean_text(note).strip()
            room = self._notes_limit - used - (2 if parts else 0)
            if len(cleaned) > room:
                if room > 0:
                    parts.append(cleaned[:room])
                if not self._notes_cut:
                    self.warn(
                        MSG_NOTES_CUT,
                        length=sum(len(n) + 2 for n in self.notes) - 2,
                        limit=self._notes_limit,
                        excerpt=excerpt(cleaned[max(room, 0) :]),
                    )
                    self._notes_cut = True
                break
            parts.append(cleaned)
            used += len(cleaned) + (2 if len(parts) > 1 else 0)
        return "\n\n".join(parts)

    def _target(self, loc: tuple[int | str, ...], error_type: str) -> tuple[int | str, ...]:
        """What to drop for an error: the value, or the list item holding a required one."""
        if not loc:
            loc = ("end_date",) if error_type == "end_before_start" else ("notes",)
        if error_type == "end_before_start" and isinstance(loc[-1], int):
            loc = (*loc, "end_date")
        if error_type == "missing":
            loc = _item_path(loc)
        if self._lookup(loc) is None:
            loc = _item_path(loc)
        return loc

    def _lookup(self, loc: tuple[int | str, ...]) -> tuple[Any, int | str] | None:
        parent: Any = self.data
        for part in loc[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                return None
        key = loc[-1]
        if isinstance(parent, list) and isinstance(key, int) and key < len(parent):
            return parent, key
        if isinstance(parent, dict) and key in parent:
            return parent, key
        return None

    def _drop(self, loc: tuple[int | str, ...]) -> None:
        """Remove the value at ``loc`` and say so; its text is kept in the notes."""
        found = self._lookup(loc)
        if found is None:
            raise ImportFailed(MSG_INVALID, field=".".join(str(p) for p in loc), value="")
        parent, key = found
        value = parent.pop(key)
        label = ".".join(str(p) for p in loc)
        self.invalid(label, value if isinstance(value, str) else _plain(value))

    def _fix_references(self) -> None:
        """Links to goals or measures that are no longer there (dropped) are removed."""
        goal_keys = {g.get("key") for g in self.data.get("goals", []) if isinstance(g, dict)}
        measure_keys = {m.get("key") for m in self.data.get("measures", []) if isinstance(m, dict)}
        for list_name in ("measures", "results", "indicators"):
            for item in self.data.get(list_name, []):
                if not isinstance(item, dict):
                    continue
                if item.get("goal_key") and item["goal_key"] not in goal_keys:
                    item.pop("goal_key")
                if item.get("measure_key") and item["measure_key"] not in measure_keys:
                    item.pop("measure_key")


MAX_VALIDATION_ROUNDS = 8


def _plain(value: Any) -> str:
    """The text of a dropped record, for the notes: its string values, not its repr."""
    if isinstance(value, dict):
        return "; ".join(_plain(item) for item in value.values() if item not in (None, ""))
    if isinstance(value, list):
        return "; ".join(_plain(item) for item in value)
    return str(value)


def _path_order(path: tuple[int | str, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in path)


def _item_path(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """The path of the list item that holds a field, or the field itself at the top."""
    for i in range(len(loc) - 1, -1, -1):
        if isinstance(loc[i], int):
            return loc[: i + 1]
    return loc


# --- placing free-text blocks --------------------------------------------------------------


def place_block(draft: Draft, block: Block) -> None:
    """A titled block of free text: logic-chain lists, costs, or a narrative section."""
    assert block.title is not None
    role = block.role
    items = list_items(block.lines)
    if role == "goals":
        draft.add_goals(items)
    elif role == "measures":
        draft.add_measures(items)
    elif role in ("results", "impacts"):
        draft.add_results(items, "impact" if role == "impacts" else "result")
    elif role == "budget":
        place_budget(draft, block)
    elif block.title.casefold() in EMPTY_UI_LABELS and not block.body:
        return
    else:
        draft.add_section(block.kind, block.title, block.body)


def place_budget(draft: Draft, block: Block) -> None:
    """Costs written in the text: the stated total becomes the budget, the funders named with
    their shares become funding rows; the text itself is kept as a section."""
    draft.add_funding_text("\n".join(block.lines))
    draft.add_section("muu", block.title or "", block.body)


def score(text: str | None, markers: Iterable[str], *, need: int = 1) -> float:
    """A detect score: the share of ``markers`` (case-folded substrings) found in the text,
    0 when fewer than ``need`` are there."""
    if not text:
        return 0.0
    folded = text.casefold()
    marker_list = list(markers)
    hits = sum(1 for m in marker_list if m.casefold() in folded)
    if hits < need:
        return 0.0
    return round(min(1.0, hits / len(marker_list)), 3)
