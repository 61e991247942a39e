"""What happens after an assessment save has been committed: a registry of callbacks.

The services call ``assessment_saved`` after their commit; the workshop (when one runs in the
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
