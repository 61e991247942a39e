"""Ex-ante impact assessments: create, read, list, the wizard's autosave, finish, decide,
ex-post, versions.

Every writing function takes ``expected_version`` (the assessment's version the page holds)
and returns the assessment's new version, so the page can keep autosaving; ``edit`` takes a
typed edit (``evaus.assessment.edits``) and returns the whole new state. The optimistic lock
is **per assessment**: any change to any part (an answer, a matrix cell, a risk …) moves the
assessment's version on; a stale ``expected_version`` raises ``ConflictError`` naming who
changed what. A save that changes nothing keeps the version.

Rights: admin everything; a manager creates assessments and edits the ones they created or
whose linked project they may edit; a viewer reads. A finished assessment (valmis, päätetty,
jälkiarvioitu) is frozen: only the ex-post entries may still be written, after the decision.

Parts: ``read`` (documents, lists, checks), ``edit`` (the autosave and status changes),
``lifecycle`` (create, delete, import), ``versions``; the queries are in
``project_db.assessment_queries``.
"""

from __future__ import annotations

from evaus.assessment import edits as _edits

# The typed edits (``SetAnswer`` …), their statuses and errors: the pages build them from here.
from evaus.assessment.edits import *  # noqa: F403

from .common import (
    ZERO_NAMES,
    AssessmentSummary,
    AssessmentView,
    can_edit_assessment,
    check_codes,
)
from .edit import (
    Edited,
    complete_ex_post,
    delete_alternative,
    delete_follow_up,
    delete_hearing,
    delete_risk,
    edit,
    finish,
    impact_edit,
    mark_decided,
    part_edit,
    set_answer,
    set_area_relevance,
    set_crossing_impacts,
    set_ex_post,
    set_ex_post_ratings,
    set_impact,
    set_recommendation,
    set_screening,
    update_assessment,
    upsert_alternative,
    upsert_follow_up,
    upsert_hearing,
    upsert_risk,
)
from .lifecycle import (
    approve_assessment,
    create_assessment,
    delete_assessment,
    import_assessment_doc,
)
from .read import (
    _list_assessments,
    assessment_history,
    assessment_progress,
    check_assessment,
    comparison,
    ex_post_comparison,
    framework_of,
    get_assessment,
    list_assessments,
)
from .versions import (
    _list_versions,
    compare_versions,
    indicator_names,
    list_versions,
    new_version,
    new_version_from,
)

__all__ = [
    "ZERO_NAMES",
    "AssessmentSummary",
    "AssessmentView",
    "Edited",
    "_list_assessments",
    "_list_versions",
    "approve_assessment",
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
    "edit",
    "ex_post_comparison",
    "finish",
    "framework_of",
    "get_assessment",
    "impact_edit",
    "import_assessment_doc",
    "indicator_names",
    "list_assessments",
    "list_versions",
    "mark_decided",
    "new_version",
    "new_version_from",
    "part_edit",
    "set_answer",
    "set_area_relevance",
    "set_crossing_impacts",
    "set_ex_post",
    "set_ex_post_ratings",
    "set_impact",
    "set_recommendation",
    "set_screening",
    "update_assessment",
    "upsert_alternative",
    "upsert_follow_up",
    "upsert_hearing",
    "upsert_risk",
]
__all__ += _edits.__all__
