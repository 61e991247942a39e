"""Portfolio roll-ups for readers: the figures of a selection of projects over a period, the
projects behind each figure, and the portfolio report (DOCX, PDF, XLSX).

Rights: every signed-in role reads the whole registry (``access.require_read``; the project
list filters nothing by role either), so a roll-up covers every project the selection names.
Without a valid Actor nothing is read.

The selection arrives as people typed or picked it (``SelectionForm``: codes or their names in
any language, dates as 1.1.2026 or 2026-01-01) and is checked here: each problem is a sentence
in the user's language that names the field (``SelectionInvalid.lines``). The figures are
``project_db.rollups`` (see its docstring for how each one is counted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from pydantic import BaseModel
from sqlalchemy.orm import Session

from project_db import rollups
from project_db.code_queries import code_items
from project_db.errors import N_, Problem, RegistryError
from project_db.listing import theme_names
from project_db.validators import parse_date, search_fold

from ..i18n import _, format_message, normalise_language, pvm
from ..reports.kinds.base import Labels
from .access import Actor, require_read
from .codelists import label as code_label

FIELDS: Final = {
    "portfolio": N_("Portfolio"),
    "funder": N_("Funder"),
    "region": N_("Region"),
    "municipality": N_("Municipality"),
    "theme": N_("Theme"),
    "projects": N_("Projects"),
    "start": N_("Period from"),
    "end": N_("Period to"),
    "format": N_("Format"),
}
# The code list each coded criterion is checked against.
CODE_LISTS: Final = {"portfolio": "portfolio", "funder": "funder", "region": "region"}
BAD_DATE = N_("“{value}” is not a date: write it as d.m.yyyy, e.g. 1.1.2026.")
DATES_REVERSED = N_("the period ends ({end}) before it starts ({start}).")
UNKNOWN_CODE = N_("“{value}” is not in the list; choose one of the list's values.")
NOT_USED = N_("no project in the registry has “{value}”.")
UNKNOWN_PROJECTS = N_("there is no project with the id {ids}.")
# The lists a report needs labels from (codes → words in the report's language).
LABEL_LISTS: Final = (
    "status",
    "portfolio",
    "funder",
    "region",
    "gender",
    "age_class",
    "labour_status",
    "education",
    "cost_category_esr",
    "cost_category_stm",
    "cost_category_stea",
)
FORMATS: Final = ("docx", "pdf", "xlsx")
MEDIA_TYPES: Final = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UNKNOWN_FORMAT = N_("unknown format {value}: choose docx, pdf or xlsx.")


class SelectionInvalid(RegistryError):
    """The selection cannot be used: one problem per field (``field`` is the field's key)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems

    def lines(self, lang: str) -> list[str]:
        """'Ajanjakson alku: ”32.1.2026” ei ole päivämäärä …', one per problem."""
        lines = []
        for problem in self.problems:
            params = {
                name: pvm(value, lang) if isinstance(value, date) else value
                for name, value in problem.params.items()
            }
            field = _(FIELDS.get(problem.field, problem.field), lang)
            lines.append(f"{field}: {format_message(problem.message, lang, **params)}")
        return lines


class SelectionForm(BaseModel):
    """A selection as a page or a command gives it (codes or names, dates as text)."""

    portfolio: list[str] = []
    funder: list[str] = []
    region: list[str] = []
    municipality: list[str] = []
    theme: list[str] = []
    project_ids: list[int] = []
    start: str | date | None = None
    end: str | date | None = None


class SelectionOptions(BaseModel):
    """What a selection can be made of, labelled in the user's language."""

    portfolios: dict[str, str]
    funders: dict[str, str]
    regions: dict[str, str]
    municipalities: list[str]
    themes: list[str]


def selection_options(session: Session, *, actor: Actor, lang: str) -> SelectionOptions:
    require_read(actor)
    lang = normalise_language(lang)
    lists = {
        name: {item.code: code_label(item, lang) for item in code_items(session, name)}
        for name in CODE_LISTS.values()
    }
    return SelectionOptions(
        portfolios=lists["portfolio"],
        funders=lists["funder"],
        regions=lists["region"],
        municipalities=rollups.municipality_names(session),
        themes=theme_names(session),
    )


def _code_lookup(session: Session, list_name: str) -> dict[str, str]:
    """{folded code or label in any language: code}."""
    found: dict[str, str] = {}
    for item in code_items(session, list_name):
        for text in (item.code, item.label_fi, item.label_sv, item.label_en):
            if text:
                found.setdefault(search_fold(text), item.code)
    return found


def _day(value: str | date | None, field: str, problems: list[Problem]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        problems.append(Problem(field, BAD_DATE, {"value": text[:40]}))
        return None


def _distinct(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def resolve_selection(session: Session, form: SelectionForm, *, actor: Actor) -> rollups.Selection:
    """The checked selection; ``SelectionInvalid`` lists every problem, each naming its field."""
    require_read(actor)
    problems: list[Problem] = []
    codes: dict[str, list[str]] = {}
    for field, list_name in CODE_LISTS.items():
        lookup = _code_lookup(session, list_name)
        chosen = []
        for value in _distinct(getattr(form, field)):
            code = lookup.get(search_fold(value))
            if code is None:
                problems.append(Problem(field, UNKNOWN_CODE, {"value": value[:80]}))
            else:
                chosen.append(code)
        codes[field] = list(dict.fromkeys(chosen))
    municipalities = _distinct(form.municipality)
    known = {search_fold(m): m for m in rollups.municipality_names(session)}
    places = []
    for value in municipalities:
        if search_fold(value) in known:
            places.append(known[search_fold(value)])
        else:
            problems.append(Problem("municipality", NOT_USED, {"value": value[:80]}))
    themes = _distinct(form.theme)
    used = set(theme_names(session))
    problems += [Problem("theme", NOT_USED, {"value": t[:80]}) for t in themes if t not in used]
    ids = sorted(set(form.project_ids))
    missing = sorted(set(ids) - rollups.stored_project_ids(session, ids))
    if missing:
        shown = ", ".join(str(i) for i in missing[:10]) + (" …" if len(missing) > 10 else "")
        problems.append(Problem("projects", UNKNOWN_PROJECTS, {"ids": shown}))
    start = _day(form.start, "start", problems)
    end = _day(form.end, "end", problems)
    if start is not None and end is not None and end < start:
        problems.append(Problem("end", DATES_REVERSED, {"start": start, "end": end}))
    if problems:
        raise SelectionInvalid(problems)
    return rollups.Selection(
        portfolios=tuple(codes["portfolio"]),
        funders=tuple(codes["funder"]),
        regions=tuple(codes["region"]),
        municipalities=tuple(places),
        themes=tuple(themes),
        project_ids=tuple(ids),
        start=start,
        end=end,
    )


def portfolio_figures(
    session: Session,
    selection: rollups.Selection,
    *,
    actor: Actor,
    with_participants: bool = True,
) -> rollups.Figures:
    """Projects by status and money by cost category (the fast figures), and participants
    unless ``with_participants`` is off (a page then reads them after)."""
    require_read(actor)
    return rollups.figures(session, selection, with_participants=with_participants)


def portfolio_participants(
    session: Session, selection: rollups.Selection, *, actor: Actor
) -> rollups.Participants:
    require_read(actor)
    return rollups.participants(session, selection)


def portfolio_indicators(
    session: Session, selection: rollups.Selection, *, actor: Actor
) -> rollups.IndicatorFigures:
    """The indicators by catalogue entry, and the free ones by name."""
    require_read(actor)
    return rollups.indicator_figures(session, selection)


def figure_projects(
    session: Session,
    selection: rollups.Selection,
    figure: rollups.FigureRef,
    *,
    actor: Actor,
    limit: int | None = None,
    offset: int = 0,
) -> rollups.FigureList:
    """The projects (or indicators) behind one figure, one page of them."""
    require_read(actor)
    return rollups.figure_projects(session, selection, figure, limit=limit, offset=offset)


def report_labels(session: Session, *, actor: Actor, lang: str) -> Labels:
    """{list: {code: label}} of the lists a portfolio report prints."""
    require_read(actor)
    lang = normalise_language(lang)
    return {
        name: {item.code: code_label(item, lang) for item in code_items(session, name)}
        for name in LABEL_LISTS
    }


def _described(labels: Labels, selection: rollups.Selection, lang: str) -> list[tuple[str, str]]:
    def named(list_name: str, codes: Sequence[str]) -> str:
        return ", ".join(labels.get(list_name, {}).get(c, c) for c in codes)

    lines = []
    for field, list_name, codes in (
        ("portfolio", "portfolio", selection.portfolios),
        ("funder", "funder", selection.funders),
        ("region", "region", selection.regions),
    ):
        if codes:
            lines.append((_(FIELDS[field], lang), named(list_name, codes)))
    if selection.municipalities:
        lines.append((_(FIELDS["municipality"], lang), ", ".join(selection.municipalities)))
    if selection.themes:
        lines.append((_(FIELDS["theme"], lang), ", ".join(selection.themes)))
    if selection.project_ids:
        chosen = format_message(
            N_("{count} chosen projects"), lang, count=len(selection.project_ids)
        )
        lines.append((_(FIELDS["projects"], lang), chosen))
    return lines


def _title(labels: Labels, selection: rollups.Selection, lang: str) -> str:
    """What the selection is, in a few words: "Hyvinvointisalkku 2014-2020", "ESR, Uusimaa",
    "Koko rekisteri"."""
    values = [value for _label, value in _described(labels, selection, lang)]
    return "; ".join(values) if values else _(N_("The whole registry"), lang)


def describe_selection(
    session: Session, selection: rollups.Selection, *, actor: Actor, lang: str
) -> tuple[str, list[tuple[str, str]]]:
    """The selection's title and its criteria as (field, values) lines, in ``lang``."""
    labels = report_labels(session, actor=actor, lang=lang)
    return _title(labels, selection, lang), _described(labels, selection, lang)


@dataclass(frozen=True)
class PortfolioReport:
    content: bytes
    filename: str
    media_type: str


def portfolio_report(
    session: Session,
    selection: rollups.Selection,
    *,
    actor: Actor,
    lang: str = "fi",
    report_format: str = "docx",
    today: date | None = None,
    archive: bool = False,
) -> PortfolioReport:
    """The portfolio report of the selection as DOCX, PDF (LibreOffice) or XLSX. ``archive``:
    a DOCX (also the one a PDF is made of) is filed in the report archive with who made it,
    when, the selection and the period (commits)."""
    from ..reports.kinds import portfolio as kind
    from ..reports.render import DOCUMENT_LANGUAGES, DocumentProperties, render_docx
    from .reports.archive import archive_selection_report
    from .reports.prepare import data_hash
    from .reports.prepare import today as helsinki_today
    from .reports.templates import _active_template

    require_read(actor)
    if report_format not in FORMATS:
        raise SelectionInvalid([Problem("format", UNKNOWN_FORMAT, {"value": report_format})])
    lang = "sv" if normalise_language(lang) == "sv" else "fi"  # the templates' languages
    labels = report_labels(session, actor=actor, lang=lang)
    figures = rollups.figures(session, selection)
    limit = kind.XLSX_PROJECTS if report_format == "xlsx" else kind.DOCX_PROJECTS
    projects, _total = rollups.project_lines(session, selection, limit=limit)
    title = _title(labels, selection, lang)
    source = kind.PortfolioInput(
        lang=lang,
        today=today or helsinki_today(),
        title=title,
        selection_lines=_described(labels, selection, lang),
        start=selection.start,
        end=selection.end,
        figures=figures,
        indicators=rollups.indicator_figures(session, selection),
        projects=projects,
        labels=labels,
    )
    context = kind.build_portfolio(source, project_limit=limit)
    suffix = "." + report_format
    filename = kind.KIND.portfolio_file_name(title, lang, selection.start, selection.end, suffix)
    if report_format == "xlsx":
        return PortfolioReport(kind.portfolio_workbook(context), filename, MEDIA_TYPES["xlsx"])
    label = _(kind.KIND.label, lang)
    period = (
        f"{pvm(selection.start, lang)}–{pvm(selection.end, lang)}"
        if selection.start or selection.end
        else ""
    )
    properties = DocumentProperties(
        title=f"{label} – {title}"[:255],
        subject=f"{label} {period}".strip(),
        language=DOCUMENT_LANGUAGES[lang],
    )
    template = _active_template(session, kind.KIND.name, lang)
    docx = render_docx(template, context, properties)
    if archive:
        archive_selection_report(
            session,
            kind=kind.KIND.name,
            lang=lang,
            title=title,
            selection=selection.model_dump_json(),
            report_date=source.today,
            template=template,
            data_sha256=data_hash(context),
            filename=filename.removesuffix(suffix) + ".docx",
            content=docx,
            actor=actor,
        )
        session.commit()
    if report_format == "pdf":
        from ..reports.pdf import convert_to_pdf

        return PortfolioReport(convert_to_pdf(docx, "salkkuraportti"), filename, MEDIA_TYPES["pdf"])
    return PortfolioReport(docx, filename, MEDIA_TYPES["docx"])


@dataclass(frozen=True)
class ArchivedPortfolioReport:
    """A portfolio report in the archive: who made it and when, of what, over which period."""

    id: int
    created_at: datetime
    created_by: str
    title: str
    start: date | None
    end: date | None
    lang: str
    filename: str
    size: int


def archived_reports(
    session: Session, *, actor: Actor, limit: int = 50
) -> list[ArchivedPortfolioReport]:
    """The newest archived portfolio reports (every signed-in role reads them, as the roll-ups)."""
    from ..reports.kinds.portfolio import KIND
    from .reports.archive import list_archive

    found = []
    for row in list_archive(session, actor=actor, kind=KIND.name, limit=limit):
        try:
            chosen = rollups.Selection.model_validate_json(row.selection or "{}")
        except ValueError:
            chosen = rollups.Selection()
        found.append(
            ArchivedPortfolioReport(
                id=row.id,
                created_at=row.created_at,
                created_by=row.created_by,
                title=row.project_name,
                start=chosen.start,
                end=chosen.end,
                lang=row.lang,
                filename=row.filename,
                size=row.size,
            )
        )
    return found


def archived_report(session: Session, archive_id: int, *, actor: Actor) -> PortfolioReport:
    """An archived portfolio report's DOCX, exactly as it was made."""
    from ..reports.kinds.portfolio import KIND
    from .reports.archive import download_archived

    filename, content = download_archived(session, archive_id, actor=actor, kind=KIND.name)
    return PortfolioReport(content, filename, MEDIA_TYPES["docx"])


__all__ = [
    "FIELDS",
    "FORMATS",
    "ArchivedPortfolioReport",
    "PortfolioReport",
    "SelectionForm",
    "SelectionInvalid",
    "SelectionOptions",
    "archived_report",
    "archived_reports",
    "describe_selection",
    "figure_projects",
    "portfolio_figures",
    "portfolio_indicators",
    "portfolio_participants",
    "portfolio_report",
    "report_labels",
    "resolve_selection",
    "selection_options",
]
