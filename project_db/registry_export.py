"""What an export of the whole registry reads: every project and every assessment version."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from .assessment_models import Assessment


def assessments_in_series_order(session: Session) -> Sequence[Assessment]:
    """Every assessment version, by series, then version number (ties by key)."""
    return session.scalars(
        select(Assessment).order_by(
            Assessment.series_key, Assessment.version_number, Assessment.key
        )
    ).all()


__all__ = ["assessments_in_series_order"]
