"""Form helpers of the project editor: the working copy as form text, and labelled inputs.

The editor works on a plain dict copy of the project document in which dates are written the
Finnish way (1.11.2020) and numbers with a decimal comma, exactly as the user types them. The
schema parses them back when the document is saved, so a wrong date or number is reported by
the same messages as everywhere else.
"""

from __future__ import annotations

import copy
import inspect
import typing
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement
from nicegui.elements.mixins.value_element import ValueElement
from pydantic import AfterValidator, BaseModel

from project_db.schemas import ProjectDoc

from ..components import date_input
from ..context import Translator

Data = dict[str, Any]

DATE_KEYS = frozenset(
    {
        "start_date",
        "end_date",
        "decision_date",
        "period_start",
        "period_end",
        "target_date",
        "revised_on",
    }
)
DECIMAL_KEYS = frozenset(
    {
        "budget_amount",
        "amount",
        "share_percent",
        "own_contribution",
        "baseline",
        "target",
        "old_target",
        "new_target",
        "value",
        "volunteer_hours",
    }
)
# Keys whose blank form value means "none" (a select's empty choice).
NULLABLE_KEYS = frozenset(
    {
        "baseline_basis",
        "goal_key",
        "measure_key",
        "parent_key",
        "period",
        "volunteers",
        "volunteers_basis",
    }
)


# --- text limits: read from the schemas, which check the same limits when saving -------------


def _length_limit(metadata: list[Any]) -> int | None:
    """The ``limit`` of a ``field_types.too_long`` validator among a field's metadata."""
    for item in metadata:
        func = getattr(item, "func", None)
        if isinstance(item, AfterValidator) and func is not None and _is_length_check(func):
            limit = inspect.getclosurevars(func).nonlocals.get("limit")
            if isinstance(limit, int):
                return limit
    return None


def _is_length_check(func: Any) -> bool:
    return callable(func) and getattr(func, "__qualname__", "").startswith("too_long.")


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


@cache
def _limits() -> dict[frozenset[str], dict[str, int]]:
    """Field name → limit for each model of a project document, by the model's field names."""
    found: dict[frozenset[str], dict[str, int]] = {}
    todo: list[type[BaseModel]] = [ProjectDoc]
    while todo:
        model = todo.pop()
        names = frozenset(model.model_fields)
        if names in found:
            continue
        found[names] = {}
        for name, info in model.model_fields.items():
            if (limit := _length_limit(info.metadata)) is not None:
                found[names][name] = limit
            todo.extend(_models(info.annotation))
    return found


def text_limit(data: Data, key: str) -> int | None:
    """The longest text the field accepts; ``data`` is recognised by its keys (its model)."""
    keys = frozenset(data)
    candidates = [names for names in _limits() if keys <= names and key in names]
    if not candidates:
        return None
    return _limits()[min(candidates, key=len)].get(key)


# Lists whose blank rows the working copy keeps but a saved document leaves out.
def _has_value(item: Any) -> bool:
    return bool(str(item.get("value") or "").strip())


def _has_count(item: Any) -> bool:
    return item.get("count") not in (None, "")


SAVED_ONLY_IF = {"values": _has_value, "participant_stats": _has_count}


def field_of(form: Data, path: str) -> tuple[Any, str] | None:
    """The working-copy container and key that a problem's path (of the saved document) names."""
    parts = path.split(".")
    node: Any = form
    for i, part in enumerate(parts[:-1]):
        if isinstance(node, list) and part.isdigit():
            kept = node
            test = SAVED_ONLY_IF.get(parts[i - 1]) if i else None
            if test is not None:
                kept = [item for item in node if test(item)]
            if int(part) >= len(kept):
                return None
            node = kept[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    if not isinstance(node, dict) or parts[-1] not in node:
        return None
    return node, parts[-1]


def bound_inputs(client: Any) -> list[ValueElement[Any]]:
    """The page's inputs that edit a field of the working copy."""
    return [
        element
        for element in list(client.elements.values())
        if isinstance(element, ValueElement) and hasattr(element, "form_binding")
    ]


def set_error(element: ValueElement[Any], message: str | None) -> None:
    """Quasar's error state and message under the input (``None`` clears them)."""
    if isinstance(element, ValidationElement):
        element.error = message
    elif element.props.get("error-message") != message:
        element.props["error"] = message is not None
        element.props["error-message"] = message


def _bind(element: ValueElement[Any], data: Data, key: str) -> None:
    """Remember which field the input edits, so a problem can be shown at the input."""
    element.form_binding = (data, key)  # type: ignore[attr-defined]


def new_key() -> str:
    return uuid.uuid4().hex


def form_date(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day}.{day.month}.{day.year}"


def form_number(value: Any, lang: str) -> str:
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number.normalize(), "f") if number == number.to_integral() else str(number)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if lang == "en" else text.replace(".", ",")


def to_form(data: Any, lang: str, key: str = "") -> Any:
    """A ``ProjectDoc.model_dump(mode="json")`` as the editor's working copy."""
    if isinstance(data, dict):
        return {k: to_form(v, lang, k) for k, v in data.items()}
    if isinstance(data, list):
        return [to_form(v, lang) for v in data]
    if key in DATE_KEYS:
        return form_date(data)
    if key in DECIMAL_KEYS:
        return form_number(data, lang)
    if data is None:
        return ""
    return data


def from_form(form: Data) -> Data:
    """The working copy as a document for ``save_project_doc`` (blank choices → None)."""
    doc = copy.deepcopy(form)

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (None if k in NULLABLE_KEYS and v == "" else clean(v)) for k, v in value.items()
            }
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    doc = dict(clean(doc))
    for indicator in doc.get("indicators", []):
        indicator["values"] = [v for v in indicator.get("values", []) if _has_value(v)]
    doc["participant_stats"] = [s for s in doc.get("participant_stats", []) if _has_count(s)]
    return doc


# --- inputs bound one way (input → working copy): no polling, no lost keystrokes -----------


def _setter(data: Data, key: str) -> Callable[[Any], None]:
    def set_value(event: Any) -> None:
        data[key] = event.value if event.value is not None else ""
        if isinstance(event.sender, ValueElement) and hasattr(event.sender, "form_binding"):
            set_error(event.sender, None)  # the user is correcting it; the next save checks again

    return set_value


def _limited(element: ValueElement[Any], data: Data, key: str) -> None:
    _bind(element, data, key)
    if (limit := text_limit(data, key)) is not None:
        element.props(f"maxlength={limit} counter")


def text(data: Data, key: str, label: str, *, classes: str = "w-full") -> ui.input:
    element = ui.input(label, value=data.get(key) or "", on_change=_setter(data, key))
    _limited(element, data, key)
    return element.classes(classes)


def long_text(data: Data, key: str, label: str, *, rows: int = 4) -> ui.textarea:
    element = ui.textarea(label, value=data.get(key) or "", on_change=_setter(data, key))
    _limited(element, data, key)
    return element.classes("w-full").props(f"rows={rows} autogrow")


def number_text(data: Data, key: str, label: str, *, classes: str = "w-40") -> ui.input:
    """A number as text: '1 000 000,50' and '12,5' are accepted (checked when saved)."""
    element = text(data, key, label, classes=classes)
    return element.props('inputmode="decimal"')


def whole_number(data: Data, key: str, label: str, *, classes: str = "w-32") -> ui.input:
    """A count as text: kept as a number when it is one, as typed otherwise (the save says
    what is wrong at the input), so an untouched count never looks like a change."""
    current = data.get(key)
    element = ui.input(label, value="" if current in (None, "") else str(current))
    store = _setter(data, key)

    def changed(event: Any) -> None:
        typed = str(event.value or "").strip()
        store(event)
        data[key] = int(typed) if typed.isascii() and typed.isdigit() else typed

    element.on_value_change(changed)
    _bind(element, data, key)
    return element.classes(classes).props('inputmode="numeric"')


def date_field(data: Data, key: str, label: str, tr: Translator) -> ui.date_input:
    """A date typed as 1.11.2020 (or chosen from the calendar)."""
    element = date_input(label, tr, data.get(key) or "", _setter(data, key))
    _bind(element, data, key)
    return element


def choice(
    data: Data,
    key: str,
    label: str,
    options: dict[str, str],
    *,
    blank: str | None = "—",
    classes: str = "w-64",
) -> ui.select:
    """A select of code values shown with their labels; an unknown stored value is kept."""
    current = data.get(key) or ""
    choices = ({"": blank} if blank is not None else {}) | options
    if current not in choices:
        choices[current] = str(current)
    element = ui.select(choices, value=current, label=label, on_change=_setter(data, key))
    _bind(element, data, key)
    return element.classes(classes)


def read_only(inputs: list[Any]) -> None:
    """Inputs of an approved (locked) period: shown with their values, not editable."""
    for element in inputs:
        element.disable()


def switch(data: Data, key: str, label: str) -> ui.switch:
    def set_value(event: Any) -> None:
        data[key] = bool(event.value)

    return ui.switch(label, value=bool(data.get(key)), on_change=set_value)


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# --- list rows: move up / down / remove -------------------------------------------------------


def row_buttons(
    tr: Translator,
    items: list[Any],
    index: int,
    what: str,
    refresh: Callable[[], Any],
    *,
    on_remove: Callable[[Any], Any] | None = None,
) -> None:
    """Buttons to reorder and remove item ``index``; ``what`` names it for screen readers."""

    def move(offset: int) -> None:
        target = index + offset
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
            refresh()

    def remove() -> None:
        removed = items.pop(index)
        if on_remove is not None:
            on_remove(removed)
        refresh()

    with ui.row().classes("gap-1"):
        up = tr("Move up: {item}", item=what)
        down = tr("Move down: {item}", item=what)
        gone = tr("Remove: {item}", item=what)
        ui.button(icon="arrow_upward", on_click=lambda: move(-1)).props(
            f'flat dense aria-label="{_attr(up)}" title="{_attr(up)}"'
        ).set_enabled(index > 0)
        ui.button(icon="arrow_downward", on_click=lambda: move(1)).props(
            f'flat dense aria-label="{_attr(down)}" title="{_attr(down)}"'
        ).set_enabled(index < len(items) - 1)
        ui.button(icon="delete", on_click=remove).props(
            f'flat dense color=negative aria-label="{_attr(gone)}" title="{_attr(gone)}"'
        )


def item_card() -> ui.card:
    return ui.card().classes("w-full q-pa-md").props("flat bordered")
