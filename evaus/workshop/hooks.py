"""What happens after an assessment save has been committed: a registry of callbacks.

The services call ``assessment_saved`` after their commit (``assessment_touched`` after a
change that is no edit of the document: a comment on one of its parts, a new version made of
it, its deletion); the workshop (when one runs in the
process) registers a callback that publishes the change to the assessment's participants.
Nothing here knows the web framework or the workshop, so the services depend on no more than
this module. A callback runs in the saving thread and must be quick (hand the work over to an
event loop); one that fails is logged and never fails the save.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from project_db.assessment_schemas import AssessmentDoc

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AssessmentSaved:
    """One committed save: the assessment, its version after it, who saved, the documents
    before and after."""

    assessment_id: int
    version: int
    who: str
    before: AssessmentDoc
    after: AssessmentDoc


SavedCallback = Callable[[AssessmentSaved], None]

_callbacks: list[SavedCallback] = []
_guard = threading.Lock()


def on_assessment_saved(callback: SavedCallback) -> Callable[[], None]:
    """Call ``callback`` after every committed assessment save; returns the function that
    unregisters it."""
    with _guard:
        _callbacks.append(callback)

    def remove() -> None:
        with _guard:
            if callback in _callbacks:
                _callbacks.remove(callback)

    return remove


def assessment_saved(
    assessment_id: int, version: int, who: str, before: AssessmentDoc, after: AssessmentDoc
) -> None:
    """Tell the registered callbacks about a committed save (nothing to do without any)."""
    if not _callbacks:
        return
    saved = AssessmentSaved(assessment_id, version, who, before, after)
    for callback in list(_callbacks):
        try:
            callback(saved)
        except Exception:
            log.exception("a callback after an assessment save failed")


@dataclass(frozen=True)
class AssessmentTouched:
    """A committed change around an assessment that is no edit of its document: ``action`` is
    "comment" (added, edited, resolved or reopened on the part ``where``), "new_version" (a new
    draft was made of it) or "deleted"."""

    assessment_id: int
    who: str
    action: str
    where: str = ""


TouchedCallback = Callable[[AssessmentTouched], None]

_touched: list[TouchedCallback] = []


def on_assessment_touched(callback: TouchedCallback) -> Callable[[], None]:
    """Call ``callback`` after every ``assessment_touched``; returns the function that
    unregisters it."""
    with _guard:
        _touched.append(callback)

    def remove() -> None:
        with _guard:
            if callback in _touched:
                _touched.remove(callback)

    return remove


def assessment_touched(assessment_id: int, who: str, action: str, where: str = "") -> None:
    """Tell the registered callbacks about a committed change around an assessment."""
    if not _touched:
        return
    touched = AssessmentTouched(assessment_id, who, action, where)
    for callback in list(_touched):
        try:
            callback(touched)
        except Exception:
            log.exception("a callback after an assessment change failed")
