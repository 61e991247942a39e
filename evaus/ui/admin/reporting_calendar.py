"""The reporting calendar: per-funder rules that give the projects their due items."""

from __future__ import annotations

from nicegui import ui
from sqlalchemy.orm import Session

from project_db.errors import N_

from ...i18n import format_message
from ...reports import kinds
from ...services import deadlines
from ...services.access import Actor
from ...services.deadlines import RuleIn, RuleOut
from ..components import date_input, day_text, parse_day
from ..context import Translator
from ..layout import heading
from .common import (
    DialogSave,
    Refresh,
    action_cell,
    cell,
    data_table,
    edit_dialog,
    read_for_page,
    row_button,
    table_row,
)

BASIS_LABELS = {
    "period_end": N_("Each reporting period's end + days"),
    "yearly": N_("Every year on a date, for the previous year"),
    "decision": N_("Per the funding decision (deadlines added by hand)"),
}
NO_KIND = ""


def _when(tr: Translator, rule: RuleOut) -> str:
    if rule.basis == "period_end":
        if rule.days_after is None:
            return tr("Period end + days (not set: nothing is due)")
        return tr("Period end + {days} days", days=rule.days_after)
    if rule.basis == "yearly":
        return f"{rule.day}.{rule.month}."
    return tr(BASIS_LABELS["decision"])


def _kind_options(tr: Translator) -> dict[str, str]:
    return {NO_KIND: tr("No report kind")} | {
        k.name: format_message(k.label, tr.lang) for k in kinds.all_kinds()
    }


def calendar_page(actor: Actor, tr: Translator) -> None:
    ui.label(
        tr(
            "The funders' reporting deadlines. Each active rule gives the projects of its funder "
            "their due items; nothing due before the rule's start date is listed. Deadlines set "
            "in a funding decision are added by hand on the project's deadline list."
        )
    ).classes("max-w-3xl")

    @ui.refreshable
    def rule_table() -> None:
        rules = read_for_page(actor, lambda s, a: deadlines.list_rules(s, actor=a))
        headers = [
            tr("Funder"),
            tr("Title"),
            tr("When due"),
            tr("Report kind"),
            tr("Starts"),
            tr("In use"),
            tr("Actions"),
        ]
        kind_names = _kind_options(tr)
        with data_table(tr, tr("Reporting calendar"), headers):
            for rule in rules:
                with table_row():
                    cell(rule.funder_code)
                    cell({"sv": rule.title_sv, "en": rule.title_en}.get(tr.lang) or rule.title_fi)
                    cell(_when(tr, rule))
                    cell(kind_names.get(rule.report_kind or NO_KIND, rule.report_kind or ""))
                    cell(tr.date(rule.starts_on) if rule.starts_on else "–")
                    cell(tr("Yes") if rule.active else tr("No"))
                    with action_cell():
                        row_button(
                            tr("Edit"),
                            rule.title_fi,
                            lambda r=rule: _rule_dialog(tr, r, rule_table.refresh),
                        )

    rule_table()
    heading(tr("Add a rule"), 2)
    ui.button(
        tr("Add a rule"), icon="add", on_click=lambda: _rule_dialog(tr, None, rule_table.refresh)
    )


def _rule_dialog(tr: Translator, rule: RuleOut | None, refresh: Refresh) -> None:
    def rows() -> DialogSave:
        funder = ui.input(tr("Funder code"), value=rule.funder_code if rule else "")
        funder.classes("w-full")
        basis = ui.select(
            {k: tr(v) for k, v in BASIS_LABELS.items()},
            value=rule.basis if rule else "period_end",
            label=tr("When due"),
        ).classes("w-full")
        days = ui.number(
            tr("Days after the period's end"),
            value=rule.days_after if rule else None,
            min=0,
            max=366,
            precision=0,
        ).classes("w-full")
        with ui.row().classes("w-full no-wrap gap-2"):
            day = ui.number(tr("Day"), value=rule.day if rule else None, min=1, max=31)
            month = ui.number(tr("Month"), value=rule.month if rule else None, min=1, max=12)
        kind = ui.select(
            _kind_options(tr),
            value=(rule.report_kind if rule else None) or NO_KIND,
            label=tr("Report kind"),
        ).classes("w-full")
        fi = ui.input(tr("Title in Finnish"), value=rule.title_fi if rule else "").classes("w-full")
        sv = ui.input(tr("Title in Swedish"), value=rule.title_sv if rule else "").classes("w-full")
        en = ui.input(tr("Title in English"), value=rule.title_en if rule else "").classes("w-full")
        starts = date_input(tr("Starts"), tr, day_text(rule.starts_on) if rule else "")
        active = ui.checkbox(tr("In use"), value=rule.active if rule else True)

        def number(element: ui.number) -> int | None:
            return int(element.value) if element.value is not None else None

        def data() -> RuleIn:
            return RuleIn(
                funder_code=funder.value or "",
                basis=basis.value,
                days_after=number(days),
                month=number(month),
                day=number(day),
                report_kind=kind.value or None,
                title_fi=fi.value or "",
                title_sv=sv.value or "",
                title_en=en.value or "",
                starts_on=parse_day(starts.value),
                active=bool(active.value),
            )

        def check() -> str | None:
            try:
                parse_day(starts.value)
            except ValueError:
                return tr("Write dates as d.m.yyyy, e.g. 1.11.2020.")
            return None

        def work(s: Session, a: Actor) -> object:
            if rule is None:
                return deadlines.add_rule(s, data(), actor=a)
            return deadlines.update_rule(s, rule.id, data(), actor=a)

        return DialogSave(work, tr("The changes were saved."), refresh, check)

    edit_dialog(tr, tr("Edit the rule") if rule else tr("Add a rule"), rows, width="w-[32rem]")
