"""The EVAUS method: the framework, completeness checks, comparison, ex-post and version diff.

Pure logic on pydantic models: no SQLAlchemy sessions and no NiceGUI here.
"""

from .checks import Issue, PhaseProgress, blocking, check, is_high_risk, progress, relevant_areas
from .comparison import AlternativeSummary, Comparison, DirectionCounts, compare
from .diff import Change, diff
from .expost import ExPostComparison, ImpactOutcome, compare_ex_post, judge
from .framework import (
    Framework,
    FrameworkInvalid,
    FrameworkProblem,
    builtin_framework,
    builtin_framework_names,
    framework_text,
    parse_framework,
)

__all__ = [
    "AlternativeSummary",
    "Change",
    "Comparison",
    "DirectionCounts",
    "ExPostComparison",
    "Framework",
    "FrameworkInvalid",
    "FrameworkProblem",
    "ImpactOutcome",
    "Issue",
    "PhaseProgress",
    "blocking",
    "builtin_framework",
    "builtin_framework_names",
    "check",
    "compare",
    "compare_ex_post",
    "diff",
    "framework_text",
    "is_high_risk",
    "judge",
    "parse_framework",
    "progress",
    "relevant_areas",
]
