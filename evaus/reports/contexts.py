"""One pydantic context model per report kind: exactly what a template may use.

The models hold typed data (``date``, ``Decimal``, ``None`` for "not known"); formatting happens
in the template through the Babel filters (``{{ d|pvm }}``, ``{{ x|eur }}``), and the renderer
shows every missing value as "Ei tietoa" / "Uppgift saknas". A test walks every shipped template
and checks each variable (with its attributes) against these models, so a typo in a template
is caught before anyone renders it.

``ChartSpec`` fields are data for a chart; the renderer draws them (matplotlib) and puts the
image in their place.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class _Ctx(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# --- building blocks ------------------------------------------------------------------------


class ChartSeries(_Ctx):
    name: str
    values: list[float | None]


class ChartSpec(_Ctx):
    """Data for one chart. ``style`` picks the drawing: grouped bars or lines against 100 %."""

    style: Literal["bars", "percent_lines"]
    title: str
    categories: list[str]
    series: list[ChartSeries]
    y_label: str = ""
    reference_label: str = ""  # the dashed 100 % line of "percent_lines"


class ProjectInfo(_Ctx):
    """The project's basic data, code lists already turned into labels."""

    name: str
    short_name: str | None = None
    code: str | None = None  # EURA code, e.g. S20397
    project_type: str | None = None
    status: str | None = None
    portfolio: str | None = None
    region: str | None = None
    municipality: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    budget_amount: Decimal | None = None
    budget_class: str | None = None
    action_line: str | None = None
    specific_objective: str | None = None
    decision_number: str | None = None
    responsible_authority: str | None = None
    programme: str | None = None  # the EU programme of an ESR project
    website: str | None = None
    summary: str | None = None
    themes: str | None = None
    lead: str | None = None  # the lead implementer(s), joined
    # The period of use of the report's funder's grant (ESR: the eligibility period), from the
    # funding row; both None when the row has none (the report then prints the project's term,
    # saying it is the term).
    grant_start: date | None = None
    grant_end: date | None = None


class OrgRow(_Ctx):
    name: str
    role: str
    org_type: str | None = None
    y_tunnus: str | None = None


class FundingRow(_Ctx):
    funder: str
    funder_code: str | None = None  # label of the funder code list (ESR, STEA …)
    amount: Decimal | None = None
    share_percent: Decimal | None = None
    own_contribution: Decimal | None = None
    decision_number: str | None = None
    decision_date: date | None = None
    period_start: date | None = None  # the grant's own period of use (käyttöaika)
    period_end: date | None = None


class FundingSummary(_Ctx):
    rows: list[FundingRow] = []
    total_granted: Decimal | None = None
    total_own: Decimal | None = None
    budget: Decimal | None = None


class SectionRow(_Ctx):
    title: str
    body: str | None = None


class GoalRow(_Ctx):
    number: str  # "1", "1.2"
    title: str
    description: str | None = None


class MeasureRow(_Ctx):
    number: str
    title: str
    goal: str | None = None  # the goal's number
    responsible: str | None = None
    start_date: date | None = None
    end_date: date | None = None


class ResultRow(_Ctx):
    kind: str  # Tuotos / Tulos / Vaikutus (label)
    text: str


class IndicatorRow(_Ctx):
    """An indicator with its latest actual value (or the value of the period/year reported)."""

    number: str
    name: str
    unit: str | None = None
    goal: str | None = None
    baseline: Decimal | None = None
    baseline_basis: str | None = None
    target: Decimal | None = None
    target_date: date | None = None
    value: Decimal | None = None  # the actual of the period / year / latest
    value_basis: str | None = None  # kerätty tieto / otos / arvio
    value_period: int | None = None
    # Which way is progress, in words ("vähemmän on parempi").
    direction: str | None = None
    # The share of the way from the baseline to the target the value has come, in per cent
    # (project_db.indicators.achievement): 0 at the baseline, 100 at the target, below 0 when
    # the figure moved the wrong way; None without a baseline, a target or a value.
    progress_percent: Decimal | None = None
    revisions: str | None = None  # "30 → 40 (1.3.2017: reason)"
    source: str | None = None


class IndicatorValueRow(_Ctx):
    indicator: str  # number and name
    period: int
    start_date: date
    end_date: date
    value: Decimal
    unit: str | None = None
    basis: str
    note: str | None = None


class PeriodInfo(_Ctx):
    number: int
    start_date: date
    end_date: date
    done: str | None = None
    changes: str | None = None
    deviations: str | None = None
    next_steps: str | None = None


class ParticipantRow(_Ctx):
    age_class: str
    women: int = 0
    men: int = 0
    other: int = 0
    total: int = 0


class CountRow(_Ctx):
    label: str
    count: int


class PeriodParticipants(_Ctx):
    """The participants of one period: the period's own figure (people may recur in others)."""

    number: int
    start_date: date
    end_date: date
    total: int


class Participants(_Ctx):
    """Participants by age class and gender, labour-market status and education.

    ``unique``: the figures are the whole project's, each person once. A whole-project report
    without such figures has ``known`` False and lists ``per_period`` instead (never summed).
    """

    rows: list[ParticipantRow] = []
    women: int = 0
    men: int = 0
    other: int = 0
    total: int = 0
    labour: list[CountRow] = []
    education: list[CountRow] = []
    known: bool = False  # figures for the scope the report covers
    unique: bool = False
    per_period: list[PeriodParticipants] = []


class BudgetRow(_Ctx):
    """One cost category: planned, actual (of the period and/or cumulative), share used."""

    category: str  # the label of the cost category list
    planned: Decimal | None = None
    period_actual: Decimal | None = None  # the reported period only (ESR monitoring report)
    actual: Decimal  # cumulative: up to the period reported, or the whole project
    used_percent: Decimal | None = None  # actual ÷ planned


class Budget(_Ctx):
    """Budget against actual by cost category: costs, then income, then the net cost
    (costs − income). Empty ``costs`` and no ``income``: nothing is recorded."""

    known: bool = False
    costs: list[BudgetRow] = []
    cost_total: BudgetRow | None = None
    income: BudgetRow | None = None
    net: BudgetRow | None = None


class VolunteerRow(_Ctx):
    """Volunteers and feedback collection of one reporting period (STEA)."""

    number: int
    start_date: date
    end_date: date
    volunteers: int | None = None
    hours: Decimal | None = None
    basis: str | None = None
    feedback_methods: str | None = None


class PersonRow(_Ctx):
    name: str
    role: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None


class AttachmentRow(_Ctx):
    number: int
    filename: str
    description: str | None = None


class LinkRow(_Ctx):
    title: str
    url: str


class _ReportContext(_Ctx):
    lang: str
    generated_on: date


# --- the report kinds -------------------------------------------------------------------------


class CardContext(_ReportContext):
    """Hankekortti: the registry entry as a short document (like the Oulu project card)."""

    project: ProjectInfo
    organisations: list[OrgRow]
    funding: FundingSummary
    contacts: list[PersonRow]
    goals: list[GoalRow]
    measures: list[MeasureRow]
    results: list[ResultRow]
    indicators: list[IndicatorRow]
    sections: list[SectionRow]
    sections_shortened: bool = False  # a description was cut to keep the card short
    attachments: list[AttachmentRow]
    links: list[LinkRow]


class EsrPeriodContext(_ReportContext):
    """ESR seurantaraportti for one payment period."""

    project: ProjectInfo
    period: PeriodInfo
    period_count: int
    whole_term: bool  # the project has no periods: the report covers its whole term
    organisations: list[OrgRow]
    contacts: list[PersonRow] = []  # the project's contact persons (EURA: yhteyshenkilö)
    funding: FundingSummary
    goals: list[GoalRow]
    starting_point: list[SectionRow] = []
    target_group: str | None
    implementation: list[SectionRow] = []  # how the project works (its own descriptions)
    measures: list[MeasureRow]
    achievements: list[SectionRow] = []  # what changed, as the project has described it
    indicators: list[IndicatorRow]  # value = this period's actual
    participants: Participants
    budget: Budget = Budget()  # the period's actual costs and the cumulative ones
    equality: str | None
    non_discrimination: str | None
    sustainability: str | None
    communication: str | None
    other_sections: list[SectionRow] = []  # descriptions the form has no place for
    indicator_chart: ChartSpec | None
    funding_chart: ChartSpec | None
    attachments: list[AttachmentRow]


class EsrFinalContext(_ReportContext):
    """ESR loppuraportti: the whole project."""

    project: ProjectInfo
    organisations: list[OrgRow]
    contacts: list[PersonRow] = []
    funding: FundingSummary
    starting_point: str | None
    starting_points: list[SectionRow] = []
    target_group: str | None
    goals: list[GoalRow]
    implementation: list[SectionRow] = []
    measures: list[MeasureRow]
    periods: list[PeriodInfo]
    achievements: list[SectionRow] = []
    results: list[ResultRow]
    indicators: list[IndicatorRow]  # value = latest actual
    indicator_values: list[IndicatorValueRow]
    participants: Participants
    budget: Budget = Budget()  # the whole project
    equality: str | None
    non_discrimination: str | None
    sustainability: str | None
    problems: str | None
    continuation: str | None
    proposals: str | None
    communication: str | None
    other_sections: list[SectionRow] = []
    indicator_chart: ChartSpec | None
    funding_chart: ChartSpec | None
    attachments: list[AttachmentRow]


class SteaProjectInfo(_Ctx):
    """What a public STEA report shows of the project: no people, no links, no attachments."""

    name: str
    short_name: str | None = None
    organisation: str | None = None  # the grant recipient (an organisation, not a person)
    y_tunnus: str | None = None  # the recipient's business ID (an organisation's, public)
    decision_number: str | None = None
    decision_date: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    grant_start: date | None = None  # the STEA grant's period of use (None: not entered)
    grant_end: date | None = None
    region: str | None = None
    summary: str | None = None


class SteaContext(_ReportContext):
    """STEA tuloksellisuusraportti for one year. Public: by design no field holds contact data."""

    year: int
    # True only when every text went through the personal-data scrub (the report may then
    # say it holds no personal data).
    privacy_checked: bool = False
    project: SteaProjectInfo
    activity: list[SectionRow] = []  # starting point and how the activity works
    year_activity: list[PeriodInfo] = []  # what was done in the year's periods
    goals: list[GoalRow]
    achievements: list[SectionRow] = []
    indicators: list[IndicatorRow]  # value = the year's latest actual, with its basis
    indicator_values: list[IndicatorValueRow]  # the year's values
    results: list[ResultRow]
    target_group: str | None
    feedback: str | None
    partners: list[OrgRow]
    cooperation: str | None
    volunteers: str | None
    volunteer_periods: list[VolunteerRow] = []  # the year's periods
    embedding: str | None
    embedding_sections: list[SectionRow] = []  # continuation, conditions for adoption, tips
    other_sections: list[SectionRow] = []
    indicator_chart: ChartSpec | None


class StmContext(_ReportContext):
    """STM: report on the use of a state grant (money and results)."""

    project: ProjectInfo
    grant: FundingRow | None
    recipients: list[OrgRow] = []  # the lead implementer(s): the grant recipient, Y-tunnus
    organisations: list[OrgRow]
    funding: FundingSummary
    starting_point: list[SectionRow] = []
    goals: list[GoalRow]
    implementation: list[SectionRow] = []
    measures: list[MeasureRow]
    periods: list[PeriodInfo] = []
    achievements: list[SectionRow] = []
    results: list[ResultRow]
    indicators: list[IndicatorRow]
    embedding: str | None
    embedding_sections: list[SectionRow] = []
    other_sections: list[SectionRow] = []
    indicator_chart: ChartSpec | None
    funding_chart: ChartSpec | None
    budget: Budget = Budget()  # the whole project
    attachments: list[AttachmentRow]


# --- the EVAUS decision report ---------------------------------------------------------------


class HeatmapSpec(_Ctx):
    """Impact areas (rows) × alternatives (columns), each cell a direction code and its symbol.

    Drawn coloured by direction, with the symbol written in the cell (readable in greyscale).
    """

    title: str
    areas: list[str]
    alternatives: list[str]
    codes: list[list[str | None]]  # [area][alternative]: "++", "+", "0", "-", "--", "+-", "?"
    symbols: list[list[str]]  # what people read: ++, +, 0, −, −−, ±, ?, "–" for not assessed
    legend: list[str]  # "++ Selvästi myönteinen", … in the report's language
    not_assessed_text: str = ""  # written in a cell that is not assessed
    not_assessed_symbol: str = "○"  # the glyph of a cell that is not assessed (never a dash)
    legend_title: str = ""  # "Vaihtoehdot": the numbered column headers are named below


class VersionRow(_Ctx):
    number: int
    status: str
    changed_on: date | None = None
    this: bool = False  # the version the report is made from


class AssessmentInfo(_Ctx):
    title: str
    status: str
    framework: str
    version_number: int
    preparers: str | None = None
    organisation: str | None = None
    decision: str | None = None  # the matter: the decision to be made
    decision_summary: str | None = None
    decision_date: date | None = None
    ex_post_date: date | None = None
    approved_by: str | None = None  # the sign-off: the approver's name
    approved_on: date | None = None
    draft: bool = False  # status luonnos: every page says LUONNOS
    decided: bool = False  # status päätetty or jälkiarvioitu
    version_date: date | None = None  # when this version was last changed
    versions: list[VersionRow] = []  # every version of the assessment, oldest first
    newer_version: VersionRow | None = None  # the newest version when it is not this one


class BackgroundItem(_Ctx):
    """One answered (or unanswered: "Ei tietoa") question of the assessment's phases."""

    heading: str
    text: str | None = None


class ScreeningInfo(_Ctx):
    """Phase 0: is an impact assessment needed, on which criteria, why."""

    result: str  # "Arviointi tarvitaan" / "… ei tarvita" / "Tarveharkinta on kesken"
    criteria: list[str] = []
    reason: str | None = None
    notes: str | None = None


class CoverageInfo(_Ctx):
    """How many impact areas were decided relevant, left out, or not decided yet."""

    areas: int  # in the framework
    relevant: int
    excluded: int
    undecided: int
    missing_impacts: int  # relevant area × alternative cells without a direction
    all_assessed: bool  # every area decided and every relevant cell assessed


class EvausAlternativeRow(_Ctx):
    """One alternative with its costs and the counts of its impacts side by side (not a score)."""

    name: str
    is_zero: bool
    recommended: bool
    chosen: bool
    description: str | None = None
    cost_per_year: Decimal | None = None
    staff_fte: Decimal | None = None
    premises: str | None = None
    positive: int = 0
    negative: int = 0
    mixed: int = 0
    uncertain: int = 0
    no_impact: int = 0
    not_assessed: int = 0  # relevant areas without a direction and areas not decided yet
    risks: int = 0
    high_risks: int = 0


class KeyFigureBlock(_Ctx):
    alternative: str
    caption: str | None = None
    columns: list[str]
    rows: list[list[str]]


class ImpactHighlight(_Ctx):
    """A main positive or negative impact for the summary: where, on whom, how sure."""

    alternative: str
    area: str
    symbol: str
    direction: str
    groups: str | None = None  # population groups and "whom it falls on", joined
    certainty: str | None = None
    justification: str | None = None


class MatrixRow(_Ctx):
    """One cell of the impacts × alternatives matrix as a flat row."""

    area: str
    alternative: str
    assessed: bool = True
    symbol: str
    direction: str | None = None
    size: str | None = None
    time_span: str | None = None
    certainty: str | None = None
    groups: str | None = None
    justification: str | None = None
    evidence: str | None = None


class AreaDecision(_Ctx):
    area: str
    reason: str | None = None


class MitigationRow(_Ctx):
    target: str  # the area and alternative, or the risk
    text: str


class RiskRow(_Ctx):
    alternative: str | None = None  # None: the change as a whole
    description: str
    likelihood: str | None = None
    consequence: str | None = None
    mitigation: str | None = None


class HearingRow(_Ctx):
    """Who was heard (kuuleminen), as the decision-maker reads it: every text in the
    report's language, the way as its label (with the note), children heard as "Kyllä: how"
    or "Ei"."""

    group: str
    method: str | None = None
    held_on: date | None = None
    participants: int | None = None
    children: str
    summary: str | None = None
    outcome: str | None = None


class FollowUpRow(_Ctx):
    name: str
    baseline: str | None = None
    target: str | None = None
    source: str | None = None
    schedule: str | None = None
    responsible: str | None = None


class ExPostRow(_Ctx):
    area: str
    assessed: str  # symbol and size: "+ Kohtalainen"
    realised: str | None = None
    outcome: str
    reason: str
    evidence: str | None = None


class RatingRow(_Ctx):
    """A follow-up indicator and its ex-post rating (saavutettu … ei saavutettu)."""

    name: str
    rating: str


class ExPostInfo(_Ctx):
    alternative: str | None = None
    verdict: str
    summary: str | None = None
    rows: list[ExPostRow] = []
    ratings: list[RatingRow] = []  # the rated follow-up indicators
    rating: str | None = None  # the whole


class ProjectRef(_Ctx):
    """The linked project (or, for a standalone assessment, the assessment's title as name)."""

    name: str
    short_name: str | None = None
    linked: bool = True


class EvausContext(_ReportContext):
    """The EVAUS decision report: a short summary for decision-makers, then the full matrix."""

    project: ProjectRef
    assessment: AssessmentInfo
    alternatives: list[EvausAlternativeRow]
    key_figures: list[KeyFigureBlock]
    positives: list[ImpactHighlight]
    negatives: list[ImpactHighlight]
    trade_offs: str | None
    uncertainties: str | None
    crossing_impacts: str | None
    mitigations: list[MitigationRow]
    recommendation: str | None  # the recommended alternative's name
    reasoning: str | None
    chosen: str | None  # the alternative decided on
    follow_ups: list[FollowUpRow]
    hearings: list[HearingRow]
    # The impact areas in which the assessment takes up children when no hearing heard
    # children or young people (LAVA): the report says so under the hearings.
    children_unheard: list[str] = []
    risks: list[RiskRow]
    matrix: list[MatrixRow]
    excluded_areas: list[AreaDecision]
    undecided_areas: list[str] = []  # areas whose relevance is not decided yet
    coverage: CoverageInfo | None = None
    background: list[BackgroundItem] = []
    screening: ScreeningInfo | None = None
    heatmap: HeatmapSpec | None
    ex_post: ExPostInfo | None


ReportContext = (
    CardContext | EsrPeriodContext | EsrFinalContext | SteaContext | StmContext | EvausContext
)


class _ContextModels(Mapping[str, type[_ReportContext]]):
    """{kind: its context model}, as the kinds (``evaus.reports.kinds``) declare them."""

    def __getitem__(self, kind: str) -> type[_ReportContext]:
        from . import kinds
        from .errors import ReportFailed

        try:
            return kinds.get(kind).context_model
        except ReportFailed:
            raise KeyError(kind) from None

    def __iter__(self) -> Iterator[str]:
        return iter(kind.name for kind in _all_kinds())

    def __len__(self) -> int:
        return len(_all_kinds())


def _all_kinds() -> list[Any]:
    from . import kinds

    return kinds.every_kind()


CONTEXT_MODELS: Mapping[str, type[_ReportContext]] = _ContextModels()
