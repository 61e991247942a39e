"""Installed assessment frameworks: one version, every version, a framework's latest version."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from .assessment_models import AssessmentFramework


def framework_version(
    session: Session, framework_id: str, version: int
) -> AssessmentFramework | None:
    return session.scalar(
        select(AssessmentFramework).where(
            AssessmentFramework.framework_id == framework_id,
            AssessmentFramework.framework_version == version,
        )
    )


def frameworks_newest_first(session: Session) -> Sequence[AssessmentFramework]:
    """Every installed version, by framework id, the newest version of each first."""
    return session.scalars(
        select(AssessmentFramework).order_by(
            AssessmentFramework.framework_id, AssessmentFramework.framework_version.desc()
        )
    ).all()


def latest_version(session: Session, framework_id: str) -> int | None:
    """The highest installed version of the framework (None when none is installed)."""
    return session.scalar(
        select(AssessmentFramework.framework_version)
        .where(AssessmentFramework.framework_id == framework_id)
        .order_by(AssessmentFramework.framework_version.desc())
        .limit(1)
    )


__all__ = ["framework_version", "frameworks_newest_first", "latest_version"]
