"""Linking an indicator to an entry of the indicator catalogue (mittaristo): the project
editor's indicators and an assessment's follow-up indicators share this.

The picker shows the linked entry (name, unit, source with its id) with a button to unlink it,
or a search of the catalogue's entries in use (names in Finnish, Swedish and English, the
source's id such as Sotkanet's 127). Choosing an entry asks first; when the indicator's own
name or unit is empty, the same step offers to copy the entry's (a text the indicator already
has is never replaced). The picker only changes the working copy through ``on_change``: the
caller saves it through its own service, with the rights and the history of that save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from ..services import indicator_catalogue as catalogue
from ..services.access import Actor
from ..services.indicator_catalogue import EntrySummary
from .context import Translator, current_actor, handler_actor, session

# (field, label) of what an entry can fill in when the indicator's own is empty.
Copies = dict[str, str]
OnChange = Callable[[str | None, Copies], Any]


def entry_summaries(keys: list[str | None], lang: str) -> dict[str, EntrySummary]:
    """The linked entries of these keys (for showing them), read once for a whole list."""
    wanted = [key for key in keys if key]
    actor = current_actor()
    if not wanted or actor is None:
        return {}
    with session(actor) as db_session:
        return catalogue.summaries(db_session, wanted, lang=lang, actor=actor)


def entry_text(tr: Translator, entry: EntrySummary) -> str:
    """'Työttömät, % työvoimasta (%) · THL Sotkanet 127'."""
    name = f"{entry.name} ({entry.unit})" if entry.unit else entry.name
    source = " ".join(part for part in (entry.source, entry.source_id or "") if part)
    text = f"{name} · {source}" if source else name
    return text if entry.active else f"{text} · {tr('not in use')}"


def _search(actor: Actor, lang: str, text: str) -> tuple[list[EntrySummary], int]:
    with session(actor) as db_session:
        return catalogue.search_for_link(db_session, text, lang=lang, actor=actor)


class CataloguePicker:
    """The link of one indicator: shown, changed or removed (``editable``)."""

    def __init__(
        self,
        tr: Translator,
        *,
        key: str | None,
        own: Callable[[], Copies],
        on_change: OnChange,
        known: dict[str, EntrySummary] | None = None,
        editable: bool = True,
        labels: Copies | None = None,
    ) -> None:
        self.tr = tr
        self.key = key or None
        self.own = own
        self.on_change = on_change
        self.known = known if known is not None else {}  # shared: an entry read once
        self.editable = editable
        self.labels = labels or {"name": tr("name"), "unit": tr("unit")}
        self.searching = False
        self.chosen: EntrySummary | None = None
        self.found: list[EntrySummary] = []
        self.total = 0
        self.query = ""
        self.results: Any = None
        if self.key and self.key not in self.known:
            self.known |= entry_summaries([self.key], tr.lang)
        with ui.column().classes("w-full gap-1").mark("catalogue-picker"):
            self.view = ui.refreshable(self._view)
            self.view()

    # --- showing ---------------------------------------------------------------------------

    def _view(self) -> None:
        tr = self.tr
        with ui.row().classes("w-full items-center gap-2"):
            ui.label(tr("Catalogue indicator:")).classes("text-weight-medium")
            if self.key:
                entry = self.known.get(self.key)
                text = entry_text(tr, entry) if entry else self.key
                ui.label(text).classes("break-words").mark("catalogue-link")
            else:
                ui.label(tr("none (a free indicator)")).mark("catalogue-link")
            if self.editable and self.key:
                ui.button(tr("Remove the link"), icon="link_off", on_click=self._unlink).props(
                    "flat dense no-caps"
                )
            if self.editable and not self.searching:
                text = tr("Change the link") if self.key else tr("Link to the catalogue")
                ui.button(text, icon="search", on_click=self._open).props("flat dense no-caps")
        if self.searching:
            self._search_box()

    def _search_box(self) -> None:
        tr = self.tr
        with ui.card().props("flat bordered").classes("w-full gap-2"):
            if self.chosen is not None:
                self._confirm(self.chosen)
                return
            box = ui.input(
                tr("Search the indicator catalogue"),
                value=self.query,
                placeholder=tr("name in Finnish, Swedish or English, or Sotkanet id"),
            ).classes("w-full")
            box.props("autofocus clearable debounce=300").mark("catalogue-search")
            box.on_value_change(lambda e: self._find(e.value or ""))
            self.results = ui.refreshable(self._results)
            self.results()
            ui.button(tr("Cancel"), on_click=self._close).props("flat no-caps")

    def _results(self) -> None:
        tr = self.tr
        if not self.query.strip():
            return
        if not self.found:
            ui.label(tr("No indicator in use matches the search.")).props('role="status"')
            return
        shown = len(self.found)
        ui.label(
            tr("{shown} of {total} indicators", shown=shown, total=self.total)
            if self.total > shown
            else tr("{count} indicators", count=self.total)
        ).props('role="status"')
        with ui.column().classes("w-full gap-0"):
            for entry in self.found:
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    ui.label(entry_text(tr, entry)).classes("flex-1 break-words")
                    button = ui.button(tr("Choose"), on_click=lambda e=entry: self._choose(e))
                    button.props("flat dense no-caps").mark("catalogue-choose")
                    button.props["aria-label"] = tr("Choose {name}", name=entry.name)

    def _confirm(self, entry: EntrySummary) -> None:
        tr = self.tr
        ui.label(tr("Link the indicator to: {entry}", entry=entry_text(tr, entry)))
        own = self.own()
        offered = {
            field: value
            for field, value in (("name", entry.name), ("unit", entry.unit))
            if field in own and not str(own[field] or "").strip() and value
        }
        boxes = {
            field: ui.checkbox(
                tr("Copy the {field} from the catalogue: {value}", field=label, value=value),
                value=True,
            )
            for field, value in offered.items()
            if (label := self.labels.get(field))
        }
        with ui.row().classes("gap-2"):

            def link() -> None:
                copies = {f: offered[f] for f, box in boxes.items() if box.value}
                self.known[entry.key] = entry
                self.key = entry.key
                self._close()
                self.on_change(entry.key, copies)

            ui.button(tr("Link the indicator"), icon="link", on_click=link).mark(
                "catalogue-link-confirm"
            )
            ui.button(tr("Back"), on_click=self._back).props("flat no-caps")

    # --- handlers --------------------------------------------------------------------------

    def _open(self) -> None:
        self.searching, self.chosen, self.query, self.found = True, None, "", []
        self.view.refresh()

    def _close(self) -> None:
        self.searching, self.chosen = False, None
        self.view.refresh()

    def _back(self) -> None:
        self.chosen = None
        self.view.refresh()

    def _choose(self, entry: EntrySummary) -> None:
        self.chosen = entry
        self.view.refresh()

    def _unlink(self) -> None:
        self.key = None
        self.view.refresh()
        self.on_change(None, {})

    async def _find(self, text: str) -> None:
        actor = handler_actor(self.tr)
        if actor is None:
            return
        self.query = text
        if text.strip():
            found = await run.io_bound(_search, actor, self.tr.lang, text)
            if found is None or text != self.query:  # typed on meanwhile
                return
            self.found, self.total = found
        else:
            self.found, self.total = [], 0
        self.results.refresh()


__all__ = ["CataloguePicker", "entry_summaries", "entry_text"]
