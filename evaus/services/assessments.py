"""Ex-ante impact assessments: create, read, list, the wizard's autosave, finish, decide,
ex-post, versions.

Every writing function takes ``expected_version`` (the assessment's version the page holds)
and returns the assessment's new version, so the page can keep autosaving. The optimistic lock
is **per assessment**: any change to any part (an answer, a matrix cell, a risk …) moves the
assessment's version on; a stale ``expected_version`` raises ``ConflictError`` naming who
changed what. A save that changes nothing keeps the version.

Rights: admin everything; a manager creates assessments and edits the ones they created or
whose linked project they may edit; a viewer reads. A finished assessment (valmis, päätetty,
jälkiarvioitu) is frozen: only the ex-post entries may still be written, after the decision.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evaus.assessment import (
    Change,
    Comparison,
    ExPostComparison,
    Framework,
    Issue,
    PhaseProgress,
    blocking,
    check,
    compare,
    compare_ex_post,
    diff,
    progress,
)
from project_db.assessment_models import Assessment
from project_db.assessment_schemas import (
    FROZEN_STATUSES,
    AlternativeIn,
    AssessmentDoc,
    AssessmentFields,
    ExPostIn,
    FollowUpIn,
    HearingIn,
    ImpactFields,
    RecommendationIn,
    RiskIn,
    assessment_problems,
)
from project_db.assessment_store import apply_assessment_doc, to_assessment_doc
from project_db.audit import set_actor
from project_db.errors import (
    N_,
    ConflictError,
    ConflictInfo,
    NotFound,
    Problem,
    ValidationFailed,
)
from project_db.models import AuditEntry, Project

from .access import (
    Actor,
    Forbidden,
    can_create_projects,
    can_edit_project,
    require_admin,
    require_read,
)
from .assessment_frameworks import _get_framework as get_framework
from .assessment_frameworks import _latest_version as latest_version
from .history import HistoryPage
from .history import _history_page as history_page

ZERO_NAMES = {"fi": "Nykytila jatkuu", "sv": "Nuläget fortsätter", "en": "Current state continues"}

STATUS_LABELS = {
    "luonnos": N_("draft"),
    "valmis": N_("finished"),
    "paatetty": N_("decided"),
    "jalkiarvioitu": N_("evaluated ex post"),
}


class AssessmentFrozen(ValidationFailed):
    """The assessment is finished: edits are refused; a new version can be made."""

    def __init__(self, status: str) -> None:
        super().__init__(
            [
                Problem(
                    field="",
                    message=N_(
                        "The assessment is {status} and can no longer be edited: "
                        "make a new version to change it."
                    ),
                    params={"status": STATUS_LABELS.get(status, status)},
                )
            ]
        )
        self.status = status


class AssessmentIncomplete(ValidationFailed):
    """Finishing was refused: ``issues`` are the blocking problems with their locations."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__([Problem(field="", message=i.message, params=i.params) for i in issues])
        self.issues = issues


class AssessmentSummary(BaseModel):
    id: int
    key: str
    series_key: str
    version_number: int
    title: str
    status: str
    project_id: int | None
    project_name: str | None
    framework_id: str
    framework_version: int
    created_by: str
    updated_at: datetime
    version: int  # the optimistic-lock version (for autosave), not the version number


class AssessmentView(BaseModel):
    """What the wizard loads: the document, the lock version and what the user may do."""

    id: int
    version: int
    doc: AssessmentDoc
    project_id: int | None
    frozen: bool
    can_edit: bool
    latest_in_series: bool


# --- reading ------------------------------------------------------------------------------


def _load(session: Session, assessment_id: int) -> Assessment:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound("assessment", assessment_id)
    return assessment


def can_edit_assessment(session: Session, actor: Actor, assessment: Assessment) -> bool:
    if actor.is_admin:
        return True
    if actor.role != "manager":
        return False
    if assessment.created_by == actor.username:
        return True
    return assessment.project_id is not None and can_edit_project(
        session, actor, assessment.project_id
    )


def _require_edit(session: Session, actor: Actor, assessment: Assessment) -> None:
    if not can_edit_assessment(session, actor, assessment):
        raise Forbidden(f"may not edit assessment {assessment.id}")


def _is_latest(session: Session, assessment: Assessment) -> bool:
    highest = session.scalar(
        select(func.max(Assessment.version_number)).where(
            Assessment.series_key == assessment.series_key
        )
    )
    return assessment.version_number == highest


def get_assessment(session: Session, assessment_id: int, *, actor: Actor) -> AssessmentView:
    """The assessment as a document (every role may read)."""
    require_read(actor)
    assessment = _load(session, assessment_id)
    return AssessmentView(
        id=assessment.id,
        version=assessment.version,
        doc=to_assessment_doc(session, assessment),
        project_id=assessment.project_id,
        frozen=assessment.status in FROZEN_STATUSES,
        can_edit=can_edit_assessment(session, actor, assessment),
        latest_in_series=_is_latest(session, assessment),
    )


def framework_of(session: Session, assessment_id: int, *, actor: Actor) -> Framework:
    """The framework (id + version) the assessment was made with."""
    require_read(actor)
    assessment = _load(session, assessment_id)
    return get_framework(session, assessment.framework_id, assessment.framework_version)


def list_assessments(
    session: Session,
    *,
    project_id: int | None = None,
    standalone: bool = False,
    status: list[str] | None = None,
    latest_only: bool = True,
    actor: Actor,
) -> list[AssessmentSummary]:
    """Assessments of a project, or the standalone ones, optionally by status; by default only
    the newest version of each series. Newest changes first."""
    require_read(actor)
    return _list_assessments(
        session,
        project_id=project_id,
        standalone=standalone,
        status=status,
        latest_only=latest_only,
    )


def _list_assessments(
    session: Session,
    *,
    project_id: int | None = None,
    standalone: bool = False,
    status: list[str] | None = None,
    latest_only: bool = True,
) -> list[AssessmentSummary]:
    query = select(Assessment, Project.name).outerjoin(Project, Assessment.project_id == Project.id)
    if project_id is not None:
        query = query.where(Assessment.project_id == project_id)
    if standalone:
        query = query.where(Assessment.project_id.is_(None))
    if status:
        query = query.where(Assessment.status.in_(status))
    if latest_only:
        newest = (
            select(Assessment.series_key, func.max(Assessment.version_number).label("n"))
            .group_by(Assessment.series_key)
            .subquery()
        )
        query = query.join(
            newest,
            (newest.c.series_key == Assessment.series_key)
            & (newest.c.n == Assessment.version_number),
        )
    rows = session.execute(query.order_by(Assessment.updated_at.desc(), Assessment.id)).all()
    return [_summary(a, name) for a, name in rows]


def _summary(a: Assessment, project_name: str | None) -> AssessmentSummary:
    return AssessmentSummary(
        id=a.id,
        key=a.key,
        series_key=a.series_key,
        version_number=a.version_number,
        title=a.title,
        status=a.status,
        project_id=a.project_id,
        project_name=project_name,
        framework_id=a.framework_id,
        framework_version=a.framework_version,
        created_by=a.created_by,
        updated_at=a.updated_at,
        version=a.version,
    )


def list_versions(session: Session, assessment_id: int, *, actor: Actor) -> list[AssessmentSummary]:
    """Every version of the assessment's series, oldest first."""
    require_read(actor)
    return _list_versions(session, assessment_id)


def _list_versions(session: Session, assessment_id: int) -> list[AssessmentSummary]:
    assessment = _load(session, assessment_id)
    rows = session.execute(
        select(Assessment, Project.name)
        .outerjoin(Project, Assessment.project_id == Project.id)
        .where(Assessment.series_key == assessment.series_key)
        .order_by(Assessment.version_number)
    ).all()
    return [_summary(a, name) for a, name in rows]


def compare_versions(session: Session, old_id: int, new_id: int, *, actor: Actor) -> list[Change]:
    """What changed from one version to another (answers, alternatives, areas, impacts …)."""
    require_read(actor)
    old, new = _load(session, old_id), _load(session, new_id)
    return diff(to_assessment_doc(session, old), to_assessment_doc(session, new))


def indicator_names(
    session: Session, project_keys: list[str | None], *, actor: Actor
) -> dict[str, str]:
    """{key: name} of the indicators of these projects (a version comparison names the
    indicators its follow-up links to)."""
    require_read(actor)
    from project_db.models import Indicator

    keys = [k for k in project_keys if k]
    if not keys:
        return {}
    query = (
        select(Indicator.key, Indicator.name)
        .join(Project, Project.id == Indicator.project_id)
        .where(Project.key.in_(keys))
    )
    return {key: name for key, name in session.execute(query) if key}


def check_assessment(
    session: Session, assessment_id: int, lang: str = "fi", *, actor: Actor
) -> list[Issue]:
    """Warnings and blocking problems with their locations (phase, area, alternative)."""
    require_read(actor)
    doc, framework = _doc_and_framework(session, assessment_id)
    return check(doc, framework, lang)


def assessment_progress(
    session: Session, assessment_id: int, *, actor: Actor
) -> list[PhaseProgress]:
    require_read(actor)
    doc, framework = _doc_and_framework(session, assessment_id)
    return progress(doc, framework)


def comparison(session: Session, assessment_id: int, *, actor: Actor) -> Comparison:
    require_read(actor)
    doc, framework = _doc_and_framework(session, assessment_id)
    return compare(doc, framework)


def ex_post_comparison(session: Session, assessment_id: int, *, actor: Actor) -> ExPostComparison:
    require_read(actor)
    doc, framework = _doc_and_framework(session, assessment_id)
    return compare_ex_post(doc, framework)


def _doc_and_framework(session: Session, assessment_id: int) -> tuple[AssessmentDoc, Framework]:
    assessment = _load(session, assessment_id)
    framework = get_framework(session, assessment.framework_id, assessment.framework_version)
    return to_assessment_doc(session, assessment), framework


def assessment_history(
    session: Session, assessment_id: int, *, page: int = 1, page_size: int = 50, actor: Actor
) -> HistoryPage:
    """Who changed what in this assessment version, newest first."""
    require_read(actor)
    query = select(AuditEntry).where(AuditEntry.assessment_id == assessment_id)
    return history_page(session, query, page=page, page_size=page_size)


# --- validation shared by every write -------------------------------------------------------


def _validated(data: dict[str, Any]) -> AssessmentDoc:
    try:
        return AssessmentDoc.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(assessment_problems(exc)) from None


def _model(model: type[Any], data: Any, prefix: str) -> Any:
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(assessment_problems(exc, prefix)) from None


def check_codes(doc: AssessmentDoc, framework: Framework) -> list[Problem]:
    """Codes the framework does not know: question keys, criteria, areas and groups."""
    problems = []
    questions = framework.question_keys
    for key in doc.answers:
        if key not in questions:
            problems.append(_unknown_code(f"answers.{key}", key))
    for i, key in enumerate(doc.screening.criteria):
        if key not in framework.criterion_keys:
            problems.append(_unknown_code(f"screening.criteria.{i}", key))
    areas = set(framework.area_codes)
    for i, area in enumerate(doc.areas):
        if area.area not in areas:
            problems.append(_unknown_code(f"areas.{i}.area", area.area))
    for i, impact in enumerate(doc.impacts):
        if impact.area not in areas:
            problems.append(_unknown_code(f"impacts.{i}.area", impact.area))
        for group in impact.groups:
            if group not in framework.group_codes:
                problems.append(_unknown_code(f"impacts.{i}.groups", group))
    return problems


def _unknown_code(field: str, code: str) -> Problem:
    return Problem(
        field=field,
        message=N_("is not in the assessment framework: {code}"),
        params={"code": code},
    )


def _ensure_version(session: Session, assessment: Assessment, expected: int | None) -> None:
    if expected is None or assessment.version == expected:
        return
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.assessment_id == assessment.id)
        .order_by(AuditEntry.id.desc())
        .limit(20)
    ).all()
    last = entries[0] if entries else None
    raise ConflictError(
        ConflictInfo(
            entity="assessment",
            entity_id=assessment.id,
            expected_version=expected,
            current_version=assessment.version,
            changed_by=last.actor if last else None,
            changed_at=last.at.isoformat() if last else None,
            changes=_conflict_changes([e for e in entries if last and e.at == last.at]),
        )
    )


def _conflict_changes(entries: list[AuditEntry]) -> list[tuple[str, str | None, str | None]]:
    """Updated fields old → new; a created or deleted record once (its audit rows hold one
    field each)."""
    changes: list[tuple[str, str | None, str | None]] = []
    records: set[tuple[str, int, str]] = set()
    for e in entries:
        if e.action == "update" and e.field:
            changes.append((f"{e.entity}.{e.field}", e.old_value, e.new_value))
        elif (e.entity, e.entity_id, e.action) not in records:
            records.add((e.entity, e.entity_id, e.action))
            changes.append((f"{e.entity}:{e.action}", None, None))
    return changes


def _save(session: Session, assessment: Assessment, doc: AssessmentDoc, actor: Actor) -> int:
    framework = get_framework(session, doc.framework_id, doc.framework_version)
    problems = check_codes(doc, framework)
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor.username)
    try:
        apply_assessment_doc(session, assessment, doc)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return assessment.version


Edit = Callable[[dict[str, Any]], None]


def _edit(
    session: Session,
    assessment_id: int,
    change: Edit,
    *,
    expected_version: int | None,
    actor: Actor,
    statuses: frozenset[str] = frozenset({"luonnos"}),
) -> int:
    """Load, check rights, lock and status; change the document; validate; save what differs."""
    assessment = _load(session, assessment_id)
    _require_edit(session, actor, assessment)
    _ensure_version(session, assessment, expected_version)
    if assessment.status not in statuses:
        raise AssessmentFrozen(assessment.status)
    data = to_assessment_doc(session, assessment).model_dump()
    change(data)
    return _save(session, assessment, _validated(data), actor)


def _refuse(field: str, message: str, **params: Any) -> ValidationFailed:
    return ValidationFailed([Problem(field=field, message=message, params=params)])


# --- creating -----------------------------------------------------------------------------


def create_assessment(
    session: Session,
    fields: AssessmentFields | dict[str, Any],
    *,
    project_id: int | None = None,
    framework_id: str = "default",
    framework_version: int | None = None,
    actor: Actor,
) -> AssessmentView:
    """A new draft with the 0-alternative ("Nykytila jatkuu") already in it."""
    if not can_create_projects(actor):
        raise Forbidden("may not create assessments")
    own = _model(AssessmentFields, fields, "")
    project = session.get(Project, project_id) if project_id is not None else None
    if project_id is not None and project is None:
        raise NotFound("project", project_id)
    version = framework_version or latest_version(session, framework_id)
    get_framework(session, framework_id, version)
    zero = AlternativeIn(is_zero=True, name=ZERO_NAMES.get(actor.language, ZERO_NAMES["fi"]))
    doc = _validated(
        own.model_dump()
        | {
            "framework_id": framework_id,
            "framework_version": version,
            "project_key": project.key if project else None,
            "created_by": actor.username,
            "alternatives": [zero.model_dump()],
        }
    )
    assessment = Assessment()
    _save(session, assessment, doc, actor)
    return get_assessment(session, assessment.id, actor=actor)


# --- the wizard's autosave ----------------------------------------------------------------


def update_assessment(
    session: Session,
    assessment_id: int,
    fields: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Change some of the own fields: title, decision, preparers, organisation, dates."""
    allowed = set(AssessmentFields.model_fields)
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise _refuse(unknown[0], N_("is not a known field"))

    def change(data: dict[str, Any]) -> None:
        data.update(fields)

    return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)


def set_answer(
    session: Session,
    assessment_id: int,
    question_key: str,
    text: str,
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Autosave one answer; an empty text removes it."""

    def change(data: dict[str, Any]) -> None:
        if text.strip():
            data["answers"][question_key] = text
        else:
            data["answers"].pop(question_key, None)

    return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)


def set_screening(
    session: Session,
    assessment_id: int,
    *,
    needed: bool | None,
    criteria: list[str] | None = None,
    reason: str = "",
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 0: needed / not needed (then the reason is recorded) / undecided (None)."""

    def change(data: dict[str, Any]) -> None:
        data["screening"] = {"needed": needed, "criteria": criteria or [], "reason": reason}

    return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)


def upsert_alternative(
    session: Session,
    assessment_id: int,
    alternative: AlternativeIn | dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Add an alternative or change the one with the same key. Build ``AlternativeIn`` first to
    know a new alternative's key. The 0-alternative stays the 0-alternative."""
    alt: AlternativeIn = _model(AlternativeIn, alternative, "alternative")

    def change(data: dict[str, Any]) -> None:
        items = data["alternatives"]
        index = next((i for i, a in enumerate(items) if a["key"] == alt.key), None)
        values = alt.model_dump()
        if index is None:
            values["is_zero"] = False
            items.append(values)
        else:
            values["is_zero"] = items[index]["is_zero"]
            items[index] = values

    return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)


def delete_alternative(
    session: Session,
    assessment_id: int,
    key: str,
    *,
    impacts: Literal["move_to", "delete"] | None = None,
    move_to: str | None = None,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Remove an alternative. When impacts refer to it the caller must choose: move them to
    another alternative (``impacts="move_to", move_to=key``) or delete them. The 0-alternative
    can never be deleted. Its risks are moved along or become general risks."""

    def change(data: dict[str, Any]) -> None:
        alt = next((a for a in data["alternatives"] if a["key"] == key), None)
        if alt is None:
            raise NotFound("alternative", key)
        if alt["is_zero"]:
            raise _refuse("alternatives", N_("The 0-alternative cannot be deleted."))
        own = [i for i in data["impacts"] if i["alternative_key"] == key]
        if own and impacts is None:
            raise _refuse(
                "impacts",
                N_(
                    "Alternative {name} has {count} assessed impacts: choose whether they "
                    "move to another alternative or are deleted."
                ),
                name=alt["name"],
                count=len(own),
            )
        target = _move_target(data, key, impacts, move_to)
        if target is not None:
            _move_impacts(data, own, target)
        else:
            data["impacts"] = [i for i in data["impacts"] if i["alternative_key"] != key]
        for risk in data["risks"]:
            if risk["alternative_key"] == key:
                risk["alternative_key"] = target
        for ref in ("chosen_key",):
            if data[ref] == key:
                data[ref] = None
        if data["recommendation"]["alternative_key"] == key:
            data["recommendation"]["alternative_key"] = None
        data["alternatives"] = [a for a in data["alternatives"] if a["key"] != key]

    return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)


def _move_target(
    data: dict[str, Any], key: str, impacts: str | None, move_to: str | None
) -> str | None:
    if impacts != "move_to":
        return None
    keys = {a["key"] for a in data["alternatives"]}
    if move_to is None or move_to == key or move_to not in keys:
        raise _refuse("move_to", N_("Choose another alternative to move the impacts to."))
    return move_to


def _move_impacts(data: dict[str, Any], own: list[dict[str, Any]], target: str) -> None:
    taken = {i["area"] for i in data["impacts"] if i["alternative_key"] == target}
    clash = [i["area"] for i in own if i["area"] in taken]
    if clash:
        raise _refuse(
            "move_to",
            N_("The other alternative already has an impact in impact area {area}."),
            area=clash[0],
        )
    for impact in own:
        impact["alternative_key"] = target


def set_area_relevance(
    session: Session,
    assessment_id: int,
    area: str,
    *,
    relevant: bool | None,
    reason: str = "",
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 4: mark an impact area relevant / not relevant (None = undecided) with a reason."""

    def change(data: dict[str, Any]) -> None:
        items = data["areas"]
        values = {"area": area, "relevant": relevant, "reason": reason}
        index = next((i for i, a in enumerate(items) if a["area"] == area), None)
        if index is None:
            items.append(values)
        else:
            items[index] = values

    return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)


def set_crossing_impacts(
    session: Session, assessment_id: int, text: str, *, expected_version: int | None, actor: Actor
) -> int:
    """Phase 4: the note on crossing and cumulative impacts across areas."""

    def change(data: dict[str, Any]) -> None:
        data["crossing_impacts"] = text

    return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)


def set_impact(
    session: Session,
    assessment_id: int,
    area: str,
    alternative_key: str,
    fields: ImpactFields | dict[str, Any] | None,
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Autosave one matrix cell (impact area × alternative); ``None`` empties the cell.
    For "ei arvioitu" pass ``assessed=False`` with ``not_assessed_reason``."""
    cell: ImpactFields | None = None if fields is None else _model(ImpactFields, fields, "impact")

    def change(data: dict[str, Any]) -> None:
        if not any(a["key"] == alternative_key for a in data["alternatives"]):
            raise NotFound("alternative", alternative_key)
        items = data["impacts"]
        index = next(
            (
                i
                for i, x in enumerate(items)
                if x["area"] == area and x["alternative_key"] == alternative_key
            ),
            None,
        )
        if cell is None:
            if index is not None:
                items.pop(index)
            return
        values = cell.model_dump() | {"area": area, "alternative_key": alternative_key}
        if index is None:
            items.append(values | {"ex_post": None})
        else:
            items[index] = values | {"ex_post": items[index]["ex_post"]}

    return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)


def _upsert(section: str, model: type[Any]) -> Callable[..., int]:
    def upsert(
        session: Session,
        assessment_id: int,
        item: Any,
        *,
        expected_version: int | None,
        actor: Actor,
    ) -> int:
        value = _model(model, item, section)

        def change(data: dict[str, Any]) -> None:
            items = data[section]
            index = next((i for i, x in enumerate(items) if x["key"] == value.key), None)
            if index is None:
                items.append(value.model_dump())
            else:
                items[index] = value.model_dump()

        return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)

    return upsert


def _delete(section: str) -> Callable[..., int]:
    def delete(
        session: Session,
        assessment_id: int,
        key: str,
        *,
        expected_version: int | None,
        actor: Actor,
    ) -> int:
        def change(data: dict[str, Any]) -> None:
            if not any(x["key"] == key for x in data[section]):
                raise NotFound(section, key)
            data[section] = [x for x in data[section] if x["key"] != key]

        return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)

    return delete


def upsert_risk(
    session: Session,
    assessment_id: int,
    risk: RiskIn | dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 6: add a risk or change the one with the same key."""
    return _upsert("risks", RiskIn)(
        session, assessment_id, risk, expected_version=expected_version, actor=actor
    )


def delete_risk(
    session: Session, assessment_id: int, key: str, *, expected_version: int | None, actor: Actor
) -> int:
    return _delete("risks")(
        session, assessment_id, key, expected_version=expected_version, actor=actor
    )


def upsert_hearing(
    session: Session,
    assessment_id: int,
    hearing: HearingIn | dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 2 (kuuleminen): add a heard group or change the one with the same key."""
    return _upsert("hearings", HearingIn)(
        session, assessment_id, hearing, expected_version=expected_version, actor=actor
    )


def delete_hearing(
    session: Session, assessment_id: int, key: str, *, expected_version: int | None, actor: Actor
) -> int:
    return _delete("hearings")(
        session, assessment_id, key, expected_version=expected_version, actor=actor
    )


def upsert_follow_up(
    session: Session,
    assessment_id: int,
    follow_up: FollowUpIn | dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 8: add a follow-up indicator or change the one with the same key. An
    ``indicator_key`` must be an indicator of the linked project."""
    item: FollowUpIn = _model(FollowUpIn, follow_up, "follow_up")
    if item.indicator_key is not None:
        _check_indicator(session, assessment_id, item.indicator_key)
    return _upsert("follow_ups", FollowUpIn)(
        session, assessment_id, item, expected_version=expected_version, actor=actor
    )


def _check_indicator(session: Session, assessment_id: int, key: str) -> None:
    from project_db.models import Indicator

    project_id = _load(session, assessment_id).project_id
    found = session.scalar(
        select(Indicator.id).where(Indicator.project_id == project_id, Indicator.key == key)
    )
    if project_id is None or found is None:
        raise _refuse(
            "follow_up.indicator_key",
            N_("refers to an indicator that is not in the linked project"),
        )


def delete_follow_up(
    session: Session, assessment_id: int, key: str, *, expected_version: int | None, actor: Actor
) -> int:
    return _delete("follow_ups")(
        session, assessment_id, key, expected_version=expected_version, actor=actor
    )


def set_recommendation(
    session: Session,
    assessment_id: int,
    recommendation: RecommendationIn | dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 7: the recommended alternative, its reasoning, trade-offs and uncertainties."""
    rec: RecommendationIn = _model(RecommendationIn, recommendation, "recommendation")

    def change(data: dict[str, Any]) -> None:
        data["recommendation"] = rec.model_dump()

    return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)


# --- status: finish, decide, ex-post ------------------------------------------------------


def finish(
    session: Session,
    assessment_id: int,
    *,
    expected_version: int | None,
    actor: Actor,
    lang: str = "fi",
) -> int:
    """luonnos → valmis when no blocking problem is left (else ``AssessmentIncomplete``).
    A finished assessment is frozen."""
    assessment = _load(session, assessment_id)
    doc = to_assessment_doc(session, assessment)
    framework = get_framework(session, doc.framework_id, doc.framework_version)
    problems = blocking(check(doc, framework, lang))

    def change(data: dict[str, Any]) -> None:
        if problems:
            raise AssessmentIncomplete(problems)
        data["status"] = "valmis"

    return _edit(session, assessment_id, change, expected_version=expected_version, actor=actor)


def mark_decided(
    session: Session,
    assessment_id: int,
    *,
    decision_date: date,
    chosen_key: str | None = None,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """valmis → päätetty: the decision was made (by default on the recommended alternative)."""

    def change(data: dict[str, Any]) -> None:
        chosen = chosen_key or data["recommendation"]["alternative_key"]
        if chosen is None:
            raise _refuse("chosen_key", N_("Choose the alternative that was decided on."))
        data.update(status="paatetty", decision_date=decision_date, chosen_key=chosen)

    return _edit(
        session,
        assessment_id,
        change,
        expected_version=expected_version,
        actor=actor,
        statuses=frozenset({"valmis"}),
    )


def set_ex_post(
    session: Session,
    assessment_id: int,
    area: str,
    ex_post: ExPostIn | dict[str, Any] | None,
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """After the decision: what actually happened to the chosen alternative's impact in an
    area (``None`` removes the entry). Allowed in päätetty and jälkiarvioitu."""
    entry: ExPostIn | None = None if ex_post is None else _model(ExPostIn, ex_post, "ex_post")

    def change(data: dict[str, Any]) -> None:
        chosen = data["chosen_key"]
        impact = next(
            (i for i in data["impacts"] if i["area"] == area and i["alternative_key"] == chosen),
            None,
        )
        if impact is None or not impact["assessed"]:
            raise _refuse(
                "ex_post",
                N_("The chosen alternative has no assessed impact in impact area {area}."),
                area=area,
            )
        impact["ex_post"] = entry.model_dump() if entry else None

    return _edit(
        session,
        assessment_id,
        change,
        expected_version=expected_version,
        actor=actor,
        statuses=frozenset({"paatetty", "jalkiarvioitu"}),
    )


def complete_ex_post(
    session: Session,
    assessment_id: int,
    *,
    summary: str,
    ex_post_date: date,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """The overall ex-post summary: päätetty → jälkiarvioitu (the summary stays editable)."""

    def change(data: dict[str, Any]) -> None:
        if not summary.strip():
            raise _refuse("ex_post_summary", N_("is required"))
        data.update(status="jalkiarvioitu", ex_post_summary=summary, ex_post_date=ex_post_date)

    return _edit(
        session,
        assessment_id,
        change,
        expected_version=expected_version,
        actor=actor,
        statuses=frozenset({"paatetty", "jalkiarvioitu"}),
    )


# --- versions -----------------------------------------------------------------------------


def new_version_from(doc: AssessmentDoc) -> AssessmentDoc:
    """A new draft copy: version number + 1, linked to the previous, same part keys (so the
    versions compare part by part), without the decision and the ex-post entries."""
    data = doc.model_dump()
    data.update(
        key=AssessmentDoc.model_fields["key"].get_default(call_default_factory=True),
        version_number=doc.version_number + 1,
        previous_key=doc.key,
        status="luonnos",
        chosen_key=None,
        decision_date=None,
        ex_post_summary="",
    )
    for impact in data["impacts"]:
        impact["ex_post"] = None
    return _validated(data)


def new_version(session: Session, assessment_id: int, *, actor: Actor) -> AssessmentView:
    """Copy the newest version of a series into a new draft (the old one stays as it was)."""
    assessment = _load(session, assessment_id)
    _require_edit(session, actor, assessment)
    if not _is_latest(session, assessment):
        raise _refuse(
            "version_number",
            N_("A newer version of this assessment exists: make the new version from it."),
        )
    doc = new_version_from(to_assessment_doc(session, assessment))
    copy = Assessment()
    _save(session, copy, doc, actor)
    return get_assessment(session, copy.id, actor=actor)


def delete_assessment(
    session: Session, assessment_id: int, *, expected_version: int | None, actor: Actor
) -> None:
    """Delete a draft (finished assessments are kept as the record of the decision)."""
    assessment = _load(session, assessment_id)
    _require_edit(session, actor, assessment)
    _ensure_version(session, assessment, expected_version)
    if assessment.status in FROZEN_STATUSES:
        raise AssessmentFrozen(assessment.status)
    set_actor(session, actor.username)
    session.delete(assessment)
    session.commit()


# --- import (used by the registry import and the demo) ------------------------------------


def import_assessment_doc(
    session: Session, doc: AssessmentDoc, *, actor: Actor
) -> tuple[Assessment, str]:
    """Create or update the assessment with the document's key (admins, like every import);
    the caller commits. Returns the row and what happened: created, updated or unchanged."""
    require_admin(actor)
    framework = get_framework(session, doc.framework_id, doc.framework_version)
    problems = check_codes(doc, framework)
    known = select(Project.id).where(Project.key == doc.project_key)
    if doc.project_key and session.scalar(known) is None:
        problems.append(
            Problem(
                field="project_key",
                message=N_("refers to a project that is not in the registry"),
                params={},
            )
        )
    if problems:
        raise ValidationFailed(problems)
    assessment = session.scalar(select(Assessment).where(Assessment.key == doc.key))
    action = "updated" if assessment else "created"
    assessment = assessment or Assessment()
    mark = session.scalar(select(func.max(AuditEntry.id))) or 0
    apply_assessment_doc(session, assessment, doc)
    changed = session.scalar(
        select(func.count()).where(AuditEntry.id > mark, AuditEntry.assessment_id == assessment.id)
    )
    if action == "updated" and not changed:
        action = "unchanged"
    return assessment, action


__all__ = [
    "AssessmentFrozen",
    "AssessmentIncomplete",
    "AssessmentSummary",
    "AssessmentView",
    "assessment_history",
    "assessment_progress",
    "can_edit_assessment",
    "check_assessment",
    "check_codes",
    "compare_versions",
    "comparison",
    "complete_ex_post",
    "create_assessment",
    "delete_alternative",
    "delete_assessment",
    "delete_follow_up",
    "delete_hearing",
    "delete_risk",
    "ex_post_comparison",
    "finish",
    "framework_of",
    "get_assessment",
    "import_assessment_doc",
    "list_assessments",
    "list_versions",
    "mark_decided",
    "new_version",
    "new_version_from",
    "set_answer",
    "set_area_relevance",
    "set_crossing_impacts",
    "set_ex_post",
    "set_impact",
    "set_recommendation",
    "set_screening",
    "update_assessment",
    "upsert_alternative",
    "upsert_follow_up",
    "upsert_hearing",
    "upsert_risk",
]
