"""An error in a hearing or a hand-added deadline names its field in words, not by its key."""

from __future__ import annotations

import pytest

from evaus.i18n import FIELD_LABELS
from project_db.assessment_schemas import HearingIn
from project_db.schemas import DeadlineDoc


@pytest.mark.parametrize("model", [HearingIn, DeadlineDoc])
def test_every_field_has_a_label(model: type) -> None:
    unlabelled = [
        name
        for name in model.model_fields  # type: ignore[attr-defined]
        if name not in FIELD_LABELS and name not in {"key", "project", "created_by", "created_at"}
    ]
    assert not unlabelled
