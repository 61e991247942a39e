""" "Has this been done before?" on the project page: the most similar other projects
(``evaus.services.similar``) with their status, dates, a result and the contact people."""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import run, ui

from ...services import codelists
from ...services.access import Actor
from ...services.similar import SimilarProject, similar_projects
from ..context import Translator, session
from ..layout import heading

SIMILAR_COUNT = 5


@dataclass
class SimilarData:
    projects: list[SimilarProject]
    statuses: dict[str, str]


def _load(actor: Actor, project_id: int, lang: str) -> SimilarData:
    with session(actor) as db_session:
        return SimilarData(
            projects=similar_projects(db_session, project_id, limit=SIMILAR_COUNT, actor=actor),
            statuses=codelists.labels(db_session, "status", lang, actor=actor),
        )


async def similar_section(tr: Translator, actor: Actor, project_id: int) -> None:
    """The section "Onko tätä tehty aiemmin?" (read-only; every reader may see it)."""
    data = await run.io_bound(_load, actor, project_id, tr.lang)
    heading(tr("Has this been done before?"), 2)
    if data is None or not data.projects:
        ui.label(tr("No similar projects were found."))
        return
    ui.label(tr("Projects with similar goals, target groups and measures:")).classes("text-body2")
    with ui.element("ul").classes("list-none p-0 flex flex-col gap-3"):
        for item in data.projects:
            with ui.element("li").classes("border rounded p-3"):
                _item(tr, item, data.statuses)


def _item(tr: Translator, item: SimilarProject, statuses: dict[str, str]) -> None:
    ui.link(item.name, f"/projects/{item.id}").classes("text-subtitle1 text-weight-medium")
    facts = []
    if item.status:
        facts.append(statuses.get(item.status, item.status))
    if item.start_date or item.end_date:
        facts.append(tr.dates(item.start_date, item.end_date))
    if facts:
        ui.label(" · ".join(facts)).classes("text-body2")
    if item.excerpt:
        ui.label(item.excerpt).classes("text-body2 break-words")
    if item.contacts:
        contacts = ", ".join(item.contacts)
        ui.label(tr("Contact: {names}", names=contacts)).classes("text-body2")
