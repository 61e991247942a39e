"""Editor tabs: reporting periods, indicator values, participants, attachments and links."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from nicegui import events, run, ui

from project_db.errors import ValidationFailed
from project_db.validators import parse_date

from ...i18n import describe_problem
from ...services import editing
from ...services.access import Forbidden
from ...settings import get_settings
from ..context import handler_actor, notify_forbidden, session
from ..layout import heading
from .edit_editor import Editor
from .edit_fields import (
    choice,
    date_field,
    form_date,
    item_card,
    long_text,
    number_text,
    row_buttons,
    text,
)
from .edit_tabs_plan import basis_labels


def periods_tab(ed: Editor) -> None:
    tr, periods = ed.tr, ed.doc["periods"]

    @ui.refreshable
    def content() -> None:
        if not periods:
            ui.label(tr("No reporting periods yet."))
        for i, period in enumerate(periods):
            period["number"] = i + 1
            if i + 1 in ed.locked:
                _locked_period(ed, period)
                continue
            with item_card():
                with ui.row().classes("w-full items-center gap-4"):
                    heading(tr("Reporting period {n}", n=i + 1), 2)
                    date_field(period, "start_date", tr("Start date"), tr)
                    date_field(period, "end_date", tr("End date"), tr)
                    ui.space()
                    if i == len(periods) - 1 and i + 1 not in ed.locked:
                        gone = tr("Remove reporting period {n}", n=i + 1)
                        ui.button(icon="delete", on_click=remove_last).props(
                            f'flat dense color=negative aria-label="{gone}" title="{gone}"'
                        )
                long_text(period, "done", tr("What was done"), rows=2)
                long_text(period, "changes", tr("Changes"), rows=2)
                long_text(period, "deviations", tr("Deviations from the plan"), rows=2)
                long_text(period, "next_steps", tr("Next steps"), rows=2)

    def remove_last() -> None:
        number = len(periods)
        periods.pop()
        for indicator in ed.doc["indicators"]:
            indicator["values"] = [v for v in indicator["values"] if v.get("period") != number]
        ed.doc["participant_stats"] = [
            s for s in ed.doc["participant_stats"] if s.get("period") != number
        ]
        ed.doc["cost_actuals"] = [c for c in ed.doc["cost_actuals"] if c.get("period") != number]
        content.refresh()

    def add() -> None:
        start = ""
        if periods:
            try:
                start = form_date(parse_date(periods[-1]["end_date"]) + timedelta(days=1))
            except ValueError:
                start = ""
        periods.append(
            {
                "number": len(periods) + 1,
                "start_date": start,
                "end_date": "",
                "done": "",
                "changes": "",
                "deviations": "",
                "next_steps": "",
                "volunteers": "",
                "volunteer_hours": "",
                "volunteers_basis": "",
                "feedback_methods": "",
            }
        )
        content.refresh()

    ui.label(
        tr("Periods follow each other: each starts the day after the previous one ends.")
    ).classes("text-body2")
    content()
    ed.refreshers.append(content.refresh)
    ui.button(tr("Add a reporting period"), icon="add", on_click=add).props("outline")
    ed.save_bar()


def locked_notice(ed: Editor, number: int, part: str = "") -> None:
    """The note over a locked period's values; ``part`` tells the sections of a tab apart (the
    note's test id)."""
    notice = ed.tr(
        "Period {number} is approved and locked: it is shown read-only. A reviewer can reopen "
        "it with a reason.",
        number=number,
    )
    label = ui.label(notice).classes("text-body2 text-warning")
    label.props(f'data-testid="locked-period-{number}{"-" + part if part else ""}"')


def _locked_period(ed: Editor, period: dict[str, Any]) -> None:
    """An approved period, read-only."""
    tr, number = ed.tr, period["number"]
    with item_card():
        heading(tr("Reporting period {n}", n=number), 2)
        locked_notice(ed, number)
        ui.label(_dates(period)).classes("text-body2")
        for key, label in (
            ("done", tr("What was done")),
            ("changes", tr("Changes")),
            ("deviations", tr("Deviations from the plan")),
            ("next_steps", tr("Next steps")),
        ):
            ui.label(label).classes("text-weight-medium")
            ui.label(period.get(key) or "–").classes("whitespace-pre-wrap break-words")


def period_names(ed: Editor) -> dict[int, str]:
    return {
        p["number"]: ed.tr("Period {n}: {dates}", n=p["number"], dates=_dates(p))
        for p in ed.doc["periods"]
    }


def _dates(period: dict[str, Any]) -> str:
    return f"{period.get('start_date') or '?'}–{period.get('end_date') or '?'}"


def values_tab(ed: Editor) -> None:
    tr = ed.tr
    basis = basis_labels(tr)

    @ui.refreshable
    def content() -> None:
        periods = period_names(ed)
        if not periods or not ed.doc["indicators"]:
            ui.label(tr("Add indicators and reporting periods first."))
            return
        for indicator in ed.doc["indicators"]:
            by_period = {v["period"]: v for v in indicator["values"]}
            with item_card():
                name = indicator.get("name") or tr("(no name)")
                heading(name, 2)
                unit = indicator.get("unit") or ""
                target = indicator.get("target") or "—"
                ui.label(tr("Target: {target} {unit}", target=target, unit=unit))
                for number, period_name in periods.items():
                    value = by_period.get(number)
                    if value is None:
                        value = {"period": number, "value": "", "basis": "collected", "note": ""}
                        indicator["values"].append(value)
                    if number in ed.locked:
                        with ui.row().classes("w-full items-start gap-4"):
                            ui.label(period_name).classes("w-56")
                            shown = value.get("value") or "–"
                            ui.label(tr("Value, period {n}", n=number) + f": {shown}")
                            ui.label(tr("Approved and locked")).classes("text-warning")
                        continue
                    with ui.row().classes("w-full items-start gap-4"):
                        ui.label(period_name).classes("w-56 q-pt-md")
                        label = tr("Value, period {n}", n=number)
                        number_text(value, "value", label)
                        choice(
                            value,
                            "basis",
                            tr("Basis, period {n}", n=number),
                            basis,
                            blank=None,
                            classes="w-44",
                        )
                        text(value, "note", tr("Note, period {n}", n=number), classes="flex-1")
                indicator["values"].sort(key=lambda v: v["period"])

    ui.label(tr("Leave the value empty for periods without a figure.")).classes("text-body2")
    content()
    ed.refreshers.append(content.refresh)
    ed.save_bar()


def participants_tab(ed: Editor) -> None:
    tr = ed.tr
    genders, ages = ed.codes["gender"], ed.codes["age_class"]

    @ui.refreshable
    def content() -> None:
        stats = ed.doc["participant_stats"]
        columns: list[tuple[Any, str]] = [("", tr("Whole project"))]
        columns += [(n, name) for n, name in period_names(ed).items()]
        for number, caption in columns:
            locked = number in ed.locked
            with item_card():
                heading(caption, 2)  # the tab's sections: h2 under the page's h1
                if locked:
                    locked_notice(ed, number, "participants")
                with ui.element("table").classes("text-left"):
                    with ui.element("thead"), ui.element("tr"):
                        with ui.element("th").props('scope="col"'):
                            ui.label(tr("Gender"))
                        for age in ages.values():
                            with ui.element("th").props('scope="col"'):
                                ui.label(age)
                    with ui.element("tbody"):
                        for gender, gender_name in genders.items():
                            with ui.element("tr"):
                                with ui.element("th").props('scope="row"').classes("q-pr-md"):
                                    ui.label(gender_name)
                                for age, age_name in ages.items():
                                    with ui.element("td"):
                                        cell = _count(
                                            ed, stats, number, gender, age, gender_name, age_name
                                        )
                                        if locked:
                                            cell.disable()

    ui.label(tr("ESF participants by gender and age; leave empty when not known.")).classes(
        "text-body2"
    )
    content()
    ed.refreshers.append(content.refresh)
    ed.save_bar()


def _count(
    ed: Editor, stats: list[dict[str, Any]], period: Any, gender: str, age: str, *names: str
) -> ui.number:
    stat = next(
        (
            s
            for s in stats
            if (s.get("period") or "", s["gender"], s["age_class"]) == (period, gender, age)
            # Groups broken down by labour-market status or education are not this grid's cells.
            and not s.get("labour_status")
            and not s.get("education")
        ),
        None,
    )
    if stat is None:
        stat = {"period": period, "gender": gender, "age_class": age, "count": None}
        stat |= {"labour_status": None, "education": None}
        stats.append(stat)
    label = ed.tr("{gender}, {age}", gender=names[0], age=names[1])
    # The table's headers show what the cell is; the input carries it as its name.
    element = ui.number(value=stat["count"], min=0, precision=0, format="%.0f")
    element.classes("w-24").props(f'dense outlined aria-label="{label}"')
    element.on_value_change(lambda e: stat.update(count=None if e.value is None else int(e.value)))
    return element


def attachments_tab(ed: Editor) -> None:
    tr, attachments = ed.tr, ed.doc["attachments"]
    settings = get_settings()
    limit_mb = settings.max_attachment_bytes // (1024 * 1024)

    @ui.refreshable
    def listing() -> None:
        if not attachments:
            ui.label(tr("No attachments yet."))
        for i, attachment in enumerate(attachments):
            with item_card(), ui.row().classes("w-full items-center gap-4"):
                file_id = ed.file_ids.get(attachment.get("key") or "")
                size = tr("{kb} kB", kb=max(1, int(attachment.get("size") or 0) // 1024))
                if file_id is not None:
                    ui.link(attachment["filename"], f"/files/{file_id}").props("download")
                else:
                    ui.label(attachment["filename"])
                ui.label(size).classes("text-grey-8")
                text(attachment, "description", tr("Description"), classes="flex-1")
                row_buttons(tr, attachments, i, attachment["filename"], listing.refresh)

    heading(tr("Attachments"), 2)
    listing()
    message = ui.column().classes("gap-1 text-negative").props('role="alert"')

    async def uploaded(event: events.UploadEventArguments) -> None:
        message.clear()
        actor = handler_actor(tr)
        if actor is None:
            return
        filename, data = event.file.name, await event.file.read()

        def work() -> dict[str, Any]:
            with session(actor) as db_session:
                return editing.add_attachment(
                    db_session,
                    ed.project_id,
                    filename=filename,
                    data=data,
                    attachments_dir=settings.attachments_dir,
                    max_bytes=settings.max_attachment_bytes,
                    actor=actor,
                )

        try:
            result = await run.io_bound(work)
        except Forbidden:
            notify_forbidden(tr)
            return
        except ValidationFailed as failure:
            with message:
                for problem in failure.problems:
                    ui.label(describe_problem(problem, tr.lang))
            upload.reset()
            return
        assert result is not None
        entry = result
        ed.file_ids[entry["key"]] = entry.pop("id")
        ed.known_attachments.add(entry["key"])
        attachments.append(entry)
        ed.saved["attachments"].append(dict(entry))
        listing.refresh()
        upload.reset()
        ui.notify(
            tr("The file {name} was added.", name=entry["filename"]),
            type="positive",
            color="green-9",
        )

    def rejected() -> None:
        message.clear()
        with message:
            ui.label(tr("The file is too large (at most {mb} MB).", mb=limit_mb))

    ui.label(
        tr(
            "Allowed: PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, text and CSV, "
            "at most {mb} MB.",
            mb=limit_mb,
        )
    ).classes("text-body2")
    # Quasar's uploader has an unnamed button around an unlabelled file input (axe: label,
    # nested-interactive); it stays hidden and a plain, named button opens its file picker.
    upload = ui.upload(
        label=tr("Add a file"),
        max_file_size=settings.max_attachment_bytes,
        auto_upload=True,
        on_upload=uploaded,
        on_rejected=rejected,
    ).classes("hidden")
    ui.button(tr("Add a file"), icon="upload_file").props("outline").on(
        "click", js_handler=f"() => getElement({upload.id}).pickFiles()"
    )
    _links(ed)
    ed.save_bar()


def _links(ed: Editor) -> None:
    tr, links = ed.tr, ed.doc["links"]
    heading(tr("Links"), 2)

    @ui.refreshable
    def rows() -> None:
        for i, link in enumerate(links):
            with item_card(), ui.row().classes("w-full items-start gap-4"):
                text(link, "title", tr("Link text"), classes="w-72")
                text(link, "url", tr("Address"), classes="flex-1")
                row_buttons(tr, links, i, tr("link {n}", n=i + 1), rows.refresh)

    rows()

    def add() -> None:
        links.append({"url": "", "title": ""})
        rows.refresh()

    ui.button(tr("Add a link"), icon="add", on_click=add).props("outline")
